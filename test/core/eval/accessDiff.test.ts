// The access diff (core/eval/accessDiff.ts) on effective permissions the real evaluator computes from the bundled IAM
// data: what is added, removed and changed, the review order (privilege escalation, Permissions management, then the
// hover's access levels), the one-line summaries, and documents that are unknown instead of guessed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { knowledge } from '../iam/iamData';
import { fromPlain, type CMap } from '../../../server/src/core/compile/cvalue';
import { roleStatements } from '../../../server/src/core/eval/statements';
import { effectivePermissions } from '../../../server/src/core/eval/effective';
import { NOT_CONSIDERED } from '../../../server/src/core/eval/evaluate';
import { NAMED_LIMIT, NO_PERMISSIONS, accessChangeLine, accessDiff, accessNote, accessSummary } from '../../../server/src/core/eval/accessDiff';

type Statement = Record<string, unknown>;

/** The effective permissions of a role with these inline statements (one policy) and attached managed policy ARNs. */
async function permissions(statements: Statement[], managed: string[] = []) {
  const iam = await knowledge();
  const resource = fromPlain({
    Type: 'AWS::IAM::Role',
    Properties: {
      Policies: statements.length ? [{ PolicyName: 'P', PolicyDocument: { Version: '2012-10-17', Statement: statements } }] : [],
      ManagedPolicyArns: managed,
    },
  }) as CMap;
  return effectivePermissions(roleStatements(resource, iam), iam);
}

const allow = (Action: string | string[], Resource: string | string[] = '*', extra: Statement = {}): Statement => ({ Effect: 'Allow', Action, Resource, ...extra });

const WRITES = [
  'sqs:SendMessage',
  'sqs:DeleteMessage',
  'sqs:ChangeMessageVisibility',
  'sns:Publish',
  's3:PutObject',
  's3:DeleteObject',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'logs:PutLogEvents',
  'logs:CreateLogStream',
  'kinesis:PutRecord',
];

test("the issue's example: 14 added actions, the escalation ones named with their resources first, the Write ones counted", async () => {
  const before = await permissions([allow('s3:GetObject')]);
  const after = await permissions([allow('s3:GetObject'), allow(['iam:PassRole', 'iam:CreatePolicyVersion']), allow(WRITES, 'arn:aws:sqs:us-east-1:123456789012:q')]);
  const diff = accessDiff(before, after);
  assert.equal(diff.added.length, 14);
  assert.deepEqual(diff.removed, []);
  assert.deepEqual(diff.changed, []);
  // iam:CreatePolicyVersion is "Permissions management, Write" in AWS's data, iam:PassRole "Write": both escalate.
  assert.deepEqual(diff.added.slice(0, 2).map((a) => [a.action, a.escalation]), [['iam:CreatePolicyVersion', true], ['iam:PassRole', true]]);
  assert.ok(diff.added.slice(2).every((a) => a.accessLevel === 'Write' && !a.escalation));
  assert.deepEqual(accessSummary(diff), ['+ 14 actions: 2 privilege escalation (iam:CreatePolicyVersion on *, iam:PassRole on *), 12 Write']);
});

test('removed actions are counted by access level; a Read only role losing three actions says "- 3 actions: 3 Read"', async () => {
  const before = await permissions([allow(['s3:GetObject', 's3:GetObjectTagging', 'sqs:ReceiveMessage', 'sqs:SendMessage'])]);
  const after = await permissions([allow('sqs:SendMessage')]);
  const diff = accessDiff(before, after);
  assert.deepEqual(diff.removed.map((a) => a.action), ['s3:GetObject', 's3:GetObjectTagging', 'sqs:ReceiveMessage']);
  assert.deepEqual(accessSummary(diff), ['- 3 actions: 3 Read']);
  // The reverse direction adds the same three.
  assert.deepEqual(accessSummary(accessDiff(after, before)), ['+ 3 actions: 3 Read']);
});

test('order: escalation, then Permissions management, then List, Read, Write, Tagging, then the name', async () => {
  const after = await permissions([allow(['s3:ListBucket', 's3:PutObjectTagging', 's3:GetObject', 's3:PutBucketPolicy', 's3:PutObject', 'iam:AttachRolePolicy', 's3:ListAllMyBuckets'])]);
  const diff = accessDiff(NO_PERMISSIONS, after);
  assert.deepEqual(
    diff.added.map((a) => a.action),
    ['iam:AttachRolePolicy', 's3:PutBucketPolicy', 's3:ListAllMyBuckets', 's3:ListBucket', 's3:GetObject', 's3:PutObject', 's3:PutObjectTagging'],
  );
  assert.deepEqual(accessSummary(diff), [
    '+ 7 actions: 1 privilege escalation (iam:AttachRolePolicy on *), 1 Permissions management (s3:PutBucketPolicy on *), 2 List, 1 Read, 1 Write, 1 Tagging',
  ]);
});

