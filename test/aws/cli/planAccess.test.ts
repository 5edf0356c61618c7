// The access diff of `ufo-iam plan` (docs/apply.md, "What the change grants"): per role, what the desired role allows
// that the live one does not and what it takes away, in text, JSON and Markdown (a golden file), through the real
// SDK against the local endpoint. Set UFO_IAM_UPDATE_GOLDEN=1 to rewrite the golden file, then review its diff.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runApply } from '../../../server/src/cli/apply';
import { run as plan } from '../../../server/src/cli/plan';
import { NOT_CONSIDERED } from '../../../server/src/core';
import { getIam } from '../../../server/src/project/iamInstance';
import { captureIo as captureCliIo, cliAwsWorkspace } from '../../support/cliRun';

const ROOT = path.resolve(__dirname, '../../..');
const GOLDEN = path.join(ROOT, 'test/fixtures/formats');

const ws = cliAwsWorkspace();
const captureIo = () => captureCliIo(ws.work);
const ep = (): string[] => ws.ep();
const TASK = 'demo-web-dev-TaskRole';
const CUSTOM = 'arn:aws:iam::123456789012:policy/TeamBoundaryHelpers';

function golden(name: string, actual: string): void {
  const file = path.join(GOLDEN, name);
  if (process.env.UFO_IAM_UPDATE_GOLDEN) fs.writeFileSync(file, actual);
  assert.equal(actual, fs.readFileSync(file, 'utf8'), `${name} differs (UFO_IAM_UPDATE_GOLDEN=1 rewrites it)`);
}

/**
 * precreated-v6 with iam:PassRole added to its task role file, and a live task role (ours) that allows three Read
 * actions the file no longer has, one ssmmessages action of the four the file has, and a customer-managed policy.
 */
function liveTaskRoleThatDiffers(): void {
  const file = path.join(ws.work, 'precreated-v6/.ufo/precreated_iam_roles/task_role.rb');
  fs.appendFileSync(file, 'iam_policy("PassToEcs", Action: ["iam:PassRole"], Effect: "Allow", Resource: "*")\n');
  ws.endpoint.state.seedRole({
    roleName: TASK,
    tags: { 'managed-by': 'ufo-iam' },
    inline: {
      EcsExecuteCommand: { Version: '2012-10-17', Statement: [{ Action: ['ssmmessages:CreateControlChannel'], Effect: 'Allow', Resource: '*' }] },
      Reports: { Version: '2012-10-17', Statement: [{ Action: ['s3:GetObject', 's3:GetObjectTagging', 'sqs:ReceiveMessage'], Effect: 'Allow', Resource: '*' }] },
    },
    attached: [CUSTOM],
  });
}

