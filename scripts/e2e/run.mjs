#!/usr/bin/env node
// `npm run test:e2e`: the extension in real VS Code (code-server 4.139.1 = VS Code 1.139.1, driven by
// Debian's Chromium through playwright-core; docs/e2e.md).
//   Part 1 — the mocha suite in test/vscode/suite/ runs inside code-server's remote Node extension host
//            (URL payload: extensionDevelopmentPath = repo root, extensionTestsPath = compiled suite).
//   Part 2 — each UI flow in test/vscode/ui/*.ui.mjs drives the workbench like a user; screenshots go
//            to test-results/ui/.
//   Part 3 — Restricted Mode: the packaged .vsix installed, workspace trust on (test/vscode/restricted/).
// Every part opens its own fresh copy of examples/demo with a scratch code-server profile, so the repo
// is never modified. Assumes `npm run build` ran (dist/). Tooling is installed on first use (bootstrap.mjs).
//
// usage: node scripts/e2e/run.mjs [--suite-only | --ui-only] [--grep PATTERN] [--keep] [--workspace DIR]
//   --grep PATTERN   only suite tests whose full title matches (mocha grep); UI flows whose file name matches
//   --keep           keep the scratch folder (workspaces, profiles, logs) and print its path
//   --workspace DIR  the project to copy and open instead of examples/demo (the tests expect its content)
// env: UFO_IAM_E2E_CACHE (tool cache), CHROMIUM_PATH, UFO_IAM_E2E_TIMEOUT_MS (suite, default 150000)
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as util from 'node:util';
import { pathToFileURL } from 'node:url';
import { bootstrap, BootstrapError, findChromium } from './bootstrap.mjs';
import { launchChromium } from './browser.mjs';
import { spawnSync } from 'node:child_process';
import { codeServerCli, startCodeServer } from './codeServer.mjs';
import { compileSuite, repoRoot } from './compileSuite.mjs';
import { childEnv, haltIfShuttingDown, onShutdown, shutdown } from './processes.mjs';
import { awsTestEnv, startIamEmulator } from './iamEmulator.mjs';

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const option = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const suiteOnly = flag('--suite-only');
const uiOnly = flag('--ui-only');
const grep = option('--grep');
const keep = flag('--keep');
const SUITE_TIMEOUT_MS = Number(process.env.UFO_IAM_E2E_TIMEOUT_MS || 150_000);

const demoDir = path.resolve(option('--workspace') ?? path.join(repoRoot, 'examples', 'demo'));
const uiDir = path.join(repoRoot, 'test', 'vscode', 'ui');
const resultsDir = path.join(repoRoot, 'test-results');
const started = Date.now();
const seconds = (since = started) => ((Date.now() - since) / 1000).toFixed(1);
const lap = (message) => console.log(`[e2e ${seconds()}s] ${message}`);

/**
 * Workbench console lines that say nothing about our extension (network is off, no GitHub auth, …;
 * VS Code 1.139 also races on the profile's own User/settings.json document now and then).
 */
const NOISE = /User\/settings\.json|AgentHost|ChatModelSelection|AccountPolicyGate|open-vsx|authentication provider|Creating a socket|connection token|grace time|Service Worker|builtin extensions cache|vsda|Failed to load resource|ERR_NAME_NOT_RESOLVED|ENOTFOUND|marketplace|\[Extension Host\] (?:debugger|Debugger)/;

/** @type {{ name: string, ok: boolean, seconds: string, detail?: string }[]} */
const results = [];

class RunnerError extends Error {}

/**
 * User settings of the test profiles: only the extension's completions count (no words of the file),
 * and no animation that keeps the renderer busy on a 2-core machine (cursor blink, minimap, motion).
 */
const TEST_SETTINGS = {
  'editor.wordBasedSuggestions': 'off',
  'editor.cursorBlinking': 'solid',
  'editor.minimap.enabled': false,
  'editor.smoothScrolling': false,
  'workbench.reduceMotion': 'on',
};

function copyWorkspace(scratch, name) {
  const ws = path.join(scratch, name);
  fs.cpSync(demoDir, ws, { recursive: true });
  return ws;
}

// Workspace trust: parts 1 and 2 use --disable-workspace-trust. VS Code exempts extensions under development
// (extensionDevelopmentPath) from the trust requirement, so Restricted Mode is tested in part 3 with the installed
// .vsix, where `capabilities.untrustedWorkspaces` of package.json applies.

