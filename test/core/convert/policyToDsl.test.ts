// policyToDsl and roleToDsl: the exact text written, and that the real compiler reads it back as the same document.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeRoleFile, fromJsonText, keyStyleOf, managedPolicyName, policyToDsl, roleToDsl, type CMap } from '../../../server/src/core';
import { parse } from '../../support/core';
import { asUfoWritesIt, compiledDocuments } from './roundTrip';

function convert(json: string, name = 'P', options: Parameters<typeof policyToDsl>[2] = {}) {
  return policyToDsl(fromJsonText(json), name, options);
}

function roundTrips(json: string, options: Parameters<typeof policyToDsl>[2] = {}): string {
  const r = convert(json, 'P', options);
  assert.ok(r.ok, r.ok ? '' : r.message);
  const out = compiledDocuments(r.text, options.ufoVersion ?? 6);
  assert.deepEqual(out.findings, []);
  assert.equal(out.documents[0], asUfoWritesIt(fromJsonText(json) as CMap));
  return r.text;
}

test('one statement: the keyword form, symbol keys, short arrays on one line', () => {
  const text = roundTrips('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"*"}]}');
  assert.equal(text, 'iam_policy("P",\n  Effect: "Allow",\n  Action: ["s3:GetObject", "s3:PutObject"],\n  Resource: "*"\n)\n');
});

test('string keys: "Action" =>', () => {
  const text = roundTrips('{"Version":"2012-10-17","Statement":{"Sid":"A","Effect":"Deny","NotAction":"iam:*","NotResource":["arn:aws:s3:::b"]}}', { keyStyle: 'string' });
  assert.equal(text, 'iam_policy("P",\n  "Sid" => "A",\n  "Effect" => "Deny",\n  "NotAction" => "iam:*",\n  "NotResource" => ["arn:aws:s3:::b"]\n)\n');
});

