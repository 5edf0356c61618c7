// `ufo-iam explain-denied` as a user runs it: the bundled CLI on temporary projects of both apply targets
// (docs/apply.md), each exit code, the diff, `--fix` writing the role file (which `ufo-iam can` then allows), and stdin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT } from '../support/core';
import { makeProject } from '../support/project';

const CLI = path.join(ROOT, 'dist/cli.js');

function run(args: string[], cwd: string, input?: string) {
  const env = { ...process.env };
  for (const k of ['UFO_APP', 'UFO_ENV', 'UFO_ROLE', 'UFO_EXTRA']) delete env[k];
  const r = spawnSync(process.execPath, [CLI, 'explain-denied', ...args], { cwd, encoding: 'utf8', env, ...(input !== undefined ? { input } : {}) });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const CONFIG = 'Ufo.configure do |config|\n  config.app = "demo"\nend\n';
const TASK_ROLE = 'iam_policy("Uploads",\n  Action: ["s3:GetObject"],\n  Effect: "Allow",\n  Resource: "arn:aws:s3:::uploads/a.txt"\n)\n';
const V6 = '.ufo/resources/iam_roles/task_role.rb';
const PRE = '.ufo/precreated_iam_roles/task_role.rb';

const message = (role: string, action = 's3:PutObject', resource = 'arn:aws:s3:::uploads/a.txt', tail = `because no identity-based policy allows the ${action} action`) =>
  `An error occurred (AccessDenied) when calling the PutObject operation: User: arn:aws:sts::123456789012:assumed-role/${role}/i-0abc is not authorized to perform: ${action} on resource: ${resource} ${tail}`;

test('stack target: the stack demo-web-dev\'s TaskRole is found, the diff printed, nothing written; exit 0', () => {
  const root = makeProject({ '.ufo/config.rb': CONFIG, [V6]: TASK_ROLE });
  const r = run([message('demo-web-dev-TaskRole-AbC123XyZ'), '.'], root);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Denied: s3:PutObject on arn:aws:s3:::uploads\/a\.txt$/m);
  assert.match(r.stdout, /Role: the stack's TaskRole: demo-web-dev-TaskRole-AbC123XyZ is CloudFormation's name for the TaskRole of stack demo-web-dev/);
  assert.match(r.stdout, /^Role file: \.ufo\/resources\/iam_roles\/task_role\.rb$/m);
  assert.match(r.stdout, /^-  Action: \["s3:GetObject"\],\n\+  Action: \["s3:GetObject", "s3:PutObject"\],$/m);
  assert.match(r.stdout, /Run again with --fix/);
  assert.equal(fs.readFileSync(path.join(root, V6), 'utf8'), TASK_ROLE);
});

test('--fix writes the edit; compiling the project then allows exactly that action on that resource', () => {
  const root = makeProject({ '.ufo/config.rb': CONFIG, [V6]: TASK_ROLE });
  const r = run([message('demo-web-dev-TaskRole-AbC123XyZ', 'sqs:SendMessage', 'arn:aws:sqs:us-east-1:123456789012:jobs'), '--fix'], root);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Wrote \.ufo\/resources\/iam_roles\/task_role\.rb\./m);
  assert.equal(
    fs.readFileSync(path.join(root, V6), 'utf8'),
    TASK_ROLE + '\niam_policy("AllowSqsSendMessage",\n  Action: ["sqs:SendMessage"],\n  Effect: "Allow",\n  Resource: "arn:aws:sqs:us-east-1:123456789012:jobs"\n)\n',
  );
  const compiled = spawnSync(process.execPath, [CLI, 'compile', '.', '--format', 'json'], { cwd: root, encoding: 'utf8' });
  assert.equal(compiled.status, 0, compiled.stderr);
  const statements = JSON.parse(compiled.stdout).TaskRole.Properties.Policies.flatMap((p: any) => p.PolicyDocument.Statement);
  assert.deepEqual(statements.at(-1), { Action: ['sqs:SendMessage'], Effect: 'Allow', Resource: 'arn:aws:sqs:us-east-1:123456789012:jobs' });
  // And the evaluator says so: `ufo-iam can` answers allowed for that action on that resource.
  const can = spawnSync(process.execPath, [CLI, 'can', 'sqs:SendMessage', 'arn:aws:sqs:us-east-1:123456789012:jobs', '.', '--role', 'TaskRole', '--format', 'json'], { cwd: root, encoding: 'utf8' });
  assert.equal(can.status, 0, can.stderr + can.stdout);
  const answer = JSON.parse(can.stdout);
  assert.equal(answer.decision, 'allowed');
  assert.deepEqual(answer.matched.filter((m: any) => m.deciding).map((m: any) => [m.source.policyName, m.source.line]), [['AllowSqsSendMessage', 8]]);
  // The same message again: the file allows it now, so no edit (exit 1), and the reason says to apply.
  const again = run([message('demo-web-dev-TaskRole-AbC123XyZ', 'sqs:SendMessage', 'arn:aws:sqs:us-east-1:123456789012:jobs')], root);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /already allows sqs:SendMessage/);
});

