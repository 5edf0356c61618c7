// The smallest edit that allows a denied request: its exact text in both key styles, the action joining an existing
// statement, a new iam_policy call; and, compiled after the edit, a role whose statements allow exactly that action on
// exactly that resource.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits, compileRoles, evaluate, proposeAllowEdit, roleStatements, toJsonText, type ProposedFix } from '../../../server/src/core';
import { knowledge } from '../iam/iamData';
import type { IamKnowledge } from '../../../server/src/core';

let iam: IamKnowledge;
before(async () => {
  iam = await knowledge();
});
import { analyze } from '../../support/core';

function applied(text: string, fix: ProposedFix): string {
  assert.ok(fix.ok, fix.ok ? '' : fix.message);
  return applyEdits(new TextEncoder().encode(text), fix.edits);
}

/** The statements of the compiled TaskRole, as plain JSON. */
function compiledStatements(text: string): Array<Record<string, unknown>> {
  const a = analyze(text);
  assert.equal(a.model.hasSyntaxErrors, false, text);
  const { resources } = compileRoles({ task_role: a.model }, 6);
  const plain = JSON.parse(toJsonText(resources));
  return plain.TaskRole.Properties.Policies.flatMap((p: any) => p.PolicyDocument.Statement);
}

/** The evaluator's answer for the TaskRole compiled from `text` (its managed policies included), with no context. */
function decision(text: string, action: string, resource: string): string {
  const a = analyze(text);
  const role = compileRoles({ task_role: a.model }, 6).roles.find((r) => r.roleType === 'task_role')?.resource;
  return evaluate(roleStatements(role, iam, { model: a.model, version: 6 }), { action, resource, context: {} }).decision;
}

const allowsExactly = (statements: Array<Record<string, unknown>>, action: string, resource: string) =>
  statements.some((s) => s.Effect === 'Allow' && (s.Action as string[]).includes(action) && s.Resource === resource && s.Condition === undefined);

const SYMBOL_FILE = 'managed_iam_policy("AmazonS3ReadOnlyAccess")\n\niam_policy("Logs",\n  Action: ["logs:CreateLogStream"],\n  Effect: "Allow",\n  Resource: "*"\n)\n';
const STRING_FILE = 'iam_policy("Logs", [\n  {\n    "Action" => ["logs:CreateLogStream"],\n    "Effect" => "Allow",\n    "Resource" => "*"\n  }\n])\n';

test('a new iam_policy call in the symbol key style, appended after a blank line', () => {
  const fix = proposeAllowEdit(analyze(SYMBOL_FILE), 's3:PutObject', 'arn:aws:s3:::uploads/a.txt');
  assert.ok(fix.ok && fix.kind === 'newPolicy');
  assert.equal(fix.policyName, 'AllowS3PutObject');
  assert.deepEqual(fix.edits, [{ span: { start: Buffer.byteLength(SYMBOL_FILE), end: Buffer.byteLength(SYMBOL_FILE) }, text: '\niam_policy("AllowS3PutObject",\n  Action: ["s3:PutObject"],\n  Effect: "Allow",\n  Resource: "arn:aws:s3:::uploads/a.txt"\n)\n' }]);
  const after = applied(SYMBOL_FILE, fix);
  const statements = compiledStatements(after);
  assert.ok(allowsExactly(statements, 's3:PutObject', 'arn:aws:s3:::uploads/a.txt'));
  assert.equal(decision(after, 's3:PutObject', 'arn:aws:s3:::uploads/a.txt'), 'allowed');
  assert.deepEqual(statements.at(-1), { Action: ['s3:PutObject'], Effect: 'Allow', Resource: 'arn:aws:s3:::uploads/a.txt' });
});

test('a new iam_policy call in the string key style of the file', () => {
  const fix = proposeAllowEdit(analyze(STRING_FILE), 'sqs:SendMessage', 'arn:aws:sqs:us-east-1:123456789012:jobs');
  assert.ok(fix.ok && fix.kind === 'newPolicy');
  assert.equal(fix.edits[0].text, '\niam_policy("AllowSqsSendMessage",\n  "Action" => ["sqs:SendMessage"],\n  "Effect" => "Allow",\n  "Resource" => "arn:aws:sqs:us-east-1:123456789012:jobs"\n)\n');
  assert.ok(allowsExactly(compiledStatements(applied(STRING_FILE, fix)), 'sqs:SendMessage', 'arn:aws:sqs:us-east-1:123456789012:jobs'));
  assert.equal(decision(applied(STRING_FILE, fix), 'sqs:SendMessage', 'arn:aws:sqs:us-east-1:123456789012:jobs'), 'allowed');
});

