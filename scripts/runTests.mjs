// Runs every test file under test/ (except the real-VS-Code suite, which runs inside VS Code)
// with node's test runner and tsx. Usage: node scripts/runTests.mjs [filter-substring...]
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const filters = process.argv.slice(2);
const files = [];
(function walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (['fixtures', 'vscode', 'expectations', 'node_modules'].includes(entry.name)) continue;
      walk(p);
    } else if (entry.name.endsWith('.test.ts')) {
      const rel = path.relative(root, p);
      if (filters.length === 0 || filters.some((f) => rel.includes(f))) files.push(rel);
    }
  }
})(path.join(root, 'test'));
files.sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
// No test may hang the run: a test that has not finished in TEST_TIMEOUT_MS fails with its name (the slowest, a fuzz
// seed's 200 documents, takes about 10 s on a loaded 2-core machine), and the whole run is stopped after RUN_TIMEOUT_MS.
const TEST_TIMEOUT_MS = 300_000;
const RUN_TIMEOUT_MS = 30 * 60_000;
// IAM data a user downloaded (`ufo-iam update-data`) is preferred over the bundled data: the tests' expectations are
// the bundled data's, so they get an empty data folder of their own (a test that updates the data sets its own).
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ufo-iam-test-data-'));
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', `--test-timeout=${TEST_TIMEOUT_MS}`, ...files], {
  cwd: root,
  env: { ...process.env, UFO_IAM_DATA_DIR: dataDir },
  stdio: 'inherit',
  timeout: RUN_TIMEOUT_MS,
  killSignal: 'SIGKILL',
});
fs.rmSync(dataDir, { recursive: true, force: true });
if (r.error || r.signal) console.error(`runTests: the test run was stopped (${r.error?.message ?? r.signal}) after ${RUN_TIMEOUT_MS / 60_000} min`);
process.exit(r.status ?? 1);
