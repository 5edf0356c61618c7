// A role's effective permissions (core/eval/effective.ts) on AWS managed policies from the bundled data and on small
// inline fixtures: what is allowed, denied, conditional, and that wildcard expansion agrees with the hover's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../support/core';
import { knowledge } from '../iam/iamData';
import { compileRoles } from '../../../server/src/core/compile/compileRoles';
import { roleStatements } from '../../../server/src/core/eval/statements';
import { effectivePermissions } from '../../../server/src/core/eval/effective';
import { evaluate } from '../../../server/src/core/eval/evaluate';

async function permissionsOf(text: string) {
  const analysis = analyze(text);
  const { roles } = compileRoles({ task_role: analysis.model }, 6);
  const iam = await knowledge();
  const statements = roleStatements(roles.find((r) => r.roleType === 'task_role')!.resource, iam, { model: analysis.model, version: 6 });
  return { iam, statements, permissions: effectivePermissions(statements, iam) };
}

test('AmazonS3ReadOnlyAccess allows s3:GetObject (its source names the policy) and not s3:PutObject', async () => {
  const { permissions } = await permissionsOf('managed_iam_policy("AmazonS3ReadOnlyAccess")\n');
  const get = permissions.allowed.find((a) => a.action === 's3:GetObject');
  assert.ok(get);
  assert.equal(get.accessLevel, 'Read');
  assert.equal(get.conditional, false);
  assert.deepEqual(get.resources, ['*']);
  assert.ok(get.statements.every((s) => s.source.kind === 'managed' && s.source.policyName === 'AmazonS3ReadOnlyAccess'));
  assert.equal(permissions.allowed.some((a) => a.action === 's3:PutObject'), false);
  assert.deepEqual(permissions.denied, []);
});

test("the actions s3:Get* and s3:List* allow are exactly the hover's expansion of those wildcards", async () => {
  const { iam, permissions } = await permissionsOf('iam_policy("R", Effect: "Allow", Action: ["s3:Get*", "s3:List*"], Resource: "*")\n');
  const expected = new Set([...iam.expandWildcard('s3:Get*').actions, ...iam.expandWildcard('s3:List*').actions].map((a) => a.fullName));
  assert.ok(expected.size > 50);
  assert.deepEqual(new Set(permissions.allowed.map((a) => a.action)), expected);
});

test('a NotAction Allow allows every other action; the listing agrees with evaluate on every action of the service', async () => {
  const { iam, statements, permissions } = await permissionsOf('iam_policy("N", Effect: "Allow", NotAction: ["iam:*", "s3:Delete*"], Resource: "*")\n');
  const allowed = new Set(permissions.allowed.map((a) => a.action));
  assert.equal(allowed.has('iam:PassRole'), false);
  assert.equal(allowed.has('s3:DeleteObject'), false);
  assert.equal(allowed.has('s3:GetObject'), true);
  assert.equal(allowed.has('ec2:RunInstances'), true);
  for (const a of iam.listActions('s3')) assert.equal(allowed.has(a.fullName), evaluate(statements, { action: a.fullName }).decision === 'allowed', a.fullName);
});

test('a Deny lists the actions it denies, with the Deny as source; they are not among the allowed', async () => {
  const text = ['iam_policy("A", Effect: "Allow", Action: "s3:*", Resource: "*")', 'iam_policy("D", Effect: "Deny", Action: ["s3:DeleteBucket", "s3:DeleteObject"], Resource: "*")', ''].join('\n');
  const { permissions } = await permissionsOf(text);
  assert.deepEqual(permissions.denied.map((a) => a.action).sort(), ['s3:DeleteBucket', 's3:DeleteObject']);
  assert.ok(permissions.denied.every((a) => a.statements.every((s) => s.source.kind === 'inline' && s.source.policyName === 'D')));
  assert.equal(permissions.allowed.some((a) => a.action === 's3:DeleteObject'), false);
  assert.ok(permissions.allowed.some((a) => a.action === 's3:PutObject'));
});

test('a statement with a Condition marks its actions conditional; resources are the Resource patterns', async () => {
  const text = 'iam_policy("C", Effect: "Allow", Action: "sqs:SendMessage", Resource: "arn:aws:sqs:*:*:q", Condition: { Bool: { "aws:SecureTransport" => "true" } })\n';
  const { permissions } = await permissionsOf(text);
  assert.equal(permissions.allowed.length, 1);
  assert.equal(permissions.allowed[0].conditional, true);
  assert.deepEqual(permissions.allowed[0].resources, ['arn:aws:sqs:*:*:q']);
});

test('an unknown (customer-managed) document is reported, not evaluated', async () => {
  const { permissions } = await permissionsOf('managed_iam_policy("arn:aws:iam::123456789012:policy/Mine")\niam_policy("A", Effect: "Allow", Action: "s3:GetObject", Resource: "*")\n');
  assert.equal(permissions.unknown.length, 1);
  assert.equal(permissions.allowed.length, 1);
  assert.equal(permissions.allowed[0].conditional, false);
});

/**
 * effectivePermissions evaluates once per group of actions that every statement treats alike; this checks that the
 * grouping changes no answer: for every action of the services the statements touch, the listing says exactly what
 * `evaluate` says for that action alone (decision, and the deciding statements as the source list).
 */
test('grouped evaluation gives, for every action, what evaluate gives for that action alone', async () => {
  const text = [
    'managed_iam_policy("ReadOnlyAccess", "AmazonS3FullAccess", "PowerUserAccess")',
    'iam_policy("Mixed", [',
    '  { Effect: "Allow", Action: ["iam:PassRole", "iam:Get*"], Resource: "arn:aws:iam::*:role/app-*" },',
    '  { Effect: "Deny", Action: "s3:Delete*", Resource: "*" },',
    '  { Effect: "Deny", NotAction: ["ec2:Describe*", "s3:*", "iam:*", "sts:*"], Resource: "arn:aws:ec2:*:*:instance/*" },',
    '  { Effect: "Allow", Action: "ssm:GetParameter*", Resource: "*", Condition: { StringEquals: { "aws:RequestedRegion": "eu-west-1" } } },',
    '  { Effect: "Deny", Action: "kms:*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } },',
    '])',
    '',
  ].join('\n');
  const { iam, statements, permissions } = await permissionsOf(text);
  const listed = new Map<string, { kind: string; statements: unknown[] }>();
  for (const a of permissions.allowed) listed.set(a.action, { kind: a.conditional ? 'conditional' : 'allowed', statements: [...a.statements] });
  for (const a of permissions.denied) listed.set(a.action, { kind: 'explicitDeny', statements: [...a.statements] });
  let checked = 0;
  for (const service of ['s3', 'iam', 'ec2', 'ssm', 'kms', 'sts', 'organizations']) {
    for (const a of iam.listActions(service)) {
      const r = evaluate(statements, { action: a.fullName });
      const want = r.decision === 'implicitDeny' ? undefined : { kind: r.decision, statements: (r.decision === 'explicitDeny' ? r.deciding : r.deciding.filter((d) => d.effect !== 'Deny')).map((d) => d.statement) };
      assert.deepEqual(listed.get(a.fullName), want, a.fullName);
      checked++;
    }
  }
  assert.ok(checked > 1000, `${checked} actions checked`);
  assert.ok(permissions.allowed.some((a) => a.conditional) && permissions.denied.length > 0);
});