test('the action joins an existing Allow statement on exactly that resource, in its layout', () => {
  const oneLine = 'iam_policy("Uploads", Action: ["s3:GetObject"], Effect: "Allow", Resource: "arn:aws:s3:::uploads/a.txt")\n';
  const fix = proposeAllowEdit(analyze(oneLine), 's3:PutObject', 'arn:aws:s3:::uploads/a.txt');
  assert.ok(fix.ok && fix.kind === 'appendAction' && fix.policyName === 'Uploads');
  assert.equal(applied(oneLine, fix), 'iam_policy("Uploads", Action: ["s3:GetObject", "s3:PutObject"], Effect: "Allow", Resource: "arn:aws:s3:::uploads/a.txt")\n');
  const multi = 'iam_policy("Uploads",\n  "Action" => [\n    "s3:GetObject",\n  ],\n  "Effect" => "Allow",\n  "Resource" => ["arn:aws:s3:::uploads/a.txt"]\n)\n';
  const m = proposeAllowEdit(analyze(multi), 's3:PutObject', 'arn:aws:s3:::uploads/a.txt');
  const after = applied(multi, m);
  assert.equal(after, 'iam_policy("Uploads",\n  "Action" => [\n    "s3:GetObject",\n    "s3:PutObject",\n  ],\n  "Effect" => "Allow",\n  "Resource" => ["arn:aws:s3:::uploads/a.txt"]\n)\n');
  const st = compiledStatements(after);
  assert.equal(decision(after, 's3:PutObject', 'arn:aws:s3:::uploads/a.txt'), 'allowed');
  assert.deepEqual(st, [{ Action: ['s3:GetObject', 's3:PutObject'], Effect: 'Allow', Resource: ['arn:aws:s3:::uploads/a.txt'] }]);
  const single = 'iam_policy("Uploads", Action: "s3:GetObject", Effect: "Allow", Resource: "arn:aws:s3:::uploads/a.txt")\n';
  assert.equal(applied(single, proposeAllowEdit(analyze(single), 's3:PutObject', 'arn:aws:s3:::uploads/a.txt')), 'iam_policy("Uploads", Action: ["s3:GetObject", "s3:PutObject"], Effect: "Allow", Resource: "arn:aws:s3:::uploads/a.txt")\n');
  const words = 'iam_policy("Uploads", Action: %w[s3:GetObject], Effect: "Allow", Resource: "arn:aws:s3:::uploads/a.txt")\n';
  assert.ok(allowsExactly(compiledStatements(applied(words, proposeAllowEdit(analyze(words), 's3:PutObject', 'arn:aws:s3:::uploads/a.txt'))), 's3:PutObject', 'arn:aws:s3:::uploads/a.txt'));
  assert.equal(decision(applied(words, proposeAllowEdit(analyze(words), 's3:PutObject', 'arn:aws:s3:::uploads/a.txt')), 's3:PutObject', 'arn:aws:s3:::uploads/a.txt'), 'allowed');
});

test('statements with a Condition, another resource, a Deny or a wider resource are not extended', () => {
  const text = [
    'iam_policy("A", Action: ["s3:GetObject"], Effect: "Allow", Resource: "arn:aws:s3:::uploads/a.txt", Condition: { Bool: { "aws:SecureTransport" => "true" } })',
    'iam_policy("B", Action: ["s3:GetObject"], Effect: "Allow", Resource: "arn:aws:s3:::uploads/*")',
    'iam_policy("C", Action: ["s3:GetObject"], Effect: "Deny", Resource: "arn:aws:s3:::uploads/a.txt")',
    'if ENV["X"]',
    '  iam_policy("D", Action: ["s3:GetObject"], Effect: "Allow", Resource: "arn:aws:s3:::uploads/a.txt")',
    'end',
    '',
  ].join('\n');
  const fix = proposeAllowEdit(analyze(text), 's3:PutObject', 'arn:aws:s3:::uploads/a.txt');
  assert.ok(fix.ok && fix.kind === 'newPolicy');
  const st = compiledStatements(applied(text, fix));
  assert.equal(decision(applied(text, fix), 's3:PutObject', 'arn:aws:s3:::uploads/a.txt'), 'allowed');
  assert.deepEqual(st.at(-1), { Action: ['s3:PutObject'], Effect: 'Allow', Resource: 'arn:aws:s3:::uploads/a.txt' });
});

