// Protocol test: `ufoIam/explainDenied` spoken to the real server (dist/server.js) over stdio: the explanation, the
// WorkspaceEdit of the role file (from the disk, or from the open editor's unsaved text, versioned), refusals, and
// malformed params. Run `npm run build` first.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentEdit } from 'vscode-languageserver-protocol';
import type { ExplainDeniedRequest } from '../../server/src/lsp/protocol';
import { LspClient, fileUri } from '../support/lspClient';
import { makeProject } from '../support/project';

let client: LspClient;
let root: string;
const ROLE = 'iam_policy("Logs",\n  Action: ["logs:CreateLogStream"],\n  Effect: "Allow",\n  Resource: "*"\n)\n';
const FILE = '.ufo/resources/iam_roles/task_role.rb';
const MESSAGE = 'An error occurred (AccessDenied) when calling the PutObject operation: User: arn:aws:sts::123456789012:assumed-role/demo-web-dev-TaskRole-AbC123XyZ/i-0abc is not authorized to perform: s3:PutObject on resource: arn:aws:s3:::uploads/a.txt because no identity-based policy allows the s3:PutObject action';

before(async () => {
  root = makeProject({ '.ufo/config.rb': 'Ufo.configure do |config|\n  config.app = "demo"\nend\n', [FILE]: ROLE });
  client = await LspClient.start();
});
after(async () => {
  await client.stop();
});

const explain = (params: unknown) => client.request<ExplainDeniedRequest.Result>('ufoIam/explainDenied', params);

function appliedText(before: string, r: ExplainDeniedRequest.Result): string {
  assert.equal(r.kind, 'explained');
  if (r.kind !== 'explained') return '';
  assert.ok(r.edit, JSON.stringify(r.noEdit));
  const change = r.edit!.workspaceEdit.documentChanges![0] as TextDocumentEdit;
  return TextDocument.applyEdits(TextDocument.create(change.textDocument.uri, 'ruby', 1, before), change.edits as never);
}

test('explainDenied: the explanation and a WorkspaceEdit that appends the new iam_policy call to the file on disk', async () => {
  const uri = fileUri(path.join(root, FILE));
  const r = await explain({ uri: fileUri(root), message: MESSAGE });
  assert.equal(r.kind, 'explained');
  if (r.kind !== 'explained') return;
  assert.equal(r.denied.roleName, 'demo-web-dev-TaskRole-AbC123XyZ');
  assert.equal(r.denied.reason, 'noIdentityPolicy');
  assert.ok(r.lines.some((l) => /^Role: the stack's TaskRole: .*stack demo-web-dev/.test(l)), r.lines.join('\n'));
  assert.equal(r.edit?.uri, uri);
  assert.equal(r.edit?.file, FILE);
  const change = r.edit!.workspaceEdit.documentChanges![0] as TextDocumentEdit;
  assert.equal(change.textDocument.version, null);
  assert.equal(appliedText(ROLE, r), ROLE + '\niam_policy("AllowS3PutObject",\n  Action: ["s3:PutObject"],\n  Effect: "Allow",\n  Resource: "arn:aws:s3:::uploads/a.txt"\n)\n');
  assert.match(r.edit!.diff, /^\+iam_policy\("AllowS3PutObject",$/m);
});

test('explainDenied: an open role file is edited from its unsaved text, with its version', async () => {
  const uri = fileUri(path.join(root, FILE));
  const unsaved = 'iam_policy("Uploads", Action: ["s3:GetObject"], Effect: "Allow", Resource: "arn:aws:s3:::uploads/a.txt")\n';
  client.open(uri, unsaved);
  const r = await explain({ uri, message: MESSAGE });
  assert.equal(appliedText(unsaved, r), 'iam_policy("Uploads", Action: ["s3:GetObject", "s3:PutObject"], Effect: "Allow", Resource: "arn:aws:s3:::uploads/a.txt")\n');
  const change = (r as Extract<ExplainDeniedRequest.Result, { kind: 'explained' }>).edit!.workspaceEdit.documentChanges![0] as TextDocumentEdit;
  assert.equal(change.textDocument.version, 1);
  client.close(uri);
});

test('explainDenied: no edit for an explicit deny; refused for a text that is no AccessDenied and outside a project; malformed params', async () => {
  const deny = await explain({ uri: fileUri(root), message: MESSAGE.replace(/because no identity-based policy allows the s3:PutObject action/, 'with an explicit deny in a permissions boundary') });
  assert.ok(deny.kind === 'explained' && !deny.edit && deny.noEdit?.code === 'ALLOW_CANNOT_HELP' && /permissions boundary/.test(deny.noEdit.message));
  const not = await explain({ uri: fileUri(root), message: 'hello' });
  assert.ok(not.kind === 'refused' && not.code === 'NOT_ACCESS_DENIED');
  const outside = await explain({ uri: fileUri(path.dirname(root)), message: MESSAGE });
  assert.ok(outside.kind === 'refused' && outside.code === 'NOT_A_PROJECT', JSON.stringify(outside));
  await assert.rejects(explain({ message: MESSAGE }), /uri must be a string/);
  const noMessage = await explain({ uri: fileUri(root) });
  assert.ok(noMessage.kind === 'refused' && noMessage.code === 'INVALID_PARAMS');
});
