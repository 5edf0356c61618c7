// `ufo-iam check` as a user runs it: the bundled CLI on real projects, the three formats and the exit codes.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT } from '../support/core';
import { makeProject } from '../support/project';
import { CODES, RULES } from '../../server/src/core/checks/rules';

const CLI = path.join(ROOT, 'dist/cli.js');

function run(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [CLI, 'check', ...args], { cwd, encoding: 'utf8', env: { ...process.env, UFO_APP: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const TASK = [
  '# Rollen für 😀 Gäste',
  'iam_policy("S3", Resource: "arn:aws:s3:::bücher/*", Action: ["s3:GetObjekt"], Effect: "Allow")',
  'managed_iam_policy("AmazonS3ReadOnlyAcess")',
  '',
].join('\n');

function project(extra: Record<string, string> = {}): string {
  return makeProject({
    '.ufo/config.rb': 'Ufo.configure do |config|\nend\n',
    '.ufo/resources/iam_roles/task_role.rb': TASK,
    '.ufo/resources/iam_roles/execution_role.rb': 'managed_iam_policy("service-role/AmazonECSTaskExecutionRolePolicy")\n',
    '.ufo/resources/iam_roles/taskrole.rb': 'managed_iam_policy("AmazonS3ReadOnlyAccess")\n',
    ...extra,
  });
}

describe('ufo-iam check', () => {
  test('text: path:line:col: severity CODE message, relative paths, UTF-16 columns; exit 1 on errors', () => {
    const root = project();
    const r = run(['.'], root);
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    // UTF-16 columns: "ü" before the action is one unit (two bytes).
    const col = TASK.split('\n')[1].indexOf('"s3:GetObjekt"') + 1;
    assert.deepEqual(lines, [
      '.ufo/resources/iam_roles/task_role.rb:2:' + col + ': warning INVALID_ACTION s3:GetObjekt is not in the IAM data of ' + lines[0].match(/data of (\S+)\./)![1] + '. Did you mean s3:GetObject?',
      lines[1],
      lines[2],
    ]);
    assert.match(lines[1], /^\.ufo\/resources\/iam_roles\/task_role\.rb:3:20: error UNKNOWN_MANAGED_POLICY AmazonS3ReadOnlyAcess is not an AWS managed policy/);
    assert.match(lines[2], /^\.ufo\/resources\/iam_roles\/taskrole\.rb:1:1: warning UNUSED_ROLE_FILE UFO reads only task_role\.rb and execution_role\.rb/);
    assert.match(r.stderr, /1 error, 2 warnings in 3 files/);
  });

  test('json: an array of {file, line, column, endLine, endColumn, severity, code, message}', () => {
    const root = project();
    const r = run(['.ufo/resources/iam_roles/task_role.rb', '--format', 'json'], root);
    assert.equal(r.code, 1);
    const problems = JSON.parse(r.stdout);
    const line = TASK.split('\n')[1];
    const column = line.indexOf('"s3:GetObjekt"') + 1;
    assert.deepEqual(problems[0], {
      file: '.ufo/resources/iam_roles/task_role.rb',
      line: 2,
      column,
      endLine: 2,
      endColumn: column + '"s3:GetObjekt"'.length,
      severity: 'warning',
      code: 'INVALID_ACTION',
      message: problems[0].message,
    });
    assert.deepEqual(
      problems.map((p: { code: string }) => p.code),
      ['INVALID_ACTION', 'UNKNOWN_MANAGED_POLICY'],
    );
  });

  test('sarif: SARIF 2.1.0 with the rule table and help URIs, results with regions', () => {
    const root = project();
    const r = run(['--format', 'sarif'], root);
    assert.equal(r.code, 1);
    const log = JSON.parse(r.stdout);
    assert.equal(log.version, '2.1.0');
    assert.match(log.$schema, /sarif-2\.1\.0/);
    const run0 = log.runs[0];
    assert.equal(run0.tool.driver.name, 'ufo-iam');
    assert.equal(run0.columnKind, 'utf16CodeUnits');
    assert.deepEqual(run0.tool.driver.rules.map((x: { id: string }) => x.id), CODES);
    const rule = run0.tool.driver.rules.find((x: { id: string }) => x.id === 'INVALID_ACTION');
    assert.equal(rule.helpUri, (RULES.INVALID_ACTION as { docs: string }).docs);
    assert.equal(rule.defaultConfiguration.level, 'warning');
    const result = run0.results.find((x: { ruleId: string }) => x.ruleId === 'UNKNOWN_MANAGED_POLICY');
    assert.equal(result.level, 'error');
    assert.equal(run0.tool.driver.rules[result.ruleIndex].id, 'UNKNOWN_MANAGED_POLICY');
    assert.deepEqual(result.locations[0].physicalLocation, {
      artifactLocation: { uri: '.ufo/resources/iam_roles/task_role.rb', uriBaseId: '%SRCROOT%' },
      region: { startLine: 3, startColumn: 20, endLine: 3, endColumn: 43 },
    });
    assert.ok(run0.originalUriBaseIds['%SRCROOT%'].uri.startsWith('file://'));
  });

  test('the project settings file applies (JSONC: comments, trailing commas); exit 0 without errors', () => {
    const root = project({
      '.vscode/settings.json': '{\n  // CI tolerates the stray file.\n  "ufoIam.diagnostics.UNKNOWN_MANAGED_POLICY": "warning",\n  "ufoIam.diagnostics.UNUSED_ROLE_FILE": "off", /* for now */\n}\n',
    });
    const r = run(['--format', 'json'], root);
    assert.equal(r.code, 0, r.stderr);
    const problems = JSON.parse(r.stdout);
    assert.deepEqual(problems.map((p: { code: string; severity: string }) => `${p.code}:${p.severity}`), ['INVALID_ACTION:warning', 'UNKNOWN_MANAGED_POLICY:warning']);
  });

  test('a clean project prints nothing and exits 0; the examples are clean', () => {
    const root = makeProject({ '.ufo/iam_roles/task_role.rb': 'iam_policy("S3", Action: ["s3:GetObject"], Effect: "Allow", Resource: "*")\n' });
    const r = run([], root);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /no problems in 1 file/);
    for (const example of ['examples/demo', 'examples/demo-v6']) {
      if (!fs.existsSync(path.join(ROOT, example))) continue;
      const e = run([example, '--format', 'json'], ROOT);
      assert.equal(e.code, 0, e.stdout);
      const problems = JSON.parse(e.stdout) as { severity: string; code: string }[];
      assert.deepEqual(problems.filter((p) => p.severity === 'error' || p.severity === 'warning'), [], example);
    }
  });

  test('usage errors exit 2: unknown format, missing path, not a UFO project', () => {
    const root = project();
    const bad = run(['--format', 'xml'], root);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--format must be text, json, sarif, github or markdown/);
    assert.equal(run(['nope'], root).code, 2);
    const plain = makeProject({ 'README.md': 'no ufo here\n' });
    const r = run([], plain);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /not in a UFO project/);
  });

  test('the same findings as the editor: a suppressed line stays quiet, an unused suppression is reported', () => {
    const root = project({
      '.ufo/resources/iam_roles/task_role.rb': '# ufo-iam:disable-next-line INVALID_ACTION\niam_policy("S3", Action: ["s3:GetObjekt"], Effect: "Allow", Resource: "*")\n# ufo-iam:disable-next-line MISSING_EFFECT\n\n',
      '.ufo/resources/iam_roles/taskrole.rb': '',
    });
    const r = run(['.ufo/resources/iam_roles/task_role.rb', '--format', 'json'], root);
    assert.equal(r.code, 0);
    assert.deepEqual(JSON.parse(r.stdout).map((p: { code: string; line: number; severity: string }) => [p.code, p.line, p.severity]), [['UNUSED_SUPPRESSION', 3, 'hint']]);
  });
});

