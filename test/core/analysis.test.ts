// The analysis façade never throws on user text, whatever it is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze, ROOT } from '../support/core';
import { MAX_ANALYZED_BYTES } from '../../server/src/core/analysis';

test('nesting deeper than the parser stack gives PARSE_FAILURE, and the parser keeps working', () => {
  const text = fs.readFileSync(path.join(ROOT, 'test/fixtures/fuzz/deep_nesting_stack_overflow.rb'), 'utf8');
  const a = analyze(text);
  const codes = a.findings.map((f) => f.code);
  assert.ok(codes.includes('PARSE_FAILURE') || codes.includes('SYNTAX_ERROR'), codes.join(','));
  const ok = analyze('managed_iam_policy("AmazonSSMReadOnlyAccess")\n');
  assert.deepEqual(ok.findings, []);
  assert.equal(ok.model.calls.length, 1);
});

test('a file over the size limit is not parsed and says why', () => {
  const text = 'managed_iam_policy("A")\n' + '# x\n'.repeat(MAX_ANALYZED_BYTES / 4 + 10);
  const a = analyze(text);
  assert.deepEqual(a.findings.map((f) => f.code), ['FILE_TOO_LARGE']);
  assert.deepEqual(a.findings[0].span, { start: 0, end: 'managed_iam_policy("A")'.length });
  assert.equal(a.model.calls.length, 0);
});

test('binary bytes and lone surrogates do not throw; Ruby stops reading at NUL', () => {
  const binary = Array.from({ length: 255 }, (_, i) => String.fromCharCode(i + 1)).join('');
  assert.ok(analyze(binary).findings.some((f) => f.code === 'SYNTAX_ERROR'));
  assert.deepEqual(analyze('iam_policy("P")\n\u0000' + binary).findings.map((f) => f.code), ['DSL_ARITY']);
  const lone = analyze('\ud800iam_policy("\udc00")');
  assert.ok(lone.findings.length > 0);
});