test('an action allowed on both sides with other resources or another conditional flag is changed, with both sides', async () => {
  const before = await permissions([allow('iam:PassRole', 'arn:aws:iam::123456789012:role/app-*'), allow('s3:GetObject')]);
  const after = await permissions([
    allow('iam:PassRole'),
    allow('s3:GetObject', '*', { Condition: { StringEquals: { 'aws:ResourceAccount': '123456789012' } } }),
  ]);
  const diff = accessDiff(before, after);
  assert.deepEqual(diff.added, []);
  assert.deepEqual(diff.removed, []);
  assert.deepEqual(
    diff.changed.map((c) => ({ action: c.action, resources: c.resources, conditional: c.conditional, before: c.before })),
    [
      { action: 'iam:PassRole', resources: ['*'], conditional: false, before: { resources: ['arn:aws:iam::123456789012:role/app-*'], conditional: false } },
      { action: 's3:GetObject', resources: ['*'], conditional: true, before: { resources: ['*'], conditional: false } },
    ],
  );
  assert.deepEqual(accessSummary(diff), ['~ 2 actions: 1 privilege escalation (iam:PassRole on * (was arn:aws:iam::123456789012:role/app-*)), 1 Read']);
  // The same resources in another order are the same access.
  const reordered = accessDiff(await permissions([allow('s3:GetObject', ['arn:aws:s3:::a/*', 'arn:aws:s3:::b/*'])]), await permissions([allow('s3:GetObject', ['arn:aws:s3:::b/*', 'arn:aws:s3:::a/*'])]));
  assert.deepEqual(reordered.changed, []);
});

test('a role created from nothing: everything it allows is added, managed policies included', async () => {
  const after = await permissions([], ['arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy']);
  const diff = accessDiff(NO_PERMISSIONS, after);
  assert.equal(diff.added.length, after.allowed.length);
  assert.ok(diff.added.some((a) => a.action === 'ecr:GetAuthorizationToken'));
  assert.match(accessSummary(diff)[0], /^\+ \d+ actions: \d+ Read, \d+ Write$/);
  assert.deepEqual(accessDiff(after, after), { added: [], removed: [], changed: [], unknown: [] });
});

test('customer-managed policies are "document unknown" on the side that has them, never guessed', async () => {
  const custom = 'arn:aws:iam::123456789012:policy/Custom';
  const other = 'arn:aws:iam::123456789012:policy/Other';
  const before = await permissions([allow('s3:GetObject')], [custom]);
  const after = await permissions([allow('s3:GetObject')], [custom, other]);
  const diff = accessDiff(before, after);
  assert.deepEqual(diff.added, []);
  assert.deepEqual(diff.unknown.map((u) => [u.name, u.side]), [[custom, 'both'], [other, 'after']]);
  assert.deepEqual(accessSummary(diff, { before: 'live', after: 'desired' }), [
    `? document unknown (live and desired): ${custom}: not an AWS managed policy (customer managed policies are not in the IAM data); what it allows is not compared`,
    `? document unknown (desired): ${other}: not an AWS managed policy (customer managed policies are not in the IAM data); what it allows is not compared`,
  ]);
});

test('more escalation actions than NAMED_LIMIT: the first are named, the rest counted', async () => {
  const actions = ['iam:AddUserToGroup', 'iam:AttachGroupPolicy', 'iam:AttachRolePolicy', 'iam:AttachUserPolicy', 'iam:CreateAccessKey', 'iam:CreateLoginProfile', 'iam:PutGroupPolicy', 'iam:PutRolePolicy', 'iam:PutUserPolicy', 'iam:PassRole'];
  const diff = accessDiff(NO_PERMISSIONS, await permissions([allow(actions)]));
  const line = accessChangeLine('+', diff.added);
  assert.match(line, new RegExp(`^\\+ 10 actions: 10 privilege escalation \\((.+ on \\*, ){${NAMED_LIMIT}}and ${10 - NAMED_LIMIT} more\\)$`));
});

test('the note names what is not considered and the IAM data dates', async () => {
  const iam = await knowledge();
  const note = accessNote(iam.provenance);
  assert.ok(note.startsWith(NOT_CONSIDERED));
  assert.ok(note.includes(`IAM data of ${iam.provenance.dataDate}`));
  assert.match(note, /SCPs.*permissions boundaries.*session policies.*resource-based policies/);
});
