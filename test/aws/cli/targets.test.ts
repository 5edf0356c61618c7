// The two ways UFO gives a task its roles, each end to end through the CLI and the real SDK against the local
// endpoint (IAM, STS and CloudFormation): role files applied to the roles of UFO's deployed stack, and pre-created
// roles whose ARNs go into the template, with the target stated and never chosen silently.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { run as arns } from '../../../server/src/cli/arns';
import { runApply, type Prompt } from '../../../server/src/cli/apply';
import { run as compile } from '../../../server/src/cli/compile';
import { run as drift } from '../../../server/src/cli/drift';
import { run as plan } from '../../../server/src/cli/plan';
import { readRoleArns } from '../../../server/src/core';
import { captureIo as captureCliIo, cliAwsWorkspace } from '../../support/cliRun';
import { MUTATING_ACTIONS } from '../../support/iamEndpoint';

const ROOT = path.resolve(__dirname, '../../..');

// Each test: an isolated AWS environment, a fresh local endpoint, a scratch copy of the fixture projects.
const ws = cliAwsWorkspace();
const captureIo = () => captureCliIo(ws.work);
const ep = (): string[] => ws.ep();
const noPrompt: Prompt = { interactive: false, ask: async () => assert.fail('must not ask') };
const writes = (): Array<[string, string | undefined]> => ws.endpoint.requests.filter((r) => MUTATING_ACTIONS.has(r.action)).map((r) => [r.action, r.params.RoleName]);

/** The stack `ufo ship` left for demo-v6 (UFO_APP demo, role web, env dev): roles with last week's content. */
function seedDemoStack(stackName = 'demo-web-dev', roles: Array<'TaskRole' | 'ExecutionRole'> = ['TaskRole', 'ExecutionRole']) {
  return ws.endpoint.state.seedStack({
    stackName,
    roles: {
      ...(roles.includes('TaskRole') ? { TaskRole: { inline: { EcsExecuteCommand: { Version: '2012-10-17', Statement: [{ Action: ['ssmmessages:CreateControlChannel'], Effect: 'Allow', Resource: '*' }] } } } } : {}),
      ...(roles.includes('ExecutionRole') ? { ExecutionRole: { attached: ['arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy'] } } : {}),
    },
  });
}
const physical = (stack: ReturnType<typeof seedDemoStack>, logicalId: string): string => stack.resources.find((r) => r.logicalId === logicalId)!.physicalId;

