import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { diffLines } from '../../server/src/aws/renderPlan';
import { alignKeys, canonicalJson, decodePolicyDocument, encodePolicyDocument, jsonEqual, prettyJson } from '../../server/src/aws/policyJson';
import { toPlain, type CMap } from '../../server/src/core/compile/cvalue';
import { toCompactJson, toJsonText } from '../../server/src/core/compile/serialize';
import { compile } from '../support/core';

describe('diffLines', () => {
  test('short texts are shown whole, removals before additions', () => {
    assert.deepEqual(diffLines('a\nb\nc', 'a\nB\nc'), ['  a', '- b', '+ B', '  c']);
  });

  test('long texts are cut to hunks with three lines of context', () => {
    const before = Array.from({ length: 60 }, (_, i) => `line ${i}`);
    const after = [...before];
    after[30] = 'changed';
    assert.deepEqual(diffLines(before.join('\n'), after.join('\n')), [
      '  ...',
      '  line 27',
      '  line 28',
      '  line 29',
      '- line 30',
      '+ changed',
      '  line 31',
      '  line 32',
      '  line 33',
      '  ...',
    ]);
  });
});

describe('policy JSON', () => {
  test('key order is irrelevant, array order and scalar types are not', () => {
    assert.ok(jsonEqual({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 }));
    assert.ok(!jsonEqual({ a: [1, 2] }, { a: [2, 1] }));
    assert.ok(!jsonEqual({ Action: 's3:GetObject' }, { Action: ['s3:GetObject'] }));
    assert.ok(!jsonEqual({ v: true }, { v: 'true' }));
    assert.ok(!jsonEqual({ v: 1 }, { v: '1' }));
    assert.equal(canonicalJson({ b: { d: 1, c: 2 }, a: null }), '{"a":null,"b":{"c":2,"d":1}}');
  });

  test('documents are decoded from IAM URL-encoding, or read raw', () => {
    const doc = { Resource: 'arn:aws:s3:::a b+c%/ü' };
    assert.deepEqual(toPlain(decodePolicyDocument(encodeURIComponent(JSON.stringify(doc)))), doc);
    assert.deepEqual(toPlain(decodePolicyDocument(JSON.stringify(doc))), doc);
    assert.throws(() => decodePolicyDocument('%7Bnot json'), /not JSON/);
  });

  test('alignKeys orders live keys like the desired document, extras last', () => {
    const aligned = alignKeys({ z: 1, b: { y: 1, x: 2 }, a: [{ q: 1, p: 2 }] }, { a: [{ p: 0, q: 0 }], b: { x: 0 } });
    assert.equal(toCompactJson(aligned), '{"a":[{"p":2,"q":1}],"b":{"x":2,"y":1},"z":1}');
  });

  test('one printer: what IAM receives is what compile prints, exactly (Floats, big integers, integer-like keys)', () => {
    const text = 'iam_policy("P", Action: "s3:ListBucket", Effect: "Allow", Resource: "*", Condition: { NumericLessThanEquals: { "s3:max-keys" => 10.0, "10" => 123456789012345678901 } })';
    const resource = compile({ task_role: text }).resources.get('TaskRole') as CMap;
    const doc = ((resource.get('Properties') as CMap).get('Policies') as CMap[])[0].get('PolicyDocument');
    const sent = encodePolicyDocument(doc);
    assert.equal(sent, '{"Version":"2012-10-17","Statement":[{"Action":"s3:ListBucket","Effect":"Allow","Resource":"*","Condition":{"NumericLessThanEquals":{"s3:max-keys":10.0,"10":123456789012345678901}}}]}');
    // Read back as IAM returns it (URL-encoded), the document is equal to what was sent, and prints the same.
    const back = decodePolicyDocument(encodeURIComponent(sent));
    assert.ok(jsonEqual(back, doc));
    assert.equal(prettyJson(back), toJsonText(doc!));
    // A live document that says 10 where UFO writes 10.0 differs: IAM stores what it was sent.
    assert.ok(!jsonEqual(decodePolicyDocument(sent.replace('10.0', '10')), doc));
  });
});