test('precreated target: the role named by ufoIam.roleNameTemplate → the pre-created file; JSON output', () => {
  const root = makeProject({ '.ufo/config.rb': CONFIG, [PRE]: TASK_ROLE, '.vscode/settings.json': '{ "ufoIam.roleNameTemplate": "{app}-{role}-{env}-{logicalId}" }' });
  const r = run([message('demo-web-dev-TaskRole'), '--format', 'json'], root);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.accessDenied, true);
  assert.equal(out.denied.roleName, 'demo-web-dev-TaskRole');
  assert.equal(out.denied.reason, 'noIdentityPolicy');
  assert.equal(out.role.target, 'precreated');
  assert.equal(out.role.file, PRE);
  assert.equal(out.edit.kind, 'appendAction');
  assert.match(out.edit.diff, /\+  Action: \["s3:GetObject", "s3:PutObject"\],/);
  assert.equal(out.noEdit, null);
});

test('a CloudFormation name shortened for IAM\'s length limit still matches, and says so', () => {
  const config = 'Ufo.configure do |config|\n  config.app = "averyveryverylongapplicationname"\n  config.names.stack = ":APP-:ROLE-:ENV-with-a-long-extra-part"\nend\n';
  const root = makeProject({ '.ufo/config.rb': config, [V6]: TASK_ROLE });
  // averyveryverylongapplicationname-web-dev-with-a-long-extra-part, shortened with TaskRole.
  const r = run([message('averyveryverylongapplicationname-web-dev-with-a-lon-TaskRo-1A2B3C4D5E6F7')], root);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /as shortened for IAM's length limit \("averyveryverylongapplicationname-web-dev-with-a-lon" starts the stack name, "TaskRo" starts TaskRole\)/);
});

test('exit 1: an explicit deny, an SCP, a role of no project, with the reason and the expected names', () => {
  const root = makeProject({ '.ufo/config.rb': CONFIG, [V6]: TASK_ROLE });
  const deny = run([message('demo-web-dev-TaskRole-AbC123XyZ', 's3:PutObject', 'arn:aws:s3:::uploads/a.txt', 'with an explicit deny in an identity-based policy: arn:aws:iam::123456789012:policy/NoUploads')], root);
  assert.equal(deny.code, 1);
  assert.match(deny.stderr, /An explicit Deny beats every Allow/);
  assert.match(deny.stdout, /arn:aws:iam::123456789012:policy\/NoUploads/);
  const scp = run([message('demo-web-dev-TaskRole-AbC123XyZ', 's3:PutObject', 'arn:aws:s3:::uploads/a.txt', 'with an explicit deny in a service control policy')], root);
  assert.equal(scp.code, 1);
  assert.match(scp.stderr, /service control policy .*outside the role file/);
  const other = run([message('someone-else-TaskRole-Q')], root);
  assert.equal(other.code, 1);
  assert.match(other.stderr, /The role someone-else-TaskRole-Q is none of this project's roles\. Expected one of: demo-web-dev-TaskRole-… \(the stack's TaskRole\); demo-web-dev-ExecutionRole-…/);
  assert.equal(fs.readFileSync(path.join(root, V6), 'utf8'), TASK_ROLE);
});

test('exit 2: not an AccessDenied message, no message, a bad format; MESSAGE - reads stdin', () => {
  const root = makeProject({ '.ufo/config.rb': CONFIG, [V6]: TASK_ROLE });
  const notDenied = run(['NoSuchBucket: The specified bucket does not exist'], root);
  assert.equal(notDenied.code, 2);
  assert.match(notDenied.stderr, /not an AccessDenied message/);
  assert.equal(run([], root).code, 2);
  assert.equal(run([message('demo-web-dev-TaskRole-AbC123XyZ'), '--format', 'xml'], root).code, 2);
  const piped = run(['-', '.'], root, `some log line\n${message('demo-web-dev-TaskRole-AbC123XyZ')}\nmore log\n`);
  assert.equal(piped.code, 0, piped.stderr);
  assert.match(piped.stdout, /\+  Action: \["s3:GetObject", "s3:PutObject"\],/);
});
