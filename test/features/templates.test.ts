// Task-definition templates over the protocol: the real server (stdio) publishes the template checks for an opened
// template with exact ranges, its quick fixes are WorkspaceEdits that give the expected texts (the template, or the
// role file in another document), and a change to an open role file re-checks the open template.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver-protocol';
import { LspClient, fileUri } from '../support/lspClient';
import { makeProject } from '../support/project';

let client: LspClient;
before(async () => {
  client = await LspClient.start({ env: { UFO_APP: '', UFO_ENV: '', UFO_ROLE: '' } });
});
after(async () => {
  await client.stop();
});

const TEMPLATE = [
  '{',
  '  "family": "<%= @family %>",',
  '  "taskRoleArn": "arn:aws:iam::123456789012:role/pré-created",',
  '  "executionRoleArn": "arn:aws:iam::<%= @account %>:role/exec",',
  '  "containerDefinitions": [{ "name": "wéb", "image": "<%= @image %>" }]',
  '}',
  '',
].join('\n');
const TASK_ROLE = 'managed_iam_policy("AmazonS3ReadOnlyAccess")\n';

function apply(text: string, uri: string, edits: readonly TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create(uri, 'json', 1, text), [...edits]);
}

describe('task-definition templates in the editor', () => {
  test('an opened template gets TEMPLATE_ARN_REPLACED and INVALID_ROLE_ARN at exact UTF-16 ranges; ERB-computed ARNs are not reported', async () => {
    const root = makeProject({
      '.ufo/settings.yml': 'default: {}\n',
      '.ufo/iam_roles/task_role.rb': TASK_ROLE,
      '.ufo/templates/main.json.erb': TEMPLATE,
    });
    const uri = fileUri(path.join(root, '.ufo/templates/main.json.erb'));
    const text = TEMPLATE;
    client.open(uri, text, 'json');
    const diagnostics = await client.waitForDiagnostics(uri, (d) => d.length > 0);
    const shown = diagnostics.map((d) => [d.code, d.severity, d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character]);
    // "pré-created" is not a role name (é); "é" is one UTF-16 unit, two bytes: the end column counts units.
    const line2 = text.split('\n')[2];
    assert.deepEqual(shown, [
      ['TEMPLATE_ARN_REPLACED', 2, 2, 2, 2, line2.length - 1],
      ['INVALID_ROLE_ARN', 1, 2, line2.indexOf('"arn'), 2, line2.length - 1],
    ]);
    assert.match(String(diagnostics[0].message), /UFO builds TaskRole from \.ufo\/iam_roles\/task_role\.rb/);
    assert.equal(diagnostics[0].codeDescription?.href, 'https://github.com/boltops-tools/ufo/blob/v6.3.13/lib/ufo/cfn/stack/builder/resources/task_definition.rb');
    // No Ruby features in a template.
    assert.deepEqual(await client.request('textDocument/documentSymbol', { textDocument: { uri } }), []);
    assert.equal(await client.request('textDocument/completion', { textDocument: { uri }, position: { line: 1, character: 5 } }), null);
    client.close(uri);
  });

  test('the two quick fixes: remove the ARN from the template, or empty the role file in another document', async () => {
    const root = makeProject({
      '.ufo/settings.yml': 'default: {}\n',
      '.ufo/iam_roles/task_role.rb': TASK_ROLE,
      '.ufo/templates/main.json.erb': TEMPLATE,
    });
    const uri = fileUri(path.join(root, '.ufo/templates/main.json.erb'));
    const roleUri = fileUri(path.join(root, '.ufo/iam_roles/task_role.rb'));
    client.open(uri, TEMPLATE, 'json');
    const diagnostics = await client.waitForDiagnostics(uri, (d) => d.length > 0);
    const replaced = diagnostics.find((d) => d.code === 'TEMPLATE_ARN_REPLACED') as Diagnostic;
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: replaced.range, context: { diagnostics: [replaced] } });
    const fixes = actions.filter((a) => a.diagnostics?.some((d) => d.code === 'TEMPLATE_ARN_REPLACED'));
    assert.deepEqual(fixes.map((a) => [a.title, a.kind, a.isPreferred ?? false]), [
      ['Remove the ARN from the template (UFO builds the role from .ufo/iam_roles/task_role.rb)', 'quickfix', true],
      ['Keep the pre-created role: empty .ufo/iam_roles/task_role.rb', 'quickfix', false],
    ]);
    const remove = fixes[0].edit!.changes!;
    assert.deepEqual(Object.keys(remove), [uri]);
    const removed = apply(TEMPLATE, uri, remove[uri]);
    assert.equal(removed, TEMPLATE.split('\n').filter((l) => !l.includes('"taskRoleArn"')).join('\n'));
    const empty = fixes[1].edit!.changes!;
    assert.deepEqual(Object.keys(empty), [roleUri]);
    assert.equal(apply(TASK_ROLE, roleUri, empty[roleUri]), '# role pre-created: see taskRoleArn in .ufo/templates/main.json.erb\n');

    // The role file emptied in its editor (not saved): the template is checked again and the warning goes.
    client.open(roleUri, TASK_ROLE);
    await client.waitForDiagnostics(roleUri);
    client.replace(roleUri, apply(TASK_ROLE, roleUri, empty[roleUri]));
    const after = await client.waitForDiagnostics(uri, (d) => !d.some((x) => x.code === 'TEMPLATE_ARN_REPLACED'));
    assert.deepEqual(after.map((d) => d.code), ['INVALID_ROLE_ARN']);
    assert.equal(fs.readFileSync(path.join(root, '.ufo/iam_roles/task_role.rb'), 'utf8'), TASK_ROLE, 'the server writes nothing');
    client.close(roleUri);
    client.close(uri);
  });

  test('MISSING_EXECUTION_ROLE in a v6 YAML template, gone once the template names an execution role', async () => {
    const yml = ['family: demo', 'requiresCompatibilities: [FARGATE]', 'containerDefinitions:', '- name: web', '  image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/demo:1', ''].join('\n');
    const root = makeProject({ '.ufo/config.rb': 'Ufo.configure do |config|\nend\n', '.ufo/resources/task_definitions/web.yml': yml });
    const uri = fileUri(path.join(root, '.ufo/resources/task_definitions/web.yml'));
    client.open(uri, yml, 'yaml');
    const d = await client.waitForDiagnostics(uri, (x) => x.length > 0);
    assert.deepEqual(d.map((x) => [x.code, x.range.start.line, x.range.start.character, x.range.end.character]), [['MISSING_EXECUTION_ROLE', 4, 9, yml.split('\n')[4].length]]);
    client.replace(uri, `executionRoleArn: arn:aws:iam::123456789012:role/ecsTaskExecutionRole\n${yml}`);
    assert.deepEqual(await client.waitForDiagnostics(uri, (x) => x.length === 0), []);
    client.close(uri);
  });
});

