// Protocol test: `ufoIam/convertPolicy` (paste as iam_policy, insert from a JSON file) and `ufoIam/importRole`,
// spoken to the real server (dist/server.js) over stdio; the import reads a role from the IAM emulator through the
// real SDK (dist/aws.js). Run `npm run build` first.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { ConvertPolicyRequest, ImportRoleRequest } from '../../server/src/lsp/protocol';
import { startIamEndpoint, type IamEndpoint } from '../support/iamEndpoint';
import { FAKE_CREDENTIALS, isolateAwsEnvironment, leakedSecrets } from '../support/iamTestEnv';
import { LspClient, fileUri } from '../support/lspClient';
import { makeProject } from '../support/project';
import { compiledDocuments } from '../core/convert/roundTrip';

let env: ReturnType<typeof isolateAwsEnvironment>;
let endpoint: IamEndpoint;
let client: LspClient;
let root: string;

const STRING_KEYS_RB = 'iam_policy("Old", "Action" => "s3:*", "Effect" => "Allow", "Resource" => "*")\n';

before(async () => {
  env = isolateAwsEnvironment();
  endpoint = await startIamEndpoint();
  root = makeProject({ '.ufo/config.rb': '', '.ufo/resources/iam_roles/task_role.rb': STRING_KEYS_RB, '.ufo/resources/iam_roles/execution_role.rb': 'managed_iam_policy("AmazonS3ReadOnlyAccess")\n' });
  client = await LspClient.start({
    env: { AWS_ACCESS_KEY_ID: FAKE_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: FAKE_CREDENTIALS.secretAccessKey, AWS_SESSION_TOKEN: FAKE_CREDENTIALS.sessionToken },
    settings: { aws: { endpoint: endpoint.url, region: 'us-east-1' } },
  });
});
after(async () => {
  await client.stop();
  await endpoint.close();
  env.restore();
});

const convert = (params: ConvertPolicyRequest.Params) => client.request<ConvertPolicyRequest.Result>('ufoIam/convertPolicy', params);
const JSON_DOC = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Sid": "ReadLogs",\n      "Effect": "Allow",\n      "Action": "logs:GetLogEvents",\n      "Resource": "*",\n      "Condition": {\n        "StringEquals": {\n          "aws:ResourceTag/app": "démo #{x}"\n        }\n      }\n    }\n  ]\n}';

test('convertPolicy: the call in the open file\'s key style, named after the first Sid; it compiles to the document', async () => {
  const uri = fileUri(path.join(root, '.ufo/resources/iam_roles/task_role.rb'));
  client.open(uri, STRING_KEYS_RB);
  const r = await convert({ uri, json: JSON_DOC });
  assert.equal(r.kind, 'converted');
  if (r.kind !== 'converted') return;
  assert.equal(r.name, 'ReadLogs');
  assert.match(r.text, /^iam_policy\("ReadLogs",\n  "Sid" => "ReadLogs",\n  "Effect" => "Allow",/);
  assert.match(r.text, /"démo \\#\{x\}"/);
  assert.equal(compiledDocuments(r.text).documents[0], JSON_DOC);
  assert.deepEqual(r.notes, []);
});

test('convertPolicy: symbol keys in a file without a style, a given name, `Policy` without a Sid', async () => {
  const uri = fileUri(path.join(root, '.ufo/resources/iam_roles/execution_role.rb'));
  const named = await convert({ uri, json: JSON_DOC, name: 'Mine' });
  assert.ok(named.kind === 'converted' && named.text.startsWith('iam_policy("Mine",\n  Sid: "ReadLogs",'));
  const noSid = await convert({ uri, json: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}' });
  assert.ok(noSid.kind === 'converted' && noSid.name === 'Policy');
});

test('convertPolicy: not JSON, or not a policy UFO can write, is notPolicy with the reason', async () => {
  const uri = fileUri(path.join(root, '.ufo/resources/iam_roles/task_role.rb'));
  const notJson = await convert({ uri, json: 'iam_policy("X")' });
  assert.equal(notJson.kind, 'notPolicy');
  assert.match(notJson.kind === 'notPolicy' ? notJson.message : '', /^The text is not JSON/);
  const old = await convert({ uri, json: '{"Version":"2008-10-17","Statement":[]}' });
  assert.deepEqual(old, { kind: 'notPolicy', message: `Not a policy document UFO can write: the document's Version is "2008-10-17"; UFO always writes "2012-10-17".` });
});

test('importRole: the file UFO reads for the role, whether it exists, and its text from the live role', async () => {
  endpoint.state.seedRole({
    roleName: 'live',
    inline: { Logs: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"logs:*","Resource":"*"}]}' },
    attached: ['arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy'],
    trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
  });
  const r = await client.request<ImportRoleRequest.Result>('ufoIam/importRole', { uri: fileUri(root), roleName: 'live', roleType: 'task_role' });
  assert.equal(r.kind, 'import', JSON.stringify(r));
  if (r.kind !== 'import') return;
  assert.equal(r.file, '.ufo/resources/iam_roles/task_role.rb');
  assert.equal(r.fileUri, fileUri(path.join(root, '.ufo/resources/iam_roles/task_role.rb')));
  assert.equal(r.exists, true);
  assert.match(r.text, /managed_iam_policy\("service-role\/AmazonECSTaskExecutionRolePolicy"\)/);
  assert.match(r.text, /iam_policy\("Logs",\n  "Effect" => "Allow",/, 'the key style of the existing file');
  assert.equal(r.notes.length, 1);
  assert.match(r.notes[0], /live trust policy of live differs/);
  const out = compiledDocuments(r.text);
  assert.deepEqual(out.managed, ['arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy']);
  assert.equal(out.documents[0], '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Effect": "Allow",\n      "Action": "logs:*",\n      "Resource": "*"\n    }\n  ]\n}');

  const missing = await client.request<ImportRoleRequest.Result>('ufoIam/importRole', { uri: fileUri(root), roleName: 'nope', roleType: 'execution_role' });
  assert.deepEqual(missing, { kind: 'error', message: 'IAM has no role named nope.' });
  const outside = await client.request<ImportRoleRequest.Result>('ufoIam/importRole', { uri: fileUri('/'), roleName: 'live', roleType: 'task_role' });
  assert.equal(outside.kind, 'refused');
  assert.deepEqual(leakedSecrets(JSON.stringify([r, missing]) + client.stderr.join('')), []);
});
