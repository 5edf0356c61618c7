// The editor and the CLI open a project through the same project context (server/src/project/projectContext.ts), so
// they cannot disagree. Measured before it existed: with `"ufoIam.roleNameTemplate": "custom-{role}-{logicalId}"` in
// `.vscode/settings.json`, `ufo-iam plan` planned `<folder>-web-development-TaskRole` while Apply in the editor used the
// setting; with several v5 templates the preview silently took the first while Apply asked. Here the real server
// (over stdio) and the CLI (in process) answer the same questions on the same projects:
//   - the roles plan names, with the same settings (the editor's settings, the CLI's .vscode/settings.json);
//   - the template that gets the ARNs (main.json.erb, or the question when several could be it);
//   - the findings of every role file and task-definition template of every fixture project: the same codes at the
//     same ranges (project/checkTemplate.ts serves both for templates).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { run as arns } from '../../server/src/cli/arns';
import { run as check } from '../../server/src/cli/check';
import { run as plan } from '../../server/src/cli/plan';
import type { PlanRolesRequest, TaskDefinitionArnsRequest } from '../../server/src/lsp/protocol';
import { stripJsonc, ufoIamSection } from '../../server/src/project/settingsFile';
import { startIamEndpoint, type IamEndpoint } from '../support/iamEndpoint';
import { FAKE_CREDENTIALS, isolateAwsEnvironment, useFakeCredentials } from '../support/iamTestEnv';
import { LspClient, fileUri, ROOT } from '../support/lspClient';
import { copyProject, makeProject } from '../support/project';
import { captureIo, moveFiles } from '../support/cliRun';

let env: ReturnType<typeof isolateAwsEnvironment>;
let endpoint: IamEndpoint;
let client: LspClient;

before(async () => {
  env = isolateAwsEnvironment();
  useFakeCredentials();
  endpoint = await startIamEndpoint();
  client = await LspClient.start({
    env: { AWS_ACCESS_KEY_ID: FAKE_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: FAKE_CREDENTIALS.secretAccessKey, AWS_SESSION_TOKEN: FAKE_CREDENTIALS.sessionToken, UFO_APP: '', UFO_ENV: '' },
  });
});
after(async () => {
  await client.stop();
  await endpoint.close();
  env.restore();
});

const cliIo = captureIo;

/** The editor's settings for a project: what VS Code would send from its `.vscode/settings.json`. */
function editorSettings(root: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const file = path.join(root, '.vscode', 'settings.json');
  const section = fs.existsSync(file) ? ufoIamSection(JSON.parse(stripJsonc(fs.readFileSync(file, 'utf8')))) : {};
  return { ...section, ...extra };
}

describe('role names', () => {
  test('plan names the same roles in the editor and the CLI, from the same settings file', async () => {
    const root = copyProject(path.join(ROOT, 'examples/demo'));
    // Pre-created roles, named by the template: their files live where UFO does not read them.
    moveFiles(root, { '.ufo/iam_roles/task_role.rb': '.ufo/precreated_iam_roles/task_role.rb', '.ufo/iam_roles/execution_role.rb': '.ufo/precreated_iam_roles/execution_role.rb' });
    fs.mkdirSync(path.join(root, '.vscode'), { recursive: true });
    fs.writeFileSync(path.join(root, '.vscode/settings.json'), '{\n  // the team\'s naming\n  "ufoIam.roleNameTemplate": "custom-{role}-{logicalId}",\n}\n');
    const io = cliIo(root);
    assert.equal(await plan(['.', '--format', 'json', '--endpoint', endpoint.url, '--region', 'us-east-1'], io), 0, io.err);
    const cliNames = JSON.parse(io.out).roles.map((r: { roleName: string }) => r.roleName);
    client.settings = editorSettings(root, { aws: { endpoint: endpoint.url, region: 'us-east-1' } });
    const editor = await client.request<PlanRolesRequest.Result>('ufoIam/planRoles', { uri: fileUri(root) });
    assert.equal(editor.kind, 'plan', JSON.stringify(editor));
    const editorNames = (editor as Extract<PlanRolesRequest.Result, { kind: 'plan' }>).roles.map((r) => r.roleName);
    assert.deepEqual(cliNames, ['custom-web-TaskRole', 'custom-web-ExecutionRole']);
    assert.deepEqual(editorNames, cliNames);
  });
});

