// Starts code-server (installed by bootstrap.mjs) on 127.0.0.1 with a scratch HOME, config, user-data-dir
// and extensions-dir, and builds the workbench URLs that load an extension under development and,
// optionally, VS Code's extension test runner (docs/e2e.md).
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { toolEnv, tail } from './bootstrap.mjs';
import { killGroup, spawnGroup } from './processes.mjs';

const START_TIMEOUT_MS = 30_000;

/** User settings that keep the workbench quiet and deterministic (no AI panel, welcome page, update checks). */
export const QUIET_SETTINGS = {
  'chat.disableAIFeatures': true,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'git.enabled': false,
  'files.autoSave': 'off',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

/** Asks the OS for a free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {net.AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

/** The newest files under `dir` whose path matches `pattern`, newest first. */
function findLogs(dir, pattern) {
  const found = [];
  const walk = (d) => {
    let entries;
    try { entries = fs.readdirSync(d, { withFileTypes: true }); } catch { return; }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (pattern.test(p)) found.push({ p, mtime: fs.statSync(p).mtimeMs });
    }
  };
  walk(dir);
  return found.sort((a, b) => b.mtime - a.mtime).map((f) => f.p);
}

/**
 * Starts code-server and resolves once it listens.
 * @param {object} options
 * @param {{ nodeDir: string, codeServerBin: string }} options.tools  from bootstrap()
 * @param {string} options.scratchDir  holds home/, user-data/, extensions/, config.yaml and code-server.log
 * @param {string} [options.folder]  folder opened by default (the URL may open another one)
 * @param {string[]} [options.extraArgs]  e.g. ['--disable-workspace-trust']
 * @param {Record<string,string>} [options.env]  extra environment, inherited by the extension host
 * @param {Record<string, unknown>} [options.settings]  user settings merged over QUIET_SETTINGS
 * @param {boolean} [options.smokeTestDriver]  enables `?payload=` (extension development and tests)
 * @param {number} [options.port]  default: a free port
 */
export async function startCodeServer({ tools, scratchDir, folder, extraArgs = [], env = {}, settings = {}, smokeTestDriver = true, port }) {
  port ??= await freePort();
  const home = path.join(scratchDir, 'home');
  const userDataDir = path.join(scratchDir, 'user-data');
  const extensionsDir = path.join(scratchDir, 'extensions');
  const config = path.join(scratchDir, 'config.yaml');
  const logFile = path.join(scratchDir, 'code-server.log');
  fs.mkdirSync(home, { recursive: true });
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  // An empty config file keeps code-server from writing ~/.config/code-server/config.yaml.
  fs.writeFileSync(config, '');
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...settings }, null, 2));

  const args = [
    '--config', config,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    // (`--vscode-option disable-extension=…` is not a VS Code *server* option: code-server accepts it
    // and the server ignores it, so the built-in extensions cannot be turned off this way.)
    '--vscode-option', 'disable-experiments',
    // Without it the web workbench ignores `?payload=` (extensionDevelopmentPath/extensionTestsPath).
    ...(smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    ...extraArgs,
    ...(folder ? [folder] : []),
  ];
  const out = fs.openSync(logFile, 'a');
  const child = spawnGroup(tools.codeServerBin, args, {
    stdio: ['ignore', out, out],
    env: toolEnv(tools, { HOME: home, ...env }),
  });
  fs.closeSync(out);

  const server = {
    port,
    child,
    logFile,
    userDataDir,
    origin: `http://127.0.0.1:${port}`,
    /** `vscode-remote://` URI of a path on this machine, as the workbench payload expects it. */
    remote: (p) => `vscode-remote://127.0.0.1:${port}${path.resolve(p)}`,
    /**
     * Workbench URL opening `folderPath`, loading `extensionDevelopmentPath` and, if given, running
     * the tests module at `extensionTestsPath` in the remote Node extension host.
     */
    url({ folderPath, extensionDevelopmentPath, extensionTestsPath }) {
      const payload = [];
      if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', server.remote(extensionDevelopmentPath)]);
      if (extensionTestsPath) payload.push(['extensionTestsPath', server.remote(extensionTestsPath)]);
      payload.push(['skipWelcome', 'true']);
      return `${server.origin}/?folder=${encodeURIComponent(path.resolve(folderPath))}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    },
    /** The last lines of code-server's own log and of the newest extension host logs, for failure reports. */
    diagnostics(lines = 30) {
      const parts = [`--- last ${lines} lines of ${logFile} ---\n${tail(logFile, lines)}`];
      for (const log of findLogs(path.join(userDataDir, 'logs'), /remoteexthost\.log$|ufo-iam\.ufo-iam[/\\].*\.log$/).slice(0, 2)) {
        parts.push(`--- last ${lines} lines of ${log} ---\n${tail(log, lines)}`);
        // Whether and when our extension was activated (or why not) is logged once, early.
        const ours = fs.readFileSync(log, 'utf8').split('\n').filter((l) => /ufo-iam\.ufo-iam/.test(l)).slice(0, 10);
        if (/remoteexthost/.test(log) && ours.length) parts.push(`--- lines about ufo-iam.ufo-iam in ${path.basename(log)} ---\n${ours.join('\n')}`);
      }
      return parts.join('\n');
    },
    stop: () => killGroup(child),
  };

  const started = Date.now();
  for (;;) {
    const text = fs.readFileSync(logFile, 'utf8');
    if (/HTTP server listening on/.test(text)) break;
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`code-server exited (${child.exitCode ?? child.signalCode}) before listening.\n${server.diagnostics(40)}`);
    }
    if (Date.now() - started > START_TIMEOUT_MS) {
      await server.stop();
      throw new Error(`code-server did not listen within ${START_TIMEOUT_MS / 1000} s.\n${server.diagnostics(40)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return server;
}

/** Runs a code-server CLI command (e.g. --install-extension) against a profile and returns its output. */
export async function codeServerCli({ tools, scratchDir, args, timeoutMs = 120_000 }) {
  const home = path.join(scratchDir, 'home');
  const config = path.join(scratchDir, 'config.yaml');
  fs.mkdirSync(home, { recursive: true });
  if (!fs.existsSync(config)) fs.writeFileSync(config, '');
  const child = spawnGroup(tools.codeServerBin, [
    '--config', config,
    '--user-data-dir', path.join(scratchDir, 'user-data'),
    '--extensions-dir', path.join(scratchDir, 'extensions'),
    ...args,
  ], { stdio: ['ignore', 'pipe', 'pipe'], env: toolEnv(tools, { HOME: home }) });
  let output = '';
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  const timer = setTimeout(() => killGroup(child), timeoutMs);
  const code = await new Promise((resolve) => child.on('close', (c, s) => resolve(c ?? s)));
  clearTimeout(timer);
  await killGroup(child);
  return { code, output };
}