/** Environment of code-server, inherited by the extension host and so by the tests. */
function testEnv(workspace, iamUrl) {
  return {
    UFO_IAM_E2E: '1',
    UFO_IAM_E2E_WORKSPACE: workspace,
    UFO_IAM_E2E_REPO: repoRoot,
    UFO_IAM_E2E_GREP: grep ?? '',
    // Whatever reaches for AWS must hit the local emulator with dummy credentials, never a real account.
    ...awsTestEnv(iamUrl),
  };
}

/** Copies the profile's logs (code-server, extension hosts, language server) into test-results/logs/<part>. */
function saveLogs(server, part) {
  const target = path.join(resultsDir, 'logs', part);
  fs.rmSync(target, { recursive: true, force: true });
  fs.mkdirSync(target, { recursive: true });
  try { fs.copyFileSync(server.logFile, path.join(target, 'code-server.log')); } catch { /* not written */ }
  try { fs.cpSync(path.join(server.userDataDir, 'logs'), path.join(target, 'vscode'), { recursive: true }); } catch { /* none */ }
  return target;
}

async function runSuite({ tools, browser, scratch, iamUrl, suiteModule }) {
  const partStarted = Date.now();
  const ws = copyWorkspace(scratch, 'suite-workspace');
  const server = await startCodeServer({
    tools, scratchDir: path.join(scratch, 'suite-profile'), extraArgs: ['--disable-workspace-trust'], env: testEnv(ws, iamUrl), settings: TEST_SETTINGS,
  });
  lap(`suite: code-server on ${server.origin}`);
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const counts = {};
  // What mocha prints after "N failing": each failure's title, message and stack, kept for the summary, whose tail
  // is often all a CI log shows.
  const failureLines = [];
  let exitCode;
  try {
    let resolveExit;
    const exited = new Promise((resolve) => { resolveExit = resolve; });
    // The workbench calls window.codeAutomationExit(code) when the test extension host ends.
    await page.exposeFunction('codeAutomationExit', (code) => resolveExit(code));
    server.child.on('exit', (code, signal) => resolveExit(`code-server exited (${code ?? signal})`));
    page.on('crash', () => resolveExit('the workbench page crashed'));
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      // Mocha colours its output when it thinks the terminal can (CI=true): keep the log plain.
      const line = util.format(...(Array.isArray(args) ? args : [args])).replace(/\x1b\[[0-9;]*m/g, '');
      if (process.env.E2E_DEBUG) console.log(`[${seconds()}] RAW ${type}: ${line.slice(0, 200)}`);
      if (NOISE.test(line)) return;
      const m = /^\s*(\d+) (passing|failing|pending)\b/.exec(line);
      if (m) counts[m[2]] = Number(m[1]);
      else if (counts.failing !== undefined && failureLines.length < 400) failureLines.push(...line.split('\n'));
      (type === 'error' ? console.error : console.log)(line);
    });
    page.on('pageerror', (e) => { if (!NOISE.test(e.message)) console.log(`[workbench page error] ${e.message}`); });
    await page.goto(server.url({ folderPath: ws, extensionDevelopmentPath: repoRoot, extensionTestsPath: suiteModule }), { timeout: 60_000 });
    lap('suite: workbench loaded, running the tests in the extension host…');
    exitCode = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), SUITE_TIMEOUT_MS))]);
    await haltIfShuttingDown();
    lap(`suite: extension host exited with ${exitCode}`);
    if (exitCode !== 0) {
      fs.mkdirSync(resultsDir, { recursive: true });
      await page.screenshot({ path: path.join(resultsDir, 'suite-failure.png') }).catch(() => {});
      if (exitCode === 'timeout') {
        console.error(`[e2e] the suite did not finish within ${SUITE_TIMEOUT_MS / 1000} s (UFO_IAM_E2E_TIMEOUT_MS)`);
      }
    }
  } finally {
    await page.close().catch(() => {});
    await server.stop();
    saveLogs(server, 'suite');
  }
  // After stop(): the extension host flushes its logs when it exits.
  if (exitCode !== 0) console.error(server.diagnostics(30));
  const detail = Object.keys(counts).length
    ? ['passing', 'failing', 'pending'].filter((k) => counts[k] !== undefined).map((k) => `${counts[k]} ${k}`).join(', ')
    : exitCode === 'timeout' ? `timed out after ${SUITE_TIMEOUT_MS / 1000} s`
      : typeof exitCode === 'string' ? exitCode : `extension host exited with ${exitCode}`;
  const failures = condenseFailures(failureLines);
  results.push({ name: 'suite (mocha in the extension host)', ok: exitCode === 0, seconds: seconds(partStarted), detail: failures ? `${detail}\n${failures}` : detail });
}