describe('re-checking templates after role-file edits', () => {
  test('an edit that does not change which roles are built leaves the open template alone; one that does re-checks it', async () => {
    const root = makeProject({
      '.ufo/settings.yml': 'default: {}\n',
      '.ufo/iam_roles/task_role.rb': TASK_ROLE,
      '.ufo/templates/main.json.erb': TEMPLATE,
    });
    const uri = fileUri(path.join(root, '.ufo/templates/main.json.erb'));
    const roleUri = fileUri(path.join(root, '.ufo/iam_roles/task_role.rb'));
    client.open(uri, TEMPLATE, 'json');
    await client.waitForDiagnostics(uri, (d) => d.length > 0);
    client.open(roleUri, TASK_ROLE);
    await client.waitForDiagnostics(roleUri);
    // The first role-file check after opening may re-check the template once; count from here.
    await client.request('textDocument/documentSymbol', { textDocument: { uri: roleUri } });
    await new Promise((r) => setTimeout(r, 50));
    const count = () => client.published.filter((p) => p.uri === uri).length;
    const before = count();
    let text = TASK_ROLE;
    for (let i = 0; i < 5; i++) {
      text += `# note ${i}\n`;
      client.replace(roleUri, text);
      await client.waitForDiagnostics(roleUri);
    }
    await client.request('textDocument/documentSymbol', { textDocument: { uri: roleUri } });
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(count(), before, 'comments change no built role: the template is not checked again');
    client.replace(roleUri, '# role pre-created\n');
    const after = await client.waitForDiagnostics(uri, (d) => !d.some((x) => x.code === 'TEMPLATE_ARN_REPLACED'));
    assert.deepEqual(after.map((d) => d.code), ['INVALID_ROLE_ARN']);
    assert.equal(count(), before + 1);
    client.close(roleUri);
    client.close(uri);
  });
});
