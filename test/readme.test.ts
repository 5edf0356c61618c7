// The README's Quick start is what a new user types, and CI runs it as written: exactly two command lines, the test
// line verbatim in .ci/run, and the demo line started through npm by the demo check that .ci/run runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './support/lspClient';

const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const ci = fs.readFileSync(path.join(ROOT, '.ci/run'), 'utf8');

function quickStartCommands(): string[] {
  const section = /^## Quick start\n([\s\S]*?)^## /m.exec(readme)?.[1];
  assert.ok(section, 'README.md has a "## Quick start" section');
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(block, 'the Quick start holds a sh block');
  return block
    .split('\n')
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter((l) => l !== '');
}

test('the Quick start is exactly two command lines: the demo and the tests', () => {
  assert.deepEqual(quickStartCommands(), ['npm ci && npm run demo', 'npm ci && npm test']);
});

test('.ci/run runs the test line exactly as written, into an empty e2e cache, then the demo line through npm', () => {
  const [demoLine, testLine] = quickStartCommands();
  assert.ok(ci.includes(`bash -c '${testLine}'`), `.ci/run runs ${testLine}`);
  assert.match(ci, /UFO_IAM_E2E_CACHE="\$\(mktemp -d/);
  assert.match(ci, /export UFO_IAM_E2E_CACHE/);
  assert.match(ci, /node scripts\/e2e\/checkDemo\.mjs/);
  const checkDemo = fs.readFileSync(path.join(ROOT, 'scripts/e2e/checkDemo.mjs'), 'utf8');
  assert.equal(demoLine.replace(/^npm ci && /, ''), 'npm run demo');
  assert.match(checkDemo, /const args = \['run', 'demo'/, 'the demo check starts npm run demo, as the README does');
  assert.match(checkDemo, /spawnGroup\('npm', args/);
  assert.ok(ci.indexOf(testLine) < ci.indexOf('checkDemo.mjs'), 'the demo runs from the cache that the test line filled');
});

test('the Quick start says how long the first run takes', () => {
  const section = /^## Quick start\n([\s\S]*?)^## /m.exec(readme)![1];
  assert.match(section, /first run takes about \d+ minutes/);
});
