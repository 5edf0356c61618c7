// The language server on a hostile or broken repository: a FIFO, a link to /dev/zero, a link that leaves the project,
// a link loop or a 64 MiB file as the closed role file, `.ufo/config.rb` and the task-definition template. Every
// request is answered within 1 s, the preview says which file is not read and why, and the server keeps working. Before,
// the preview of such a project blocked the server for good (every later request timed out).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { LspClient, fileUri } from '../support/lspClient';
import { HOSTILE_KINDS, REASON_OF, plantHostile } from '../support/hostile';
import { makeProject } from '../support/project';

const EXEC = 'managed_iam_policy("service-role/AmazonECSTaskExecutionRolePolicy")\n';
const LIMIT_MS = 1000;

let client: LspClient;
before(async () => {
  client = await LspClient.start();
});
after(async () => {
  await client.stop();
});

async function timed<R>(label: string, p: Promise<R>): Promise<R> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const r = await Promise.race([p, new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), 5 * LIMIT_MS)))]);
  clearTimeout(timer);
  assert.notEqual(r, 'timeout', `${label}: no answer`);
  const ms = Date.now() - started;
  assert.ok(ms <= LIMIT_MS, `${label} took ${ms} ms`);
  return r as R;
}

for (const kind of HOSTILE_KINDS) {
  test(`a ${kind} as the closed role file, config.rb and the template: every request answered within 1 s`, async () => {
    const root = makeProject({
      '.ufo/config.rb': '',
      '.ufo/resources/iam_roles/execution_role.rb': EXEC,
      '.ufo/resources/task_definitions/web.json': '{ "family": "demo" }\n',
    });
    plantHostile(root, '.ufo/resources/iam_roles/task_role.rb', kind, 'iam_policy("Outside", Action: "s3:*", Effect: "Allow", Resource: "*")\n');
    plantHostile(root, '.ufo/config.rb', kind);
    plantHostile(root, '.ufo/resources/task_definitions/web.json', kind);
    const uri = fileUri(path.join(root, '.ufo/resources/iam_roles/execution_role.rb'));
    client.open(uri, EXEC);
    await timed('diagnostics', client.waitForDiagnostics(uri, undefined, LIMIT_MS));
    const preview = await timed('ufoIam/preview', client.request<{ text: string; errors: number }>('ufoIam/preview', { uri }));
    assert.match(preview.text, /task_role\.rb:1:1: UNREADABLE_FILE \.ufo\/resources\/iam_roles\/task_role\.rb is not read: /);
    assert.match(preview.text, /\.ufo\/config\.rb:1:1: UNREADABLE_FILE \.ufo\/config\.rb is not read: /);
    assert.match(preview.text, /\.ufo\/resources\/task_definitions\/web\.json is not read: /);
    assert.match(preview.text, REASON_OF[kind]);
    assert.equal(preview.errors, 2);
    const position = { line: 0, character: 5 };
    await timed('hover', client.request('textDocument/hover', { textDocument: { uri }, position }));
    await timed('completion', client.request('textDocument/completion', { textDocument: { uri }, position }));
    await timed('codeLens', client.request('textDocument/codeLens', { textDocument: { uri } }));
    await timed('documentSymbol', client.request('textDocument/documentSymbol', { textDocument: { uri } }));
    await timed('codeAction', client.request('textDocument/codeAction', { textDocument: { uri }, range: { start: position, end: position }, context: { diagnostics: [] } }));
    // The template's ARNs are the pre-created target's (with the stack target the server refuses before reading it).
    client.settings = { apply: { target: 'precreated' } };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    const arns = await timed(
      'ufoIam/taskDefinitionArns',
      client.request<{ kind: string; reason?: string }>('ufoIam/taskDefinitionArns', { uri, values: { taskRoleArn: 'arn:aws:iam::123456789012:role/demo-task' } }),
    );
    assert.equal(arns.kind, 'refused', JSON.stringify(arns));
    assert.match(JSON.stringify(arns), /web\.json is not read: /);
    client.settings = {};
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    // Still alive and sane afterwards.
    client.replace(uri, 'managed_iam_policy("AmazonSSMReadOnlyAccess")\n');
    const symbols = await timed('documentSymbol after an edit', client.request<unknown[]>('textDocument/documentSymbol', { textDocument: { uri } }));
    assert.equal(symbols.length, 1);
    client.close(uri);
  });
}