test('several statements: the array of hashes; condition keys that are not labels use string keys', () => {
  const json = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'One', Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::b', Condition: { StringLike: { 's3:prefix': ['home/${aws:username}/*'] } } },
      { Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::123456789012:root'] }, Action: 'sts:AssumeRole', Condition: { 'ForAnyValue:StringEquals': { 'aws:SourceArn': 'x' }, Bool: { 'aws:SecureTransport': false } } },
    ],
  });
  const text = roundTrips(json);
  assert.equal(
    text,
    [
      'iam_policy("P", [',
      '  {',
      '    Sid: "One",',
      '    Effect: "Allow",',
      '    Action: "s3:ListBucket",',
      '    Resource: "arn:aws:s3:::b",',
      '    Condition: {',
      '      StringLike: {',
      '        "s3:prefix" => ["home/${aws:username}/*"]',
      '      }',
      '    }',
      '  },',
      '  {',
      '    Effect: "Allow",',
      '    Principal: {',
      '      AWS: ["arn:aws:iam::123456789012:root"]',
      '    },',
      '    Action: "sts:AssumeRole",',
      '    Condition: {',
      '      "ForAnyValue:StringEquals" => {',
      '        "aws:SourceArn" => "x"',
      '      },',
      '      Bool: {',
      '        "aws:SecureTransport" => false',
      '      }',
      '    }',
      '  }',
      '])',
      '',
    ].join('\n'),
  );
});

test('escaping: quotes, backslashes, #{ / #$ / #@ never interpolate, control characters, non-ASCII as it is', () => {
  const weird = 'a"b\\c #{x} #$y #@z # plain\nline\ttab\u0001 ünï 日本 😀';
  const text = roundTrips(JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: weird, Effect: 'Allow', Action: '*', Resource: '*' }] }));
  assert.ok(text.includes('Sid: "a\\"b\\\\c \\#{x} \\#$y \\#@z # plain\\nline\\ttab\\u{1} ünï 日本 😀"'), text);
});

test('numbers keep their form: integers of any size, floats as Ruby writes them', () => {
  roundTrips('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NumericLessThan":{"s3:max-keys":[10, 10.0, 123456789012345678901234567890, -1.5e-7]}}}]}');
});

test('an empty statement stays an array element: `iam_policy("P")` would be a wrong arity', () => {
  const text = roundTrips('{"Version":"2012-10-17","Statement":[{}]}');
  assert.equal(text, 'iam_policy("P", [\n  {}\n])\n');
});

test('what UFO cannot write is an error, not a loss', () => {
  const err = (json: string, re: RegExp, options = {}) => {
    const r = convert(json, 'P', options);
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.message, re);
  };
  err('{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}', /Version is "2008-10-17"; UFO always writes "2012-10-17"/);
  err('{"Version":"2012-10-17","Id":"x","Statement":[]}', /top-level "Id"/);
  err('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Condition":null}]}', /Statement\[0\]\.Condition is null/);
  err('{"Version":"2012-10-17","Statement":[{"Action":["a",null]}]}', /Statement\[0\]\.Action\[1\] is null, and UFO v6 drops nil elements/);
  err('{"Version":"2012-10-17","Statement":[{"Action":[]}]}', /empty array, and UFO v5 drops/, { ufoVersion: 5 });
  err('{"Version":"2012-10-17","Statement":[["nested"]]}', /Statement\[0\] is not an object/);
  err('{"Version":"2012-10-17","Statement":[]}', /Statement is empty/);
  err('[1]', /not an object/);
  err('{"Version":"2012-10-17","Statement":[{"Sid":"\\ud800"}]}', /lone UTF-16 surrogate/);
  // v6 keeps empty arrays; v5 keeps nil array elements.
  roundTrips('{"Version":"2012-10-17","Statement":[{"Action":[]}]}');
  roundTrips('{"Version":"2012-10-17","Statement":[{"Action":["a",null]}]}', { ufoVersion: 5 });
});

test('notes: no Version, Statement as an object', () => {
  const r = convert('{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}');
  assert.ok(r.ok);
  if (r.ok) assert.deepEqual(r.notes, ['the document has no Version; UFO adds "Version": "2012-10-17"', 'UFO writes Statement as an array (the document has a single statement object)']);
});

test('policy names are escaped too', () => {
  const r = convert('{"Version":"2012-10-17","Statement":[{"Effect":"Allow"}]}', 'My "#{Policy}"');
  assert.ok(r.ok && r.text.startsWith('iam_policy("My \\"\\#{Policy}\\"",'));
  const out = compiledDocuments(r.ok ? r.text : '');
  assert.deepEqual(out.findings, []);
});

test('managed policy names: AWS managed ones by path/Name, other partitions and customer policies as ARNs', () => {
  assert.deepEqual(managedPolicyName('arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy'), { name: 'service-role/AmazonECSTaskExecutionRolePolicy' });
  assert.deepEqual(managedPolicyName('arn:aws-cn:iam::aws:policy/ReadOnlyAccess'), { name: 'arn:aws-cn:iam::aws:policy/ReadOnlyAccess' });
  const customer = managedPolicyName('arn:aws:iam::123456789012:policy/Mine');
  assert.equal(customer.name, 'arn:aws:iam::123456789012:policy/Mine');
  assert.match(customer.note ?? '', /arn:aws:iam::aws:policy\/arn:aws:iam::123456789012:policy\/Mine/);
});

test('roleToDsl: a whole role file that compiles to the role', () => {
  const doc = fromJsonText('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"logs:*","Resource":"*"}]}');
  const r = roleToDsl({
    header: ['Imported.'],
    inlinePolicies: [{ name: 'Logs', document: doc }],
    managedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy', 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'],
  });
  assert.ok(r.ok);
  if (!r.ok) return;
  assert.equal(
    r.text,
    '# Imported.\n\nmanaged_iam_policy(\n  "service-role/AmazonECSTaskExecutionRolePolicy",\n  "AmazonS3ReadOnlyAccess"\n)\n\niam_policy("Logs",\n  Effect: "Allow",\n  Action: "logs:*",\n  Resource: "*"\n)\n',
  );
  const out = compiledDocuments(r.text);
  assert.deepEqual(out.managed, ['arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy', 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess']);
  assert.deepEqual(out.documents, [asUfoWritesIt(doc as CMap)]);
});

test('keyStyleOf reads the style of a file', () => {
  const style = (t: string) => keyStyleOf(analyzeRoleFile(parse(), t).model);
  assert.equal(style('iam_policy("A", Action: "x", Effect: "Allow")\n'), 'symbol');
  assert.equal(style('iam_policy("A", "Action" => "x", "Effect" => "Allow")\n'), 'string');
  assert.equal(style('managed_iam_policy("X")\n'), undefined);
});