test('the new policy name is unique in the file; a resource with quotes and #{ is escaped; no resource means "*"; wildcard only when asked', () => {
  const text = 'iam_policy("AllowS3PutObject", Action: ["s3:PutObject"], Effect: "Allow", Resource: "arn:aws:s3:::other/x")\n';
  const fix = proposeAllowEdit(analyze(text), 's3:PutObject', 'arn:aws:s3:::uploads/"#{x}".txt');
  assert.ok(fix.ok && fix.policyName === 'AllowS3PutObject2');
  assert.match(fix.edits[0].text, /Resource: "arn:aws:s3:::uploads\/\\"\\#\{x\}\\"\.txt"/);
  assert.ok(allowsExactly(compiledStatements(applied(text, fix)), 's3:PutObject', 'arn:aws:s3:::uploads/"#{x}".txt'));
  assert.equal(decision(applied(text, fix), 's3:PutObject', 'arn:aws:s3:::uploads/"#{x}".txt'), 'allowed');
  const none = proposeAllowEdit(analyze(''), 'ecr:GetAuthorizationToken', undefined);
  assert.ok(none.ok && none.resource === '*' && none.notes.length === 1);
  assert.equal(none.edits[0].text, 'iam_policy("AllowEcrGetAuthorizationToken",\n  Action: ["ecr:GetAuthorizationToken"],\n  Effect: "Allow",\n  Resource: "*"\n)\n');
  const wild = proposeAllowEdit(analyze(SYMBOL_FILE), 'logs:PutLogEvents', 'arn:aws:logs:us-east-1:123456789012:log-group:g:*', { wildcard: true });
  assert.ok(wild.ok && wild.kind === 'appendAction' && wild.resource === '*');
  assert.ok(allowsExactly(compiledStatements(applied(SYMBOL_FILE, wild)), 'logs:PutLogEvents', '*'));
  assert.equal(decision(applied(SYMBOL_FILE, wild), 'logs:PutLogEvents', '*'), 'allowed');
  const exact = proposeAllowEdit(analyze(SYMBOL_FILE), 'logs:PutLogEvents', 'arn:aws:logs:us-east-1:123456789012:log-group:g:*');
  assert.ok(exact.ok && exact.kind === 'newPolicy' && exact.resource === 'arn:aws:logs:us-east-1:123456789012:log-group:g:*');
});

test('refusals: already allowed, syntax errors, not an action', () => {
  const already = proposeAllowEdit(analyze(SYMBOL_FILE), 'logs:CreateLogStream', undefined);
  assert.ok(!already.ok && already.code === 'ALREADY_ALLOWED');
  const broken = proposeAllowEdit(analyze('iam_policy("X", Action: ["s3:Get'), 's3:PutObject', 'arn:aws:s3:::b');
  assert.ok(!broken.ok && broken.code === 'SYNTAX_ERRORS');
  const bad = proposeAllowEdit(analyze(''), 's3 PutObject', 'arn:aws:s3:::b');
  assert.ok(!bad.ok && bad.code === 'BAD_ACTION');
});

test('already allowed is the evaluator\'s answer: a wider unconditional Allow (s3:*, a wildcard resource, a managed policy) gets no edit; a conditional one does', () => {
  const wide = 'iam_policy("All", Action: ["s3:*"], Effect: "Allow", Resource: "arn:aws:s3:::uploads/a.txt")\n';
  const fix = proposeAllowEdit(analyze(wide), 's3:PutObject', 'arn:aws:s3:::uploads/a.txt');
  assert.ok(!fix.ok && fix.code === 'ALREADY_ALLOWED', JSON.stringify(fix));
  assert.match(fix.message, /inline policy All/);
  const star = 'iam_policy("Bucket", Action: "s3:Put*", Effect: "Allow", Resource: "arn:aws:s3:::uploads/*")\n';
  assert.equal((proposeAllowEdit(analyze(star), 's3:PutObject', 'arn:aws:s3:::uploads/a.txt') as { code?: string }).code, 'ALREADY_ALLOWED');
  const conditional = 'iam_policy("All", Action: ["s3:*"], Effect: "Allow", Resource: "arn:aws:s3:::uploads/a.txt", Condition: { Bool: { "aws:SecureTransport" => "true" } })\n';
  const edit = proposeAllowEdit(analyze(conditional), 's3:PutObject', 'arn:aws:s3:::uploads/a.txt');
  assert.ok(edit.ok && edit.kind === 'newPolicy');
  assert.equal(decision(applied(conditional, edit), 's3:PutObject', 'arn:aws:s3:::uploads/a.txt'), 'allowed');
  // A managed policy counts when the IAM data is given, and only then.
  const managed = 'managed_iam_policy("AmazonS3FullAccess")\n';
  const withData = proposeAllowEdit(analyze(managed), 's3:PutObject', 'arn:aws:s3:::uploads/a.txt', { iam });
  assert.ok(!withData.ok && withData.code === 'ALREADY_ALLOWED' && /AWS managed policy AmazonS3FullAccess/.test(withData.message), JSON.stringify(withData));
  assert.ok(proposeAllowEdit(analyze(managed), 's3:PutObject', 'arn:aws:s3:::uploads/a.txt').ok);
});
