// `ufo-iam import` as a user runs it: the bundled CLI, the real SDK against the IAM emulator, fake credentials from
// the environment. Compiling the written file (`ufo-iam compile`) gives the live role's documents and ARNs.
import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fromJsonText, toJsonText } from '../../../server/src/core';
import { startIamEndpoint, type IamEndpoint } from '../../support/iamEndpoint';
import { isolateAwsEnvironment, leakedSecrets, useFakeCredentials } from '../../support/iamTestEnv';
import { makeProject } from '../../support/project';

const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'dist/cli.js');

let env: ReturnType<typeof isolateAwsEnvironment>;
let endpoint: IamEndpoint;
beforeEach(async () => {
  env = isolateAwsEnvironment();
  useFakeCredentials();
  endpoint = await startIamEndpoint();
});
afterEach(async () => {
  await endpoint.close();
  env.restore();
});

function run(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, UFO_APP: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
const ep = (): string[] => ['--endpoint', endpoint.url, '--region', 'us-east-1'];

const LOGS = '{"Version":"2012-10-17","Statement":[{"Sid":"Logs","Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":"arn:aws:logs:*:*:log-group:/ecs/#{app}:*"}]}';
const S3 =
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::b","Condition":{"StringLike":{"s3:prefix":["home/${aws:username}/*"]}}},{"Effect":"Deny","NotAction":"s3:*","NotResource":"*"}]}';

function seed(trustPolicy?: unknown): void {
  endpoint.state.seedRole({
    roleName: 'legacy-task-role',
    inline: { Logs: LOGS, S3 },
    attached: ['arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy', 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'],
    ...(trustPolicy ? { trustPolicy } : {}),
  });
}

const pretty = (json: string) => toJsonText(fromJsonText(json));

test('v6: writes .ufo/resources/iam_roles/task_role.rb; compiling it gives the live documents and ARNs', async () => {
  seed();
  const root = makeProject({ '.ufo/config.rb': '' });
  const r = await run(['import', 'legacy-task-role', '--as', 'task', ...ep()], root);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'Wrote .ufo/resources/iam_roles/task_role.rb from the IAM role legacy-task-role (2 inline, 2 managed policies).\n');
  assert.equal(r.stderr, '', 'the trust policy is UFO\'s: no note');
  const text = fs.readFileSync(path.join(root, '.ufo/resources/iam_roles/task_role.rb'), 'utf8');
  assert.match(text, /^# Imported from the IAM role legacy-task-role \(arn:aws:iam::123456789012:role\/legacy-task-role\) by ufo-iam import\.\n/);
  assert.match(text, /managed_iam_policy\(\n  "service-role\/AmazonECSTaskExecutionRolePolicy",\n  "AmazonS3ReadOnlyAccess"\n\)/);
  assert.match(text, /\\#\{app\}/, '#{ must not interpolate');
  const compiled = await run(['compile', '.'], root);
  assert.equal(compiled.code, 0, compiled.stderr);
  const props = JSON.parse(compiled.stdout).TaskRole.Properties;
  assert.deepEqual(props.ManagedPolicyArns, ['arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy', 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess']);
  assert.deepEqual(props.Policies.map((p: { PolicyName: string }) => p.PolicyName), ['Logs', 'S3']);
  // Exactly the live documents, key order included.
  assert.equal(toJsonText(fromJsonText(JSON.stringify(props.Policies[0].PolicyDocument))), pretty(LOGS));
  assert.equal(toJsonText(fromJsonText(JSON.stringify(props.Policies[1].PolicyDocument))), pretty(S3));
  assert.deepEqual(leakedSecrets(r.stdout + r.stderr), []);
});

test('v5, string keys of the existing file, execution role; an existing file needs --force', async () => {
  seed({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
  const root = makeProject({
    '.ufo/settings.yml': '',
    '.ufo/iam_roles/task_role.rb': 'iam_policy("Old", "Action" => "s3:*", "Effect" => "Allow", "Resource" => "*")\n',
    '.ufo/iam_roles/execution_role.rb': 'managed_iam_policy("AmazonEC2ReadOnlyAccess")\n',
  });
  const refused = await run(['import', 'legacy-task-role', '--as', 'execution', ...ep()], root);
  assert.equal(refused.code, 2);
  assert.equal(refused.stderr, 'ufo-iam import: .ufo/iam_roles/execution_role.rb exists (UFO reads it for the execution role); nothing was written. Use --force to replace it.\n');
  assert.equal(fs.readFileSync(path.join(root, '.ufo/iam_roles/execution_role.rb'), 'utf8'), 'managed_iam_policy("AmazonEC2ReadOnlyAccess")\n');
  assert.equal(endpoint.requests.length, 0, 'refused before reaching AWS');

  const r = await run(['import', 'legacy-task-role', '.', '--as', 'execution', '--force', ...ep()], root);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /note: the live trust policy of legacy-task-role differs from the one UFO gives every role/);
  const text = fs.readFileSync(path.join(root, '.ufo/iam_roles/execution_role.rb'), 'utf8');
  assert.match(text, /iam_policy\("Logs",\n  "Sid" => "Logs",/);
  assert.match(text, /# Its trust policy is not here/);
  const compiled = await run(['compile', '.'], root);
  const props = JSON.parse(compiled.stdout).ExecutionRole.Properties;
  assert.equal(toJsonText(fromJsonText(JSON.stringify(props.Policies[1].PolicyDocument))), pretty(S3));
});

test('customer-managed policies are written as ARNs, with the note that UFO mangles them', async () => {
  endpoint.state.seedRole({ roleName: 'custom', attached: ['arn:aws:iam::123456789012:policy/Mine'] });
  const root = makeProject({ '.ufo/config.rb': '' });
  const r = await run(['import', 'custom', '--as', 'task', ...ep()], root);
  assert.equal(r.code, 0, r.stderr);
  assert.match(fs.readFileSync(path.join(root, '.ufo/resources/iam_roles/task_role.rb'), 'utf8'), /managed_iam_policy\("arn:aws:iam::123456789012:policy\/Mine"\)/);
  assert.match(r.stderr, /note: arn:aws:iam::123456789012:policy\/Mine is a customer-managed policy: UFO turns it into arn:aws:iam::aws:policy\/arn:aws:iam::123456789012:policy\/Mine/);
});

test('a role IAM does not have, and usage errors: nothing written', async () => {
  const root = makeProject({ '.ufo/config.rb': '' });
  const missing = await run(['import', 'nope', '--as', 'task', ...ep()], root);
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr, 'ufo-iam import: IAM has no role named nope; nothing was written.\n');
  assert.equal(fs.existsSync(path.join(root, '.ufo/resources/iam_roles')), false);
  assert.equal((await run(['import', 'nope', ...ep()], root)).code, 2);
  assert.match((await run(['import', 'nope', '--as', 'web', ...ep()], root)).stderr, /--as must be task or execution/);
});

test('a project of pre-created roles gets the file in its pre-created folder, which UFO never reads', async () => {
  seed();
  const root = makeProject({ '.ufo/config.rb': '', '.ufo/precreated_iam_roles/execution_role.rb': 'managed_iam_policy("service-role/AmazonECSTaskExecutionRolePolicy")\n' });
  const r = await run(['import', 'legacy-task-role', '--as', 'task', ...ep()], root);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'Wrote .ufo/precreated_iam_roles/task_role.rb from the IAM role legacy-task-role (2 inline, 2 managed policies).\n');
  assert.ok(!fs.existsSync(path.join(root, '.ufo/resources/iam_roles/task_role.rb')));
  const compiled = await run(['compile', '.'], root);
  assert.equal(compiled.stdout.trim(), '{}', 'UFO builds no role from the pre-created folder');
});