describe('ufo-iam check: task-definition templates', () => {
  const TEMPLATE = [
    '{',
    '  "family": "<%= @family %>",',
    '  "taskRoleArn": "arn:aws:iam::123456789012:role/pre-created",',
    '  "executionRoleArn": "arn:aws:iam::123456789012:rol/typo",',
    '  "containerDefinitions": [{ "name": "web", "image": "<%= @image %>" }]',
    '}',
    '',
  ].join('\n');
  const v5 = (template: string) =>
    makeProject({
      '.ufo/settings.yml': 'default: {}\n',
      '.ufo/iam_roles/task_role.rb': 'managed_iam_policy("AmazonS3ReadOnlyAccess")\n',
      '.ufo/templates/main.json.erb': template,
    });

  test('text and json: the template findings with exact ranges, beside the role files; exit 1 on the error', () => {
    const root = v5(TEMPLATE);
    const r = run(['.'], root);
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(r.stdout.trimEnd().split('\n'), [
      '.ufo/templates/main.json.erb:3:3: warning TEMPLATE_ARN_REPLACED UFO builds TaskRole from .ufo/iam_roles/task_role.rb and sets taskRoleArn to that CloudFormation role instead of this ARN. Remove the ARN from the template, or empty .ufo/iam_roles/task_role.rb to keep the pre-created role.',
      '.ufo/templates/main.json.erb:4:23: error INVALID_ROLE_ARN executionRoleArn "arn:aws:iam::123456789012:rol/typo" is not an IAM role ARN: "rol/typo" is not role/<name>. ECS rejects the task definition; expected arn:aws:iam::123456789012:role/name.',
    ]);
    assert.match(r.stderr, /1 error, 1 warning in 2 files/);
    const json = JSON.parse(run(['.ufo/templates', '--format', 'json'], root).stdout);
    assert.deepEqual(
      json.map((p: { line: number; column: number; endLine: number; endColumn: number; code: string }) => [p.code, p.line, p.column, p.endLine, p.endColumn]),
      [
        ['TEMPLATE_ARN_REPLACED', 3, 3, 3, 62],
        ['INVALID_ROLE_ARN', 4, 23, 4, 59],
      ],
    );
  });

  test('sarif names the template rules; a template with only a warning exits 0; ERB-computed ARNs are not reported', () => {
    const root = v5(TEMPLATE.replace('rol/typo', 'role/exec'));
    const sarif = run(['.', '--format', 'sarif'], root);
    assert.equal(sarif.code, 0, sarif.stderr);
    const log = JSON.parse(sarif.stdout);
    const results = log.runs[0].results.map((x: { ruleId: string }) => x.ruleId);
    assert.deepEqual(results, ['TEMPLATE_ARN_REPLACED']);
    const ruleIds = log.runs[0].tool.driver.rules.map((x: { id: string }) => x.id);
    for (const c of ['TEMPLATE_ARN_REPLACED', 'INVALID_ROLE_ARN', 'MISSING_EXECUTION_ROLE']) assert.ok(ruleIds.includes(c), c);
    const erb = v5(TEMPLATE.replace('arn:aws:iam::123456789012:rol/typo', 'arn:aws:iam::<%= @account %>:rol/<%= @name %>'));
    const quiet = run(['.ufo/templates/main.json.erb', '--format', 'json'], erb);
    assert.deepEqual(JSON.parse(quiet.stdout).map((p: { code: string }) => p.code), ['TEMPLATE_ARN_REPLACED']);
  });

  test('MISSING_EXECUTION_ROLE in a v6 YAML template; the setting turns a code off', () => {
    const yml = ['family: demo', 'containerDefinitions:', '- name: web', '  image: nginx', '  secrets:', '  - name: TOKEN', '    valueFrom: arn:aws:ssm:us-east-1:123456789012:parameter/token', ''].join('\n');
    const root = makeProject({ '.ufo/config.rb': 'Ufo.configure do |config|\nend\n', '.ufo/resources/task_definitions/web.yml': yml });
    const r = run(['.', '--format', 'json'], root);
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).map((p: { file: string; code: string; line: number; column: number; endColumn: number }) => [p.file, p.code, p.line, p.column, p.endColumn]), [
      ['.ufo/resources/task_definitions/web.yml', 'MISSING_EXECUTION_ROLE', 5, 3, 10],
    ]);
    // Custom properties may set the task definition's ExecutionRoleArn after the build: then it is not known, silent.
    fs.mkdirSync(path.join(root, '.ufo/config/cfn'), { recursive: true });
    fs.writeFileSync(path.join(root, '.ufo/config/cfn/base.yml'), 'TaskDefinition:\n  execution_role_arn: arn:aws:iam::123456789012:role/exec\n');
    assert.deepEqual(run(['.', '--format', 'json'], root).stdout.trim(), '[]');
    fs.rmSync(path.join(root, '.ufo/config/cfn/base.yml'));
    assert.equal(run(['.', '--format', 'json'], root).code, 1);
    fs.mkdirSync(path.join(root, '.vscode'));
    fs.writeFileSync(path.join(root, '.vscode/settings.json'), '{ "ufoIam.diagnostics.MISSING_EXECUTION_ROLE": "off" }\n');
    assert.deepEqual(run(['.', '--format', 'json'], root).stdout.trim(), '[]');
  });
});
