// `ufoIam/status` over stdio: what the status bar shows agrees with the published diagnostics, the project's UFO
// version and target, and the IAM data's date.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { LspClient, fileUri } from '../support/lspClient';
import { makeProject } from '../support/project';
import { getIam } from '../../server/src/project/iamInstance';

let client: LspClient;
before(async () => {
  client = await LspClient.start();
});
after(async () => {
  await client.stop();
});

interface Status {
  dataDate?: string;
  ufoVersion?: number;
  target?: string;
  targetText?: string;
  counts: { error: number; warning: number; information: number; hint: number };
}

test('the counts are those of the published diagnostics; version, target and data date come with them', async () => {
  const root = makeProject({ '.ufo/config.rb': 'Ufo.configure do |config|\n  config.app = "demo"\nend\n', '.ufo/resources/iam_roles/task_role.rb': '' });
  const uri = fileUri(path.join(root, '.ufo/resources/iam_roles/task_role.rb'));
  client.open(uri, 'iam_policy("P")\nmanaged_iam_polcy("X")\niam_policy("Q", Action: "s3:GetObjekt", Effect: "Allow", Resource: "*")\n');
  const diags = await client.waitForDiagnostics(uri);
  const status = await client.request<Status>('ufoIam/status', { textDocument: { uri } });
  const bySeverity = (s: number) => diags.filter((d) => d.severity === s).length;
  assert.deepEqual(status.counts, { error: bySeverity(1), warning: bySeverity(2), information: bySeverity(3), hint: bySeverity(4) });
  assert.ok(status.counts.error >= 1 && status.counts.warning >= 1, JSON.stringify(diags.map((d) => [d.code, d.severity])));
  assert.equal(status.ufoVersion, 6);
  assert.equal(status.target, 'stack');
  assert.match(status.targetText ?? '', /^Apply target: stack\. .* stack demo-web-dev /);
  assert.equal(status.dataDate, getIam().provenance.dataDate);

  client.replace(uri, 'managed_iam_policy("AmazonS3ReadOnlyAccess")\n');
  await client.waitForDiagnostics(uri);
  assert.deepEqual((await client.request<Status>('ufoIam/status', { textDocument: { uri } })).counts, { error: 0, warning: 0, information: 0, hint: 0 });
});

test('outside a project: no version or target; malformed params are InvalidParams', async () => {
  const root = makeProject({ 'x.rb': '' });
  const uri = fileUri(path.join(root, 'x.rb'));
  client.open(uri, 'iam_policy(\n');
  await client.waitForDiagnostics(uri);
  const status = await client.request<Status>('ufoIam/status', { textDocument: { uri } });
  assert.equal(status.ufoVersion, undefined);
  assert.equal(status.target, undefined);
  await assert.rejects(client.request('ufoIam/status', {}), /textDocument\.uri must be a string/);
});
