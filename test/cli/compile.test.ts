// `ufo-iam compile` as a user runs it: the bundled CLI, real files, exit codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT } from '../support/core';
import { makeProject } from '../support/project';

const CLI = path.join(ROOT, 'dist/cli.js');

function run(args: string[], cwd = ROOT) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, UFO_APP: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('compile prints the builder spec roles as JSON with 2-space indent', () => {
  const r = run(['compile', 'test/fixtures/projects/builder_spec']);
  assert.equal(r.code, 0, r.stderr);
  const json = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(json), ['TaskRole']);
  assert.deepEqual(json.TaskRole.Properties.ManagedPolicyArns, ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess', 'arn:aws:iam::aws:policy/AmazonEC2ReadOnlyAccess']);
  assert.ok(r.stdout.startsWith('{\n  "TaskRole": {\n    "Type": "AWS::IAM::Role",\n'));
});

test('--format yaml prints what Psych would', () => {
  const r = run(['compile', 'test/fixtures/projects/builder_spec', '--format', 'yaml']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^---\nTaskRole:\n  Type: AWS::IAM::Role\n/);
  assert.match(r.stdout, /      Version: '2012-10-17'\n/);
  assert.match(r.stdout, /        Resource: "\*"\n/);
});

test('v6 layout with an app-specific file, version detected; --ufo-version overrides', () => {
  const root = makeProject({
    '.ufo/config.rb': 'Ufo.configure do |config|\n  config.app = "demo"\nend\n',
    '.ufo/resources/iam_roles/task_role.rb': 'iam_policy("Generic", Action: "s3:GetObject", Effect: "Allow", Resource: "*")\n',
    '.ufo/resources/iam_roles/demo/task_role.rb': 'iam_policy("Demo", Action: [], Effect: "Allow", Resource: "*")\n',
  });
  const r = run(['compile', root]);
  assert.equal(r.code, 0, r.stderr);
  const stmt = JSON.parse(r.stdout).TaskRole.Properties.Policies[0];
  assert.equal(stmt.PolicyName, 'Demo', 'config.app selects the app folder');
  assert.deepEqual(stmt.PolicyDocument.Statement[0].Action, [], 'v6 keeps empty arrays');
  const other = run(['compile', root, '--app', 'other']);
  assert.equal(JSON.parse(other.stdout).TaskRole.Properties.Policies[0].PolicyName, 'Generic');
});

test('where UFO raises: file:line:col on stderr, exit 1', () => {
  const root = makeProject({ '.ufo/settings.yml': '', '.ufo/iam_roles/task_role.rb': '# ü\niam_policy("Only a name")\n' });
  const r = run(['compile', '.'], root);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^\.ufo\/iam_roles\/task_role\.rb:2:1: iam_policy takes 2 arguments/m);
});

test('a syntax error is reported with its position, exit 1, no stack trace', () => {
  const root = makeProject({ '.ufo/settings.yml': '', '.ufo/iam_roles/execution_role.rb': 'managed_iam_policy("A"\n' });
  const r = run(['compile', root]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /execution_role\.rb:\d+:\d+: /);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});

test('usage errors exit 2 with a short help', () => {
  for (const args of [['compile', '--format', 'xml'], ['compile', '--nope'], ['frobnicate'], [], ['compile', 'a', 'b']]) {
    const r = run(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /usage: ufo-iam/);
  }
  const missing = run(['compile', '/nonexistent/project']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /not a UFO project/);
});

test('--version names the IAM data provenance', () => {
  const r = run(['--version']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^ufo-iam \d+\.\d+\.\d+/);
  assert.match(r.stdout, /iam-data/);
});

test('examples compile to UFO JSON', () => {
  for (const ex of ['examples/demo', 'examples/demo-v6']) {
    const r = run(['compile', ex]);
    assert.equal(r.code, 0, `${ex}: ${r.stderr}`);
    const json = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(json), ['ExecutionRole', 'TaskRole'], ex);
    for (const role of Object.values<any>(json)) assert.equal(role.Type, 'AWS::IAM::Role');
  }
});
