// Protocol test: the real server over stdio answers textDocument/codeAction with quick fixes and refactorings;
// each returned WorkspaceEdit, applied to the document, gives the expected text.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Diagnostic, Range } from 'vscode-languageserver-protocol';
import { LspClient, fileUri } from '../support/lspClient';
import { makeProject } from '../support/project';

const root = makeProject({
  '.ufo/config.rb': 'Ufo.configure do |config|\nend\n',
  '.ufo/resources/iam_roles/task_role.rb': '',
  '.ufo/resources/iam_roles/execution_role.rb': '',
});
const taskUri = fileUri(path.join(root, '.ufo/resources/iam_roles/task_role.rb'));
const execUri = fileUri(path.join(root, '.ufo/resources/iam_roles/execution_role.rb'));

function apply(text: string, action: CodeAction, uri: string): string {
  const edits = action.edit?.changes?.[uri];
  assert.ok(edits && edits.length > 0, `${action.title} has no edits for ${uri}`);
  return TextDocument.applyEdits(TextDocument.create(uri, 'ruby', 1, text), edits);
}

describe('code actions over LSP', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start();
  });
  after(async () => {
    await client.stop();
  });

  async function open(uri: string, text: string, code: string): Promise<Diagnostic[]> {
    if (client.version(uri) === 0) client.open(uri, text);
    else client.replace(uri, text);
    return client.waitForDiagnostics(uri, (d) => d.some((x) => x.code === code));
  }

  async function actions(uri: string, range: Range, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
    return client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics, only } });
  }

  async function fix(uri: string, text: string, code: string, title: string): Promise<{ action: CodeAction; result: string; diagnostic: Diagnostic }> {
    const diags = await open(uri, text, code);
    const diagnostic = diags.find((d) => d.code === code)!;
    const list = await actions(uri, diagnostic.range, [diagnostic]);
    const action = list.find((a) => a.title === title);
    assert.ok(action, `no "${title}" among ${list.map((a) => a.title).join(' | ')}`);
    return { action, result: apply(text, action, uri), diagnostic };
  }

  test('did-you-mean after a non-ASCII character: preferred, tied to its diagnostic, UTF-16 ranges', async () => {
    const text = 'iam_policy("S3", Resource: "arn:aws:s3:::bücher-😀/*", Action: ["s3:GetObjekt"], Effect: "Allow")\n';
    const { action, result, diagnostic } = await fix(taskUri, text, 'INVALID_ACTION', 'Change to s3:GetObject');
    const col = text.indexOf('"s3:GetObjekt"');
    assert.deepEqual(diagnostic.range, { start: { line: 0, character: col }, end: { line: 0, character: col + 14 } });
    assert.equal(action.kind, 'quickfix');
    assert.equal(action.isPreferred, true);
    assert.deepEqual(action.diagnostics?.map((d) => d.code), ['INVALID_ACTION']);
    assert.equal(result, text.replace('s3:GetObjekt', 's3:GetObject'));
  });

  test('the managed policy path is inserted', async () => {
    const text = '# Pulls and logs.\nmanaged_iam_policy("AmazonECSTaskExecutionRolePolicy")\n';
    const { result } = await fix(execUri, text, 'MANAGED_POLICY_PATH_MISSING', 'Change to service-role/AmazonECSTaskExecutionRolePolicy');
    assert.equal(result, '# Pulls and logs.\nmanaged_iam_policy("service-role/AmazonECSTaskExecutionRolePolicy")\n');
  });

  test('Effect: "Allow" is added in a multi-line statement with a trailing comma', async () => {
    const text = ['iam_policy("EcsExec",', '  Action: ["ssmmessages:OpenDataChannel"],', '  Resource: "*",', ')', ''].join('\n');
    const { result } = await fix(taskUri, text, 'MISSING_EFFECT', 'Add Effect: "Allow"');
    assert.equal(result, ['iam_policy("EcsExec",', '  Action: ["ssmmessages:OpenDataChannel"],', '  Resource: "*",', '  Effect: "Allow",', ')', ''].join('\n'));
  });

  test('a duplicate action is removed with its comma', async () => {
    const text = 'iam_policy("S3", Action: ["s3:GetObject", "s3:PutObject", "s3:GetObject"], Effect: "Allow", Resource: "*")\n';
    const { result } = await fix(taskUri, text, 'REDUNDANT_ACTION', 'Remove s3:GetObject');
    assert.equal(result, 'iam_policy("S3", Action: ["s3:GetObject", "s3:PutObject"], Effect: "Allow", Resource: "*")\n');
  });

  test('a PassRole statement gets an iam:PassedToService condition', async () => {
    const text = 'iam_policy("Run", Action: ["ecs:RunTask", "iam:PassRole"], Effect: "Allow", Resource: "*")\n';
    const { result } = await fix(taskUri, text, 'PASS_ROLE_WITH_STAR_IN_RESOURCE', 'Add condition iam:PassedToService = ecs-tasks.amazonaws.com');
    assert.equal(
      result,
      'iam_policy("Run", Action: ["ecs:RunTask", "iam:PassRole"], Effect: "Allow", Resource: "*", Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } })\n',
    );
    client.replace(taskUri, result);
    const after = await client.waitForDiagnostics(taskUri);
    assert.ok(!after.some((d) => String(d.code).startsWith('PASS_ROLE')));
  });

  test('"Disable for this line" inserts the directive above with the indentation, and the finding goes', async () => {
    const text = 'if Ufo.env == "prod"\n  iam_policy("S3", Action: ["s3:GetObjekt"], Effect: "Allow", Resource: "*")\nend\n';
    const { result } = await fix(taskUri, text, 'INVALID_ACTION', 'Disable INVALID_ACTION for this line');
    assert.equal(result, 'if Ufo.env == "prod"\n  # ufo-iam:disable-next-line INVALID_ACTION\n  iam_policy("S3", Action: ["s3:GetObjekt"], Effect: "Allow", Resource: "*")\nend\n');
    client.replace(taskUri, result);
    const after = await client.waitForDiagnostics(taskUri);
    assert.deepEqual(after.filter((d) => d.code === 'INVALID_ACTION' || d.code === 'UNUSED_SUPPRESSION'), []);
  });

  test('SYMBOL_VALUE and UNKNOWN_DSL_METHOD fixes', async () => {
    const sym = 'iam_policy("S3", Action: ["s3:GetObject"], Effect: :Allow, Resource: "*")\n';
    assert.equal((await fix(taskUri, sym, 'SYMBOL_VALUE', 'Write "Allow" (a String)')).result, sym.replace(':Allow', '"Allow"'));
    const method = 'managed_iam_polcy("AmazonS3ReadOnlyAccess")\n';
    assert.equal((await fix(taskUri, method, 'UNKNOWN_DSL_METHOD', 'Change to managed_iam_policy')).result, 'managed_iam_policy("AmazonS3ReadOnlyAccess")\n');
  });

  test('expand a wildcard is a refactoring at the cursor; `only` filters the kinds', async () => {
    const text = 'iam_policy("S3", Action: "s3:GetObjectTagging*", Effect: "Allow", Resource: "*")\n';
    client.replace(taskUri, text);
    await client.waitForDiagnostics(taskUri);
    const col = text.indexOf('s3:GetObjectTagging*') + 3;
    const at = { start: { line: 0, character: col }, end: { line: 0, character: col } };
    const refactors = await actions(taskUri, at, [], ['refactor']);
    assert.equal(refactors.length, 1);
    assert.equal(refactors[0].kind, 'refactor.rewrite');
    assert.match(refactors[0].title, /^Expand s3:GetObjectTagging\* into its \d+ actions?$/);
    const result = apply(text, refactors[0], taskUri);
    assert.match(result, /^iam_policy\("S3", Action: \["s3:GetObjectTagging"(, "s3:GetObjectTagging\w*")*\], Effect/);
    assert.deepEqual(await actions(taskUri, at, [], ['quickfix']), []);
  });

  test('no fix is offered for a code the settings turned off', async () => {
    client.settings = { diagnostics: { INVALID_ACTION: 'off' } };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    const text = 'iam_policy("S3", Action: ["s3:GetObjekt"], Effect: "Allow", Resource: "*")\n';
    client.replace(taskUri, text);
    const diags = await client.waitForDiagnostics(taskUri);
    assert.deepEqual(diags.filter((d) => d.code === 'INVALID_ACTION'), []);
    const list = await actions(taskUri, { start: { line: 0, character: 27 }, end: { line: 0, character: 41 } }, []);
    assert.deepEqual(list.map((a) => a.title), []);
    client.settings = {};
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
  });
});
