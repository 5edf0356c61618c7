// Protocol test: the checks as diagnostics of the real server: codes, severities, documentation links, tags,
// the data date in messages, inline suppressions and per-code settings.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { DiagnosticSeverity, DiagnosticTag } from 'vscode-languageserver-protocol';
import { LspClient, fileUri } from '../support/lspClient';
import { makeProject } from '../support/project';

const root = makeProject({ '.ufo/settings.yml': 'default: {}\n', '.ufo/iam_roles/task_role.rb': '' });
const uri = fileUri(path.join(root, '.ufo/iam_roles/task_role.rb'));

describe('checks over LSP', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start();
  });
  after(async () => {
    await client.stop();
  });

  test('each finding has its code, severity, range, documentation link and tags', async () => {
    const text = [
      'iam_policy("S3", Action: ["s3:GetObjekt", "s3:Get*", "s3:GetObject"], Effect: "Allow", Resource: "*")',
      'managed_iam_policy("AWSMobileHub_ReadOnly", "AmazonECSTaskExecutionRolePolicy")',
      'iam_policy("Run", Action: ["iam:PassRole"], Effect: "Allow", Resource: "*")',
      '',
    ].join('\n');
    client.open(uri, text);
    const diags = await client.waitForDiagnostics(uri);
    const one = (code: string) => {
      const found = diags.filter((d) => d.code === code);
      assert.equal(found.length, 1, `${code}: ${JSON.stringify(diags.map((d) => d.code))}`);
      return found[0];
    };
    const invalid = one('INVALID_ACTION');
    assert.equal(invalid.severity, DiagnosticSeverity.Warning);
    assert.equal(invalid.source, 'ufo-iam');
    assert.match(invalid.message as string, /not in the IAM data of \d{4}-\d{2}-\d{2}\. Did you mean s3:GetObject\?/);
    assert.match(invalid.codeDescription!.href, /access-analyzer-reference-policy-checks\.html#access-analyzer-reference-policy-checks-error-invalid-action$/);
    assert.deepEqual(invalid.range, { start: { line: 0, character: 26 }, end: { line: 0, character: 40 } });
    const redundant = one('REDUNDANT_ACTION');
    assert.equal(redundant.severity, DiagnosticSeverity.Information);
    assert.deepEqual(redundant.tags, [DiagnosticTag.Unnecessary]);
    assert.deepEqual(one('RETIRED_MANAGED_POLICY').tags, [DiagnosticTag.Deprecated]);
    assert.equal(one('MANAGED_POLICY_PATH_MISSING').severity, DiagnosticSeverity.Error);
    assert.equal(one('ROLE_TYPE_HINT').severity, DiagnosticSeverity.Information);
    const passRole = one('PASS_ROLE_WITH_STAR_IN_RESOURCE');
    assert.equal(passRole.severity, DiagnosticSeverity.Warning);
    assert.match(passRole.message as string, /^Security: /);
  });

  test('inline suppressions silence findings; an unused one is a hint', async () => {
    const text = [
      '# ufo-iam:disable-next-line INVALID_ACTION',
      'iam_policy("S3", Action: ["s3:GetObjekt"], Effect: "Allow", Resource: "*")',
      '# ufo-iam:disable-next-line MISSING_EFFECT',
      'iam_policy("S3b", Action: ["s3:GetObject"], Effect: "Allow", Resource: "*")',
      '',
    ].join('\n');
    client.replace(uri, text);
    const diags = await client.waitForDiagnostics(uri);
    assert.deepEqual(diags.map((d) => [d.code, d.severity, d.range.start.line]), [['UNUSED_SUPPRESSION', DiagnosticSeverity.Hint, 2]]);
    assert.deepEqual(diags[0].tags, [DiagnosticTag.Unnecessary]);
  });

  test('ufoIam.diagnostics.<CODE> settings change severities and turn codes off', async () => {
    client.settings = { diagnostics: { INVALID_ACTION: 'error', ROLE_TYPE_HINT: 'off' } };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    client.replace(uri, 'iam_policy("S3", Action: ["s3:GetObjekt", "logs:PutLogEvents"], Effect: "Allow", Resource: "*")\n');
    const diags = await client.waitForDiagnostics(uri);
    assert.deepEqual(diags.map((d) => [d.code, d.severity]), [['INVALID_ACTION', DiagnosticSeverity.Error]]);
    client.settings = {};
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
  });
});
