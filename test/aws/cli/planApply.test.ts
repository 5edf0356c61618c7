// `ufo-iam plan`, `apply` and `arns` on fixture projects, against the IAM emulator through the real SDK.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run as arns } from '../../../server/src/cli/arns';
import { runApply, type Prompt } from '../../../server/src/cli/apply';
import { run as plan } from '../../../server/src/cli/plan';
import { captureIo as captureCliIo, cliAwsWorkspace } from '../../support/cliRun';
import { MUTATING_ACTIONS } from '../../support/iamEndpoint';
import { leakedSecrets } from '../../support/iamTestEnv';

const ROOT = path.resolve(__dirname, '../../..');

// Each test: an isolated AWS environment, a fresh local endpoint, a scratch copy of the fixture projects.
const ws = cliAwsWorkspace();
const captureIo = (cwd = ws.work) => captureCliIo(cwd);
const ep = (): string[] => ws.ep();
const noPrompt: Prompt = { interactive: false, ask: async () => assert.fail('must not ask') };
const answering = (answer: string, asked: string[] = []): Prompt => ({
  interactive: true,
  ask: async (q) => {
    asked.push(q);
    return answer;
  },
});
const writes = (): string[] => ws.endpoint.requests.filter((r) => MUTATING_ACTIONS.has(r.action)).map((r) => r.action);

describe('ufo-iam plan', () => {
  test('prints the changes; --detailed-exitcode gives 2 with changes and 0 without', async () => {
    const io = captureIo();
    assert.equal(await plan(['precreated-v6', ...ep()], io), 0, io.err);
    assert.match(io.out, /^ufo-iam plan for account 123456789012, region us-east-1, endpoint http:\/\/127\.0\.0\.1:\d+\nTarget: pre-created roles named \{app\}-\{role\}-\{env\}-\{logicalId\}, from \.ufo\/precreated_iam_roles\/ \(precreated\)\n/);
    assert.match(io.out, /Note: Pre-created roles: ufo-iam creates and names them/);
    assert.match(io.out, /\+ role demo-web-dev-TaskRole \(TaskRole, \.ufo\/precreated_iam_roles\/task_role\.rb\) will be created/);
    assert.match(io.out, /\+ managed policy arn:aws:iam::aws:policy\/service-role\/AmazonECSTaskExecutionRolePolicy/);
    assert.match(io.out, /Plan: 6 to add, 0 to change, 0 to remove/);
    assert.equal(await plan(['precreated-v6', '--detailed-exitcode', ...ep()], captureIo()), 2);

    const json = captureIo();
    assert.equal(await plan(['precreated-v6', '--format', 'json', ...ep()], json), 0);
    const parsed = JSON.parse(json.out);
    assert.equal(parsed.counts.total, 6);
    assert.deepEqual(parsed.roles.map((r: { roleName: string }) => r.roleName), ['demo-web-dev-TaskRole', 'demo-web-dev-ExecutionRole']);
    assert.deepEqual(writes(), []);
  });

  test('names follow --app, --env and --role-name-template', async () => {
    const io = captureIo();
    await plan(['precreated-v6', '--app', 'shop', '--env', 'prod', '--role-name-template', '{app}-{env}-{logicalId}', ...ep()], io);
    assert.match(io.out, /role shop-prod-TaskRole/);
  });

  test('blocking problems in the role files: listed, exit 1', async () => {
    const io = captureIo();
    assert.equal(await plan(['broken-v6', ...ep()], io), 1);
    assert.match(io.out, /Blocking problems in the role files/);
    assert.match(io.out, /\.ufo\/resources\/iam_roles\/task_role\.rb:4:16: unexpected end-of-input.*\[SYNTAX_ERROR\]/);
    assert.match(io.out, /execution_role\.rb: ExecutionRole depends on values known only when UFO runs.*\[PARTIAL_ROLE\]/);
    assert.match(io.out, /cannot be applied until the problems above are fixed/);
  });

  test('an AWS error is explained on stderr, exit 1, without credentials', async () => {
    ws.endpoint.inject({ action: 'GetRole', error: 'AccessDenied', message: 'User {accessKeyId} is not authorized to perform: iam:GetRole on resource: role x' });
    const io = captureIo();
    assert.equal(await plan(['precreated-v6', '--detailed-exitcode', ...ep()], io), 1);
    assert.match(io.err, /GetRole failed \(AccessDenied\)/);
    assert.match(io.err, /lack the permission iam:GetRole/);
    assert.deepEqual(leakedSecrets(io.out + io.err), []);
    assert.match(io.err, /User \[redacted\] is not authorized/);
  });

  test('a folder that is not a UFO project is an error, a bad option a usage error', async () => {
    const io = captureIo();
    assert.equal(await plan([os.tmpdir(), ...ep()], io), 1);
    assert.match(io.err, /not a UFO project/);
    await assert.rejects(plan(['precreated-v6', '--format', 'yaml'], captureIo()), /--format must be text, json or markdown/);
  });
});