describe('the access diff in ufo-iam plan', () => {
  test('text: after each role\'s steps, what it grants and takes away, escalation named; unknown documents said; the note', async () => {
    liveTaskRoleThatDiffers();
    const io = captureIo();
    assert.equal(await plan(['precreated-v6', ...ep()], io), 0, io.err);
    const task = io.out.slice(io.out.indexOf(`~ role ${TASK}`), io.out.indexOf('+ role demo-web-dev-ExecutionRole'));
    // The access lines come after the role's step lines.
    assert.match(task, /- managed policy arn:aws:iam::123456789012:policy\/TeamBoundaryHelpers\n[\s\S]*\n {4}access \(live → desired\):\n/);
    assert.match(task, /\n {8}\+ 4 actions: 1 privilege escalation \(iam:PassRole on \*\), 3 Write\n/);
    assert.match(task, /\n {8}- 3 actions: 3 Read\n/);
    assert.match(task, new RegExp(`\\n {8}\\? document unknown \\(live\\): ${CUSTOM}: not an AWS managed policy .*; what it allows is not compared\\n`));
    // A role created from nothing: everything it allows is added (its managed policy's actions included).
    assert.match(io.out, /\+ role demo-web-dev-ExecutionRole [^\n]*will be created\n[\s\S]*\n {4}access:\n {8}\+ \d+ actions: \d+ Read, \d+ Write\n/);
    const iam = getIam();
    assert.ok(io.out.includes(`Access: ${NOT_CONSIDERED} IAM data of ${iam.provenance.dataDate} (managed policies as of ${iam.provenance.managedPoliciesDate}).`));
  });

  test('JSON: access per role with added, removed, changed and summary; the plan names the data date', async () => {
    liveTaskRoleThatDiffers();
    const io = captureIo();
    assert.equal(await plan(['precreated-v6', '--format', 'json', ...ep()], io), 0, io.err);
    const parsed = JSON.parse(io.out);
    const task = parsed.roles.find((r: { roleName: string }) => r.roleName === TASK);
    assert.deepEqual(task.access.added[0], { action: 'iam:PassRole', accessLevel: 'Write', resources: ['*'], conditional: false, escalation: true });
    assert.deepEqual(
      task.access.added.slice(1).map((a: { action: string }) => a.action),
      ['ssmmessages:CreateDataChannel', 'ssmmessages:OpenControlChannel', 'ssmmessages:OpenDataChannel'],
    );
    assert.deepEqual(task.access.removed.map((a: { action: string; accessLevel: string }) => [a.action, a.accessLevel]), [
      ['s3:GetObject', 'Read'],
      ['s3:GetObjectTagging', 'Read'],
      ['sqs:ReceiveMessage', 'Read'],
    ]);
    assert.deepEqual(task.access.changed, []);
    assert.deepEqual(task.access.unknown.map((u: { name: string; side: string }) => [u.name, u.side]), [[CUSTOM, 'before']]);
    assert.equal(task.access.summary[0], '+ 4 actions: 1 privilege escalation (iam:PassRole on *), 3 Write');
    const exec = parsed.roles.find((r: { logicalId: string }) => r.logicalId === 'ExecutionRole');
    assert.ok(exec.access.added.some((a: { action: string }) => a.action === 'ecr:GetAuthorizationToken'));
    assert.deepEqual(exec.access.removed, []);
    assert.equal(parsed.access.notConsidered, NOT_CONSIDERED);
    assert.equal(parsed.access.dataDate, getIam().provenance.dataDate);
  });

  test('markdown: a pull-request comment with the counts, each role\'s access and steps (golden file)', async () => {
    liveTaskRoleThatDiffers();
    const io = captureIo();
    assert.equal(await plan(['precreated-v6', '--format', 'markdown', ...ep()], io), 0, io.err);
    golden('plan.md', io.out);
    // No local endpoint address in a comment; table rows have five cells each.
    assert.doesNotMatch(io.out, /127\.0\.0\.1/);
    for (const row of io.out.split('\n').filter((l) => /^\| (➕|➖|✏️) \|/.test(l))) assert.equal(row.replace(/\\\|/g, '').split('|').length - 2, 5, row);
  });

  test('after apply the roles match: no access lines, empty access; a trust-policy-only change says access is unchanged', async () => {
    assert.equal(await runApply(['precreated-v6', '--yes', ...ep()], captureIo(), { interactive: false, ask: async () => assert.fail('must not ask') }), 0);
    const io = captureIo();
    assert.equal(await plan(['precreated-v6', '--format', 'json', ...ep()], io), 0, io.err);
    for (const r of JSON.parse(io.out).roles) assert.deepEqual(r.access, { added: [], removed: [], changed: [], unknown: [], summary: [] });
    const text = captureIo();
    assert.equal(await plan(['precreated-v6', ...ep()], text), 0);
    assert.doesNotMatch(text.out, /access|Access:/);

    const role = ws.endpoint.state.findRole(TASK)!;
    role.assumeRolePolicyDocument = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
    const trust = captureIo();
    assert.equal(await plan(['precreated-v6', ...ep()], trust), 0);
    assert.match(trust.out, /~ trust policy\n[\s\S]*\n {4}= access: no change in what the role allows\n/);
  });
});
