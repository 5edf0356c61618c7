// Moving roles between UFO's stack and the pre-created folder (server/src/project/moveRoles.ts), on small projects on
// disk: which files are renamed, what is refused, the template's ARN removal byte for byte, and that the preview says
// what the moved project compiles to.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chooseTarget, openProject } from '../../server/src/project/projectContext';
import { compileProject } from '../../server/src/project/compileProject';
import { planMoveRoles, type MovePlan } from '../../server/src/project/moveRoles';
import { normalizeSettings } from '../../server/src/settings';
import { toJsonText } from '../../server/src/core';
import { makeProject } from '../support/project';

const TASK_RB = 'iam_policy("S3Read", Action: ["s3:GetObject"], Effect: "Allow", Resource: "*")\n';
const EXEC_RB = 'managed_iam_policy("service-role/AmazonECSTaskExecutionRolePolicy")\n';
const V6_CONFIG = 'Ufo.configure do |config|\n  config.app = "demo"\nend\n';

const roots: string[] = [];
after(() => {
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
});

function project(files: Record<string, string>, settings: Record<string, unknown> = {}) {
  const root = makeProject(files);
  roots.push(root);
  return openProject(root, { settings: normalizeSettings({ env: 'dev', ...settings }), env: {} });
}

function moved(plan: MovePlan): Extract<MovePlan, { kind: 'move' }> {
  assert.equal(plan.kind, 'move', JSON.stringify(plan));
  return plan as Extract<MovePlan, { kind: 'move' }>;
}

/** Does the move on disk, as applying the WorkspaceEdit would. */
function applyOnDisk(root: string, plan: Extract<MovePlan, { kind: 'move' }>): void {
  for (const m of plan.moves) {
    fs.mkdirSync(path.dirname(path.join(root, m.to)), { recursive: true });
    fs.renameSync(path.join(root, m.from), path.join(root, m.to));
  }
  if (plan.template) fs.writeFileSync(path.join(root, plan.template.file), (plan.template.bom ? '\ufeff' : '') + plan.template.newText);
}

