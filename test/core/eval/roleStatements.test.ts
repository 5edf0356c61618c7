// A compiled role's statements with their sources, and the evaluator on AWS managed policies from the bundled data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../support/core';
import { knowledge } from '../iam/iamData';
import { compileRoles } from '../../../server/src/core/compile/compileRoles';
import { roleStatements } from '../../../server/src/core/eval/statements';
import { evaluate } from '../../../server/src/core/eval/evaluate';
import type { UfoVersion } from '../../../server/src/core/compile/compileRoles';
import { fromPlain, type CMap } from '../../../server/src/core/compile/cvalue';

async function role(text: string, version: UfoVersion = 6) {
  const analysis = analyze(text);
  const { roles } = compileRoles({ task_role: analysis.model }, version);
  const resource = roles.find((r) => r.roleType === 'task_role')!.resource;
  const statements = roleStatements(resource, await knowledge(), { model: analysis.model, version });
  const lineOf = (i: number) => {
    const s = statements[i].source;
    return s.kind === 'inline' && s.span ? analysis.lineIndex.positionOfByte(s.span.start).line + 1 : undefined;
  };
  return { statements, lineOf };
}

test('inline statements keep their policy, Sid and 1-based line; duplicates and v6 nil statements do not shift them', async () => {
  const text = [
    'iam_policy("First", Sid: "ReadIt", Effect: "Allow", Action: "s3:GetObject", Resource: "*")',
    'iam_policy("First", Sid: "ReadIt", Effect: "Allow", Action: "s3:GetObject", Resource: "*")',
    'iam_policy("Second", [',
    '  nil,',
    '  { Sid: "NoPut", Effect: "Deny", Action: "s3:PutObject", Resource: "*" },',
    '])',
    '',
  ].join('\n');
  const { statements, lineOf } = await role(text);
  assert.equal(statements.length, 2);
  assert.deepEqual(statements.map((s) => s.source.kind === 'inline' && [s.source.policyName, s.source.sid]), [['First', 'ReadIt'], ['Second', 'NoPut']]);
  assert.deepEqual([lineOf(0), lineOf(1)], [1, 5]);
  const r = evaluate(statements, { action: 's3:PutObject' });
  assert.equal(r.decision, 'explicitDeny');
  assert.equal(r.deciding[0].statement, statements[1]);
});

test('v5 keeps a nil statement, so the indices still map to the right lines', async () => {
  const { statements, lineOf } = await role('iam_policy("P", [\n  nil,\n  { Effect: "Allow", Action: "s3:GetObject", Resource: "*" },\n])\n', 5);
  assert.equal(statements.length, 2);
  assert.equal(lineOf(1), 3);
  assert.equal(evaluate(statements, { action: 's3:GetObject' }).decision, 'allowed');
});

test('a policy registered inside an if is not certain: its Allow makes the answer conditional', async () => {
  const { statements } = await role('if ENV["X"]\n  iam_policy("Maybe", Effect: "Allow", Action: "s3:GetObject", Resource: "*")\nend\n');
  assert.equal(statements[0].certain, false);
  assert.equal(evaluate(statements, { action: 's3:GetObject' }).decision, 'conditional');
});

test('AmazonS3ReadOnlyAccess from the bundled data allows s3:GetObject and not s3:PutObject', async () => {
  const { statements } = await role('managed_iam_policy("AmazonS3ReadOnlyAccess")\n');
  assert.ok(statements.length > 0);
  assert.ok(statements.every((s) => s.source.kind === 'managed' && s.source.policyName === 'AmazonS3ReadOnlyAccess'));
  const get = evaluate(statements, { action: 's3:GetObject', resource: 'arn:aws:s3:::any-bucket/key' });
  assert.equal(get.decision, 'allowed');
  assert.equal(get.deciding[0].statement.source.kind, 'managed');
  assert.equal(evaluate(statements, { action: 's3:PutObject', resource: 'arn:aws:s3:::any-bucket/key' }).decision, 'implicitDeny');
});

test('ReadOnlyAccess allows reads across services and no writes', async () => {
  const { statements } = await role('managed_iam_policy("ReadOnlyAccess")\n');
  for (const action of ['ec2:DescribeInstances', 's3:GetObject', 'dynamodb:GetItem']) assert.equal(evaluate(statements, { action, resource: 'arn:aws:s3:::b/k' }).decision, 'allowed', action);
  for (const action of ['ec2:RunInstances', 's3:PutObject', 'iam:CreateUser']) assert.equal(evaluate(statements, { action, resource: 'arn:aws:s3:::b/k' }).decision, 'implicitDeny', action);
});