describe('ufo-iam apply', () => {
  test('--yes applies with a line per step; a second apply has nothing to do', async () => {
    const io = captureIo();
    assert.equal(await runApply(['precreated-v6', '--yes', ...ep()], io, noPrompt), 0, io.err);
    assert.match(io.out, /\[1\/6\] Create role demo-web-dev-TaskRole \(TaskRole\) with the trust policy and tag managed-by=ufo-iam \.\.\. done/);
    assert.match(io.out, /\[6\/6\] Attach managed policy arn:aws:iam::aws:policy\/service-role\/AmazonECSTaskExecutionRolePolicy to role demo-web-dev-ExecutionRole \.\.\. done/);
    assert.match(io.out, /Applied 6 changes/);
    assert.deepEqual(writes(), ['CreateRole', 'CreateRole', 'PutRolePolicy', 'PutRolePolicy', 'PutRolePolicy', 'AttachRolePolicy']);
    assert.deepEqual(leakedSecrets(io.out + io.err), []);

    const again = captureIo();
    assert.equal(await runApply(['precreated-v6', ...ep()], again, noPrompt), 0);
    assert.match(again.out, /No changes\. The IAM roles match the configuration\./);
    assert.equal(await plan(['precreated-v6', '--detailed-exitcode', ...ep()], captureIo()), 0);
    assert.equal(writes().length, 6);
  });

  test('without --yes: refuses when nobody can answer, asks when someone can', async () => {
    const refused = captureIo();
    assert.equal(await runApply(['precreated-v6', ...ep()], refused, noPrompt), 1);
    assert.match(refused.err, /refusing to apply without confirmation.*--yes/);
    assert.deepEqual(writes(), []);

    const asked: string[] = [];
    const no = captureIo();
    assert.equal(await runApply(['precreated-v6', ...ep()], no, answering('y', asked)), 1);
    assert.match(asked[0], /Apply 2 roles to create, 3 inline policies to put, 1 managed policy to attach to the pre-created roles demo-web-dev-TaskRole and demo-web-dev-ExecutionRole in account 123456789012, region us-east-1\?/);
    assert.match(no.err, /Apply cancelled/);
    assert.deepEqual(writes(), []);

    const yes = captureIo();
    assert.equal(await runApply(['precreated-v6', ...ep()], yes, answering('yes')), 0, yes.err);
    assert.equal(writes().length, 6);
  });

  test('the real terminal prompt refuses when stdin is not a terminal', async () => {
    const script = `
      const { run } = require('./server/src/cli/apply.ts');
      const io = { cwd: ${JSON.stringify(ws.work)}, env: {}, stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) };
      run(['precreated-v6', '--endpoint', ${JSON.stringify(ws.endpoint.url)}, '--region', 'us-east-1'], io).then((code) => { process.exitCode = code; });
    `;
    // Asynchronously: the emulator answers from this process's event loop.
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.stdin.end('yes\n');
    const timer = setTimeout(() => child.kill(), 60_000);
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearTimeout(timer);
    assert.equal(status, 1, stderr);
    assert.match(stderr, /refusing to apply without confirmation/);
    assert.deepEqual(writes(), []);
    assert.deepEqual(leakedSecrets(stdout + stderr), []);
  });

  test('--adopt takes over an untagged role; without it apply refuses', async () => {
    ws.endpoint.state.seedRole({ roleName: 'demo-web-dev-TaskRole', tags: { owner: 'someone' } });
    const refused = captureIo();
    assert.equal(await runApply(['precreated-v6', '--yes', ...ep()], refused, noPrompt), 1);
    assert.match(refused.out, /! role demo-web-dev-TaskRole .* exists without the managed-by=ufo-iam tag/);
    assert.match(refused.err, /nothing was applied/);
    assert.deepEqual(writes(), []);

    const adopted = captureIo();
    assert.equal(await runApply(['precreated-v6', '--yes', '--adopt', ...ep()], adopted, noPrompt), 0, adopted.err);
    assert.match(adopted.out, /Adopt role demo-web-dev-TaskRole: tag it managed-by=ufo-iam \.\.\. done/);
    assert.deepEqual(ws.endpoint.state.snapshot('demo-web-dev-TaskRole')!.tags, { owner: 'someone', 'managed-by': 'ufo-iam' });
  });

  test('a project with blocking problems is never applied', async () => {
    const io = captureIo();
    assert.equal(await runApply(['broken-v6', '--yes', ...ep()], io, noPrompt), 1);
    assert.deepEqual(writes(), []);
  });

  test('a failure part-way: progress shows FAILED, stderr says what is done and what remains', async () => {
    ws.endpoint.inject({ action: 'AttachRolePolicy', error: 'AccessDenied', message: 'token {accessKeyId} not authorized to perform: iam:AttachRolePolicy' });
    const io = captureIo();
    assert.equal(await runApply(['precreated-v6', '--yes', ...ep()], io, noPrompt), 1);
    assert.match(io.out, /\[6\/6\] Attach managed policy .* \.\.\. FAILED/);
    assert.match(io.err, /Apply stopped at step 6 of 6/);
    assert.match(io.err, /Done \(5\):/);
    assert.match(io.err, /Not done \(1\):\n {2}- Attach managed policy/);
    assert.match(io.err, /Grant iam:AttachRolePolicy/);
    assert.deepEqual(leakedSecrets(io.out + io.err), []);
    const rerun = captureIo();
    assert.equal(await runApply(['precreated-v6', '--yes', ...ep()], rerun, noPrompt), 0, rerun.err);
    assert.match(rerun.out, /Applied 1 change:/);
  });
});

