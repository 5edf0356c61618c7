// Protocol test: `ufoIam/can` spoken to the real server (dist/server.js) over stdio gives what `ufo-iam can --format
// json` (dist/cli.js) gives on the same project: allowed, explicitly denied, not allowed, depends on conditions with
// and without the context; an open editor's unsaved text changes the answer and says so; the roles the project builds;
// refusals. Run `npm run build` first.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import type { CanRequest } from '../../server/src/lsp/protocol';
import { LspClient, ROOT, fileUri } from '../support/lspClient';
import { makeProject } from '../support/project';

const CLI = path.join(ROOT, 'dist/cli.js');
const TASK_FILE = '.ufo/iam_roles/task_role.rb';
const EXEC_FILE = '.ufo/iam_roles/execution_role.rb';
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
  '])',
  'managed_iam_policy("AmazonEC2ReadOnlyAccess")',
  '',
].join('\n');
const EXEC_ROLE = 'managed_iam_policy("service-role/AmazonECSTaskExecutionRolePolicy")\n';

let client: LspClient;
let root: string;

before(async () => {
  root = makeProject({ '.ufo/settings.yml': '', [TASK_FILE]: TASK_ROLE, [EXEC_FILE]: EXEC_ROLE });
  client = await LspClient.start();
});
after(async () => {
  await client.stop();
});

const can = (params: unknown) => client.request<CanRequest.Result>('ufoIam/can', params);

/** `ufo-iam can … --format json` in the project root, as a list of per-role objects. */
function cli(args: string[]): { code: number | null; answers: unknown[] } {
  const r = spawnSync(process.execPath, [CLI, 'can', ...args, '--format', 'json'], { cwd: root, encoding: 'utf8' });
  assert.ok(r.status !== 2, r.stderr);
  const json = JSON.parse(r.stdout);
  return { code: r.status, answers: Array.isArray(json) ? json : [json] };
}

/** The server's answers less what the CLI does not print (the URIs). */
function withoutUris(r: CanRequest.Result): unknown[] {
  assert.equal(r.kind, 'answered', JSON.stringify(r));
  if (r.kind !== 'answered') return [];
  return r.answers.map(({ fileUri: _f, ...a }) => ({ ...a, matched: a.matched.map((m) => (m.source.kind === 'inline' ? { ...m, source: (({ uri: _u, ...s }) => s)(m.source) } : m)) }));
}

const EXIT: Record<string, number> = { allowed: 0, explicitDeny: 1, implicitDeny: 1, conditional: 3 };

const QUESTIONS: Array<{ name: string; action: string; resource?: string; role?: CanRequest.Role; context?: string[]; overall: string }> = [
  { name: 'allowed (inline, with the context)', action: 's3:GetObject', resource: 'arn:aws:s3:::my-bucket/report.csv', role: 'TaskRole', context: ['aws:SecureTransport=true'], overall: 'allowed' },
  { name: 'conditional without the context', action: 's3:GetObject', resource: 'arn:aws:s3:::my-bucket/report.csv', role: 'TaskRole', overall: 'conditional' },
  { name: 'allowed with the key marked absent', action: 's3:GetObject', resource: 'arn:aws:s3:::my-bucket/report.csv', role: 'TaskRole', context: ['!aws:SecureTransport'], overall: 'allowed' },
  { name: 'explicit Deny', action: 's3:DeleteObject', resource: 'arn:aws:s3:::my-bucket/x', role: 'TaskRole', context: ['AWS:SECURETRANSPORT=true'], overall: 'explicitDeny' },
  { name: 'implicit deny', action: 'dynamodb:GetItem', role: 'TaskRole', context: ['aws:SecureTransport=true'], overall: 'implicitDeny' },
  { name: 'a managed policy decides', action: 'ec2:DescribeInstances', role: 'TaskRole', context: ['aws:SecureTransport=true'], overall: 'allowed' },
  { name: 'every role, one not allowed', action: 'ecr:GetAuthorizationToken', context: ['aws:SecureTransport=true'], overall: 'implicitDeny' },
];