describe('to pre-created', () => {
  test('v5: both role files go to .ufo/precreated_iam_roles/; afterwards the files choose the precreated target and UFO builds no role', () => {
    const ctx = project({
      '.ufo/settings.yml': 'development:\n  aws_profile: default\n',
      '.ufo/iam_roles/task_role.rb': TASK_RB,
      '.ufo/iam_roles/execution_role.rb': EXEC_RB,
      '.ufo/templates/main.json.erb': '{\n  "family": "<%= @family %>",\n  "taskRoleArn": "arn:aws:iam::123456789012:role/old"\n}\n',
    });
    assert.equal(ctx.version, 5);
    assert.equal(ctx.target.target, 'stack');
    const plan = moved(planMoveRoles(ctx, 'precreated'));
    assert.deepEqual(
      plan.moves.map((m) => [m.from, m.to]),
      [
        ['.ufo/iam_roles/task_role.rb', '.ufo/precreated_iam_roles/task_role.rb'],
        ['.ufo/iam_roles/execution_role.rb', '.ufo/precreated_iam_roles/execution_role.rb'],
      ],
    );
    assert.equal(plan.template, undefined, 'moving to pre-created never edits the template');
    assert.equal(
      plan.headline,
      `UFO builds no role; the task uses the template's ARNs (.ufo/templates/main.json.erb): taskRoleArn: "arn:aws:iam::123456789012:role/old", executionRoleArn: not set.`,
    );
    assert.ok(plan.notes.some((n) => n.includes('ufo-iam arns')), plan.notes.join('\n'));
    assert.equal(plan.after.target.target, 'precreated');

    const before = toJsonText(compileProject(ctx).resources);
    applyOnDisk(ctx.root, plan);
    const reopened = openProject(ctx.root, { settings: ctx.settings, env: {} });
    assert.equal(reopened.version, 5, 'the v5 project stays v5 (the emptied iam_roles folder is left)');
    assert.equal(chooseTarget(reopened.settings, reopened.layout).target, 'precreated');
    assert.equal(compileProject(reopened).roles.length, 0);
    assert.equal(toJsonText(compileProject(reopened, { source: 'precreated' }).resources), before);
    assert.ok(before.includes('s3:GetObject'));
    assert.ok(plan.preview.includes(toJsonText(compileProject(reopened, { source: 'precreated' }).resources)), plan.preview);
  });

  test('v6: an app-specific file keeps its <app>/ folder, the generic one goes to the folder itself', () => {
    const ctx = project({
      '.ufo/config.rb': V6_CONFIG,
      '.ufo/resources/iam_roles/demo/task_role.rb': TASK_RB,
      '.ufo/resources/iam_roles/execution_role.rb': EXEC_RB,
    });
    assert.equal(ctx.app, 'demo');
    const plan = moved(planMoveRoles(ctx, 'precreated'));
    assert.deepEqual(
      plan.moves.map((m) => [m.from, m.to]),
      [
        ['.ufo/resources/iam_roles/demo/task_role.rb', '.ufo/precreated_iam_roles/demo/task_role.rb'],
        ['.ufo/resources/iam_roles/execution_role.rb', '.ufo/precreated_iam_roles/execution_role.rb'],
      ],
    );
    assert.deepEqual(plan.after.layout.precreatedFiles, { task_role: '.ufo/precreated_iam_roles/demo/task_role.rb', execution_role: '.ufo/precreated_iam_roles/execution_role.rb' });
    assert.deepEqual(plan.after.layout.roleFiles, {});
  });

  test('v6: a generic file shadowed by the app-specific one is left, and the notes and the preview say that UFO now builds it', () => {
    const ctx = project({
      '.ufo/config.rb': V6_CONFIG,
      '.ufo/resources/iam_roles/demo/task_role.rb': TASK_RB,
      '.ufo/resources/iam_roles/task_role.rb': 'iam_policy("Other", Action: ["sqs:SendMessage"], Effect: "Allow", Resource: "*")\n',
    });
    const plan = moved(planMoveRoles(ctx, 'precreated'));
    assert.deepEqual(plan.moves.map((m) => m.from), ['.ufo/resources/iam_roles/demo/task_role.rb']);
    assert.ok(plan.notes.some((n) => n.includes('UFO still reads .ufo/resources/iam_roles/task_role.rb for TaskRole')), plan.notes.join('\n'));
    assert.match(plan.headline, /^UFO builds TaskRole \(from \.ufo\/resources\/iam_roles\/task_role\.rb\)/);
    assert.ok(plan.preview.includes('sqs:SendMessage'));
  });

  test('a destination that exists is refused, naming it', () => {
    const ctx = project({
      '.ufo/config.rb': V6_CONFIG,
      '.ufo/resources/iam_roles/task_role.rb': TASK_RB,
      '.ufo/precreated_iam_roles/task_role.rb': TASK_RB,
    });
    const plan = planMoveRoles(ctx, 'precreated');
    assert.equal(plan.kind, 'refused');
    assert.equal((plan as { code: string }).code, 'DESTINATION_EXISTS');
    assert.match((plan as { message: string }).message, /^\.ufo\/precreated_iam_roles\/task_role\.rb already exists/);
  });

  test('a pre-created folder that UFO reads itself is refused, with the reason', () => {
    const ctx = project({ '.ufo/config.rb': V6_CONFIG, '.ufo/resources/iam_roles/task_role.rb': TASK_RB }, { precreated: { folder: '.ufo/resources/mine' } });
    const plan = planMoveRoles(ctx, 'precreated');
    assert.equal(plan.kind, 'refused');
    assert.equal((plan as { code: string }).code, 'NO_FOLDER');
    assert.match((plan as { message: string }).message, /^There is no usable pre-created folder: ufoIam\.precreated\.folder "\.ufo\/resources\/mine" overlaps \.ufo\/resources\//);
  });

  test('nothing to move is refused; the old apply target setting is named in the notes', () => {
    const empty = project({ '.ufo/config.rb': V6_CONFIG, '.ufo/precreated_iam_roles/task_role.rb': TASK_RB });
    const none = planMoveRoles(empty, 'precreated');
    assert.equal(none.kind, 'refused');
    assert.equal((none as { code: string }).code, 'NO_ROLES');
    const set = project({ '.ufo/config.rb': V6_CONFIG, '.ufo/resources/iam_roles/task_role.rb': TASK_RB }, { apply: { target: 'stack' } });
    assert.equal(set.settings.applyTarget, 'stack');
    const plan = moved(planMoveRoles(set, 'precreated'));
    assert.ok(plan.notes.some((n) => n.startsWith('ufoIam.apply.target is "stack"')), plan.notes.join('\n'));
  });
});

describe('to the stack', () => {
  const TEMPLATE = [
    '{',
    '  "family": "démo-🚀",',
    '  "networkMode": "awsvpc",',
    '  "taskRoleArn": "arn:aws:iam::123456789012:role/demo-task",',
    '  "executionRoleArn": "arn:aws:iam::123456789012:role/demo-exec"',
    '}',
    '',
  ].join('\n');

  test('v6 app-specific files move back into <app>/, and the literal ARNs of both roles are removed, byte for byte', () => {
    const ctx = project({
      '.ufo/config.rb': V6_CONFIG,
      '.ufo/precreated_iam_roles/demo/task_role.rb': TASK_RB,
      '.ufo/precreated_iam_roles/execution_role.rb': EXEC_RB,
      '.ufo/resources/task_definitions/web.json': TEMPLATE,
    });
    assert.equal(ctx.target.target, 'precreated');
    const plan = moved(planMoveRoles(ctx, 'stack'));
    assert.deepEqual(
      plan.moves.map((m) => [m.from, m.to]),
      [
        ['.ufo/precreated_iam_roles/demo/task_role.rb', '.ufo/resources/iam_roles/demo/task_role.rb'],
        ['.ufo/precreated_iam_roles/execution_role.rb', '.ufo/resources/iam_roles/execution_role.rb'],
      ],
    );
    assert.ok(plan.template);
    assert.equal(plan.template.file, '.ufo/resources/task_definitions/web.json');
    assert.deepEqual([...plan.template.removed].sort(), ['executionRoleArn', 'taskRoleArn']);
    assert.equal(plan.template.newText, '{\n  "family": "démo-🚀",\n  "networkMode": "awsvpc"\n}\n');
    assert.equal(plan.template.edits.length, 1);
    const e = plan.template.edits[0];
    assert.equal(TEMPLATE.slice(0, e.range.start) + e.newText + TEMPLATE.slice(e.range.end), plan.template.newText);
    assert.deepEqual(plan.keptArns, []);
    assert.equal(plan.headline, 'UFO builds TaskRole (from .ufo/resources/iam_roles/demo/task_role.rb) and ExecutionRole (from .ufo/resources/iam_roles/execution_role.rb) in stack demo-web-dev and sets taskRoleArn and executionRoleArn to them (Fn::GetAtt).');

    applyOnDisk(ctx.root, plan);
    const reopened = openProject(ctx.root, { settings: ctx.settings, env: {} });
    assert.equal(reopened.target.target, 'stack');
    assert.ok(plan.preview.includes(toJsonText(compileProject(reopened).resources)));
    assert.equal(fs.readFileSync(path.join(ctx.root, '.ufo/resources/task_definitions/web.json'), 'utf8'), plan.template.newText);
  });

  test('keepTemplateArns leaves the template alone and says which ARNs UFO replaces', () => {
    const ctx = project({ '.ufo/config.rb': V6_CONFIG, '.ufo/precreated_iam_roles/task_role.rb': TASK_RB, '.ufo/resources/task_definitions/web.json': TEMPLATE });
    const plan = moved(planMoveRoles(ctx, 'stack', { keepTemplateArns: true }));
    assert.equal(plan.template, undefined);
    assert.deepEqual(plan.keptArns, ['taskRoleArn']);
    assert.match(plan.headline, /From the template \(\.ufo\/resources\/task_definitions\/web\.json\): executionRoleArn: "arn:aws:iam::123456789012:role\/demo-exec"\.$/);
    // Only the role UFO now builds loses its ARN.
    const removing = moved(planMoveRoles(ctx, 'stack'));
    assert.equal(removing.template!.newText, TEMPLATE.replace('  "taskRoleArn": "arn:aws:iam::123456789012:role/demo-task",\n', ''));
  });

  test('a YAML template loses the replaced entry; a v5 ERB value is never removed', () => {
    const yaml = 'family: demo\ntaskRoleArn: arn:aws:iam::123456789012:role/demo-task # old\ncpu: 256\n';
    const ctx = project({ '.ufo/config.rb': V6_CONFIG, '.ufo/precreated_iam_roles/task_role.rb': TASK_RB, '.ufo/resources/task_definitions/web.yml': yaml });
    assert.equal(moved(planMoveRoles(ctx, 'stack')).template!.newText, 'family: demo\ncpu: 256\n');

    const v5 = project({
      '.ufo/settings.yml': 'development: {}\n',
      '.ufo/precreated_iam_roles/task_role.rb': TASK_RB,
      '.ufo/templates/main.json.erb': '{\n  "family": "x",\n  "taskRoleArn": "<%= @arn %>"\n}\n',
    });
    const plan = moved(planMoveRoles(v5, 'stack'));
    assert.deepEqual(plan.moves.map((m) => m.to), ['.ufo/iam_roles/task_role.rb']);
    assert.equal(plan.template, undefined, 'an ERB value is what ERB prints: not a literal ARN');
  });

  test('a key that appears twice is not removed: the notes say that it stays', () => {
    const twice = '{\n  "taskRoleArn": "arn:aws:iam::123456789012:role/a",\n  "taskRoleArn": "arn:aws:iam::123456789012:role/b"\n}\n';
    const ctx = project({ '.ufo/config.rb': V6_CONFIG, '.ufo/precreated_iam_roles/task_role.rb': TASK_RB, '.ufo/resources/task_definitions/web.json': twice });
    const plan = moved(planMoveRoles(ctx, 'stack'));
    assert.equal(plan.template, undefined);
    assert.deepEqual(plan.keptArns, ['taskRoleArn']);
    assert.ok(plan.notes.some((n) => n.startsWith('taskRoleArn in .ufo/resources/task_definitions/web.json stays (ERB or a repeated key is involved')), plan.notes.join('\n'));
  });

  test('a generic pre-created file that an app-specific stack file would shadow is refused', () => {
    const ctx = project({
      '.ufo/config.rb': V6_CONFIG,
      '.ufo/resources/iam_roles/demo/task_role.rb': TASK_RB,
      '.ufo/precreated_iam_roles/task_role.rb': TASK_RB,
    });
    const plan = planMoveRoles(ctx, 'stack');
    assert.equal(plan.kind, 'refused');
    assert.equal((plan as { code: string }).code, 'SHADOWED');
    assert.match((plan as { message: string }).message, /^\.ufo\/resources\/iam_roles\/demo\/task_role\.rb would be read for TaskRole instead of the moved \.ufo\/resources\/iam_roles\/task_role\.rb/);
  });
});
