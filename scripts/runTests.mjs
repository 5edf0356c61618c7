// Runs every test file under test/ (except the real-VS-Code suite, which runs inside VS Code)
// with node's test runner and tsx. Usage: node scripts/runTests.mjs [filter-substring...]
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
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
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
