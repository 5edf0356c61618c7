// Protocol test: `ufoIam/planRoles`, `ufoIam/applyRoles` (with `ufoIam/applyProgress`) and
// `ufoIam/taskDefinitionArns`, spoken to the real server (dist/server.js, which loads dist/aws.js on the
// first plan) over stdio, against the IAM emulator started in this process. Run `npm run build` first.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextEdit } from 'vscode-languageserver-protocol';
import type { ApplyProgressNotification, ApplyRolesRequest, PlanRolesRequest, TaskDefinitionArnsRequest } from '../../server/src/lsp/protocol';
import { EMULATOR_ACCOUNT_ID, MUTATING_ACTIONS, startIamEndpoint, type IamEndpoint } from '../support/iamEndpoint';
import { FAKE_CREDENTIALS, isolateAwsEnvironment, leakedSecrets } from '../support/iamTestEnv';
import { LspClient, fileUri } from '../support/lspClient';
import { makeProject } from '../support/project';

type Plan = Extract<PlanRolesRequest.Result, { kind: 'plan' }>;
type Refusal = Extract<PlanRolesRequest.Result, { kind: 'refused' }>;

const TASK_ROLE = 'demo-web-dev-TaskRole';
const EXECUTION_ROLE = 'demo-web-dev-ExecutionRole';
const arnOf = (name: string): string => `arn:aws:iam::${EMULATOR_ACCOUNT_ID}:role/${name}`;

const TASK_ROLE_RB = 'iam_policy("S3Read", Action: ["s3:GetObject"], Effect: "Allow", Resource: "*")\n';
const EXECUTION_ROLE_RB = 'managed_iam_policy("service-role/AmazonECSTaskExecutionRolePolicy")\n';
/** A v5 main.json.erb with ERB tags, non-ASCII before the insertion point (UTF-16 ≠ bytes) and an astral character. */
const MAIN_JSON_ERB = [
  '<%# The démo task definition 🚀 %>',
  '{',
  '  "family": "<%= @family %>-résumé-🚀",',
  '  "networkMode": "awsvpc",',
  '  "containerDefinitions": [',
  '    {',
  '      "name": "<%= @name %>",',
  '      "image": "<%= @image %>",',
  '      <% if @memory %>',
  '      "memory": <%= @memory %>,',
  '      <% end %>',
  '      "environment": <%= @environment.to_json %>,',
  '      "essential": true',
  '    }',
  '  ]',
  '}',
  '',
].join('\n');

let env: ReturnType<typeof isolateAwsEnvironment>;
let endpoint: IamEndpoint;
let client: LspClient;
let root: string;
const progress: ApplyProgressNotification.Params[] = [];

before(async () => {
  env = isolateAwsEnvironment();
  endpoint = await startIamEndpoint();
  root = makeProject({
    '.ufo/settings.yml': 'development:\n  aws_profile: default\n',
    '.ufo/precreated_iam_roles/task_role.rb': TASK_ROLE_RB,
    '.ufo/precreated_iam_roles/execution_role.rb': EXECUTION_ROLE_RB,
    '.ufo/templates/main.json.erb': MAIN_JSON_ERB,
  });
  client = await LspClient.start({
    // Credentials come from the environment, as the SDK's default chain finds them for a user.
    env: {
      AWS_ACCESS_KEY_ID: FAKE_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: FAKE_CREDENTIALS.secretAccessKey,
      AWS_SESSION_TOKEN: FAKE_CREDENTIALS.sessionToken,
    },
    settings: { app: 'demo', env: 'dev', roleNameTemplate: '{app}-{role}-{env}-{logicalId}', aws: { endpoint: endpoint.url, region: 'us-east-1' } },
  });
  client.connection.onNotification('ufoIam/applyProgress', (p: ApplyProgressNotification.Params) => void progress.push(p));
});

after(async () => {
  await client.stop();
  await endpoint.close();
  fs.rmSync(root, { recursive: true, force: true });
  env.restore();
});

const writes = (): string[] => endpoint.requests.filter((r) => MUTATING_ACTIONS.has(r.action)).map((r) => `${r.action} ${r.params.RoleName ?? ''}`.trim());

async function plan(uri = fileUri(root)): Promise<PlanRolesRequest.Result> {
  return client.request<PlanRolesRequest.Result>('ufoIam/planRoles', { uri });
}