describe('ufo-iam arns', () => {
  const webYml = (): string => fs.readFileSync(path.join(ws.work, 'precreated-v6/.ufo/resources/task_definitions/web.yml'), 'utf8');

  test('writes the live ARNs after family, keeping the ERB; a second run changes nothing', async () => {
    assert.equal(await runApply(['precreated-v6', '--yes', ...ep()], captureIo(), noPrompt), 0);
    const before = webYml();
    const io = captureIo();
    assert.equal(await arns(['precreated-v6', ...ep()], io), 0, io.err);
    assert.match(io.out, /precreated-v6\/\.ufo\/resources\/task_definitions\/web\.yml: updated/);
    const after = webYml();
    assert.equal(
      after,
      before.replace(
        'family: <%= @family %>\n',
        // Quoted like the file's other strings.
        'family: <%= @family %>\ntaskRoleArn: "arn:aws:iam::123456789012:role/demo-web-dev-TaskRole"\nexecutionRoleArn: "arn:aws:iam::123456789012:role/demo-web-dev-ExecutionRole"\n',
      ),
    );
    const again = captureIo();
    assert.equal(await arns(['precreated-v6', ...ep()], again), 0);
    assert.match(again.out, /already set/);
    assert.equal(webYml(), after);
  });

  test('explicit ARNs need no AWS call; a missing live role is reported', async () => {
    const io = captureIo();
    assert.equal(await arns(['precreated-v6', '--execution-role-arn', 'arn:aws:iam::111122223333:role/pre-created'], io), 0, io.err);
    assert.match(webYml(), /^executionRoleArn: "arn:aws:iam::111122223333:role\/pre-created"$/m);
    assert.doesNotMatch(webYml(), /taskRoleArn/);
    assert.deepEqual(ws.endpoint.requests, []);

    const none = captureIo();
    assert.equal(await arns(['precreated-v6', ...ep()], none), 1);
    assert.match(none.err, /role demo-web-dev-TaskRole does not exist in IAM \(run ufo-iam apply first\)/);
    await assert.rejects(arns(['precreated-v6', '--task-role-arn', 'not-an-arn'], captureIo()), /must be an IAM role ARN/);
  });

  test('v5: main.json.erb gets the ARN as JSON', async () => {
    const io = captureIo();
    assert.equal(await arns(['precreated-v5', '--execution-role-arn', 'arn:aws:iam::111122223333:role/exec'], io), 0, io.err);
    const text = fs.readFileSync(path.join(ws.work, 'precreated-v5/.ufo/templates/main.json.erb'), 'utf8');
    assert.match(text, /^ {2}"family": "<%= @family %>",\n {2}"executionRoleArn": "arn:aws:iam::111122223333:role\/exec",\n {2}"containerDefinitions"/m);
  });
});