/** Mocha's failure report, shortened: every failure's title and message, and the first frames of its stack. */
function condenseFailures(lines, { frames = 3, max = 40 } = {}) {
  const kept = [];
  let framesLeft = frames;
  for (const line of lines) {
    if (!line.trim()) continue;
    if (/^\s*\d+\) /.test(line)) framesLeft = frames;
    if (/^\s+at /.test(line) && framesLeft-- <= 0) continue;
    kept.push(line.trimEnd());
  }
  return kept.slice(0, max).join('\n');
}

/**
 * Runs one flow file against a started code-server in a new page: its steps become results named `${label}: …`;
 * the page, the server and its logs are closed and saved whatever happens.
 */
async function runFlow({ browser, server, name, logs = name, label, workspace, url, flowFile }) {
  const { UiSession } = await import(pathToFileURL(path.join(uiDir, 'workbench.mjs')).href);
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const session = new UiSession({ page, name, workspace, screenshotsDir: path.join(resultsDir, 'ui'), url, log: (m) => lap(`${label}: ${m}`) });
  try {
    const flow = await import(pathToFileURL(flowFile).href);
    await flow.default(session);
  } catch (e) {
    await haltIfShuttingDown();
    if (!session.aborted) session.results.push({ name: 'flow crashed', ok: false, seconds: '0', detail: e?.stack ?? String(e) });
  } finally {
    await page.close().catch(() => {});
    await server.stop();
    saveLogs(server, logs);
  }
  if (session.results.some((r) => !r.ok)) console.error(server.diagnostics(25));
  for (const r of session.results) results.push({ ...r, name: `${label}: ${r.name}` });
}

async function runUiFlows({ tools, browser, scratch, iamUrl }) {
  const files = fs.readdirSync(uiDir).filter((f) => f.endsWith('.ui.mjs')).filter((f) => !grep || f.includes(grep)).sort();
  if (files.length === 0 && grep && 'restricted'.includes(grep)) return;
  if (files.length === 0) throw new RunnerError(`no UI flows (*.ui.mjs) in ${uiDir}${grep ? ` matching ${grep}` : ''}`);
  for (const file of files) {
    const name = file.replace(/\.ui\.mjs$/, '');
    const flowStarted = Date.now();
    const ws = copyWorkspace(scratch, `ui-${name}-workspace`);
    const server = await startCodeServer({
      tools, scratchDir: path.join(scratch, `ui-${name}-profile`), extraArgs: ['--disable-workspace-trust'], env: testEnv(ws, iamUrl), settings: TEST_SETTINGS,
    });
    lap(`ui ${name}: code-server on ${server.origin}`);
    await runFlow({ browser, server, name, logs: `ui-${name}`, label: `ui ${name}`, workspace: ws, url: server.url({ folderPath: ws, extensionDevelopmentPath: repoRoot }), flowFile: path.join(uiDir, file) });
    lap(`ui ${name}: done in ${seconds(flowStarted)} s`);
  }
}

/**
 * Part 3, Restricted Mode: the packaged .vsix installed into a fresh profile (an extension under development is exempt
 * from workspace trust, so this is the only way to see what a user of an untrusted clone sees), workspace trust on,
 * and test/vscode/restricted/restricted.flow.mjs driving the workbench.
 */
