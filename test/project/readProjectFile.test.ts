// The one disk reader (server/src/project/readProjectFile.ts): regular files inside the project under the size cap are
// read; FIFOs, devices, links that leave the project, link loops and oversized files are refused at once, with a reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MAX_PROJECT_FILE_BYTES, readFileSafely, readProjectFile } from '../../server/src/project/readProjectFile';
import { HOSTILE_KINDS, REASON_OF, plantHostile } from '../support/hostile';
import { makeProject } from '../support/project';

const ROLE = '.ufo/iam_roles/task_role.rb';
const TEXT = 'managed_iam_policy("AmazonSSMReadOnlyAccess") # ü 🚀\n';

test('a regular file inside the project is read as UTF-8, also through a link that stays inside', () => {
  const root = makeProject({ [ROLE]: TEXT, 'common/role.rb': TEXT });
  assert.deepEqual(readProjectFile(root, ROLE), { ok: true, text: TEXT });
  fs.symlinkSync('../../common/role.rb', path.join(root, '.ufo/iam_roles/execution_role.rb'));
  assert.deepEqual(readProjectFile(root, '.ufo/iam_roles/execution_role.rb'), { ok: true, text: TEXT });
  // The project folder itself reached through a link is fine.
  const alias = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ufo-iam-alias-')), 'project');
  fs.symlinkSync(root, alias);
  assert.deepEqual(readProjectFile(alias, ROLE), { ok: true, text: TEXT });
});

test('a missing file is missing, not a problem', () => {
  const root = makeProject({});
  assert.deepEqual(readProjectFile(root, ROLE), { ok: false, missing: true, reason: 'no such file' });
});

for (const kind of HOSTILE_KINDS) {
  test(`${kind}: refused at once with its reason`, () => {
    const root = makeProject({ '.ufo/settings.yml': 'default: {}\n' });
    plantHostile(root, ROLE, kind, TEXT);
    const started = Date.now();
    const r = readProjectFile(root, ROLE);
    assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(r.missing, false);
    assert.match(r.reason, REASON_OF[kind]);
  });
}

test('a folder above the file that links outside the project is refused too', () => {
  const root = makeProject({});
  const elsewhere = makeProject({ 'task_role.rb': TEXT });
  fs.mkdirSync(path.join(root, '.ufo'), { recursive: true });
  fs.symlinkSync(elsewhere, path.join(root, '.ufo/iam_roles'));
  const r = readProjectFile(root, ROLE);
  assert.equal(r.ok, false);
  assert.match(!r.ok ? r.reason : '', /reached through a symbolic link to .*, outside the project/);
});

test('a dangling link, a folder, and the size cap exactly', () => {
  const root = makeProject({ '.ufo/iam_roles/big.rb': 'x'.repeat(MAX_PROJECT_FILE_BYTES), '.ufo/iam_roles/bigger.rb': 'x'.repeat(MAX_PROJECT_FILE_BYTES + 1) });
  fs.symlinkSync('nowhere.rb', path.join(root, ROLE));
  assert.match((readProjectFile(root, ROLE) as { reason: string }).reason, /symbolic link to nowhere\.rb, which does not exist/);
  fs.mkdirSync(path.join(root, '.ufo/iam_roles/dir.rb'));
  assert.match((readProjectFile(root, '.ufo/iam_roles/dir.rb') as { reason: string }).reason, /a folder, not a regular file/);
  assert.equal(readProjectFile(root, '.ufo/iam_roles/big.rb').ok, true);
  assert.match((readProjectFile(root, '.ufo/iam_roles/bigger.rb') as { reason: string }).reason, /over the 1\.0 MB/);
});

test('a file named on its own (no project) may lie anywhere, but must still be a regular file', () => {
  const dir = makeProject({ 'role.rb': TEXT });
  assert.deepEqual(readFileSafely(path.join(dir, 'role.rb')), { ok: true, text: TEXT });
  plantHostile(dir, 'pipe.rb', 'fifo');
  assert.match((readFileSafely(path.join(dir, 'pipe.rb')) as { reason: string }).reason, REASON_OF.fifo);
  assert.match((readFileSafely('/dev/zero') as { reason: string }).reason, /a character device, not a regular file/);
});
