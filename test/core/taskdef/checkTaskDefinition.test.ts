// The template checks of core/taskdef/checkTaskDefinition.ts on texts: what ERB computes is never reported, a check
// that cannot decide is silent, and the reader looks inside containerDefinitions in JSON and YAML alike.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyTextEdits, checkTaskDefinition, roleArnProblem, type BuiltRole } from '../../../server/src/core/taskdef';
import type { LogicalId } from '../../../server/src/core/compile/compileRoles';

const NONE: BuiltRole = { kind: 'none' };
const TASK_FILE = '.ufo/resources/iam_roles/task_role.rb';
const BUILT: BuiltRole = { kind: 'built', file: TASK_FILE };

function run(text: string, format: 'json' | 'yaml', roles: Partial<Record<LogicalId, BuiltRole>> = {}) {
  return checkTaskDefinition({ text, format, path: 't', roles: { TaskRole: NONE, ExecutionRole: NONE, ...roles } }).map((f) => ({
    code: f.code,
    text: text.slice(f.range.start, f.range.end),
    message: f.message,
    removal: f.role?.removal,
  }));
}

describe('INVALID_ROLE_ARN', () => {
  test('role ARNs of every partition, with paths, are valid; other ARNs say what is wrong', () => {
    for (const ok of [
      'arn:aws:iam::123456789012:role/a',
      'arn:aws-cn:iam::123456789012:role/service-role/x/y',
      'arn:aws-us-gov:iam::123456789012:role/n+=,.@_-',
      'arn:aws-iso-b:iam::123456789012:role/' + 'r'.repeat(64),
    ])
      assert.equal(roleArnProblem(ok), undefined, ok);
    assert.match(roleArnProblem('arn:aws:iam::123456789012:role/' + 'r'.repeat(65))!, /not a role name/);
    assert.match(roleArnProblem('arn:aws:iam::123456789012:user/a')!, /not role\/<name>/);
    assert.match(roleArnProblem('arn:aws:iam:us-east-1:123456789012:role/a')!, /no region/);
    assert.match(roleArnProblem('arn:amazon:iam::123456789012:role/a')!, /not an AWS partition/);
    assert.match(roleArnProblem('arn:aws:sts::123456789012:role/a')!, /not iam/);
    assert.match(roleArnProblem('my-role')!, /six parts/);
    assert.match(roleArnProblem('arn:aws:iam::123456789012:role/bad name')!, /not a role name/);
  });

  test('an ARN that ERB computes, in part or whole, is never reported (JSON and YAML)', () => {
    const json = '{\n  "taskRoleArn": "arn:aws:iam::<%= account %>:role/x",\n  "executionRoleArn": <%= @arn.to_json %>\n}\n';
    assert.deepEqual(run(json, 'json'), []);
    const yaml = 'taskRoleArn: arn:aws:iam::<%= account %>:role/x\nexecutionRoleArn: <%= @arn %>\nfamily: f\n';
    assert.deepEqual(run(yaml, 'yaml'), []);
    // The same text without ERB is reported, at the value.
    assert.deepEqual(
      run('taskRoleArn: arn:aws:iam::1234:role/x\n', 'yaml').map((f) => [f.code, f.text]),
      [['INVALID_ROLE_ARN', 'arn:aws:iam::1234:role/x']],
    );
  });
});

