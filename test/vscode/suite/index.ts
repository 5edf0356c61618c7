// The tests module VS Code loads into the extension host (`extensionTestsPath`): it runs every
// `*.test.js` compiled beside it with mocha and rejects when any test fails, which makes the workbench
// exit with code 1. Run by scripts/e2e/run.mjs (code-server) and test/vscode/runElectron.mjs (Electron).
// Environment: UFO_IAM_E2E_GREP (mocha grep), UFO_IAM_E2E_WORKSPACE (the opened copy of examples/demo).
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import { restoreWorkspace } from './helpers';

export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    color: false,
    // The first request waits for the language server to start and load Prism; later ones are fast.
    timeout: 60_000,
    slow: 5_000,
    grep: process.env.UFO_IAM_E2E_GREP || undefined,
    // Every test edits documents of the shared workspace copy: give the next one a clean state.
    rootHooks: { afterEach: [restoreWorkspace] },
  });
  const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort();
  for (const f of files) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} test(s) failed.`)) : resolve()));
    } catch (e) {
      reject(e);
    }
  });
}