test('AmazonECSTaskExecutionRolePolicy needs its service-role/ path: given with it, it allows ecr:GetAuthorizationToken', async () => {
  const good = await role('managed_iam_policy("service-role/AmazonECSTaskExecutionRolePolicy")\n');
  assert.equal(evaluate(good.statements, { action: 'ecr:GetAuthorizationToken' }).decision, 'allowed');
  const bad = await role('managed_iam_policy("AmazonECSTaskExecutionRolePolicy")\n');
  assert.equal(bad.statements[0].source.kind, 'unknownDocument');
  assert.equal(evaluate(bad.statements, { action: 'ecr:GetAuthorizationToken' }).decision, 'conditional');
});

test('a customer-managed ARN and an unknown managed name are "document unknown", never guessed', async () => {
  // UFO mangles a customer-managed ARN (it lacks `iam::aws:policy`) into arn:aws:iam::aws:policy/arn:…: no such policy.
  const { statements } = await role('managed_iam_policy("arn:aws:iam::123456789012:policy/Mine", "NoSuchPolicyAnywhere")\niam_policy("P", Effect: "Allow", Action: "s3:GetObject", Resource: "*")\n');
  const unknown = statements.filter((s) => s.source.kind === 'unknownDocument');
  assert.deepEqual(unknown.map((s) => s.source.kind === 'unknownDocument' && s.source.arn), ['arn:aws:iam::aws:policy/arn:aws:iam::123456789012:policy/Mine', 'arn:aws:iam::aws:policy/NoSuchPolicyAnywhere']);
  const r = evaluate(statements, { action: 's3:GetObject' });
  assert.equal(r.decision, 'conditional', 'an unknown document may deny what the inline policy allows');
  // A role as IAM holds it (a pre-created or live role) may attach a customer-managed policy as it is.
  const live = fromPlain({ Type: 'AWS::IAM::Role', Properties: { ManagedPolicyArns: ['arn:aws:iam::123456789012:policy/Mine'] } }) as CMap;
  const liveStatements = roleStatements(live, await knowledge());
  assert.equal(liveStatements.length, 1);
  const source = liveStatements[0].source;
  assert.ok(source.kind === 'unknownDocument' && /customer managed/.test(source.reason));
  const lr = evaluate(liveStatements, { action: 's3:GetObject' });
  assert.equal(lr.decision, 'conditional');
  assert.match(lr.matched[0].reasons.join(' '), /document of arn:aws:iam::123456789012:policy\/Mine is unknown/);
});

test('a call with a dynamic splat registers what only deploy time knows: unknown, so an Allow becomes conditional', async () => {
  const policy = await role('iam_policy("Known", Effect: "Allow", Action: "s3:GetObject", Resource: "*")\niam_policy(*EXTRA_POLICY)\n');
  const r = evaluate(policy.statements, { action: 's3:GetObject' });
  assert.equal(r.decision, 'conditional');
  assert.equal(policy.lineOf(1), 2);
  const managed = await role('iam_policy("Known", Effect: "Allow", Action: "s3:GetObject", Resource: "*")\nmanaged_iam_policy(*NAMES)\n');
  const unknown = managed.statements.filter((s) => s.source.kind === 'unknownDocument');
  assert.equal(unknown.length, 1, JSON.stringify(managed.statements.map((s) => s.source)));
  assert.equal(evaluate(managed.statements, { action: 's3:GetObject' }).decision, 'conditional');
});

test('a managed policy attached only inside an if may be absent: its Allow makes the answer conditional', async () => {
  const maybe = await role('if ENV["X"]\n  managed_iam_policy("AmazonS3ReadOnlyAccess")\nend\n');
  assert.ok(maybe.statements.length > 0 && maybe.statements.every((s) => !s.certain));
  assert.equal(evaluate(maybe.statements, { action: 's3:GetObject' }).decision, 'conditional');
  const sure = await role('if ENV["X"]\n  managed_iam_policy("AmazonS3ReadOnlyAccess")\nend\nmanaged_iam_policy("AmazonS3ReadOnlyAccess")\n');
  assert.equal(evaluate(sure.statements, { action: 's3:GetObject' }).decision, 'allowed');
});