describe('TEMPLATE_ARN_REPLACED', () => {
  const json = '{\n  "family": "demo",\n  "taskRoleArn": "arn:aws:iam::123456789012:role/pre",\n  "cpu": "256"\n}\n';

  test('fires only when the role file builds the role, and names it', () => {
    assert.deepEqual(run(json, 'json'), []);
    assert.deepEqual(run(json, 'json', { TaskRole: { kind: 'unknown' } }), []);
    const [f] = run(json, 'json', { TaskRole: BUILT });
    assert.equal(f.code, 'TEMPLATE_ARN_REPLACED');
    assert.equal(f.text, '"taskRoleArn": "arn:aws:iam::123456789012:role/pre"');
    assert.match(f.message, /from \.ufo\/resources\/iam_roles\/task_role\.rb and sets taskRoleArn to that CloudFormation role/);
    // The ExecutionRole being built says nothing about taskRoleArn.
    assert.deepEqual(run(json, 'json', { ExecutionRole: BUILT }), []);
  });

  test('UFO camelizes every key: TaskRoleArn and task_role_arn are the same property', () => {
    for (const key of ['TaskRoleArn', 'task_role_arn']) {
      const text = `${key}: arn:aws:iam::123456789012:role/pre\n`;
      assert.deepEqual(run(text, 'yaml', { TaskRole: BUILT }).map((f) => [f.code, f.text]), [['TEMPLATE_ARN_REPLACED', text.trimEnd()]], key);
    }
    assert.deepEqual(run('TaskRoleArns: arn:aws:iam::123456789012:role/pre\n', 'yaml', { TaskRole: BUILT }), []);
  });

  test('the removal leaves valid JSON for a middle, a last and an only member, and YAML without the line', () => {
    const removed = (text: string, format: 'json' | 'yaml') => {
      const f = run(text, format, { TaskRole: BUILT }).find((x) => x.code === 'TEMPLATE_ARN_REPLACED')!;
      return applyTextEdits(text, f.removal!);
    };
    assert.equal(removed(json, 'json'), '{\n  "family": "demo",\n  "cpu": "256"\n}\n');
    const last = '{\n  "family": "demo",\n  "taskRoleArn": "arn:aws:iam::123456789012:role/pre"\n}\n';
    assert.equal(removed(last, 'json'), '{\n  "family": "demo"\n}\n');
    assert.deepEqual(JSON.parse(removed('{"taskRoleArn": "arn:aws:iam::123456789012:role/pre"}', 'json')), {});
    assert.deepEqual(JSON.parse(removed('{"taskRoleArn": "arn:aws:iam::123456789012:role/pre", "a": 1}', 'json')), { a: 1 });
    const yaml = 'family: demo\ntaskRoleArn: arn:aws:iam::123456789012:role/pre\ncpu: "256"\n';
    assert.equal(removed(yaml, 'yaml'), 'family: demo\ncpu: "256"\n');
  });

  test('no removal is offered where ERB sits in what it would remove', () => {
    // The last member inside a block: removing it with the comma before it would cut the block's opening tag.
    const text = '{\n  "family": "demo",\n  <% if pre %>\n  "taskRoleArn": "arn:aws:iam::123456789012:role/pre"\n  <% end %>\n}\n';
    const [f] = run(text, 'json', { TaskRole: BUILT });
    assert.equal(f.code, 'TEMPLATE_ARN_REPLACED');
    assert.equal(f.removal, undefined);
  });
});

