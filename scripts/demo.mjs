#!/usr/bin/env node
// `npm run demo`: the extension as a user gets it. Packages ufo-iam.vsix (`npm run package`), installs
// it into a fresh code-server profile (--install-extension), and serves examples/demo on 127.0.0.1
// until Ctrl+C, which stops code-server and everything it started (one process group) and deletes
// the profile. Edits you save change examples/demo itself: it is the demo, not a copy.
// Tooling (Node 24 + code-server 4.139.1) is installed on first use, see scripts/e2e/bootstrap.mjs.
//
// usage: node scripts/demo.mjs [--port N] [--no-package | --vsix FILE] [--folder DIR]
//   --port N       listen on 127.0.0.1:N (default: 8080 when free, else any free port)
//   --no-package   reuse an existing ufo-iam.vsix instead of building one
//   --vsix FILE    install this .vsix instead of building one
//   --folder DIR   open another project (default examples/demo; e.g. examples/demo-v6)
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bootstrap, BootstrapError, tail } from './e2e/bootstrap.mjs';
import { codeServerCli, freePort, startCodeServer } from './e2e/codeServer.mjs';
import { isShuttingDown, leftoverProcesses, onShutdown, spawnGroup } from './e2e/processes.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const option = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const vsix = path.resolve(option('--vsix') ?? path.join(repoRoot, 'ufo-iam.vsix'));
const buildVsix = !argv.includes('--no-package') && !option('--vsix');
const folder = path.resolve(option('--folder') ?? path.join(repoRoot, 'examples', 'demo'));
const started = Date.now();
const log = (m) => console.log(`[demo ${((Date.now() - started) / 1000).toFixed(1)}s] ${m}`);

function portIsFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function run(command, args) {
  return new Promise((resolve) => {
    const child = spawnGroup(command, args, { cwd: repoRoot, stdio: 'inherit' });
    child.on('exit', (code, signal) => resolve(code ?? signal));
  });
}

async function main() {
  if (!fs.existsSync(path.join(folder, '.ufo'))) throw new BootstrapError(`${folder} is not a UFO project (no .ufo folder).`);
  if (!buildVsix) {
    if (!fs.existsSync(vsix)) throw new BootstrapError(`${vsix} does not exist; run without --no-package/--vsix to build it.`);
  } else {
    log('packaging the extension: npm run package');
    const code = await run('npm', ['run', 'package']);
    if (code !== 0 || !fs.existsSync(vsix)) throw new BootstrapError(`npm run package failed (${code}); vsce's message is above.`);
  }
  const tools = await bootstrap({ log: (m) => log(`bootstrap: ${m}`) });

  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ufo-iam-demo-'));
  let serverGroup;
  onShutdown(() => {
    // Runs last (hooks run in reverse), before the process groups are killed: announce it.
    log('stopping code-server…');
  });
  process.on('exit', () => {
    // Runs after shutdown() killed code-server's process group: prove that nothing escaped it.
    const left = leftoverProcesses({ pgid: serverGroup, marker: scratch });
    fs.rmSync(scratch, { recursive: true, force: true });
    if (left.length) console.error(`[demo] WARNING: processes still running:\n  ${left.join('\n  ')}`);
    else console.log('[demo] stopped; no code-server, extension host or language server process is left.');
  });

  log(`installing ${path.basename(vsix)} into a fresh profile`);
  const install = await codeServerCli({ tools, scratchDir: scratch, args: ['--install-extension', vsix] });
  if (install.code !== 0 || !/successfully installed/i.test(install.output)) {
    throw new BootstrapError(`code-server --install-extension failed (${install.code}):\n${install.output}`);
  }
  const list = await codeServerCli({ tools, scratchDir: scratch, args: ['--list-extensions', '--show-versions'] });
  const installed = list.output.split('\n').find((l) => l.startsWith('ufo-iam.ufo-iam@'));
  if (!installed) throw new BootstrapError(`the extension is not listed after installing:\n${list.output}`);
  log(`installed ${installed.trim()}`);

  const requested = option('--port');
  const port = requested ? Number(requested) : (await portIsFree(8080)) ? 8080 : await freePort();
  const server = await startCodeServer({
    tools,
    scratchDir: scratch,
    folder,
    port,
    smokeTestDriver: false,
    // A demo of the extension, not of the trust prompt (the extension needs a trusted workspace).
    extraArgs: ['--disable-workspace-trust'],
  });
  serverGroup = server.child.pid;
  const url = `${server.origin}/?folder=${encodeURIComponent(folder)}`;
  console.log('');
  console.log('  ┌──────────────────────────────────────────────────────────────');
  console.log(`  │ UFO IAM demo: open ${url}`);
  console.log(`  │ project: ${path.relative(process.cwd(), folder) || folder} (saved edits change it)`);
  console.log('  │ try: .ufo/iam_roles/*.rb, F1 → "UFO: Preview Compiled IAM Roles"');
  console.log('  │ stop: Ctrl+C');
  console.log('  └──────────────────────────────────────────────────────────────');
  console.log(`  code-server log: ${server.logFile}`);
  const code = await new Promise((resolve) => server.child.on('exit', (c, s) => resolve(c ?? s)));
  if (isShuttingDown()) return; // Ctrl+C: the signal handler finishes and exits.
  console.error(`[demo] code-server stopped by itself (${code}):\n${tail(server.logFile, 20)}`);
  process.exitCode = 1;
}

try {
  await main();
} catch (e) {
  console.error(`[demo] ERROR: ${e instanceof BootstrapError ? e.message : e?.stack ?? e}`);
  process.exitCode = 2;
}
