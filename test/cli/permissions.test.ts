// `ufo-iam permissions` as a user runs it: the bundled CLI on a project on disk, in its three formats.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT } from '../support/core';
import { makeProject } from '../support/project';

const CLI = path.join(ROOT, 'dist/cli.js');

function run(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [CLI, 'permissions', ...args], { cwd, encoding: 'utf8', env: { ...process.env, UFO_APP: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const TASK_ROLE = [
  'iam_policy("S3",',
  '  Effect: "Allow",',
  '  Action: ["s3:GetObject", "s3:PutObject"],',
  '  Resource: "arn:aws:s3:::my-bucket/*",',
  ')',
  'iam_policy("NoPut", Effect: "Deny", Action: "s3:PutObject", Resource: "*")',
  'managed_iam_policy("AmazonSQSReadOnlyAccess")',
  'managed_iam_policy("arn:aws:iam::123456789012:policy/Custom")',
  '',
].join('\n');

const project = () => makeProject({ '.ufo/settings.yml': '', '.ufo/iam_roles/task_role.rb': TASK_ROLE });

test('json: keyed by logical id, allowed/denied/unknownDocuments, notConsidered and dataDate', () => {
  const r = run(['--format', 'json'], project());
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.match(j.notConsidered, /permissions boundaries/);
  assert.match(j.dataDate, /^\d{4}-\d{2}-\d{2}$/);
  const t = j.TaskRole;
  assert.deepEqual(t.allowed.find((a: any) => a.action === 's3:GetObject'), { action: 's3:GetObject', accessLevel: 'Read', resources: ['arn:aws:s3:::my-bucket/*'], conditional: false, sources: ['.ufo/iam_roles/task_role.rb:2'] });
  assert.ok(t.allowed.some((a: any) => a.action === 'sqs:GetQueueUrl' && a.sources[0] === 'AmazonSQSReadOnlyAccess'));
  assert.deepEqual(t.denied.map((a: any) => [a.action, a.sources]), [['s3:PutObject', ['.ufo/iam_roles/task_role.rb:6']]]);
  assert.equal(t.unknownDocuments.length, 1);
  assert.match(t.unknownDocuments[0].arn, /policy\/Custom$/);
  assert.match(t.unknownDocuments[0].reason, /no AWS managed policy/);
});

test('text: role → service → access level → action, the note and the data date', () => {
  const r = run([], project());
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^TaskRole \(\.ufo\/iam_roles\/task_role\.rb\): \d+ actions allowed/);
  assert.match(r.stdout, /\n {2}s3 \(Amazon S3\)\n {4}Read\n {6}s3:GetObject on arn:aws:s3:::my-bucket\/\* \(\.ufo\/iam_roles\/task_role\.rb:2\)/);
  assert.match(r.stdout, /explicitly denied:[\s\S]*s3:PutObject/);
  assert.match(r.stdout, /not evaluated[^\n]*\n +\S*policy\/Custom: no AWS managed policy/);
  assert.match(r.stdout, /note: Only the role's identity-based policies/);
  assert.match(r.stdout, /IAM data of \d{4}-\d{2}-\d{2}/);
});

test('markdown: a section per role, a table per service, the footer', () => {
  const r = run(['--format', 'markdown', '--role', 'TaskRole'], project());
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^## TaskRole\n/);
  assert.match(r.stdout, /\| Read \| `s3:GetObject` \| `arn:aws:s3:::my-bucket\/\*` \|  \| \.ufo\/iam_roles\/task_role\.rb:2 \|/);
  assert.match(r.stdout, /### Explicitly denied/);
  assert.match(r.stdout, /_IAM data of \d{4}-\d{2}-\d{2}/);
});

test('usage errors exit 2', () => {
  assert.equal(run(['--format', 'yaml'], project()).code, 2);
  assert.equal(run(['--role', 'ExecutionRole'], project()).code, 2);
});

test('a reader that stops early (| head -1) ends the CLI quietly: exit 0, no EPIPE error', () => {
  const r = spawnSync('bash', ['-c', `node ${JSON.stringify(path.join(ROOT, 'dist/cli.js'))} permissions . | head -1; exit \${PIPESTATUS[0]}`], { cwd: path.join(ROOT, 'examples/demo'), encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.split('\n').filter(Boolean).length, 1);
  assert.doesNotMatch(r.stderr, /EPIPE|Error/);
});
