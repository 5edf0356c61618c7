// The process's Prism (project/prismInstance.ts): compiled on V8's background threads when the server starts it early,
// and the same parser whether it is instantiated from that module or from the bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { instantiatePrism } from '../../server/src/core';
import { compilePrismInBackground, getPrism, PRISM_WARM_UP_SOURCE, prismWasmPath, warmUpPrism } from '../../server/src/project/prismInstance';

const SOURCE = 'iam_policy("S3", Action: ["s3:GetObject"], Effect: "Allow", Resource: "*")\n';
const shape = (r: ReturnType<ReturnType<typeof instantiatePrism>>) => JSON.stringify({ errors: r.errors.length, type: r.value.constructor.name, body: (r.value as { statements: { body: unknown[] } }).statements.body.length });

test('instantiatePrism takes the bytes or the module compiled from them, and parses alike', () => {
  const bytes = fs.readFileSync(prismWasmPath());
  const fromBytes = instantiatePrism(bytes)(SOURCE);
  const fromModule = instantiatePrism(new WebAssembly.Module(bytes))(SOURCE);
  assert.equal(shape(fromModule), shape(fromBytes));
  assert.equal(fromBytes.errors.length, 0);
});

test('getPrism uses the module compiled in the background, and compiling again is a no-op once there is an instance', async () => {
  const compiling = compilePrismInBackground();
  assert.ok(compiling instanceof Promise);
  assert.equal(compilePrismInBackground(), compiling, 'one compilation per process');
  await compiling;
  const parse = getPrism();
  assert.equal(parse(SOURCE).errors.length, 0);
  assert.equal(getPrism(), parse);
  await compilePrismInBackground();
  assert.equal(getPrism(), parse);
});

test('the warm-up source is a role file Prism parses without an error, with the constructs role files use', () => {
  const r = getPrism()(PRISM_WARM_UP_SOURCE);
  assert.equal(r.errors.length, 0, JSON.stringify(r.errors.map((e) => e.message)));
  for (const construct of ['managed_iam_policy(', 'iam_policy(', '%w[', '=>', ': "', ':x', '#{', 'nil', 'true', '1.5', '# ']) assert.ok(PRISM_WARM_UP_SOURCE.includes(construct), construct);
  warmUpPrism();
});
