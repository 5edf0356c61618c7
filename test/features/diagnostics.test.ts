// Protocol test: the real server over stdio publishes diagnostics with exact ranges and codes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { LspClient, fileUri } from '../support/lspClient';
import { makeProject } from '../support/project';
// @ts-expect-error plain ESM helper shared with the benchmark
import { generateRoleFile } from '../../bench/generate.mjs';

describe('diagnostics over LSP', () => {
  let client: LspClient;
  const root = makeProject({ '.ufo/settings.yml': 'default: {}\n', '.ufo/iam_roles/task_role.rb': '' });
  before(async () => {
    client = await LspClient.start();
  });
  after(async () => {
    await client.stop();
  });

  test('a file with errors gets each code at its exact range (non-ASCII line)', async () => {
    const uri = fileUri(path.join(root, '.ufo/iam_roles/task_role.rb'));
    const text = [
      '# Rollen für 😀 Gäste',
      'iam_policy("Zugriff-ü")',
      'managed_iam_polcy("AmazonS3ReadOnlyAccess")',
      'iam_policy("P", Action: "s3:GetObject", Effect: "Allow", Resource: ENV["ARN"])',
      '',
    ].join('\n');
    client.open(uri, text);
    const diags = await client.waitForDiagnostics(uri);
    const byCode = (code: string) => diags.filter((d) => d.code === code);
    assert.deepEqual(byCode('DSL_ARITY').map((d) => d.range), [{ start: { line: 1, character: 0 }, end: { line: 1, character: 23 } }]);
    assert.equal(byCode('DSL_ARITY')[0].severity, 1);
    assert.deepEqual(byCode('UNKNOWN_DSL_METHOD').map((d) => d.range), [{ start: { line: 2, character: 0 }, end: { line: 2, character: 17 } }]);
    const dyn = byCode('DYNAMIC_VALUE');
    assert.equal(dyn.length, 1);
    assert.equal(dyn[0].severity, 3);
    const line3 = text.split('\n')[3];
    assert.deepEqual(dyn[0].range, { start: { line: 3, character: line3.indexOf('ENV') }, end: { line: 3, character: line3.indexOf('ENV') + 'ENV["ARN"]'.length } });
    assert.ok(diags.every((d) => d.source === 'ufo-iam'));
  });

  test('syntax errors are reported at Prism range and the server keeps answering', async () => {
    const uri = fileUri(path.join(root, '.ufo/iam_roles/task_role.rb'));
    client.replace(uri, 'iam_policy("P", Action: ["s3:Get"\n');
    const diags = await client.waitForDiagnostics(uri, (d) => d.some((x) => x.code === 'SYNTAX_ERROR'));
    const syntax = diags.filter((d) => d.code === 'SYNTAX_ERROR');
    assert.ok(syntax.length > 0);
    for (const d of syntax) assert.ok(d.range.start.line <= 1 && String(d.message).length > 0);
    const symbols = await client.request<any[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.ok(Array.isArray(symbols));
  });

  test('a file UFO does not read gets UNUSED_ROLE_FILE on its first line', async () => {
    const uri = fileUri(path.join(root, '.ufo/iam_roles/taskrole.rb'));
    client.open(uri, 'iam_policy("P", Action: "s3:GetObject", Effect: "Allow", Resource: "*")\n');
    const diags = await client.waitForDiagnostics(uri);
    const unused = diags.filter((d) => d.code === 'UNUSED_ROLE_FILE');
    assert.equal(unused.length, 1);
    assert.match(String(unused[0].message), /Rename it to task_role\.rb/);
    assert.deepEqual(unused[0].range.start, { line: 0, character: 0 });
    assert.equal(unused[0].range.end.line, 0);
  });

  test('a per-code severity setting applies and "off" removes the code', async () => {
    client.settings = { diagnostics: { DYNAMIC_VALUE: 'off', DSL_ARITY: 'warning' } };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    const uri = fileUri(path.join(root, '.ufo/iam_roles/task_role.rb'));
    client.replace(uri, 'iam_policy("P")\niam_policy("Q", Action: "s3:GetObject", Effect: "Allow", Resource: ENV["X"])\n');
    const diags = await client.waitForDiagnostics(uri);
    assert.deepEqual(diags.map((d) => [d.code, d.severity]), [['DSL_ARITY', 2]]);
    client.settings = {};
  });

  test('while typing with requests in between, every publication describes the text of the version it names', async () => {
    // A large file, so that checks run in steps and edits and completions arrive between them.
    const uri = fileUri(path.join(root, '.ufo/iam_roles/task_role.rb'));
    const body = generateRoleFile(1200) as string;
    const good = 'managed_iam_policy("AmazonSSMReadOnlyAccess")';
    const bad = 'managed_iam_polcy("AmazonSSMReadOnlyAccess")  ';
    client.open(uri, `${good}\n${body}`);
    await client.waitForDiagnostics(uri);
    const from = client.published.length;
    const withError = new Set<number>();
    let line0 = good;
    for (let i = 0; i < 24; i++) {
      const next = i % 2 === 0 ? bad : good;
      const version = client.edit(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: line0.length } }, next);
      line0 = next;
      if (next === bad) withError.add(version);
      await client.request('textDocument/completion', { textDocument: { uri }, position: { line: 0, character: 'managed_iam_po'.length } });
      await new Promise((r) => setTimeout(r, (i * 7) % 40));
    }
    await client.waitForDiagnostics(uri);
    const mine = client.published.slice(from).filter((p) => p.uri === uri);
    assert.ok(mine.length >= 2, `publications while typing: ${mine.length}`);
    for (const p of mine) {
      const flagged = p.diagnostics.some((d) => d.code === 'UNKNOWN_DSL_METHOD');
      assert.equal(flagged, withError.has(p.version!), `version ${p.version}: UNKNOWN_DSL_METHOD ${flagged ? 'reported' : 'missing'}`);
    }
    assert.equal(mine[mine.length - 1].version, client.version(uri), 'the last publication is of the last version');
  });
});