async function planOk(uri?: string): Promise<Plan> {
  const result = await plan(uri);
  assert.equal(result.kind, 'plan', JSON.stringify(result));
  return result as Plan;
}

async function apply(planId: string, adopt?: boolean): Promise<ApplyRolesRequest.Result> {
  progress.length = 0;
  return client.request<ApplyRolesRequest.Result>('ufoIam/applyRoles', { planId, ...(adopt === undefined ? {} : { adopt }) });
}

/** Everything the server said, for the credential check. */
function everything(...results: unknown[]): string {
  return [JSON.stringify(results), JSON.stringify(progress), client.logs.join('\n'), client.stderr.join('')].join('\n');
}

describe('plan and apply', () => {
  let first: Plan;

  test('a plan from nothing: account, region, counts and the live ↔ desired JSON of each role; nothing is written', async () => {
    endpoint.state.reset();
    first = await planOk();
    assert.equal(first.account, EMULATOR_ACCOUNT_ID);
    assert.equal(first.region, 'us-east-1');
    assert.equal(first.endpoint, endpoint.url);
    assert.equal(first.ufoVersion, 5);
    assert.equal(fs.realpathSync(first.root), fs.realpathSync(root));
    assert.deepEqual(
      { total: first.plan.total, add: first.plan.add, change: first.plan.change, remove: first.plan.remove },
      { total: 4, add: 4, change: 0, remove: 0 },
    );
    assert.equal(first.plan.byKind.createRole, 2);
    assert.equal(first.plan.byKind.putPolicy, 1);
    assert.equal(first.plan.byKind.attachPolicy, 1);
    assert.equal(first.plan.words, '2 roles to create, 1 inline policy to put, 1 managed policy to attach');
    assert.equal(first.plan.canApply, true);
    assert.equal(first.adopt, undefined, 'no role exists, so there is nothing to adopt');
    assert.deepEqual(
      first.roles.map((r) => [r.logicalId, r.roleName, r.status, r.exists]),
      [
        ['TaskRole', TASK_ROLE, 'create', false],
        ['ExecutionRole', EXECUTION_ROLE, 'create', false],
      ],
    );
    const task = first.roles[0];
    assert.equal(task.live, '', 'a role that does not exist has an empty live side');
    assert.equal(task.fileUri, fileUri(path.join(first.root, '.ufo/precreated_iam_roles/task_role.rb')));
    const desired = JSON.parse(task.desired);
    assert.equal(desired.RoleName, TASK_ROLE);
    assert.deepEqual(desired.Policies, [
      { PolicyName: 'S3Read', PolicyDocument: { Version: '2012-10-17', Statement: [{ Action: ['s3:GetObject'], Effect: 'Allow', Resource: '*' }] } },
    ]);
    assert.deepEqual(desired.Tags, [{ Key: 'managed-by', Value: 'ufo-iam' }]);
    assert.deepEqual(JSON.parse(first.roles[1].desired).ManagedPolicyArns, ['arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy']);
    assert.match(first.text, /Plan: 4 to add, 0 to change, 0 to remove/);
    // The access diff the plan computed (the same planRoles as `ufo-iam plan`): a role created from nothing gains all it allows.
    assert.deepEqual(task.access, ['+ 1 action: 1 Read']);
    assert.match(first.roles[1].access[0], /^\+ \d+ actions: \d+ Read, \d+ Write$/);
    assert.match(first.text, /\n {4}access:\n {8}\+ 1 action: 1 Read\n/);
    assert.match(first.accessNote ?? '', /^Only the role's identity-based policies are evaluated: .* IAM data of \d{4}-\d{2}-\d{2} \(managed policies as of \d{4}-\d{2}-\d{2}\)\.$/);
    assert.deepEqual(writes(), [], 'planning changes nothing');
  });

  test('apply runs the plan with a progress notification before and after each step, in order', async () => {
    const result = await apply(first.planId);
    assert.equal(result.status, 'applied', result.message);
    const steps = [
      `Create role ${TASK_ROLE} (TaskRole) with the trust policy and tag managed-by=ufo-iam`,
      `Create role ${EXECUTION_ROLE} (ExecutionRole) with the trust policy and tag managed-by=ufo-iam`,
      `Add inline policy "S3Read" on role ${TASK_ROLE}`,
      `Attach managed policy arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy to role ${EXECUTION_ROLE}`,
    ];
    assert.deepEqual(result.done, steps);
    assert.deepEqual(result.remaining, []);
    assert.deepEqual(
      progress.map((p) => [p.planId, p.index, p.total, p.state, p.message]),
      steps.flatMap((s, i) => [
        [first.planId, i, 4, 'started', `[${i + 1}/4] ${s}`],
        [first.planId, i, 4, 'succeeded', `[${i + 1}/4] ${s}`],
      ]),
    );
    assert.deepEqual(writes(), [`CreateRole ${TASK_ROLE}`, `CreateRole ${EXECUTION_ROLE}`, `PutRolePolicy ${TASK_ROLE}`, `AttachRolePolicy ${EXECUTION_ROLE}`]);
    assert.deepEqual(endpoint.state.snapshot(TASK_ROLE)?.tags, { 'managed-by': 'ufo-iam' });
    assert.deepEqual(Object.keys(endpoint.state.snapshot(TASK_ROLE)?.inline ?? {}), ['S3Read']);
    assert.deepEqual(result.roles, [
      { logicalId: 'TaskRole', roleName: TASK_ROLE },
      { logicalId: 'ExecutionRole', roleName: EXECUTION_ROLE },
    ]);
    assert.deepEqual(leakedSecrets(everything(first, result)), []);

    const again = await apply(first.planId);
    assert.equal(again.status, 'expired', 'a plan is applied once');
  });

  test('the second plan has no changes, and applying it reports no changes', async () => {
    const before = writes().length;
    const second = await planOk();
    assert.equal(second.plan.hasChanges, false);
    assert.equal(second.plan.total, 0);
    assert.equal(second.plan.words, '');
    assert.deepEqual(second.roles.map((r) => r.status), ['unchanged', 'unchanged']);
    assert.deepEqual(second.roles.map((r) => r.access), [[], []]);
    assert.equal(second.roles[0].arn, arnOf(TASK_ROLE));
    assert.deepEqual(JSON.parse(second.roles[0].live), JSON.parse(second.roles[0].desired), 'live and desired JSON agree');
    assert.match(second.text, /No changes\. The IAM roles match the configuration\./);
    const result = await apply(second.planId);
    assert.equal(result.status, 'noChanges');
    assert.match(result.message, /^No changes/);
    assert.equal(writes().length, before);
  });

  test('a failure in the middle says what failed (AccessDenied names the permission), what was done and what remains; a re-run completes it', async () => {
    endpoint.state.reset();
    endpoint.requests.length = 0;
    endpoint.inject({ action: 'AttachRolePolicy', error: 'AccessDenied' });
    const planned = await planOk();
    const result = await apply(planned.planId);
    assert.equal(result.status, 'failed');
    assert.equal(result.failed?.code, 'AccessDenied');
    assert.equal(result.failed?.operation, 'AttachRolePolicy');
    assert.equal(result.failed?.missingPermission, 'iam:AttachRolePolicy');
    assert.match(result.failed?.explanation ?? '', /lack the permission iam:AttachRolePolicy on role demo-web-dev-ExecutionRole/);
    assert.equal(result.done.length, 3);
    assert.deepEqual(result.remaining, [`Attach managed policy arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy to role ${EXECUTION_ROLE}`]);
    assert.match(result.message, /Apply stopped at step 4 of 4/);
    assert.match(result.message, /Not done \(1\):/);
    assert.deepEqual(progress.at(-1)?.state, 'failed');
    assert.deepEqual(leakedSecrets(everything(planned, result)), []);

    const rest = await planOk();
    assert.equal(rest.plan.total, 1);
    assert.equal(rest.plan.byKind.attachPolicy, 1);
    const completed = await apply(rest.planId);
    assert.equal(completed.status, 'applied', completed.message);
    assert.deepEqual(completed.done, result.remaining);
  });

  test('a role that exists without the managed-by tag is refused without adoption and applied with it', async () => {
    endpoint.state.reset();
    endpoint.state.seedRole({ roleName: TASK_ROLE, inline: { Legacy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] } } });
    endpoint.requests.length = 0;
    const planned = await planOk();
    const task = planned.roles.find((r) => r.logicalId === 'TaskRole')!;
    assert.equal(task.status, 'blocked');
    assert.equal(task.exists, true);
    assert.equal(task.managed, false);
    assert.deepEqual(task.steps, []);
    assert.deepEqual(task.adoptSteps, [
      `Adopt role ${TASK_ROLE}: tag it managed-by=ufo-iam`,
      `Add inline policy "S3Read" on role ${TASK_ROLE}`,
      `Delete inline policy "Legacy" from role ${TASK_ROLE}`,
    ]);
    assert.deepEqual(Object.keys(JSON.parse(task.live).Policies.reduce((a: object, p: { PolicyName: string }) => ({ ...a, [p.PolicyName]: 1 }), {})), ['Legacy']);
    assert.equal(planned.plan.canApply, false);
    assert.match(planned.plan.problems.join('\n'), /exists but has no managed-by=ufo-iam tag/);
    assert.ok(planned.adopt, 'the adoption plan comes with the plan');
    assert.equal(planned.adopt.canApply, true);
    assert.equal(planned.adopt.byKind.tagRole, 1);
    assert.equal(planned.adopt.words, '1 role to create, 1 role to adopt, 1 inline policy to put, 1 inline policy to delete, 1 managed policy to attach');

    const refused = await apply(planned.planId);
    assert.equal(refused.status, 'refused');
    assert.match(refused.message, /Role demo-web-dev-TaskRole exists but has no managed-by=ufo-iam tag/);
    assert.deepEqual(writes(), [], 'nothing is written without adoption');
    assert.deepEqual(progress, []);

    const adopted = await apply(planned.planId, true);
    assert.equal(adopted.status, 'applied', adopted.message);
    assert.equal(adopted.done[0], `Create role ${EXECUTION_ROLE} (ExecutionRole) with the trust policy and tag managed-by=ufo-iam`);
    assert.equal(adopted.done[1], `Adopt role ${TASK_ROLE}: tag it managed-by=ufo-iam`);
    const snapshot = endpoint.state.snapshot(TASK_ROLE)!;
    assert.deepEqual(snapshot.tags, { 'managed-by': 'ufo-iam' });
    assert.deepEqual(Object.keys(snapshot.inline), ['S3Read']);
  });

  test('AWS that cannot be reached is an explained error, and the server keeps serving', async () => {
    const saved = client.settings;
    client.settings = { ...saved, aws: { endpoint: 'http://127.0.0.1:9', region: 'us-east-1' } };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    try {
      const result = await plan();
      assert.equal(result.kind, 'error', JSON.stringify(result));
      assert.match((result as { message: string }).message, /Could not reach http:\/\/127\.0\.0\.1:9/);
      assert.deepEqual(leakedSecrets(JSON.stringify(result)), []);
    } finally {
      client.settings = saved;
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    }
    assert.equal((await plan()).kind, 'plan');
  });
});

