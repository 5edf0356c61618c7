#!/usr/bin/env node
// Checks `npm run demo` end to end, as a user would use it: starts `npm run demo` (npm around the script, as the
// README's Quick start line runs it, with this process's environment less any outer npm's variables), opens the URL it
// prints in Chromium, uses the installed .vsix (open a role file, preview the compiled roles), then presses Ctrl+C
// (SIGINT to the whole foreground group, npm and the demo, as a terminal does) and verifies that the demo exits and
// that no process it started is left. Tooling comes from UFO_IAM_E2E_CACHE like every bootstrap. Screenshots:
// test-results/demo/.
//
// usage: node scripts/e2e/checkDemo.mjs [--no-package | --vsix FILE]   (passed on to scripts/demo.mjs)
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { pathToFileURL } from 'node:url';
import { launchChromium } from './browser.mjs';
import { freePort } from './codeServer.mjs';
import { repoRoot } from './compileSuite.mjs';
import { leftoverProcesses, shutdown, spawnGroup } from './processes.mjs';

const START_TIMEOUT_MS = 8 * 60_000; // packaging, and a first-time tool install
const STOP_TIMEOUT_MS = 20_000;
const started = Date.now();
const lap = (m) => console.log(`[check-demo ${((Date.now() - started) / 1000).toFixed(1)}s] ${m}`);

function portOpen(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

async function main() {
  const port = await freePort();
  const args = ['run', 'demo', '--', '--port', String(port), ...process.argv.slice(2)];
  // Its own group, like a terminal job: Ctrl+C reaches npm and the demo (code-server runs in a group of its own
  // that the demo must stop itself).
  const demo = spawnGroup('npm', args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let url;
  let scratch;
  const lines = readline.createInterface({ input: demo.stdout });
  lines.on('line', (l) => {
    output += `${l}\n`;
    console.log(`  | ${l}`);
    url ??= /open (http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(l)?.[1];
    scratch ??= /code-server log: (\S+)\/code-server\.log/.exec(l)?.[1];
  });
  demo.stderr.on('data', (d) => { output += d; process.stderr.write(d); });
  const exited = new Promise((resolve) => demo.on('exit', (code, signal) => resolve(code ?? signal)));

  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!(url && scratch)) {
    if (demo.exitCode !== null) throw new Error(`the demo exited (${demo.exitCode}) before printing its URL`);
    if (Date.now() > deadline) throw new Error('the demo printed no URL in time');
    await new Promise((r) => setTimeout(r, 200));
  }
  lap(`demo serving ${url}`);
  const page0 = await fetch(url).then(async (r) => ({ status: r.status, html: await r.text() }), (e) => ({ status: 0, html: String(e) }));
  const served = page0.status === 200 && /<html/i.test(page0.html);

  const { UiSession } = await import(pathToFileURL(path.join(repoRoot, 'test', 'vscode', 'ui', 'workbench.mjs')).href);
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const ui = new UiSession({ page, name: 'demo', url, workspace: path.join(repoRoot, 'examples', 'demo'),
    screenshotsDir: path.join(repoRoot, 'test-results', 'demo'), log: (m) => lap(m) });
  await ui.step('the workbench opens examples/demo', () => ui.openWorkbench({ developmentHost: false }));
  await ui.step('the installed extension previews the compiled roles', async () => {
    await ui.openFile('.ufo/iam_roles/task_role.rb');
    await ui.runCommand('UFO: Preview Compiled IAM Roles');
    await ui.waitFor('the preview JSON', async () => (await ui.allText()).includes('AWS::IAM::Role'), 30_000);
  });
  await page.close();
  await browser.close();

  lap('sending SIGINT (Ctrl+C) to npm run demo');
  process.kill(-demo.pid, 'SIGINT');
  const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), STOP_TIMEOUT_MS))]);
  const checks = [
    ['the printed URL serves the workbench page', served, `HTTP ${page0.status}`],
    ...ui.results.map((r) => [r.name, r.ok, r.detail ?? '']),
    ['the demo exits after Ctrl+C', code !== 'timeout', `exit ${code}`],
    ['it reports that nothing is left', /no code-server, extension host or language server process is left/.test(output), ''],
    ['no process of the demo survives', leftoverProcesses({ pgid: demo.pid, marker: scratch }).length === 0,
      leftoverProcesses({ pgid: demo.pid, marker: scratch }).join('; ')],
    ['the port is closed', !(await portOpen(port)), `127.0.0.1:${port}`],
    ['the scratch profile is deleted', !fs.existsSync(scratch), scratch],
  ];
  console.log('\n──────────── demo check ────────────');
  for (const [name, ok, detail] of checks) console.log(`${ok ? '✔' : '✘'} ${name}${!ok && detail ? ` — ${detail}` : ''}`);
  const failed = checks.filter(([, ok]) => !ok).length;
  console.log(`${failed ? `FAILED: ${failed}` : 'PASSED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return failed === 0;
}

let ok = false;
try {
  ok = await main();
} catch (e) {
  console.error(`[check-demo] ERROR: ${e?.stack ?? e}`);
} finally {
  await shutdown();
}
process.exit(ok ? 0 : 1);
