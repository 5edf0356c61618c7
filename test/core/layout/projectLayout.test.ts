// UFO's lookup of role files (docs/ufo-semantics.md §1) and what it ignores.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyFile, detectVersion, resolveLayout } from '../../../server/src/core/layout/projectLayout';

test('v5: only .ufo/iam_roles/<type>.rb', () => {
  const files = ['.ufo/settings.yml', '.ufo/iam_roles/task_role.rb', '.ufo/iam_roles/taskrole.rb', '.ufo/iam_roles/x/execution_role.rb'];
  const layout = resolveLayout({ files });
  assert.equal(layout.version, 5);
  assert.deepEqual(layout.roleFiles, { task_role: '.ufo/iam_roles/task_role.rb' });
  assert.deepEqual(classifyFile('.ufo/iam_roles/task_role.rb', layout), { kind: 'role', roleType: 'task_role', version: 5 });
  const ignored = classifyFile('.ufo/iam_roles/taskrole.rb', layout);
  assert.equal(ignored.kind, 'ignored');
  assert.match(ignored.kind === 'ignored' ? ignored.reason : '', /Rename it to task_role\.rb/);
  assert.equal(classifyFile('.ufo/iam_roles/x/execution_role.rb', layout).kind, 'ignored');
});

test('v6: the app-specific file wins, the generic one is shadowed', () => {
  const files = ['.ufo/config.rb', '.ufo/resources/iam_roles/task_role.rb', '.ufo/resources/iam_roles/demo/task_role.rb', '.ufo/resources/iam_roles/execution_role.rb'];
  const layout = resolveLayout({ files, app: 'demo' });
  assert.equal(layout.version, 6);
  assert.deepEqual(layout.roleFiles, { task_role: '.ufo/resources/iam_roles/demo/task_role.rb', execution_role: '.ufo/resources/iam_roles/execution_role.rb' });
  const shadowed = classifyFile('.ufo/resources/iam_roles/task_role.rb', layout, 'demo');
  assert.equal(shadowed.kind, 'ignored');
  assert.match(shadowed.kind === 'ignored' ? shadowed.reason : '', /demo\/task_role\.rb instead/);
});

test('v6 without an app: the generic file feeds the role; app folders are for other apps', () => {
  const files = ['.ufo/resources/iam_roles/task_role.rb', '.ufo/resources/iam_roles/other/task_role.rb'];
  const layout = resolveLayout({ files });
  assert.deepEqual(layout.roleFiles, { task_role: '.ufo/resources/iam_roles/task_role.rb' });
  assert.deepEqual(classifyFile('.ufo/resources/iam_roles/other/task_role.rb', layout), { kind: 'otherApp', roleType: 'task_role', app: 'other', version: 6 });
});

test('a v5 folder in a v6 project is ignored, and the version can be forced', () => {
  const files = ['.ufo/config.rb', '.ufo/iam_roles/task_role.rb'];
  assert.equal(detectVersion(files), 6);
  const layout = resolveLayout({ files });
  assert.equal(classifyFile('.ufo/iam_roles/task_role.rb', layout).kind, 'ignored');
  assert.deepEqual(resolveLayout({ files, version: 5 }).roleFiles, { task_role: '.ufo/iam_roles/task_role.rb' });
});

test('files outside the role folders are outside', () => {
  assert.deepEqual(classifyFile('.ufo/config.rb', resolveLayout({ files: [] })), { kind: 'outside' });
});