describe('refusals before AWS is asked', () => {
  test('a role file with an arity error is refused with the reason, without a single AWS call', async () => {
    const broken = makeProject({
      '.ufo/settings.yml': '',
      '.ufo/precreated_iam_roles/task_role.rb': 'iam_policy("S3")\n',
      '.ufo/precreated_iam_roles/execution_role.rb': EXECUTION_ROLE_RB,
    });
    try {
      const calls = endpoint.requests.length;
      const result = await plan(fileUri(path.join(broken, '.ufo/precreated_iam_roles/task_role.rb')));
      assert.equal(result.kind, 'refused');
      const refusal = result as Refusal;
      assert.equal(refusal.code, 'BLOCKED');
      assert.match(refusal.message, /^Nothing can be applied until this problem is fixed:\n {2}- \.ufo\/precreated_iam_roles\/task_role\.rb:1:1: .+\[DSL_ARITY\]$/);
      assert.equal(refusal.blockers?.length, 1);
      assert.equal(refusal.blockers?.[0].code, 'DSL_ARITY');
      assert.equal(refusal.blockers?.[0].line, 1);
      assert.ok(refusal.blockers?.[0].fileUri?.endsWith('/.ufo/precreated_iam_roles/task_role.rb'));
      assert.equal(endpoint.requests.length, calls, 'IAM was not asked');
    } finally {
      fs.rmSync(broken, { recursive: true, force: true });
    }
  });

  test('a value known only when UFO runs is refused with the reason', async () => {
    const dynamic = makeProject({
      '.ufo/settings.yml': '',
      '.ufo/precreated_iam_roles/task_role.rb': 'iam_policy("S3", Action: ["s3:GetObject"], Effect: "Allow", Resource: ENV["BUCKET_ARN"])\n',
    });
    try {
      const result = (await plan(fileUri(dynamic))) as Refusal;
      assert.equal(result.code, 'BLOCKED');
      assert.match(result.message, /TaskRole depends on values known only when UFO runs/);
    } finally {
      fs.rmSync(dynamic, { recursive: true, force: true });
    }
  });

  test('an open role file with unsaved changes is refused (plans are made from the saved files); saved, it plans', async () => {
    const uri = fileUri(path.join(root, '.ufo/precreated_iam_roles/task_role.rb'));
    client.open(uri, TASK_ROLE_RB + 'managed_iam_policy("AmazonS3ReadOnlyAccess")\n');
    try {
      const result = (await plan(uri)) as Refusal;
      assert.equal(result.kind, 'refused');
      assert.equal(result.code, 'UNSAVED');
      assert.deepEqual(result.unsaved, [uri]);
      assert.match(result.message, /^\.ufo\/precreated_iam_roles\/task_role\.rb has unsaved changes\./);
      client.replace(uri, TASK_ROLE_RB); // as after "Save": the editor and the disk agree
      assert.equal((await plan(uri)).kind, 'plan');
    } finally {
      client.close(uri);
    }
  });

  test('malformed requests get InvalidParams or an expired answer, not a crash', async () => {
    await assert.rejects(client.request('ufoIam/planRoles', {}), /uri must be a string/);
    await assert.rejects(client.request('ufoIam/taskDefinitionArns', { uri: 3 }), /uri must be a string/);
    assert.equal((await client.request<ApplyRolesRequest.Result>('ufoIam/applyRoles', { planId: 'nope' })).status, 'expired');
    assert.equal((await client.request<ApplyRolesRequest.Result>('ufoIam/applyRoles', null)).status, 'expired');
    const outside = await plan('untitled:Untitled-1');
    assert.equal(outside.kind, 'refused');
    assert.equal((outside as Refusal).code, 'NOT_A_PROJECT');
  });
});

