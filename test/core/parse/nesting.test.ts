// The guard in front of Prism: texts nested deeper than the parser survives never reach it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { maxNesting, MAX_NESTING } from '../../../server/src/core/parse/nesting';
import { analyze, parse, ROOT } from '../../support/core';

test('maxNesting counts brackets outside strings and comments', () => {
  assert.equal(maxNesting('iam_policy("P", [{ A: ["x"] }])'), 4);
  assert.equal(maxNesting('x = "[[[[[[" # ((((((( \n [1]'), 1);
  assert.equal(maxNesting("'\\'[[[' ]]]]"), 0);
  assert.equal(maxNesting('[[[ ]]] [[ ]]'), 3);
});

test('the fuzz regressions that hung Prism (129 unclosed brackets) are refused quickly, and Prism keeps working', () => {
  const dir = path.join(ROOT, 'test/fixtures/fuzz');
  // Every stored fuzz input is analysed quickly; those that hung Prism are refused before it.
  for (const f of fs.readdirSync(dir)) {
    const t0 = Date.now();
    const a = analyze(fs.readFileSync(path.join(dir, f), 'utf8'));
    assert.ok(Date.now() - t0 < 1000, `${f} took ${Date.now() - t0} ms`);
    if (f === 'deep_nesting_stack_overflow.rb' || f === 'unclosed_brackets_hang.rb') assert.ok(a.findings.some((x) => x.code === 'PARSE_FAILURE'), f);
  }
  assert.throws(() => parse()('['.repeat(129)), /nested 129 levels deep/);
  assert.deepEqual(parse()('[' .repeat(MAX_NESTING) + ']'.repeat(MAX_NESTING)).errors, []);
  assert.equal(analyze('managed_iam_policy("AmazonSSMReadOnlyAccess")\n').model.calls.length, 1);
});
