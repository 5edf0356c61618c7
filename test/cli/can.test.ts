// `ufo-iam can` as a user runs it: the bundled CLI on a project on disk, its exit codes, text and JSON.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT } from '../support/core';
import { makeProject } from '../support/project';

const CLI = path.join(ROOT, 'dist/cli.js');

function run(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [CLI, 'can', ...args], { cwd, encoding: 'utf8', env: { ...process.env, UFO_APP: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const TASK_ROLE = [
  'iam_policy("S3",',
  '  Sid: "ReadBucket",',
  '  Effect: "Allow",',
  '  Action: ["s3:GetObject"],',
  '  Resource: "arn:aws:s3:::my-bucket/*",',
  ')',
  'iam_policy("NoPlainHttp", [',
  '  { Sid: "DenyInsecure", Effect: "Deny", Action: "s3:*", Resource: "*", Condition: { Bool: { "aws:SecureTransport" => "false" } } },',
  '  { Sid: "DenyDelete", Effect: "Deny", Action: "s3:DeleteObject", Resource: "*" },',
  '  { Sid: "Tagged", Effect: "Allow", Action: "sqs:SendMessage", Resource: "*", Condition: { "ForAllValues:StringEquals" => { "aws:TagKeys" => ["a", "b"] } } },',
  '])',
  'managed_iam_policy("AmazonEC2ReadOnlyAccess")',
  '',
].join('\n');

function project(extra: Record<string, string> = {}) {
  return makeProject({ '.ufo/settings.yml': '', '.ufo/iam_roles/task_role.rb': TASK_ROLE, ...extra });
}

const SECURE = ['--context', 'aws:SecureTransport=true'];

test('allowed: exit 0, the deciding statement with file:line and Sid, the not-considered note and the data date', () => {
  const r = run(['s3:GetObject', 'arn:aws:s3:::my-bucket/report.csv', ...SECURE], project());
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /^TaskRole: allowed: s3:GetObject on arn:aws:s3:::my-bucket\/report\.csv/);
  assert.match(r.stdout, /Allow applies: \.ufo\/iam_roles\/task_role\.rb:2 \(policy "S3", Sid "ReadBucket"\)/);
  assert.match(r.stdout, /permissions boundaries/);
  assert.match(r.stdout, /IAM data of \d{4}-\d{2}-\d{2}/);
});

test('explicit Deny: exit 1, with the Deny statement; the context key compares case-insensitively', () => {
  const r = run(['s3:DeleteObject', 'arn:aws:s3:::my-bucket/x', '--context', 'AWS:SECURETRANSPORT=true'], project());
  assert.equal(r.code, 1, r.stderr + r.stdout);
  assert.match(r.stdout, /TaskRole: explicitly denied/);
  assert.match(r.stdout, /Deny applies: \.ufo\/iam_roles\/task_role\.rb:9 \(policy "NoPlainHttp", Sid "DenyDelete"\)/);
});

test('not allowed (implicit deny): exit 1', () => {
  const r = run(['dynamodb:GetItem', ...SECURE], project());
  assert.equal(r.code, 1, r.stderr + r.stdout);
  assert.match(r.stdout, /TaskRole: not allowed/);
});

test('depends on conditions: exit 3 when the context does not give a key a Deny tests; a definite Deny still decides', () => {
  const r = run(['s3:GetObject', 'arn:aws:s3:::my-bucket/x'], project());
  assert.equal(r.code, 3, r.stderr + r.stdout);
  assert.match(r.stdout, /depends on conditions/);
  assert.match(r.stdout, /Deny may apply: .*Sid "DenyInsecure"/);
  assert.equal(run(['s3:DeleteObject', 'arn:aws:s3:::my-bucket/x'], project()).code, 1);
  // Marked absent, the Bool condition is false: the Deny does not apply.
  assert.equal(run(['s3:GetObject', 'arn:aws:s3:::my-bucket/x', '--context', '!aws:SecureTransport'], project()).code, 0);
});

test('managed policy statements are named by the policy; the ForAllValues set from repeated --context values, in order', () => {
  const ec2 = run(['ec2:DescribeInstances', '--role', 'TaskRole', ...SECURE], project());
  assert.equal(ec2.code, 0, ec2.stderr + ec2.stdout);
  assert.match(ec2.stdout, /AWS managed policy AmazonEC2ReadOnlyAccess/);
  const subset = run(['sqs:SendMessage', ...SECURE, '--context', 'aws:TagKeys=a', '--context', 'aws:TagKeys=b'], project());
  assert.equal(subset.code, 0, subset.stdout);
  const outside = run(['sqs:SendMessage', ...SECURE, '--context', 'aws:TagKeys=a', '--context', 'aws:TagKeys=c'], project());
  assert.equal(outside.code, 1, outside.stdout);
  assert.equal(run(['sqs:SendMessage', ...SECURE, '--context', '!aws:TagKeys'], project()).code, 0, 'ForAllValues on an absent key');
});

test('--format json: the documented shape', () => {
  const root = project();
  const r = run(['s3:GetObject', 'arn:aws:s3:::my-bucket/x', root, '--role', 'TaskRole', '--format', 'json'], path.dirname(root));
  assert.equal(r.code, 3, r.stderr);
  const json = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(json).sort(), ['action', 'dataDate', 'decision', 'matched', 'notConsidered', 'resource', 'role', 'why']);
  assert.equal(json.decision, 'conditional');
  assert.equal(json.role, 'TaskRole');
  assert.equal(json.action, 's3:GetObject');
  assert.equal(json.resource, 'arn:aws:s3:::my-bucket/x');
  assert.match(json.notConsidered, /service control policies/);
  assert.match(json.dataDate, /^\d{4}-\d{2}-\d{2}$/);
  const bySid = Object.fromEntries(json.matched.map((m: any) => [m.source.sid, m]));
  assert.deepEqual(bySid.ReadBucket.source, { kind: 'inline', file: path.join(path.basename(root), '.ufo/iam_roles/task_role.rb'), line: 2, policyName: 'S3', sid: 'ReadBucket' });
  assert.equal(bySid.ReadBucket.applies, true);
  assert.equal(bySid.DenyInsecure.applies, 'unknown');
  assert.equal(bySid.DenyInsecure.deciding, true);
  assert.equal(bySid.DenyDelete, undefined, 'a statement that does not apply is not matched');
});

test('without --role every built role is asked: 0 only if all allow; JSON is an array', () => {
  const root = project({ '.ufo/iam_roles/execution_role.rb': 'managed_iam_policy("service-role/AmazonECSTaskExecutionRolePolicy")\n' });
  const ecr = run(['ecr:GetAuthorizationToken', ...SECURE, '--format', 'json'], root);
  assert.equal(ecr.code, 1, 'the TaskRole may not');
  const list = JSON.parse(ecr.stdout);
  assert.deepEqual(list.map((x: any) => [x.role, x.decision]), [['ExecutionRole', 'allowed'], ['TaskRole', 'implicitDeny']]);
  assert.equal(list[0].matched[0].source.kind, 'managed');
  assert.equal(list[0].matched[0].source.policyName, 'AmazonECSTaskExecutionRolePolicy');
  assert.equal(run(['ecr:GetAuthorizationToken', '--role', 'ExecutionRole'], root).code, 0);
});

test('the pre-created target evaluates the pre-created folder\'s role files', () => {
  const root = makeProject({
    '.ufo/settings.yml': '',
    '.ufo/precreated_iam_roles/task_role.rb': 'iam_policy("Pre", Effect: "Allow", Action: "sqs:ReceiveMessage", Resource: "*")\n',
  });
  const r = run(['sqs:ReceiveMessage', '--role', 'TaskRole'], root);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /precreated_iam_roles\/task_role\.rb:1/);
});

test('usage errors exit 2', () => {
  const root = project();
  for (const args of [[], ['GetObject'], ['s3:Get*'], ['s3:GetObject', '--role', 'Other'], ['s3:GetObject', '--context', 'novalue'], ['s3:GetObject', '--context', 'k=v', '--context', '!k'], ['s3:GetObject', '--format', 'yaml'], ['s3:GetObject', '--role', 'ExecutionRole']]) {
    const r = run(args, root);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.ok(r.stderr.length > 0, args.join(' '));
  }
});