describe('the apply target', () => {
  test('the stack target: the editor and the CLI plan the same stack and the same physical roles', async () => {
    const root = copyProject(path.join(ROOT, 'examples/demo-v6'));
    const stack = endpoint.state.seedStack({ stackName: 'demo-web-dev', roles: { TaskRole: {}, ExecutionRole: {} } });
    const io = cliIo(root);
    assert.equal(await plan(['.', '--format', 'json', '--endpoint', endpoint.url, '--region', 'us-east-1'], io), 0, io.err);
    const cli = JSON.parse(io.out);
    client.settings = editorSettings(root, { aws: { endpoint: endpoint.url, region: 'us-east-1' } });
    const editor = (await client.request<PlanRolesRequest.Result>('ufoIam/planRoles', { uri: fileUri(root) })) as Extract<PlanRolesRequest.Result, { kind: 'plan' }>;
    assert.equal(editor.kind, 'plan', JSON.stringify(editor));
    assert.equal(cli.model.stackName, 'demo-web-dev');
    assert.equal(editor.model.target, 'stack');
    assert.equal(editor.model.stackName, cli.model.stackName);
    const physical = ['TaskRole', 'ExecutionRole'].map((id) => stack.resources.find((r) => r.logicalId === id)!.physicalId);
    assert.deepEqual(cli.roles.map((r: { roleName: string }) => r.roleName), physical);
    assert.deepEqual(editor.roles.map((r) => r.roleName), physical);
    assert.equal(editor.model.description, `Target: the roles of UFO's CloudFormation stack demo-web-dev (stack; ${cli.model.how})`);
  });

  test('both kinds of role files: the editor gets NEEDS_TARGET and the CLI a usage error with the same reason', async () => {
    const root = copyProject(path.join(ROOT, 'examples/demo-v6'));
    moveFiles(root, { '.ufo/resources/iam_roles/execution_role.rb': '.ufo/precreated_iam_roles/execution_role.rb' });
    client.settings = editorSettings(root);
    const editor = await client.request<PlanRolesRequest.Result>('ufoIam/planRoles', { uri: fileUri(root) });
    assert.equal(editor.kind, 'refused');
    assert.equal((editor as { code: string }).code, 'NEEDS_TARGET');
    const reason = (editor as { message: string }).message;
    assert.match(reason, /^Both the role files UFO reads/);
    await assert.rejects(plan(['.', '--endpoint', endpoint.url], cliIo(root)), (e: Error) => e.message.startsWith(reason));
    const chosen = await client.request<PlanRolesRequest.Result>('ufoIam/planRoles', { uri: fileUri(root), target: 'precreated' });
    assert.equal(chosen.kind, 'refused');
    assert.equal((chosen as { code: string }).code, 'BLOCKED', 'UFO still builds the TaskRole from its own file');
    assert.match((chosen as { message: string }).message, /UFO_BUILDS_ROLE/);
    await assert.rejects(client.request('ufoIam/planRoles', { uri: fileUri(root), target: 'both' }), /target must be "stack" or "precreated"/);
  });
});

describe('the task-definition template', () => {
  const TEMPLATE = '{\n  "family": "<%= @family %>",\n  "containerDefinitions": []\n}\n';
  const ARN = 'arn:aws:iam::123456789012:role/demo-task';

  async function both(root: string) {
    client.settings = editorSettings(root);
    const editor = await client.request<TaskDefinitionArnsRequest.Result>('ufoIam/taskDefinitionArns', { uri: fileUri(root), values: { taskRoleArn: ARN } });
    const preview = await client.request<{ text: string }>('ufoIam/preview', { uri: fileUri(path.join(root, '.ufo/precreated_iam_roles/task_role.rb')) });
    const io = cliIo(root);
    const code = await arns(['.', '--task-role-arn', ARN], io).catch((e: Error) => ({ usage: e.message }));
    return { editor, preview: preview.text, cli: { code, io } };
  }

  test('several v5 templates with main.json.erb: all three take main.json.erb', async () => {
    const root = makeProject({
      '.ufo/settings.yml': 'default: {}\n',
      '.ufo/precreated_iam_roles/task_role.rb': 'managed_iam_policy("AmazonS3ReadOnlyAccess")\n',
      '.ufo/templates/fargate.json.erb': TEMPLATE,
      '.ufo/templates/main.json.erb': TEMPLATE,
    });
    const r = await both(root);
    assert.equal(r.editor.kind, 'edit', JSON.stringify(r.editor));
    assert.equal((r.editor as { file: string }).file, '.ufo/templates/main.json.erb');
    assert.match(r.preview, /\/\/ Task definition \(\.ufo\/templates\/main\.json\.erb\):/);
    assert.equal(r.cli.code, 0, r.cli.io.err);
    assert.match(r.cli.io.out, /^\.ufo\/templates\/main\.json\.erb: updated/);
  });

  test('several v5 templates and no main.json.erb: the editor asks, the CLI wants --file, the preview says so', async () => {
    const root = makeProject({
      '.ufo/settings.yml': 'default: {}\n',
      '.ufo/precreated_iam_roles/task_role.rb': 'managed_iam_policy("AmazonS3ReadOnlyAccess")\n',
      '.ufo/templates/fargate.json.erb': TEMPLATE,
      '.ufo/templates/web.json.erb': TEMPLATE,
    });
    const r = await both(root);
    assert.equal(r.editor.kind, 'choose', JSON.stringify(r.editor));
    assert.deepEqual((r.editor as { candidates: readonly string[] }).candidates, ['.ufo/templates/fargate.json.erb', '.ufo/templates/web.json.erb']);
    assert.match(r.preview, /Several templates could be the task definition \(\.ufo\/templates\/fargate\.json\.erb, \.ufo\/templates\/web\.json\.erb\)/);
    assert.doesNotMatch(r.preview, /\/\/ Task definition \(/);
    assert.deepEqual(Object.keys(r.cli.code as object), ['usage']);
    assert.match((r.cli.code as { usage: string }).usage, /Choose one with --file \(\.ufo\/templates\/fargate\.json\.erb, \.ufo\/templates\/web\.json\.erb\)/);
    for (const f of ['fargate', 'web']) assert.equal(fs.readFileSync(path.join(root, `.ufo/templates/${f}.json.erb`), 'utf8'), TEMPLATE, 'nothing was written');
  });
});

function roleFilesOf(root: string): string[] {
  return fs.readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => /^\.ufo\/(iam_roles|resources\/iam_roles)\/.*\.rb$/.test(f.split(path.sep).join('/')));
}