async function runRestricted({ tools, browser, scratch, iamUrl }) {
  const partStarted = Date.now();
  const vsix = path.join(scratch, 'ufo-iam.vsix');
  // Packaged as `npm run package` does (vsce with no escape flags: the manifest's `vsce` field and `repository` say the
  // rest), so what is installed here is what the Marketplace and Open VSX would get.
  const packaged = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--out', vsix],
    { cwd: repoRoot, encoding: 'utf8', env: childEnv(), timeout: 120_000 });
  if (packaged.status !== 0 || !fs.existsSync(vsix)) throw new RunnerError(`vsce package failed (${packaged.status}):\n${packaged.stdout}${packaged.stderr}`);
  const profile = path.join(scratch, 'restricted-profile');
  const install = await codeServerCli({ tools, scratchDir: profile, args: ['--install-extension', vsix] });
  if (install.code !== 0 || !/successfully installed/i.test(install.output)) throw new RunnerError(`code-server --install-extension failed (${install.code}):\n${install.output}`);
  // The profile lists the extension by its Marketplace id and version, as a user's `code --list-extensions` would.
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  const id = `${manifest.publisher}.${manifest.name}@${manifest.version}`;
  const listed = await codeServerCli({ tools, scratchDir: profile, args: ['--list-extensions', '--show-versions'] });
  if (listed.code !== 0 || !listed.output.split(/\r?\n/).includes(id)) throw new RunnerError(`the installed extensions do not list ${id}:\n${listed.output}`);
  lap(`restricted: installed ${path.basename(vsix)} (${id}, ${(fs.statSync(vsix).size / 2 ** 20).toFixed(2)} MB) into a fresh profile`);
  const ws = copyWorkspace(scratch, 'restricted-workspace');
  const server = await startCodeServer({
    tools, scratchDir: profile, smokeTestDriver: false, env: testEnv(ws, iamUrl),
    // Trust on, and no start-up question: the folder opens untrusted, in Restricted Mode.
    settings: { ...TEST_SETTINGS, 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' },
  });
  lap(`restricted: code-server on ${server.origin}`);
  await runFlow({
    browser, server, name: 'restricted', label: 'restricted (packaged .vsix, workspace trust on)', workspace: ws, url: server.url({ folderPath: ws }),
    flowFile: path.join(repoRoot, 'test', 'vscode', 'restricted', 'restricted.flow.mjs'),
  });
  lap(`restricted: done in ${seconds(partStarted)} s`);
}

function printSummary() {
  const failed = results.filter((r) => !r.ok);
  console.log('\n──────────── e2e summary ────────────');
  for (const r of results) {
    console.log(`${r.ok ? '✔' : '✘'} ${r.name}  (${r.seconds} s)${r.detail ? `\n    ${r.detail.split('\n').slice(0, r.ok ? 6 : 42).join('\n    ')}` : ''}`);
  }
  console.log(`screenshots and logs: ${path.relative(process.cwd(), resultsDir) || '.'}/`);
  console.log(`${failed.length ? `FAILED: ${failed.length} of ${results.length}` : `PASSED: ${results.length} of ${results.length}`} in ${seconds()} s`);
  return failed.length === 0;
}

async function main() {
  if (suiteOnly && uiOnly) throw new RunnerError('--suite-only and --ui-only exclude each other');
  for (const f of ['extension.js', 'server.js']) {
    if (!fs.existsSync(path.join(repoRoot, 'dist', f))) {
      throw new RunnerError(`dist/${f} is missing: run \`npm run build\` first (the e2e run tests the built extension).`);
    }
  }
  if (!fs.existsSync(demoDir)) throw new RunnerError(`${demoDir} is missing: the tests open a copy of it (default examples/demo).`);
  const suiteModule = uiOnly ? undefined : await compileSuite();
  if (suiteModule) lap(`suite compiled to ${path.relative(repoRoot, suiteModule)}`);
  findChromium();
  const tools = await bootstrap({ log: (m) => lap(`bootstrap: ${m}`) });
  lap(`tools ready${tools.installedNow ? ' (installed now)' : ''}: code-server in ${tools.cacheDir}`);

  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ufo-iam-e2e-'));
  onShutdown(() => {
    if (keep) console.log(`[e2e] kept scratch folder ${scratch}`);
    else fs.rmSync(scratch, { recursive: true, force: true });
  }, { afterProcesses: true });
  fs.mkdirSync(resultsDir, { recursive: true });
  const iamUrl = await startIamEmulator({ log: (m) => lap(m) });
  if (iamUrl) lap(`IAM emulator on ${iamUrl}`);
  const browser = await launchChromium();

  if (!uiOnly) await runSuite({ tools, browser, scratch, iamUrl, suiteModule });
  if (!suiteOnly) await runUiFlows({ tools, browser, scratch, iamUrl });
  if (!suiteOnly && (!grep || 'restricted'.includes(grep))) await runRestricted({ tools, browser, scratch, iamUrl });
}

let exitCode = 0;
try {
  await main();
  exitCode = printSummary() ? 0 : 1;
} catch (e) {
  await haltIfShuttingDown();
  const known = e instanceof RunnerError || e instanceof BootstrapError;
  console.error(`\n[e2e] ERROR: ${known ? e.message : e?.stack ?? e}`);
  if (results.length) printSummary();
  exitCode = 2;
} finally {
  await shutdown();
}
process.exit(exitCode);
