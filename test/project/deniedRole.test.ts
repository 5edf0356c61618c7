// The project layer of explain-denied: which role file a denied role name leads to in both apply models, and the
// write that refuses a file changed since the edit was computed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openProject } from '../../server/src/project/projectContext';
import { explainDenied, matchDeniedRole, writeDeniedEdit } from '../../server/src/project/deniedRole';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import { makeProject } from '../support/project';

const CONFIG = 'Ufo.configure do |config|\n  config.app = "demo"\nend\n';
const ROLE = 'iam_policy("Logs", Action: ["logs:CreateLogStream"], Effect: "Allow", Resource: "*")\n';
const open = (root: string, settings = {}) => openProject(root, { settings: { ...DEFAULT_SETTINGS, ...settings }, env: {} });

test('stack names, pre-created names, and the target in force', () => {
  const root = makeProject({ '.ufo/config.rb': CONFIG, '.ufo/resources/iam_roles/demo/task_role.rb': ROLE, '.ufo/resources/iam_roles/execution_role.rb': ROLE });
  const ctx = open(root);
  const task = matchDeniedRole(ctx, 'demo-web-dev-TaskRole-AbC123XyZ');
  assert.ok(task.ok && task.target === 'stack' && task.logicalId === 'TaskRole' && task.file === '.ufo/resources/iam_roles/demo/task_role.rb');
  const exec = matchDeniedRole(ctx, 'demo-web-dev-ExecutionRole-ZZZ');
  assert.ok(exec.ok && exec.roleType === 'execution_role' && exec.file === '.ufo/resources/iam_roles/execution_role.rb');
  const lower = matchDeniedRole(ctx, 'DEMO-WEB-DEV-TASKROLE-abc');
  assert.ok(lower.ok && /ignoring case/.test(lower.how));
  // The pre-created name of the same role: matched, with a note that the target in force is the stack.
  const pre = matchDeniedRole(ctx, 'demo-web-dev-TaskRole');
  assert.ok(pre.ok && pre.target === 'precreated' && pre.file === undefined && pre.expectedFile === '.ufo/precreated_iam_roles/task_role.rb');
  assert.match(pre.notes.join(' '), /apply target in force is stack/);
  const none = matchDeniedRole(ctx, 'other-TaskRole-X');
  assert.ok(!none.ok && none.expected.length === 4);
});

test('a role whose file is missing, and a user principal, give no edit with the reason', () => {
  const root = makeProject({ '.ufo/config.rb': CONFIG, '.ufo/resources/iam_roles/execution_role.rb': ROLE });
  const ctx = open(root);
  const ex = explainDenied(ctx, 'User: arn:aws:sts::123456789012:assumed-role/demo-web-dev-TaskRole-A1/x is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::b/k because no identity-based policy allows the s3:GetObject action');
  assert.ok(ex.kind === 'explained' && !ex.edit && ex.noEdit?.code === 'NO_ROLE_FILE' && /create \.ufo\/resources\/iam_roles\/task_role\.rb/.test(ex.noEdit.message));
  const user = explainDenied(ctx, 'User: arn:aws:iam::123456789012:user/jane is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::b/k because no identity-based policy allows the s3:GetObject action');
  assert.ok(user.kind === 'explained' && user.noEdit?.code === 'NOT_A_ROLE');
});

test('the write refuses a file that changed after the edit was computed, and writes an unchanged one', () => {
  const root = makeProject({ '.ufo/config.rb': CONFIG, '.ufo/resources/iam_roles/task_role.rb': ROLE });
  const ctx = open(root);
  const msg = 'User: arn:aws:sts::123456789012:assumed-role/demo-web-dev-TaskRole-A1/x is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::b/k because no identity-based policy allows the s3:GetObject action';
  const ex = explainDenied(ctx, msg);
  assert.ok(ex.kind === 'explained' && ex.edit);
  const file = path.join(root, '.ufo/resources/iam_roles/task_role.rb');
  fs.writeFileSync(file, ROLE + '# edited meanwhile\n');
  const refused = writeDeniedEdit(ctx, ex.edit);
  assert.ok(!refused.ok && /changed since the edit was computed/.test(refused.message));
  assert.equal(fs.readFileSync(file, 'utf8'), ROLE + '# edited meanwhile\n');
  const again = explainDenied(ctx, msg);
  assert.ok(again.kind === 'explained' && again.edit);
  assert.deepEqual(writeDeniedEdit(ctx, again.edit), { ok: true });
  assert.equal(fs.readFileSync(file, 'utf8'), again.edit.after);
});
