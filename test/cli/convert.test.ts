// `ufo-iam convert` as a user runs it: the bundled CLI, a JSON file, exit codes and one-line errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT } from '../support/core';
import { compiledDocuments } from '../core/convert/roundTrip';

const CLI = path.join(ROOT, 'dist/cli.js');

function run(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function dirWith(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ufo-iam-convert-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

const POLICY = JSON.stringify(
  {
    Version: '2012-10-17',
    Statement: [{ Sid: 'Read', Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::bucket/*', Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } } }],
  },
  null,
  2,
);

test('convert prints the iam_policy call; compiling it gives the document back', () => {
  const dir = dirWith({ 'policy.json': POLICY });
  const r = run(['convert', 'policy.json', '--name', 'ReadBucket'], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.match(r.stdout, /^iam_policy\("ReadBucket",\n  Sid: "Read",\n/);
  assert.match(r.stdout, /"aws:SourceAccount" => "123456789012"/);
  assert.equal(compiledDocuments(r.stdout).documents[0], POLICY);
});

test('--key-style string writes "Action" => keys', () => {
  const dir = dirWith({ 'policy.json': POLICY });
  const r = run(['convert', 'policy.json', '--name', 'P', '--key-style', 'string'], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^iam_policy\("P",\n  "Sid" => "Read",\n  "Effect" => "Allow",/);
  assert.equal(compiledDocuments(r.stdout).documents[0], POLICY);
});

test('bad JSON: exit 2, one line naming the file, line and column, no stack trace', () => {
  const dir = dirWith({ 'bad.json': '{\n  "Version": "2012-10-17",\n  "Statement": [ }\n' });
  const r = run(['convert', 'bad.json', '--name', 'P'], dir);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, 'ufo-iam convert: bad.json:3:18: not JSON: unexpected character\n');
});

test('JSON that is not a policy UFO can write: exit 2 with the reason', () => {
  const dir = dirWith({ 'old.json': '{"Version":"2008-10-17","Statement":[]}', 'list.json': '[1, 2]' });
  const old = run(['convert', 'old.json', '--name', 'P'], dir);
  assert.equal(old.code, 2);
  assert.equal(old.stderr, `ufo-iam convert: old.json: not a policy UFO can write: the document's Version is "2008-10-17"; UFO always writes "2012-10-17"\n`);
  const list = run(['convert', 'list.json', '--name', 'P'], dir);
  assert.equal(list.code, 2);
  assert.match(list.stderr, /^ufo-iam convert: list\.json: not a policy UFO can write: the JSON is not an object/);
  assert.doesNotMatch(old.stderr + list.stderr, /\n    at /);
});

test('a missing file, a missing --name, a bad --key-style: exit 2', () => {
  const dir = dirWith({ 'policy.json': POLICY });
  const missing = run(['convert', 'nope.json', '--name', 'P'], dir);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /^ufo-iam convert: nope\.json: /);
  assert.equal(missing.stderr.split('\n').length, 2);
  assert.equal(run(['convert', 'policy.json'], dir).code, 2);
  assert.match(run(['convert', 'policy.json', '--name', 'P', '--key-style', 'x'], dir).stderr, /--key-style must be symbol or string/);
});

test('notes go to stderr: no Version, a single statement object', () => {
  const dir = dirWith({ 'p.json': '{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}' });
  const r = run(['convert', 'p.json', '--name', 'P'], dir);
  assert.equal(r.code, 0);
  assert.match(r.stderr, /^note: the document has no Version; UFO adds "Version": "2012-10-17"\.\n/);
});
