// Protocol test: `ufoIam/preview` compiles both roles from open editors and disk; its JSON body is
// exactly what `ufo-iam compile` prints.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { LspClient, fileUri, ROOT } from '../support/lspClient';
import { makeProject } from '../support/project';

let client: LspClient;
before(async () => {
  client = await LspClient.start();
});
after(async () => {
  await client.stop();
});

function body(text: string): string {
  return text
    .split('\n')
    .filter((l) => !l.startsWith('//'))
    .join('\n');
}

test('the preview follows the open editor and equals ufo-iam compile', async () => {
  const root = makeProject({
    '.ufo/settings.yml': 'default: {}\n',
    '.ufo/iam_roles/execution_role.rb': 'managed_iam_policy("service-role/AmazonECSTaskExecutionRolePolicy")\n',
    '.ufo/iam_roles/task_role.rb': 'iam_policy("S3", Action: ["s3:GetObject"], Effect: "Allow", Resource: "*")\n',
  });
  const uri = fileUri(path.join(root, '.ufo/iam_roles/task_role.rb'));
  client.open(uri, 'iam_policy("S3", Action: ["s3:GetObject"], Effect: "Allow", Resource: "*")\n');
  const first = await client.request<{ text: string; partial: boolean; errors: number }>('ufoIam/preview', { uri });
  const cli = execFileSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'compile', root], { encoding: 'utf8' });
  assert.deepEqual(JSON.parse(body(first.text)), JSON.parse(cli));
  assert.match(first.text, /\/\/ TaskRole: \.ufo\/iam_roles\/task_role\.rb; inline policies \d+ of 10,240 characters; managed policies 0 of 10\./);
  assert.match(first.text, /TaskRoleArn: \{"Fn::GetAtt": "TaskRole.Arn"\}/);

  // An unsaved edit shows in the preview at once.
  client.replace(uri, 'iam_policy("S3", Action: ["s3:PutObject"], Effect: "Allow", Resource: ENV["B"])\n');
  const second = await client.request<{ text: string; partial: boolean }>('ufoIam/preview', { uri });
  const json = JSON.parse(body(second.text));
  assert.deepEqual(json.TaskRole.Properties.Policies[0].PolicyDocument.Statement[0].Action, ['s3:PutObject']);
  assert.equal(second.partial, true);
  assert.match(second.text, /partial: has values computed at deploy time/);

  // A broken edit keeps the last good result and says why.
  client.replace(uri, 'iam_policy("S3")\n');
  const third = await client.request<{ text: string; errors: number }>('ufoIam/preview', { uri });
  assert.equal(third.errors, 1);
  assert.match(third.text, /Problems:\n\/\/   \.ufo\/iam_roles\/task_role\.rb:1:1: DSL_ARITY/);
  assert.match(third.text, /showing the last result that did/);
  assert.ok(JSON.parse(body(third.text)).TaskRole, 'the last good TaskRole is still shown');
});

test('a role file gets a preview CodeLens on line 1; other files none', async () => {
  const root = makeProject({ '.ufo/config.rb': '', '.ufo/resources/iam_roles/execution_role.rb': 'managed_iam_policy("A")\n' });
  const uri = fileUri(path.join(root, '.ufo/resources/iam_roles/execution_role.rb'));
  client.open(uri, 'managed_iam_policy("A")\n');
  const lenses = await client.request<any[]>('textDocument/codeLens', { textDocument: { uri } });
  assert.equal(lenses.length, 1);
  assert.deepEqual(lenses[0].range.start, { line: 0, character: 0 });
  assert.equal(lenses[0].command.command, 'ufoIam.previewRoles');
  assert.equal(lenses[0].command.title, 'Preview compiled ExecutionRole (UFO v6)');
  assert.deepEqual(lenses[0].command.arguments, [uri]);
  const other = fileUri(path.join(root, '.ufo/resources/iam_roles/notes.rb'));
  client.open(other, '# notes\n');
  assert.deepEqual(await client.request<any[]>('textDocument/codeLens', { textDocument: { uri: other } }), []);
});

test('the preview says how the task definition references each role', async () => {
  const root = makeProject({
    '.ufo/settings.yml': '',
    '.ufo/iam_roles/task_role.rb': '# no policies yet\n',
    '.ufo/iam_roles/execution_role.rb': 'managed_iam_policy("service-role/AmazonECSTaskExecutionRolePolicy")\n',
    '.ufo/templates/main.json.erb': '{\n  "family": "<%= @family %>",\n  "taskRoleArn": "arn:aws:iam::112233445566:role/pre-created",\n  "executionRoleArn": "arn:aws:iam::112233445566:role/old",\n  "containerDefinitions": []\n}\n',
  });
  const uri = fileUri(path.join(root, '.ufo/iam_roles/task_role.rb'));
  client.open(uri, '# no policies yet\n');
  const r = await client.request<{ text: string }>('ufoIam/preview', { uri });
  assert.match(r.text, /\/\/ Task definition \(\.ufo\/templates\/main\.json\.erb\):/);
  assert.match(r.text, /TaskRoleArn: "arn:aws:iam::112233445566:role\/pre-created" \(from the template; UFO builds no TaskRole\)/);
  assert.match(r.text, /ExecutionRoleArn: \{"Fn::GetAtt": "ExecutionRole\.Arn"\} \(replaces the template's arn:aws:iam::112233445566:role\/old\)/);
  assert.match(r.text, /\/\/ TaskRole: not built \(\.ufo\/iam_roles\/task_role\.rb registers no policy\)\./);
});

test('the preview names the apply target: the stack of the role files UFO reads, or the pre-created roles', async () => {
  const stack = makeProject({
    '.ufo/config.rb': 'Ufo.configure do |config|\n  config.app = "demo"\nend\n',
    '.ufo/resources/iam_roles/task_role.rb': 'managed_iam_policy("AmazonS3ReadOnlyAccess")\n',
  });
  const a = await client.request<{ text: string }>('ufoIam/preview', { uri: fileUri(path.join(stack, '.ufo/resources/iam_roles/task_role.rb')) });
  assert.match(a.text, /^\/\/ Apply target: stack\. "UFO: Apply IAM Roles" changes the TaskRole and ExecutionRole of stack demo-web-dev \(CloudFormation names them demo-web-dev-TaskRole-…\); chosen by the role files UFO reads/m);
  const pre = makeProject({
    '.ufo/config.rb': 'Ufo.configure do |config|\n  config.app = "demo"\nend\n',
    '.ufo/precreated_iam_roles/task_role.rb': 'managed_iam_policy("AmazonS3ReadOnlyAccess")\n',
  });
  const b = await client.request<{ text: string }>('ufoIam/preview', { uri: fileUri(path.join(pre, '.ufo/precreated_iam_roles/task_role.rb')) });
  assert.match(b.text, /^\/\/ Apply target: pre-created roles demo-web-dev-TaskRole and demo-web-dev-ExecutionRole, from \.ufo\/precreated_iam_roles\/ \(UFO never reads it: the template's ARNs are used\)/m);
  assert.equal(body(b.text).trim(), '{}', 'UFO builds no role from the pre-created folder');
});
