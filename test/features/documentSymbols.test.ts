// Protocol test: the outline lists the role, its inline policies with statements, and managed policies.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { LspClient, fileUri } from '../support/lspClient';
import { makeProject } from '../support/project';

let client: LspClient;
before(async () => {
  client = await LspClient.start();
});
after(async () => {
  await client.stop();
});

test('documentSymbol returns role → policies → statements, and managed policies', async () => {
  const root = makeProject({ '.ufo/config.rb': '', '.ufo/resources/iam_roles/task_role.rb': '' });
  const uri = fileUri(path.join(root, '.ufo/resources/iam_roles/task_role.rb'));
  const text = [
    'iam_policy("S3Read", Action: ["s3:GetObject", "s3:ListBucket"], Effect: "Allow", Resource: "*")',
    'iam_policy("Multi", [',
    '  { Sid: "A", Action: "sqs:SendMessage", Effect: "Allow", Resource: "*" },',
    '  { Action: "sns:Publish", Effect: "Deny", Resource: "*" },',
    '])',
    'managed_iam_policy("AmazonSSMReadOnlyAccess", "service-role/AmazonECSTaskExecutionRolePolicy")',
    '',
  ].join('\n');
  client.open(uri, text);
  const symbols = await client.request<any[]>('textDocument/documentSymbol', { textDocument: { uri } });
  assert.equal(symbols.length, 1);
  assert.equal(symbols[0].name, 'TaskRole');
  const names = symbols[0].children.map((c: any) => [c.name, c.detail, (c.children ?? []).length]);
  assert.deepEqual(names, [
    ['S3Read', 'iam_policy', 1],
    ['Multi', 'iam_policy', 2],
    ['AmazonSSMReadOnlyAccess', 'managed_iam_policy', 0],
    ['service-role/AmazonECSTaskExecutionRolePolicy', 'managed_iam_policy', 0],
  ]);
  assert.equal(symbols[0].children[1].children[1].detail, 'Deny sns:Publish');
  assert.deepEqual(symbols[0].children[0].selectionRange, { start: { line: 0, character: 11 }, end: { line: 0, character: 19 } });
});
