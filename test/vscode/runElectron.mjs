#!/usr/bin/env node
// `npm run test:electron`: runs the same real-VS-Code suite (test/vscode/suite/) in desktop VS Code
// through @vscode/test-electron, for machines that can download VS Code (or have one installed).
// The project's own e2e path is `npm run test:e2e` (code-server); this machine cannot download VS Code
// (update.code.visualstudio.com is unreachable, docs/e2e.md), so here this command fails with a
// message saying so.
//
// usage: node test/vscode/runElectron.mjs [--grep PATTERN]
// env:   VSCODE_EXECUTABLE   an installed VS Code binary (skips the download)
//        VSCODE_VERSION      the version to download (default 1.139.1, the VS Code inside code-server 4.139.1)
//        UFO_IAM_E2E_CACHE   where downloads go (default ~/.cache/ufo-iam-e2e), never inside the repo
// Linux without a display needs a virtual one: `xvfb-run -a npm run test:electron`.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { compileSuite, repoRoot } from '../../scripts/e2e/compileSuite.mjs';
import { awsTestEnv, startIamEmulator } from '../../scripts/e2e/iamEmulator.mjs';
import { shutdown } from '../../scripts/e2e/processes.mjs';

const argv = process.argv.slice(2);
const grepAt = argv.indexOf('--grep');
const grep = grepAt >= 0 ? argv[grepAt + 1] : undefined;
const version = process.env.VSCODE_VERSION || '1.139.1';
const cachePath = path.join(path.resolve(process.env.UFO_IAM_E2E_CACHE || path.join(os.homedir(), '.cache', 'ufo-iam-e2e')), 'vscode-test');

async function fail(message) {
  console.error(`\n[test:electron] ${message}`);
  await shutdown();
  process.exit(2);
}

if (!fs.existsSync(path.join(repoRoot, 'dist', 'extension.js'))) await fail('dist/extension.js is missing: run `npm run build` first.');
const demo = path.join(repoRoot, 'examples', 'demo');
if (!fs.existsSync(demo)) await fail(`${demo} is missing.`);

const suiteModule = await compileSuite();
// The tests edit the opened workspace (unsaved, then reverted); still, never open the repo's copy.
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ufo-iam-electron-'));
const workspace = path.join(scratch, 'workspace');
fs.cpSync(demo, workspace, { recursive: true });
const cleanup = () => fs.rmSync(scratch, { recursive: true, force: true });
process.on('exit', cleanup);
const iamUrl = await startIamEmulator({ log: (m) => console.warn(`[test:electron] ${m}`) });

let code;
try {
  code = await runTests({
    ...(process.env.VSCODE_EXECUTABLE ? { vscodeExecutablePath: process.env.VSCODE_EXECUTABLE } : { version, cachePath }),
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: suiteModule,
    extensionTestsEnv: {
      UFO_IAM_E2E: '1',
      UFO_IAM_E2E_WORKSPACE: workspace,
      UFO_IAM_E2E_REPO: repoRoot,
      UFO_IAM_E2E_GREP: grep ?? '',
      ...awsTestEnv(iamUrl),
    },
    launchArgs: [
      workspace,
      '--disable-workspace-trust',
      '--skip-welcome',
      '--skip-release-notes',
      '--user-data-dir', path.join(scratch, 'user-data'),
      '--extensions-dir', path.join(scratch, 'extensions'),
    ],
  });
} catch (e) {
  const text = String(e?.message ?? e);
  if (/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|getaddrinfo|download/i.test(text) && !process.env.VSCODE_EXECUTABLE) {
    await fail(
      `could not download VS Code ${version} (${text.split('\n')[0]}).\n` +
        '  This machine cannot reach update.code.visualstudio.com. Either set VSCODE_EXECUTABLE to an installed\n' +
        '  VS Code binary, or run the same suite in code-server with `npm run test:e2e`.',
    );
  }
  await fail(`VS Code could not run the suite: ${e?.stack ?? text}`);
}
await shutdown();
console.log(`[test:electron] VS Code exited with ${code}`);
process.exit(code === 0 ? 0 : 1);
