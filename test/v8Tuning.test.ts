// The server's and the CLI's V8 flags: set at start-up unless the process was started with them, and known to this
// Node's V8 (a flag V8 does not know is silently ignored by setFlagsFromString, so this test is what notices a removed
// one).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CLI_V8_FLAGS, SERVER_V8_FLAGS, tuneV8ForCli, tuneV8ForServer } from '../server/src/v8Tuning';
import { ROOT } from './support/core';

test('flags the process was not started with are set, the others left alone', () => {
  const set: string[] = [];
  const missing = tuneV8ForServer((f) => set.push(f), ['--liftoff-only']);
  assert.deepEqual(set, SERVER_V8_FLAGS.filter((f) => f !== '--liftoff-only'));
  assert.deepEqual(missing, set);
  assert.deepEqual(tuneV8ForServer(() => assert.fail('nothing to set'), [...SERVER_V8_FLAGS]), []);
});

test('every flag is one this Node accepts on its command line', () => {
  const r = spawnSync(process.execPath, [...SERVER_V8_FLAGS, '-e', 'process.exit(0)'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
});

test('the CLI: flags the process was not started with are set; one given on the command line, or its opposite, wins', () => {
  const set: string[] = [];
  assert.deepEqual(tuneV8ForCli((f) => set.push(f), []), [...CLI_V8_FLAGS]);
  assert.deepEqual(set, [...CLI_V8_FLAGS]);
  assert.deepEqual(tuneV8ForCli(() => undefined, ['--opt']), CLI_V8_FLAGS.filter((f) => f !== '--no-opt'));
  assert.deepEqual(tuneV8ForCli(() => undefined, ['--no-liftoff-only']), CLI_V8_FLAGS.filter((f) => f !== '--liftoff-only'));
  assert.deepEqual(tuneV8ForCli(() => assert.fail('nothing to set'), [...CLI_V8_FLAGS]), []);
});

test('every CLI flag is one this Node accepts on its command line; the launcher sets them before it loads the bundle', () => {
  const r = spawnSync(process.execPath, [...CLI_V8_FLAGS, '-e', 'process.exit(0)'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  // Both ways of loading the bundle set them first: before `require` of it, and in loadWithCodeCache's beforeCompile
  // (codeCache.ts's launchBundle, which the launcher calls with them).
  const launcher = fs.readFileSync(path.join(ROOT, 'server/src/cli/launch.ts'), 'utf8');
  assert.match(launcher, /tune: \(\) => tuneV8ForCli\(setFlagsFromString, process\.execArgv\),/);
  const launch = fs.readFileSync(path.join(ROOT, 'server/src/cli/codeCache.ts'), 'utf8');
  assert.match(launch, /\{\n    options\.tune\(\);\n[\s\S]*exports: require\(options\.file\),/);
  assert.match(launch, /loadWithCodeCache\(\{[^}]*beforeCompile: options\.tune \}\)/);
});
