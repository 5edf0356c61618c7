// Protocol test: `ufoIam/permissions` (the Explorer's permissions tree) spoken to the real server (dist/server.js) over
// stdio gives what `ufo-iam permissions --format json` (dist/cli.js) gives on the same project, its inline sources open
// the statement, it follows an open editor's unsaved text, an edit that changes no role moves the sources with the
// text, and a completion asked while a role with large managed policies is computed is answered first; a cancelled
// or outdated computation answers `stale`. Run `npm run build` first.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import type { CompletionList } from 'vscode-languageserver-protocol';
import type { PermissionsRequest } from '../../server/src/lsp/protocol';
import { LspClient, ROOT, fileUri } from '../support/lspClient';
import { makeProject } from '../support/project';

const CLI = path.join(ROOT, 'dist/cli.js');
const TASK_FILE = '.ufo/iam_roles/task_role.rb';
const EXEC_FILE = '.ufo/iam_roles/execution_role.rb';
const TASK_ROLE = [
  'iam_policy("S3",',
  '  Sid: "ReadBucket",',
  '  Effect: "Allow",',
  '  Action: ["s3:GetObject", "s3:ListBucket"],',
  '  Resource: "arn:aws:s3:::my-bucket/*",',
  '  Condition: { Bool: { "aws:SecureTransport" => "true" } },',
  ')',
  'iam_policy("Guard", [',
  '  { Sid: "NoDelete", Effect: "Deny", Action: "s3:DeleteObject", Resource: "*" },',
  '  { Sid: "Tables", Effect: "Allow", Action: ["dynamodb:GetItem", "dynamodb:Query", "s3:DeleteObject"], Resource: "*" },',
  '])',
  'managed_iam_policy("AmazonEC2ReadOnlyAccess")',
  'managed_iam_policy("arn:aws:iam::123456789012:policy/team-boundary")',
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

const permissions = (params: unknown) => client.request<PermissionsRequest.Result>('ufoIam/permissions', params);

function cli(dir: string): Record<string, unknown> {
  const r = spawnSync(process.execPath, [CLI, 'permissions', '--format', 'json'], { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

/** The tree's data in the CLI's JSON shape: the groups flattened back, each source by its label. */
function asCliJson(r: PermissionsRequest.Result): Record<string, unknown> {
  assert.equal(r.kind, 'permissions', JSON.stringify(r));
  if (r.kind !== 'permissions') return {};
  const flat = (services: readonly PermissionsRequest.Service[]) =>
    services.flatMap((s) => s.levels.flatMap((l) => l.actions.map((a) => ({ action: a.action, accessLevel: l.accessLevel, resources: a.resources, conditional: a.conditional, sources: a.sources.map((x) => x.label) }))));
  const out: Record<string, unknown> = {};
  for (const role of r.roles) {
    out[role.logicalId] = {
      file: role.file,
      allowed: flat(role.allowed),
      denied: flat(role.denied),
      unknownDocuments: role.unknownDocuments.map((u) => (u.arn ? { arn: u.arn, reason: u.reason } : { source: u.label, reason: u.reason })),
      ...(role.unknownRole ? { unknownRole: role.unknownRole } : {}),
    };
  }
  return { ...out, notConsidered: r.notConsidered, dataDate: r.dataDate, managedPoliciesDate: r.managedPoliciesDate };
}

const textAt = (text: string, range: PermissionsRequest.Source['range']) => {
  const lines = text.split('\n');
  assert.ok(range);
  return lines.slice(range.start.line, range.end.line + 1).join('\n').slice(range.start.character, undefined);
};

test('permissions: the same answer as ufo-iam permissions --format json', async () => {
  const r = await permissions({ uri: fileUri(root) });
  assert.deepEqual(asCliJson(r), cli(root));
  assert.ok(r.kind === 'permissions');
  const task = r.roles.find((x) => x.logicalId === 'TaskRole')!;
  // The fixture exercises every part of the tree: inline and managed sources, a Deny, a condition, an unknown document.
  assert.ok(task.counts.conditional > 0 && task.counts.denied === 1 && task.unknownDocuments.length === 1, JSON.stringify(task.counts));
  assert.ok(task.allowed.some((s) => s.service === 'ec2' && s.name.length > 0));
  assert.equal(task.counts.allowed, task.allowed.flatMap((s) => s.levels.flatMap((l) => l.actions)).length);
  assert.deepEqual(r.unsaved, []);
  assert.equal(r.root, root);
});

test('permissions: an inline source carries its file URI and the statement\'s range; a managed one its ARN', async () => {
  const r = await permissions({ uri: fileUri(path.join(root, TASK_FILE)) });
  assert.ok(r.kind === 'permissions');
  const task = r.roles.find((x) => x.logicalId === 'TaskRole')!;
  assert.equal(task.fileUri, fileUri(path.join(root, TASK_FILE)));
  const query = task.allowed.find((s) => s.service === 'dynamodb')!.levels.flatMap((l) => l.actions).find((a) => a.action === 'dynamodb:Query')!;
  assert.equal(query.sources.length, 1);
  const src = query.sources[0];
  assert.equal(src.kind, 'inline');
  assert.equal(src.uri, fileUri(path.join(root, TASK_FILE)));
  assert.equal(src.label, `${TASK_FILE}:10`);
  assert.equal(src.sid, 'Tables');
  assert.match(textAt(TASK_ROLE, src.range), /^\{ Sid: "Tables"/);
  assert.equal(src.range!.start.line, 9);
  const denied = task.denied.flatMap((s) => s.levels.flatMap((l) => l.actions));
  assert.deepEqual(denied.map((a) => [a.action, a.sources.map((s) => s.sid)]), [['s3:DeleteObject', ['NoDelete']]]);
  const ec2 = task.allowed.find((s) => s.service === 'ec2')!.levels[0].actions[0].sources[0];
  assert.equal(ec2.kind, 'managed');
  assert.equal(ec2.label, 'AmazonEC2ReadOnlyAccess');
  assert.equal(ec2.arn, 'arn:aws:iam::aws:policy/AmazonEC2ReadOnlyAccess');
  assert.equal(ec2.uri, undefined);
});

test('permissions: an open editor\'s unsaved text is listed and named; an edit that changes no role moves the sources', async () => {
  const uri = fileUri(path.join(root, TASK_FILE));
  const edited = TASK_ROLE + 'iam_policy("Logs", Effect: "Allow", Action: "logs:PutLogEvents", Resource: "*")\n';
  client.open(uri, edited);
  const r = await permissions({ uri });
  assert.ok(r.kind === 'permissions', JSON.stringify(r));
  assert.deepEqual(r.unsaved, [TASK_FILE]);
  const logs = r.roles.find((x) => x.logicalId === 'TaskRole')!.allowed.find((s) => s.service === 'logs');
  assert.deepEqual(logs?.levels.flatMap((l) => l.actions).map((a) => [a.action, a.sources.map((s) => s.label)]), [['logs:PutLogEvents', [`${TASK_FILE}:14`]]]);
  // Two comment lines above: the same roles (an answer kept from before), every inline source two lines down.
  client.replace(uri, `# a comment\n# another\n${edited}`);
  const moved = await permissions({ uri });
  assert.ok(moved.kind === 'permissions');
  const sources = (x: PermissionsRequest.Result) =>
    x.kind === 'permissions' ? x.roles.flatMap((role) => [...role.allowed, ...role.denied].flatMap((s) => s.levels.flatMap((l) => l.actions.flatMap((a) => a.sources.filter((src) => src.kind === 'inline'))))) : [];
  const was = sources(r);
  const now = sources(moved);
  assert.ok(was.length > 0);
  assert.deepEqual(now.map((s) => s.range!.start.line), was.map((s) => s.range!.start.line + 2));
  assert.deepEqual(now.map((s) => s.label), was.map((s) => s.label.replace(/:(\d+)$/, (_, n) => `:${Number(n) + 2}`)));
  client.close(uri);
  const disk = await permissions({ uri });
  assert.deepEqual(asCliJson(disk), cli(root));
});

test('permissions: UFO failing to build, no role, or no project is refused with a message', async () => {
  const broken = makeProject({ '.ufo/settings.yml': '', [TASK_FILE]: 'iam_policy("A", Effect: "Allow", Action: "s3:GetObject", Resource: "*")\niam_policy(\n' });
  const b = await permissions({ uri: fileUri(broken) });
  assert.ok(b.kind === 'refused' && b.code === 'BUILD_FAILS' && (b.problems?.length ?? 0) > 0, JSON.stringify(b));
  const empty = makeProject({ '.ufo/settings.yml': '', [TASK_FILE]: '# nothing yet\n' });
  const e = await permissions({ uri: fileUri(empty) });
  assert.ok(e.kind === 'refused' && e.code === 'NO_ROLE', JSON.stringify(e));
  const outside = makeProject({ 'README.md': 'no .ufo here\n' });
  const o = await permissions({ uri: fileUri(outside) });
  assert.ok(o.kind === 'refused' && o.code === 'NOT_A_PROJECT');
  await assert.rejects(permissions({}), /uri must be a string/);
});

// ReadOnlyAccess alone reaches thousands of actions; with the other large policies the computation takes many steps.
const LARGE_ROLE = [
  'managed_iam_policy("ReadOnlyAccess")',
  'managed_iam_policy("AmazonS3FullAccess")',
  'managed_iam_policy("AmazonEC2FullAccess")',
  'managed_iam_policy("AWSLambda_FullAccess")',
  'managed_iam_policy("CloudWatchFullAccess")',
  'iam_policy("S3", Effect: "Allow", Action: ["s3:GetObject"], Resource: "*")',
  '',
].join('\n');

test('permissions: a completion asked while a role with large managed policies is computed is answered first', async () => {
  const large = makeProject({ '.ufo/settings.yml': '', [TASK_FILE]: LARGE_ROLE });
  const uri = fileUri(path.join(large, TASK_FILE));
  client.open(uri, LARGE_ROLE);
  await client.waitForDiagnostics(uri);
  const position = { line: 5, character: LARGE_ROLE.split('\n')[5].indexOf('"s3:GetObject"') + 4 }; // after `"s3:`
  const warm = await client.request<CompletionList | null>('textDocument/completion', { textDocument: { uri }, position });
  assert.ok(warm && warm.items.length > 0);
  // Each round changes the roles (a new action), so no answer is kept from the round before.
  for (let round = 0; round < 3; round++) {
    const text = LARGE_ROLE + `iam_policy("Round${round}", Effect: "Allow", Action: "sqs:SendMessage", Resource: "*")\n`;
    client.replace(uri, text);
    await client.waitForDiagnostics(uri);
    const order: string[] = [];
    const started = Date.now();
    const p = permissions({ uri }).then((r) => {
      order.push('permissions');
      return { r, ms: Date.now() - started };
    });
    const c = client.request<CompletionList | null>('textDocument/completion', { textDocument: { uri }, position }).then((r) => {
      order.push('completion');
      return { r, ms: Date.now() - started };
    });
    const [perm, comp] = await Promise.all([p, c]);
    assert.ok(perm.r.kind === 'permissions', JSON.stringify(perm.r).slice(0, 300));
    assert.ok(comp.r && comp.r.items.length > 0);
    assert.ok(perm.r.roles[0].counts.allowed > 5000, `${perm.r.roles[0].counts.allowed} actions`);
    assert.deepEqual(order, ['completion', 'permissions'], `completion after ${comp.ms} ms, permissions after ${perm.ms} ms`);
  }
  client.close(uri);
});

test('permissions: a cancelled request, or one overtaken by an edit, answers stale; the next one answers', async () => {
  const large = makeProject({ '.ufo/settings.yml': '', [TASK_FILE]: LARGE_ROLE });
  const uri = fileUri(path.join(large, TASK_FILE));
  client.open(uri, LARGE_ROLE);
  await client.waitForDiagnostics(uri);
  const source = new CancellationTokenSource();
  const cancelled = client.connection.sendRequest<PermissionsRequest.Result>('ufoIam/permissions', { uri }, source.token);
  setImmediate(() => source.cancel());
  assert.deepEqual(await cancelled, { kind: 'stale' });
  const overtaken = permissions({ uri });
  client.replace(uri, LARGE_ROLE + 'iam_policy("Queue", Effect: "Allow", Action: "sqs:SendMessage", Resource: "*")\n');
  assert.deepEqual(await overtaken, { kind: 'stale' });
  const r = await permissions({ uri });
  assert.ok(r.kind === 'permissions');
  assert.ok(r.roles[0].allowed.some((s) => s.levels.some((l) => l.actions.some((a) => a.action === 'sqs:SendMessage' && a.sources[0].label === `${TASK_FILE}:7`))));
  client.close(uri);
});

test('permissions: a full answer that would list tens of megabytes comes as the overview, and its services one by one (fuzz seed 1118034000)', async () => {
  // Every action but one, each with a 2,000-character resource: about 45 MB to list.
  const text = `iam_policy("All", NotAction: ["s3:Nothing"], Effect: "Allow", NotResource: ["arn:aws:s3:::${'a'.repeat(2000)}"])\n`;
  const root = makeProject({ '.ufo/settings.yml': '', [TASK_FILE]: text });
  const uri = fileUri(path.join(root, TASK_FILE));
  client.open(uri, text);
  await client.waitForDiagnostics(uri);
  const r = await permissions({ uri });
  assert.ok(r.kind === 'permissions', JSON.stringify(r).slice(0, 200));
  assert.equal(r.overview, true);
  const task = r.roles.find((x) => x.logicalId === 'TaskRole')!;
  assert.ok(task.counts.allowed > 10_000, `${task.counts.allowed} actions`);
  assert.ok(JSON.stringify(r).length < 1_000_000);
  const s3 = await permissions({ uri, service: { role: 'TaskRole', denied: false, service: 's3' } });
  assert.ok(s3.kind === 'service' && s3.service.levels.every((l) => l.actions.length === l.count && l.actions.every((a) => a.resources[0].length > 2000)));
  client.close(uri);
});

test('permissions: so does one whose policy name, repeated on every action, is what would make it tens of megabytes (fuzz seed 1311345277)', async () => {
  // Every action but one, each with this statement as its source: about 140 MB in a full answer.
  const text = `iam_policy("${'n'.repeat(6000)}", NotAction: ["s3:Nothing"], Effect: "Allow", Resource: "*")\n`;
  const root = makeProject({ '.ufo/settings.yml': '', [TASK_FILE]: text });
  const uri = fileUri(path.join(root, TASK_FILE));
  client.open(uri, text);
  await client.waitForDiagnostics(uri);
  const started = Date.now();
  const r = await permissions({ uri });
  assert.ok(r.kind === 'permissions', JSON.stringify(r).slice(0, 200));
  assert.equal(r.overview, true);
  assert.ok(r.roles.find((x) => x.logicalId === 'TaskRole')!.counts.allowed > 10_000);
  assert.ok(JSON.stringify(r).length < 1_000_000, `${JSON.stringify(r).length} characters`);
  assert.ok(Date.now() - started < 2000, `${Date.now() - started} ms`);
  client.close(uri);
});

test('permissions: the overview counts each level without listing its actions; a service asked for lists them as the full answer does', async () => {
  const large = makeProject({ '.ufo/settings.yml': '', [TASK_FILE]: LARGE_ROLE });
  const uri = fileUri(path.join(large, TASK_FILE));
  client.open(uri, LARGE_ROLE);
  await client.waitForDiagnostics(uri);
  const full = await permissions({ uri });
  const overview = await permissions({ uri, overview: true });
  assert.ok(full.kind === 'permissions' && overview.kind === 'permissions');
  assert.equal(overview.overview, true);
  assert.equal(full.overview, undefined);
  // Small enough that writing it never holds the server: the full answer of this role is megabytes.
  const sizes = [JSON.stringify(overview).length, JSON.stringify(full).length];
  assert.ok(sizes[0] < 100_000 && sizes[1] > 1_000_000, `overview ${sizes[0]} bytes, full ${sizes[1]} bytes`);
  const task = (r: typeof full) => (r.kind === 'permissions' ? r.roles.find((x) => x.logicalId === 'TaskRole')! : assert.fail('no answer'));
  // Same services, levels and counts; no actions in the overview.
  const shape = (r: typeof full) => task(r).allowed.map((s) => [s.service, s.levels.map((l) => [l.accessLevel, l.count])]);
  assert.deepEqual(shape(overview), shape(full));
  assert.ok(task(overview).allowed.every((s) => s.levels.every((l) => l.actions.length === 0)));
  assert.ok(task(full).allowed.every((s) => s.levels.every((l) => l.actions.length === l.count)));
  // Each service asked for gives exactly the full answer's service.
  for (const service of ['s3', 'ec2', 'lambda', 'sqs']) {
    const one = await permissions({ uri, service: { role: 'TaskRole', denied: false, service } });
    assert.ok(one.kind === 'service', JSON.stringify(one).slice(0, 200));
    assert.deepEqual(one.service, task(full).allowed.find((s) => s.service === service), service);
  }
  const none = await permissions({ uri, service: { role: 'TaskRole', denied: true, service: 's3' } });
  assert.ok(none.kind === 'service');
  assert.deepEqual(none.service.levels, []);
  client.close(uri);
});