for (const q of QUESTIONS) {
  test(`can: the same answer as ufo-iam can: ${q.name}`, async () => {
    const args = [q.action, ...(q.resource ? [q.resource] : []), '.', ...(q.role ? ['--role', q.role] : []), ...(q.context ?? []).flatMap((c) => ['--context', c])];
    const expected = cli(args);
    const r = await can({ uri: fileUri(root), action: q.action, ...(q.resource ? { resource: q.resource } : {}), ...(q.role ? { role: q.role } : {}), ...(q.context ? { context: q.context } : {}) });
    assert.equal(r.kind, 'answered', JSON.stringify(r));
    if (r.kind !== 'answered') return;
    assert.equal(r.overall, q.overall);
    assert.equal(expected.code, EXIT[r.overall]);
    assert.deepEqual(withoutUris(r), expected.answers);
    assert.deepEqual(r.unsaved, []);
    assert.match(r.lines.at(-2)!, /^note: Only the role's identity-based policies/);
    assert.match(r.dataDate, /^\d{4}-\d{2}-\d{2}$/);
  });
}

test('can: deciding statements carry the role file URI, line and Sid, or the managed policy name', async () => {
  const r = await can({ uri: fileUri(path.join(root, TASK_FILE)), action: 's3:DeleteObject', resource: 'arn:aws:s3:::b/x', role: 'TaskRole', context: ['aws:SecureTransport=true'] });
  assert.ok(r.kind === 'answered');
  const deciding = r.answers[0].matched.filter((m) => m.deciding);
  assert.deepEqual(deciding.map((m) => m.source), [{ kind: 'inline', file: TASK_FILE, uri: fileUri(path.join(root, TASK_FILE)), line: 9, policyName: 'NoPlainHttp', sid: 'DenyDelete' }]);
  assert.equal(r.answers[0].fileUri, fileUri(path.join(root, TASK_FILE)));
  assert.match(r.lines[0], /^TaskRole: explicitly denied: s3:DeleteObject on arn:aws:s3:::b\/x/);
  const managed = await can({ uri: fileUri(root), action: 'ecr:GetAuthorizationToken', role: 'ExecutionRole' });
  assert.ok(managed.kind === 'answered');
  assert.equal(managed.answers[0].matched[0].source.kind, 'managed');
  assert.equal((managed.answers[0].matched[0].source as { policyName: string }).policyName, 'AmazonECSTaskExecutionRolePolicy');
});

test('can: an open editor\'s unsaved text is evaluated, and the result says so; closing it returns to the disk', async () => {
  const uri = fileUri(path.join(root, TASK_FILE));
  const params = { uri, action: 'dynamodb:GetItem', resource: 'arn:aws:dynamodb:us-east-1:123456789012:table/t', role: 'TaskRole', context: ['aws:SecureTransport=true'] };
  const before = await can(params);
  assert.ok(before.kind === 'answered' && before.overall === 'implicitDeny');
  client.open(uri, TASK_ROLE + 'iam_policy("Db", Effect: "Allow", Action: "dynamodb:GetItem", Resource: "*")\n');
  const edited = await can(params);
  assert.ok(edited.kind === 'answered', JSON.stringify(edited));
  assert.equal(edited.overall, 'allowed');
  assert.deepEqual(edited.unsaved, [TASK_FILE]);
  assert.deepEqual(edited.answers[0].matched.filter((m) => m.deciding).map((m) => m.source.kind === 'inline' && [m.source.policyName, m.source.line]), [['Db', 12]]);
  // The CLI reads the disk, which still says no.
  assert.equal(cli(['dynamodb:GetItem', 'arn:aws:dynamodb:us-east-1:123456789012:table/t', '.', '--role', 'TaskRole', '--context', 'aws:SecureTransport=true']).code, 1);
  // An open editor whose text is the file's: the same answer as the disk, and nothing unsaved.
  client.replace(uri, TASK_ROLE);
  const same = await can(params);
  assert.ok(same.kind === 'answered' && same.overall === 'implicitDeny');
  assert.deepEqual(same.unsaved, []);
  client.close(uri);
});

test('can: without an action, the roles the project builds; an unbuilt role, a bad action or context line is refused', async () => {
  assert.deepEqual(await can({ uri: fileUri(root) }), { kind: 'roles', root, source: 'ufo', roles: ['TaskRole', 'ExecutionRole'] });
  const onlyTask = makeProject({ '.ufo/settings.yml': '', [TASK_FILE]: TASK_ROLE });
  const roles = await can({ uri: fileUri(onlyTask) });
  assert.ok(roles.kind === 'roles');
  assert.deepEqual(roles.roles, ['TaskRole']);
  const none = await can({ uri: fileUri(onlyTask), action: 'ecr:GetAuthorizationToken', role: 'ExecutionRole' });
  assert.ok(none.kind === 'refused' && none.code === 'NO_ROLE', JSON.stringify(none));
  assert.match(none.message, /^The project builds no ExecutionRole/);
  for (const bad of [{ action: 's3:Get*' }, { action: 'GetObject' }, { action: 's3:GetObject', context: ['novalue'] }, { action: 's3:GetObject', context: ['k=v', '!k'] }, { action: 's3:GetObject', role: 'Other' }, { action: 3 }]) {
    const r = await can({ uri: fileUri(root), ...bad });
    assert.ok(r.kind === 'refused' && r.code === 'INVALID_PARAMS', JSON.stringify([bad, r]));
  }
  const outside = makeProject({ 'README.md': 'no .ufo here\n' });
  const r = await can({ uri: fileUri(outside), action: 's3:GetObject' });
  assert.ok(r.kind === 'refused' && r.code === 'NOT_A_PROJECT');
  await assert.rejects(can({ action: 's3:GetObject' }), /uri must be a string/);
});
