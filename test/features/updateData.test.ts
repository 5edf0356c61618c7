// Protocol test: `ufoIam/updateData` over stdio against the real server and the local service reference of
// test/support/serviceReferenceServer.ts. A failed update changes nothing; a good one switches the running server to
// the new data (hover, diagnostics re-published, status) without a restart, and stores it where the CLI reads it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Diagnostic, Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { LspClient, fileUri, ROOT } from '../support/lspClient';
import { makeProject } from '../support/project';
import { startServiceReference, type ServiceReferenceServer } from '../support/serviceReferenceServer';
import type { StatusRequest, UpdateDataRequest } from '../../server/src/lsp/protocol';

const ROLE = 'iam_policy("Rockets", Action: ["ufotest:LaunchRocket", "s3:DeleteBucket"], Effect: "Allow", Resource: "*")\n';

let server: ServiceReferenceServer;
let client: LspClient;
let store: string;
let uri: string;
const progress: { done: number; total: number }[] = [];

before(async () => {
  server = await startServiceReference();
  store = fs.mkdtempSync(path.join(os.tmpdir(), 'ufo-iam-store-'));
  client = await LspClient.start({ env: { UFO_IAM_DATA_DIR: store } });
  client.connection.onNotification('ufoIam/updateDataProgress', (p: { done: number; total: number }) => {
    progress.push(p);
  });
  const root = makeProject({ '.ufo/config.rb': 'Ufo.configure do |config|\nend\n', '.ufo/resources/iam_roles/task_role.rb': ROLE });
  uri = fileUri(path.join(root, '.ufo/resources/iam_roles/task_role.rb'));
  client.open(uri, ROLE);
});
after(async () => {
  await client.stop();
  await server.close();
});

const mentions = (ds: Diagnostic[], word: string) => ds.some((d) => (typeof d.message === 'string' ? d.message : d.message.value).includes(word));

async function hoverText(needle: string): Promise<string> {
  const character = ROLE.indexOf(needle) + needle.indexOf(':') + 3;
  const h = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 0, character } });
  return h ? (h.contents as MarkupContent).value : '';
}

/** Completion right after `ufotest:`. */
async function completionLabels(): Promise<string[]> {
  const character = ROLE.indexOf('ufotest:') + 'ufotest:'.length;
  const r = await client.request<{ items: { label: string }[] } | { label: string }[] | null>('textDocument/completion', { textDocument: { uri }, position: { line: 0, character } });
  return (Array.isArray(r) ? r : (r?.items ?? [])).map((i) => i.label);
}

test('hover, completion, diagnostics and status switch to the downloaded data without a restart; a failed update changes nothing', async () => {
  const before = await client.waitForDiagnostics(uri);
  assert.ok(mentions(before, 'ufotest'), 'the bundled data does not know ufotest');
  assert.ok(!mentions(before, 'DeleteBucket'));
  assert.doesNotMatch(await hoverText('ufotest:LaunchRocket'), /\*\*ufotest:LaunchRocket\*\*/);
  assert.ok(!(await completionLabels()).some((l) => l.endsWith('ListRockets')));
  const status0 = await client.request<StatusRequest.Result>('ufoIam/status', { textDocument: { uri } });
  assert.equal(status0.dataSource, 'bundled');
  assert.match(status0.dataText ?? '', /^IAM data of 2026-09-26 \(bundled, \d+ days? old\)$/);

  for (const mode of ['truncated', 'error500', 'malformed'] as const) {
    const failed = await client.request<UpdateDataRequest.Result>('ufoIam/updateData', { from: server.url(mode) });
    assert.equal(failed.ok, false, mode);
    assert.match(failed.reason ?? '', mode === 'malformed' ? /broken: no Actions array/ : mode === 'error500' ? /HTTP 500/ : /not valid JSON/);
    assert.match(failed.dataText, /\(bundled, /);
  }
  assert.equal(fs.existsSync(path.join(store, 'current.json')), false);
  assert.doesNotMatch(await hoverText('ufotest:LaunchRocket'), /\*\*ufotest:LaunchRocket\*\*/);

  const published = client.published.length;
  const r = await client.request<UpdateDataRequest.Result>('ufoIam/updateData', { from: server.url('ok') });
  assert.equal(r.ok, true, r.reason);
  assert.match(r.lines[0]!, /^Stored IAM data of .*: 3 services, 10 actions\.$/);
  assert.ok(r.lines.includes('services added (1): ufotest'));
  assert.match(r.dataText, /downloaded from http:\/\/127\.0\.0\.1:\d+\/ok\//);
  assert.deepEqual(progress.at(-1), { done: 3, total: 3 });

  const after = await client.waitForDiagnostics(uri, (ds) => client.published.length > published && mentions(ds, 'DeleteBucket'));
  assert.ok(!mentions(after, 'ufotest'), JSON.stringify(after));
  const hover = await hoverText('ufotest:LaunchRocket');
  assert.match(hover, /\*\*ufotest:LaunchRocket\*\* — ufotest · Write/);
  assert.match(hover, /_IAM data of \d{4}-\d{2}-\d{2} \(downloaded from http:\/\/127\.0\.0\.1:\d+\/ok\/; descriptions of @cloud-copilot\/iam-data /);
  assert.ok((await completionLabels()).some((l) => l.endsWith('ListRockets')));
  const status1 = await client.request<StatusRequest.Result>('ufoIam/status', { textDocument: { uri } });
  assert.equal(status1.dataSource, 'downloaded');

  // The CLI reads the same store.
  const v = spawnSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), '--version'], { encoding: 'utf8', env: { ...process.env, UFO_IAM_DATA_DIR: store } });
  assert.match(v.stdout, /downloaded from http:\/\/127\.0\.0\.1:\d+\/ok\//);
});