describe('MISSING_EXECUTION_ROLE', () => {
  const fargate = (container: string, extra = '') =>
    `{\n  "family": "f",${extra}\n  "requiresCompatibilities": ["FARGATE"],\n  "containerDefinitions": [\n    ${container}\n  ]\n}\n`;

  test('secrets always, and on Fargate an ECR image or awslogs', () => {
    const codes = (text: string, format: 'json' | 'yaml' = 'json') => run(text, format).map((f) => [f.code, f.text]);
    assert.deepEqual(codes(fargate('{ "name": "a", "image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1" }')), [
      ['MISSING_EXECUTION_ROLE', '"123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1"'],
    ]);
    assert.deepEqual(codes(fargate('{ "name": "a", "image": "nginx", "logConfiguration": { "logDriver": "awslogs" } }')), [['MISSING_EXECUTION_ROLE', '"awslogs"']]);
    // EC2: an ECR image and awslogs use the container instance's role; secrets still need the execution role.
    const ec2 = '{\n  "containerDefinitions": [{ "image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app", "logConfiguration": { "logDriver": "awslogs" } }]\n}';
    assert.deepEqual(codes(ec2), []);
    const secrets = 'containerDefinitions:\n- name: a\n  secrets:\n  - name: A\n    valueFrom: arn:aws:ssm:us-east-1:123456789012:parameter/a\n';
    assert.deepEqual(codes(secrets, 'yaml'), [['MISSING_EXECUTION_ROLE', 'secrets']]);
    assert.deepEqual(codes('containerDefinitions:\n- name: a\n  secrets: []\n', 'yaml'), []);
  });

  test('an execution role anywhere, or anything that cannot be decided, keeps it silent', () => {
    const c = '{ "name": "a", "image": "nginx", "logConfiguration": { "logDriver": "awslogs" } }';
    const silent = (text: string, roles: Partial<Record<LogicalId, BuiltRole>> = {}) => assert.deepEqual(run(text, 'json', roles), [], text);
    silent(fargate(c), { ExecutionRole: { kind: 'built', file: 'x' } });
    silent(fargate(c), { ExecutionRole: { kind: 'unknown' } });
    silent(fargate(c, '\n  "executionRoleArn": "arn:aws:iam::123456789012:role/exec",'));
    silent(fargate(c, '\n  "executionRoleArn": "<%= @arn %>",'));
    // ERB may print members at the top level, or a role key.
    silent(fargate(c, '\n  <%= extra_members %>'));
    silent(fargate(c, '\n  "<%= key %>": "x",'));
    // The driver, the image or the compatibilities are computed, or conditional.
    silent(fargate('{ "name": "a", "logConfiguration": { "logDriver": "<%= @driver %>" } }'));
    silent(fargate('{ "name": "a", "image": "<%= @image %>" }'));
    silent(fargate(c).replace('["FARGATE"]', '["<%= @launch_type %>"]'));
    silent(fargate(c).replace('"requiresCompatibilities"', '<% if fargate %>"requiresCompatibilities"').replace('"containerDefinitions"', '<% end %>"containerDefinitions"'));
    silent(fargate(`<% if logs %>${c}<% end %>`));
    silent(fargate('<%= containers %>'));
  });

  test('YAML: a sequence at the key\'s column, flow sequences, and nested mappings', () => {
    const yaml = [
      'family: <%= @family %>',
      'requiresCompatibilities: [FARGATE]',
      'containerDefinitions:',
      '- name: web',
      '  image: <%= @image %>',
      '  logConfiguration:',
      '    logDriver: awslogs # to CloudWatch',
      '    options:',
      '      awslogs-group: g',
      '',
    ].join('\n');
    assert.deepEqual(run(yaml, 'yaml').map((f) => [f.code, f.text]), [['MISSING_EXECUTION_ROLE', 'awslogs']]);
    assert.deepEqual(run(yaml.replace('family:', 'executionRoleArn: arn:aws:iam::123456789012:role/e\nfamily:'), 'yaml'), []);
    // Any spelling UFO camelizes to ExecutionRoleArn is an execution role; snake_case triggers count as well.
    assert.deepEqual(run(yaml.replace('family:', 'execution_role_arn: arn:aws:iam::123456789012:role/e\nfamily:'), 'yaml'), []);
    assert.deepEqual(run(yaml.replace('family:', 'ExecutionRoleArn: arn:aws:iam::123456789012:role/e\nfamily:'), 'yaml'), []);
    assert.deepEqual(run(yaml.replace('logDriver', 'log_driver'), 'yaml').map((f) => f.code), ['MISSING_EXECUTION_ROLE']);
    // Members printed by ERB at the top level could hold executionRoleArn: silent.
    assert.deepEqual(run(`${yaml}<%= extra_members.to_yaml %>\n`, 'yaml'), []);
    assert.deepEqual(run(yaml.replace('family:', '<% if exec %>\nexecutionRoleArn: arn:aws:iam::123456789012:role/e\n<% end %>\nfamily:'), 'yaml'), []);
    // A block scalar or an anchor is not read: silent.
    assert.deepEqual(run(yaml.replace('logDriver: awslogs # to CloudWatch', 'logDriver: &d awslogs'), 'yaml'), []);
  });
});