describe('task definition ARNs', () => {
  const applyEdit = (text: string, result: TaskDefinitionArnsRequest.Result): string => {
    assert.equal(result.kind, 'edit', JSON.stringify(result));
    const edit = result as Extract<TaskDefinitionArnsRequest.Result, { kind: 'edit' }>;
    const edits = edit.edit.changes?.[edit.uri] as TextEdit[];
    assert.ok(edits?.length, 'the WorkspaceEdit changes the template');
    assert.equal(edit.baseSha256, createHash('sha256').update(text).digest('hex'));
    return TextDocument.applyEdits(TextDocument.create(edit.uri, 'json', 1, text), edits);
  };

  test('the live ARNs go into a v5 main.json.erb with ERB: the WorkspaceEdit gives the expected text, byte for byte', async () => {
    // The roles exist (the adoption test applied both).
    const result = await client.request<TaskDefinitionArnsRequest.Result>('ufoIam/taskDefinitionArns', { uri: fileUri(root) });
    const expected = MAIN_JSON_ERB.replace(
      '  "family": "<%= @family %>-résumé-🚀",\n',
      '  "family": "<%= @family %>-résumé-🚀",\n' +
        `  "taskRoleArn": "${arnOf(TASK_ROLE)}",\n` +
        `  "executionRoleArn": "${arnOf(EXECUTION_ROLE)}",\n`,
    );
    assert.notEqual(expected, MAIN_JSON_ERB);
    assert.equal(applyEdit(MAIN_JSON_ERB, result), expected);
    const edit = result as Extract<TaskDefinitionArnsRequest.Result, { kind: 'edit' }>;
    assert.equal(edit.file, '.ufo/templates/main.json.erb');
    assert.deepEqual(edit.values, { taskRoleArn: arnOf(TASK_ROLE), executionRoleArn: arnOf(EXECUTION_ROLE) });
    // The role files are the pre-created folder's: UFO builds no role, so the ARNs stay in force.
    assert.deepEqual(edit.notes, []);
    assert.equal(fs.readFileSync(path.join(root, '.ufo/templates/main.json.erb'), 'utf8'), MAIN_JSON_ERB, 'the server never writes the file');
  });

  test('a value computed by ERB is refused (forceable); with force it is replaced, byte for byte', async () => {
    const template = '{\n  "family": "<%= @family %>",\n  "taskRoleArn": "<%= @task_role_arn %>",\n  "cpu": "256"\n}\n';
    const project = makeProject({ '.ufo/settings.yml': '', '.ufo/precreated_iam_roles/task_role.rb': TASK_ROLE_RB, '.ufo/templates/main.json.erb': template });
    try {
      const refused = await client.request<TaskDefinitionArnsRequest.Result>('ufoIam/taskDefinitionArns', { uri: fileUri(project) });
      assert.equal(refused.kind, 'refused', JSON.stringify(refused));
      const r = refused as Extract<TaskDefinitionArnsRequest.Result, { kind: 'refused' }>;
      assert.equal(r.code, 'ERB_VALUE');
      assert.equal(r.canForce, true);
      assert.equal(r.message, '.ufo/templates/main.json.erb: taskRoleArn on line 3 is computed by ERB ("<%= @task_role_arn %>"). Use force to replace it with the literal ARN.');
      const forced = await client.request<TaskDefinitionArnsRequest.Result>('ufoIam/taskDefinitionArns', { uri: fileUri(project), force: true });
      assert.equal(
        applyEdit(template, forced),
        `{\n  "family": "<%= @family %>",\n  "executionRoleArn": "${arnOf(EXECUTION_ROLE)}",\n  "taskRoleArn": "${arnOf(TASK_ROLE)}",\n  "cpu": "256"\n}\n`,
      );
      // Given ARNs are used as they are, without asking IAM.
      const given = 'arn:aws:iam::111122223333:role/pre-created';
      const calls = endpoint.requests.length;
      const explicit = await client.request<TaskDefinitionArnsRequest.Result>('ufoIam/taskDefinitionArns', {
        uri: fileUri(project),
        force: true,
        values: { taskRoleArn: given },
      });
      assert.equal(applyEdit(template, explicit), template.replace('"<%= @task_role_arn %>"', `"${given}"`));
      assert.equal(endpoint.requests.length, calls);
      const bad = await client.request<TaskDefinitionArnsRequest.Result>('ufoIam/taskDefinitionArns', { uri: fileUri(project), values: { taskRoleArn: 'nope' } });
      assert.equal(bad.kind, 'refused');
      assert.equal((bad as { code: string }).code, 'INVALID_ARN');
    } finally {
      fs.rmSync(project, { recursive: true, force: true });
    }
  });

  test('several v5 templates and no main.json.erb: the server asks which one; a chosen file is edited', async () => {
    const template = '{\n  "family": "<%= @family %>"\n}\n';
    const project = makeProject({ '.ufo/settings.yml': '', '.ufo/templates/web.json.erb': template, '.ufo/templates/worker.json.erb': template });
    try {
      const choose = await client.request<TaskDefinitionArnsRequest.Result>('ufoIam/taskDefinitionArns', { uri: fileUri(project) });
      assert.deepEqual(choose.kind === 'choose' && choose.candidates, ['.ufo/templates/web.json.erb', '.ufo/templates/worker.json.erb']);
      const chosen = await client.request<TaskDefinitionArnsRequest.Result>('ufoIam/taskDefinitionArns', {
        uri: fileUri(project),
        file: '.ufo/templates/worker.json.erb',
      });
      assert.equal(
        applyEdit(template, chosen),
        `{\n  "family": "<%= @family %>",\n  "taskRoleArn": "${arnOf(TASK_ROLE)}",\n  "executionRoleArn": "${arnOf(EXECUTION_ROLE)}"\n}\n`,
      );
      assert.deepEqual((chosen as Extract<TaskDefinitionArnsRequest.Result, { kind: 'edit' }>).notes, [], 'no role file here, so UFO keeps the ARNs');
      const outside = await client.request<TaskDefinitionArnsRequest.Result>('ufoIam/taskDefinitionArns', { uri: fileUri(project), file: '../../etc/passwd' });
      assert.equal((outside as { code: string }).code, 'NO_TEMPLATE');
    } finally {
      fs.rmSync(project, { recursive: true, force: true });
    }
  });
});