describe('the stack target: role files applied to the roles of UFO\'s stack', () => {
  test('plan names the stack and its roles, apply changes exactly those, and the next plan is clean', async () => {
    const stack = seedDemoStack();
    const task = physical(stack, 'TaskRole');
    const exec = physical(stack, 'ExecutionRole');
    const io = captureIo();
    assert.equal(await plan(['demo-v6', ...ep()], io), 0, io.err);
    assert.match(io.out, /\nTarget: the roles of UFO's CloudFormation stack demo-web-dev \(stack; config\.names\.stack ":APP-:ROLE-:ENV-:EXTRA" \(\.ufo\/config\.rb:8\), app "demo", role "web", env "dev"\)\n/);
    assert.match(io.out, /Note: These roles are resources of the CloudFormation stack demo-web-dev: .*next `ufo ship` sets the same content.*CloudFormation drift detection reports the roles as modified/);
    assert.match(io.out, new RegExp(`~ stack role ${task} \\(TaskRole, \\.ufo/resources/iam_roles/task_role\\.rb\\) will be updated in place`));
    assert.doesNotMatch(io.out, /will be created|managed-by=ufo-iam/);
    assert.ok(ws.endpoint.requests.some((r) => r.service === 'cloudformation' && r.action === 'DescribeStackResources' && r.params.StackName === 'demo-web-dev'));

    const json = captureIo();
    assert.equal(await plan(['demo-v6', '--format', 'json', ...ep()], json), 0);
    const parsed = JSON.parse(json.out);
    assert.deepEqual(parsed.model, { kind: 'stack', stackName: 'demo-web-dev', how: 'config.names.stack ":APP-:ROLE-:ENV-:EXTRA" (.ufo/config.rb:8), app "demo", role "web", env "dev"' });
    assert.deepEqual(parsed.roles.map((r: { roleName: string; owner: string }) => [r.roleName, r.owner]), [[task, 'cloudformation'], [exec, 'cloudformation']]);
    assert.deepEqual(writes(), []);

    const applied = captureIo();
    assert.equal(await runApply(['demo-v6', '--yes', ...ep()], applied, noPrompt), 0, applied.err);
    assert.deepEqual(writes(), [
      ['PutRolePolicy', task],
      ['PutRolePolicy', exec],
      ['PutRolePolicy', exec],
    ]);
    assert.deepEqual(Object.keys(ws.endpoint.state.snapshot(exec)!.inline), ['SsmParameterStore', 'SecretsManager']);
    assert.deepEqual(ws.endpoint.state.snapshot(task)!.tags, {}, 'a stack role is never tagged');
    const again = captureIo();
    assert.equal(await plan(['demo-v6', '--detailed-exitcode', ...ep()], again), 0, again.out);
    assert.match(again.out, /No changes/);
  });

  test('no such stack, or a stack without the role: a clear error, nothing written', async () => {
    const io = captureIo();
    assert.equal(await plan(['demo-v6', ...ep()], io), 1);
    assert.match(io.out, /No stack named demo-web-dev in us-east-1 \(the name comes from config\.names\.stack.*Deploy the app with `ufo ship` first, or name the stack with ufoIam\.stack \/ --stack NAME.*\[STACK_NOT_FOUND\]/);
    seedDemoStack('demo-web-dev', ['TaskRole']);
    const partial = captureIo();
    assert.equal(await runApply(['demo-v6', '--yes', ...ep()], partial, noPrompt), 1);
    assert.match(partial.out, /Stack demo-web-dev has no ExecutionRole resource: UFO adds it when \.ufo\/resources\/iam_roles\/execution_role\.rb builds a role.*\[STACK_ROLE_NOT_FOUND\]/);
    assert.deepEqual(writes(), []);
  });

  test('--stack names another stack; v5 names it from --service and stack_naming', async () => {
    const other = seedDemoStack('demo-web-dev-2');
    const io = captureIo();
    assert.equal(await plan(['demo-v6', '--stack', 'demo-web-dev-2', ...ep()], io), 0, io.err);
    assert.match(io.out, /stack demo-web-dev-2 \(stack; ufoIam\.stack \/ --stack\)/);
    assert.match(io.out, new RegExp(physical(other, 'TaskRole')));

    const v5 = captureIo();
    assert.equal(await plan(['v5-project', ...ep()], v5), 1);
    assert.match(v5.out, /UFO v5 names the stack after the service given to `ufo ship SERVICE`.*set ufoIam\.service \(or pass --service NAME\).*\[STACK_NAME_UNKNOWN\]/);
    ws.endpoint.state.seedStack({ stackName: 'demo-web-development', roles: { ExecutionRole: {} } });
    const named = captureIo();
    assert.equal(await plan(['v5-project', '--service', 'demo-web', ...ep()], named), 0, named.out + named.err);
    assert.match(named.out, /stack demo-web-development \(stack; service "demo-web", stack_naming \(unset: append_ufo_env\), UFO_ENV "development"\)/);
  });

  test('arns refuses: UFO sets the ARNs of its own roles', async () => {
    const io = captureIo();
    assert.equal(await arns(['demo-v6', '--task-role-arn', 'arn:aws:iam::111122223333:role/x'], io), 1);
    assert.match(io.err, /The apply target is the stack .*UFO sets taskRoleArn and executionRoleArn to the roles of its stack/);
  });
});

describe('choosing the target', () => {
  test('both kinds of role files and no target: exit 2 with the reason, from the real CLI', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'plan', 'both-v6', ...ep()], { cwd: ws.work, encoding: 'utf8', env: { ...process.env } });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /Both the role files UFO reads \(\.ufo\/resources\/iam_roles\/task_role\.rb\) and pre-created role files \(\.ufo\/precreated_iam_roles\/execution_role\.rb\) exist.*Choose with ufoIam\.apply\.target \(or --target stack\|precreated\)/);
    assert.deepEqual(ws.endpoint.requests, []);
  });

  test('--target precreated beside a role file UFO reads is blocked: UFO would replace the ARN', async () => {
    const io = captureIo();
    assert.equal(await plan(['both-v6', '--target', 'precreated', ...ep()], io), 1);
    assert.match(io.out, /UFO also builds TaskRole from \.ufo\/resources\/iam_roles\/task_role\.rb and sets the task definition's taskRoleArn to that role.*\[UFO_BUILDS_ROLE\]/);
    await assert.rejects(plan(['both-v6', '--target', 'nowhere'], captureIo()), /--target must be stack or precreated/);
  });
});

