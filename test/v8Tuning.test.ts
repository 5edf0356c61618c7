// The server's V8 flags: set at start-up unless the process was started with them, and known to this Node's V8
// (a flag V8 does not know is silently ignored by setFlagsFromString, so this test is what notices a removed one).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { SERVER_V8_FLAGS, tuneV8ForServer } from '../server/src/v8Tuning';

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
