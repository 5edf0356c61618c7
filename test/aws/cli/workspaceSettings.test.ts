// The CLI reads a project's `.vscode/settings.json` for every command, but a repository's settings never redirect CI's
// signed AWS requests or choose its credentials: `ufoIam.aws.endpoint` and `ufoIam.aws.profile` are taken from the file
// only with --trust-workspace-settings (as VS Code's Restricted Mode withholds them); flags and the environment always
// apply. A decoy endpoint, named by the settings file, must receive nothing.
import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CliIo } from '../../../server/src/cli/io';
import { run as plan } from '../../../server/src/cli/plan';
import { startIamEndpoint, type IamEndpoint } from '../../support/iamEndpoint';
import { FAKE_CREDENTIALS, isolateAwsEnvironment, useFakeCredentials } from '../../support/iamTestEnv';
import { copyProject } from '../../support/project';
import { moveFiles } from '../../support/cliRun';

const ROOT = path.resolve(__dirname, '../../..');
let env: ReturnType<typeof isolateAwsEnvironment>;
let real: IamEndpoint;
let decoy: IamEndpoint;
let root: string;

beforeEach(async () => {
  env = isolateAwsEnvironment();
  useFakeCredentials();
  process.env.AWS_REGION = 'us-east-1';
  real = await startIamEndpoint();
  decoy = await startIamEndpoint();
  root = copyProject(path.join(ROOT, 'examples/demo'));
  // Pre-created roles (named by ufoIam.roleNameTemplate): their files move to the folder UFO does not read.
  moveFiles(root, { '.ufo/iam_roles/task_role.rb': '.ufo/precreated_iam_roles/task_role.rb', '.ufo/iam_roles/execution_role.rb': '.ufo/precreated_iam_roles/execution_role.rb' });
});
afterEach(async () => {
  await real.close();
  await decoy.close();
  fs.rmSync(root, { recursive: true, force: true });
  env.restore();
});

function settingsFile(settings: Record<string, string>): void {
  fs.mkdirSync(path.join(root, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(root, '.vscode/settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
}

async function runPlan(...args: string[]) {
  const io = { cwd: root, env: {} as NodeJS.ProcessEnv, out: '', err: '', stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) };
  const code = await plan(['.', '--format', 'json', ...args], io as CliIo);
  return { code, out: io.out, err: io.err };
}

describe('settings that redirect AWS calls', () => {
  test('without trust, the file names a decoy endpoint and a profile: neither is used, the environment is, and the CLI says so', async () => {
    settingsFile({ 'ufoIam.aws.endpoint': decoy.url, 'ufoIam.aws.profile': 'attacker', 'ufoIam.roleNameTemplate': 'custom-{role}-{logicalId}' });
    process.env.AWS_ENDPOINT_URL_IAM = real.url;
    process.env.AWS_ENDPOINT_URL_STS = real.url;
    const r = await runPlan();
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(decoy.requests, [], 'the decoy endpoint received nothing');
    assert.ok(real.requests.length > 0, 'the endpoint of the environment was used');
    assert.match(r.err, /sets ufoIam\.aws\.endpoint and ufoIam\.aws\.profile, which ufo-iam does not take from a repository unless it is trusted: pass --trust-workspace-settings/);
    // The settings that do not redirect AWS calls are taken from the file: the role names follow its template.
    assert.deepEqual(JSON.parse(r.out).roles.map((x: { roleName: string }) => x.roleName), ['custom-web-TaskRole', 'custom-web-ExecutionRole']);
  });

  test('flags always apply: --endpoint wins over the file', async () => {
    settingsFile({ 'ufoIam.aws.endpoint': decoy.url });
    const r = await runPlan('--endpoint', real.url, '--trust-workspace-settings');
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(decoy.requests, []);
    assert.ok(real.requests.length > 0);
  });

  test('with --trust-workspace-settings, the file\'s endpoint is used', async () => {
    settingsFile({ 'ufoIam.aws.endpoint': decoy.url });
    const r = await runPlan('--trust-workspace-settings');
    assert.equal(r.code, 0, r.err);
    assert.ok(decoy.requests.length > 0, 'the trusted file chose the endpoint');
    assert.doesNotMatch(r.err, /not take from a repository/);
  });

  test("the file's profile is used only with --trust-workspace-settings", async () => {
    // The only credentials are those of a profile in the shared credentials file; the environment has none.
    fs.writeFileSync(
      process.env.AWS_SHARED_CREDENTIALS_FILE!,
      `[from-settings]\naws_access_key_id = ${FAKE_CREDENTIALS.accessKeyId}\naws_secret_access_key = ${FAKE_CREDENTIALS.secretAccessKey}\n`,
    );
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    delete process.env.AWS_SESSION_TOKEN;
    settingsFile({ 'ufoIam.aws.profile': 'from-settings' });
    process.env.AWS_ENDPOINT_URL_IAM = real.url;
    process.env.AWS_ENDPOINT_URL_STS = real.url;
    const untrusted = await runPlan();
    assert.equal(untrusted.code, 1, 'without the profile there are no credentials');
    assert.match(untrusted.err, /No AWS credentials were found/);
    assert.match(untrusted.err, /sets ufoIam\.aws\.profile, which ufo-iam does not take from a repository unless it is trusted/);
    assert.deepEqual(real.requests, []);
    const trusted = await runPlan('--trust-workspace-settings');
    assert.equal(trusted.code, 0, trusted.err);
    assert.ok(real.requests.length > 0, 'signed with the profile of the trusted file');
  });
});

describe('one JSON printer from compile to IAM', () => {
  test('apply sends the document exactly as compile prints it (10.0 stays 10.0), and the next plan is empty', async () => {
    fs.writeFileSync(
      path.join(root, '.ufo/precreated_iam_roles/task_role.rb'),
      'iam_policy("List", Action: "s3:ListBucket", Effect: "Allow", Resource: "*", Condition: { NumericLessThanEquals: { "s3:max-keys" => 10.0 } })\n',
    );
    const { runApply } = await import('../../../server/src/cli/apply');
    const io = { cwd: root, env: {} as NodeJS.ProcessEnv, out: '', err: '', stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) };
    assert.equal(await runApply(['.', '--yes', '--endpoint', real.url], io as CliIo, { interactive: false, ask: async () => '' }), 0, io.err);
    const put = real.requests.find((r) => r.action === 'PutRolePolicy');
    assert.ok(put, 'a PutRolePolicy was sent');
    assert.match(put.params.PolicyDocument, /"s3:max-keys":10\.0\}/);
    const again = await runPlan('--endpoint', real.url, '--detailed-exitcode');
    assert.equal(again.code, 0, `re-plan: ${again.out}`);
    assert.equal(JSON.parse(again.out).counts.total, 0);
    assert.match(again.out, /"s3:max-keys": 10\.0/);
  });
});