describe('the pre-created journey', () => {
  test('apply, arns, then what UFO deploys builds no role and uses exactly the written ARNs', async () => {
    assert.equal(await runApply(['precreated-v6', '--yes', ...ep()], captureIo(), noPrompt), 0);
    assert.ok(writes().some(([a]) => a === 'CreateRole'));
    const io = captureIo();
    assert.equal(await arns(['precreated-v6', ...ep()], io), 0, io.err);
    const template = fs.readFileSync(path.join(ws.work, 'precreated-v6/.ufo/resources/task_definitions/web.yml'), 'utf8');
    const refs = readRoleArns(template, 'yaml');
    assert.ok(refs.ok);
    assert.deepEqual([refs.taskRoleArn, refs.executionRoleArn].map((r) => r.kind === 'literal' && r.value), [
      ws.endpoint.state.snapshot('demo-web-dev-TaskRole')!.arn,
      ws.endpoint.state.snapshot('demo-web-dev-ExecutionRole')!.arn,
    ]);
    const compiled = captureIo();
    assert.equal(await compile(['precreated-v6'], compiled), 0, compiled.err);
    assert.equal(compiled.out.trim(), '{}', 'UFO builds no role, so the template\'s ARNs stay in force');
  });
});

describe('ufo-iam drift', () => {
  test('0 in sync, 2 drifted with a diff of the live role, 1 when there is nothing to compare', async () => {
    const none = captureIo();
    assert.equal(await drift(['demo-v6', ...ep()], none), 1);
    assert.match(none.err, /STACK_NOT_FOUND/);
    const stack = seedDemoStack();
    const task = physical(stack, 'TaskRole');
    assert.equal(await runApply(['demo-v6', '--yes', ...ep()], captureIo(), noPrompt), 0);
    const synced = captureIo();
    assert.equal(await drift(['demo-v6', ...ep()], synced), 0, synced.out + synced.err);
    assert.match(synced.out, /In sync/);
    const before = writes().length;
    // Someone edits the role in the console.
    ws.endpoint.state.roles.get(task)!.inline.set('Console', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }));
    const drifted = captureIo();
    assert.equal(await drift(['demo-v6', ...ep()], drifted), 2);
    assert.match(drifted.out, new RegExp(`~ ${task} \\(TaskRole, \\.ufo/resources/iam_roles/task_role\\.rb\\) differs from the role files:\\n--- live ${task}\\n\\+\\+\\+ \\.ufo/resources/iam_roles/task_role\\.rb\\n`));
    assert.match(drifted.out, /^-\s+"PolicyName": "Console",$/m);
    assert.match(drifted.out, /Drifted: 1 of 2 roles differ/);
    const json = captureIo();
    assert.equal(await drift(['demo-v6', '--format', 'json', ...ep()], json), 2);
    assert.deepEqual(JSON.parse(json.out).roles.map((r: { drifted: boolean }) => r.drifted), [true, false]);
    assert.equal(writes().length, before, 'drift never writes');
  });
});
