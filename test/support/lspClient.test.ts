// The protocol tests' client must never hang a run: a server that dies or stops answering fails the test at once,
// with how it ended and its stderr (vscode-jsonrpc alone leaves a request to a dead peer pending forever).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { LspClient, fileUri } from './lspClient';
import { makeProject } from './project';

test('a request to a server that died rejects at once, naming the signal', async () => {
  const client = await LspClient.start();
  const exited = new Promise((r) => client.child.once('exit', r));
  client.child.kill('SIGKILL');
  await exited;
  const started = Date.now();
  await assert.rejects(client.request('textDocument/hover', { textDocument: { uri: 'file:///x.rb' }, position: { line: 0, character: 0 } }), /server (has )?ended \(signal SIGKILL\)/);
  assert.ok(Date.now() - started < 1000);
  await client.stop();
});

test('a request pending when the server dies rejects, and so does a wait for diagnostics', async () => {
  const root = makeProject({ '.ufo/settings.yml': 'default: {}\n', '.ufo/iam_roles/task_role.rb': '' });
  const client = await LspClient.start();
  const uri = fileUri(path.join(root, '.ufo/iam_roles/task_role.rb'));
  client.open(uri, 'iam_policy("P", Action: "s3:GetObject", Effect: "Allow", Resource: "*")\n');
  await client.waitForDiagnostics(uri);
  client.replace(uri, 'iam_policy("Q")\n');
  const pending = client.request('textDocument/documentSymbol', { textDocument: { uri } }, 60_000).catch((e: Error) => e);
  const waiting = client.waitForDiagnostics(uri, () => false, 60_000).catch((e: Error) => e);
  const started = Date.now();
  client.child.kill('SIGKILL');
  const [r, w] = await Promise.all([pending, waiting]);
  // The symbols may have been answered before the kill; the wait for a predicate that never holds cannot be.
  if (r instanceof Error) assert.match(r.message, /server ended \(signal SIGKILL\)/);
  assert.ok(w instanceof Error && /server ended \(signal SIGKILL\)/.test(w.message), String(w));
  assert.ok(Date.now() - started < 5000);
  await client.stop();
});

test('a request the server does not answer in time rejects, naming the request', async () => {
  const client = await LspClient.start();
  client.child.kill('SIGSTOP');
  try {
    await assert.rejects(client.request('textDocument/hover', { textDocument: { uri: 'file:///x.rb' }, position: { line: 0, character: 0 } }, 300), /textDocument\/hover: no answer within 300 ms/);
  } finally {
    client.child.kill('SIGCONT');
    await client.stop();
  }
});