function templatesOf(root: string): string[] {
  return fs
    .readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((f) => /^\.ufo\/(templates\/[^/]+\.json\.erb|resources\/task_definitions\/[^/]+\.(json|yml))$/.test(f.split(path.sep).join('/')));
}

/** A v6 project whose templates fire every template check, beside role files that build the task role. */
function templateProject(): string {
  return makeProject({
    '.ufo/config.rb': 'Ufo.configure do |config|\n  config.app = "demo"\nend\n',
    '.ufo/resources/iam_roles/demo/task_role.rb': 'managed_iam_policy("AmazonS3ReadOnlyAccess")\n',
    '.ufo/resources/iam_roles/execution_role.rb': '# no policies: no ExecutionRole\n',
    '.ufo/resources/task_definitions/web.json':
      '{\n  "family": "<%= @family %>",\n  "taskRoleArn": "arn:aws:iam::123456789012:role/bad name",\n  "containerDefinitions": [{ "name": "wéb", "image": "<%= @image %>" }]\n}\n',
    '.ufo/resources/task_definitions/worker.yml':
      'family: worker\nrequiresCompatibilities:\n- FARGATE\ncontainerDefinitions:\n- name: worker\n  image: nginx\n  logConfiguration:\n    logDriver: awslogs\n',
  });
}

describe('findings', () => {
  const projects = [
    ...['demo', 'demo-v6'].map((p) => path.join(ROOT, 'examples', p)),
    ...fs.readdirSync(path.join(ROOT, 'test/fixtures/aws/projects')).map((p) => path.join(ROOT, 'test/fixtures/aws/projects', p)),
    path.join(ROOT, 'test/fixtures/projects/builder_spec'),
    templateProject(),
  ].filter((root) => roleFilesOf(root).length > 0);
  for (const root of projects) {
    const name = root.startsWith(ROOT) ? path.relative(ROOT, root) : 'a project whose templates fire every template check';
    test(`${name}: ufo-iam check and the editor report the same codes at the same ranges`, async () => {
      const io = cliIo(root);
      await check(['.', '--format', 'json'], io);
      type Row = { file: string; line: number; column: number; endLine: number; endColumn: number; code: string; severity: string };
      const cli = (JSON.parse(io.out) as Row[]).map((p) => `${p.file}:${p.line}:${p.column}-${p.endLine}:${p.endColumn} ${p.severity} ${p.code}`).sort();
      client.settings = editorSettings(root);
      const editor: string[] = [];
      const files = [...roleFilesOf(root), ...templatesOf(root)];
      const severity = ['', 'error', 'warning', 'information', 'hint'];
      for (const rel of files) {
        const uri = fileUri(path.join(root, rel));
        client.open(uri, fs.readFileSync(path.join(root, rel), 'utf8'), rel.endsWith('.rb') ? 'ruby' : rel.endsWith('.yml') ? 'yaml' : 'json');
        for (const d of await client.waitForDiagnostics(uri)) {
          editor.push(`${rel.split(path.sep).join('/')}:${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.line + 1}:${d.range.end.character + 1} ${severity[d.severity ?? 1]} ${d.code}`);
        }
        client.close(uri);
      }
      assert.deepEqual(editor.sort(), cli);
      if (!root.startsWith(ROOT)) {
        assert.deepEqual(cli.map((l) => l.replace(/:.*? /, ' ')).filter((l) => /TEMPLATE|ROLE_ARN|EXECUTION_ROLE/.test(l)), [
          '.ufo/resources/task_definitions/web.json error INVALID_ROLE_ARN',
          '.ufo/resources/task_definitions/web.json warning TEMPLATE_ARN_REPLACED',
          '.ufo/resources/task_definitions/worker.yml error MISSING_EXECUTION_ROLE',
        ]);
      }
    });
  }
});
