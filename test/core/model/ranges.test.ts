// Exact source ranges of model values and findings on non-ASCII lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, byteSpanOf } from '../../support/core';

test('string spans are byte spans that map to exact UTF-16 positions after umlauts and emoji', () => {
  const text = '# Zugriff für 😀 Gäste\niam_policy("Lesezugriff-ü😀", Action: ["s3:GetObject"], Effect: "Allow", Resource: "*")\n';
  const a = analyze(text);
  const call = a.model.calls[0];
  assert.equal(call.method, 'iam_policy');
  if (call.method !== 'iam_policy') return;
  const stmt = call.statements[0];
  assert.equal(stmt.kind, 'hash');
  if (stmt.kind !== 'hash') return;
  const action = stmt.entries[0].value;
  assert.equal(action.kind, 'array');
  if (action.kind !== 'array') return;
  const el = action.elements[0];
  assert.deepEqual(el.span, byteSpanOf(text, '"s3:GetObject"'));
  const start = a.lineIndex.positionOfByte(el.span.start);
  const line1 = text.split('\n')[1];
  assert.deepEqual(start, { line: 1, character: line1.indexOf('"s3:GetObject"') });
  assert.equal(el.kind === 'string' && el.contentSpan && a.lineIndex.slice(el.contentSpan.start, el.contentSpan.end), 's3:GetObject');
});

test('CJK policy names keep exact ranges for findings', () => {
  const text = '日本 = 1\niam_policy("名前")\n';
  const a = analyze(text);
  const f = a.findings.find((x) => x.code === 'DSL_ARITY')!;
  assert.ok(f);
  assert.deepEqual(a.lineIndex.positionOfByte(f.span.start), { line: 1, character: 0 });
  assert.deepEqual(a.lineIndex.positionOfByte(f.span.end), { line: 1, character: 'iam_policy("名前")'.length });
});

test('syntax errors carry Prism message and range; the calls survive', () => {
  const text = 'iam_policy("P", Action: ["s3:Get"\nmanaged_iam_policy("AmazonS3ReadOnlyAccess")\n';
  const a = analyze(text);
  assert.ok(a.findings.some((f) => f.code === 'SYNTAX_ERROR'));
  assert.equal(a.model.hasSyntaxErrors, true);
  assert.ok(a.model.calls.some((c) => c.method === 'iam_policy'));
});

test('dynamic values are reported as information with their exact span', () => {
  const text = 'bucket = ENV["BUCKET"]\niam_policy("P", Action: "s3:GetObject", Effect: "Allow", Resource: "arn:aws:s3:::#{bucket}/*")\n';
  const a = analyze(text);
  const dyn = a.findings.filter((f) => f.code === 'DYNAMIC_VALUE');
  assert.equal(dyn.length, 1);
  assert.deepEqual(dyn[0].span, byteSpanOf(text, '"arn:aws:s3:::#{bucket}/*"'));
});

test('v6 helpers are not unknown methods; typos are, with did-you-mean', () => {
  const text = 'logger.info("x")\nputs account\nmanaged_iam_polcy("A")\nfoo\n';
  const a = analyze(text);
  const unknown = a.findings.filter((f) => f.code === 'UNKNOWN_DSL_METHOD');
  assert.deepEqual(unknown.map((f) => f.message.match(/`(\w+)`/)?.[1]), ['managed_iam_polcy', 'foo']);
  assert.match(unknown[0].message, /did you mean `managed_iam_policy`/);
  assert.deepEqual(unknown[0].span, byteSpanOf(text, 'managed_iam_polcy'));
});

test('methods defined in the file are not unknown', () => {
  const a = analyze('def policy_for(x)\n  x\nend\npolicy_for(1)\n');
  assert.deepEqual(a.findings.filter((f) => f.code === 'UNKNOWN_DSL_METHOD'), []);
});

test('unterminated strings, arrays and hashes are marked not closed', () => {
  const a = analyze('iam_policy("P", { Action: ["s3:Get\n');
  const call = a.model.calls[0];
  assert.equal(call.method, 'iam_policy');
  const values: string[] = [];
  const visit = (v: any) => {
    if (v.kind === 'string' || v.kind === 'array' || v.kind === 'hash') values.push(`${v.kind}:${v.closed}`);
    if (v.kind === 'array') v.elements.forEach(visit);
    if (v.kind === 'hash') v.entries.forEach((e: any) => visit(e.value));
  };
  call.args.forEach(visit);
  assert.ok(values.includes('string:false'), values.join(' '));
  assert.ok(values.includes('array:false'), values.join(' '));
  const ok = analyze('iam_policy("P", { Action: ["s3:GetObject"] })\n').model.calls[0];
  const vs: string[] = [];
  ok.args.forEach(function visit2(v: any) {
    if (v.kind === 'string' || v.kind === 'array' || v.kind === 'hash') vs.push(`${v.kind}:${v.closed}`);
    if (v.kind === 'array') v.elements.forEach(visit2);
    if (v.kind === 'hash') v.entries.forEach((e: any) => visit2(e.value));
  });
  assert.ok(vs.every((x) => x.endsWith(':true')), vs.join(' '));
});
