// Protocol test: `ufoIam/moveRoles` spoken to the real server (dist/server.js) over stdio. The WorkspaceEdit it answers
// is applied to a copy of the project (its renames, then its text edits), and the copy is opened again: the target that
// the files choose is the new one, and what the moved project compiles to is what the preview said. Run `npm run build` first.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { RenameFile, TextDocumentEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';
import type { MoveRolesRequest } from '../../server/src/lsp/protocol';
import { chooseTarget, openProject } from '../../server/src/project/projectContext';
import { compileProject } from '../../server/src/project/compileProject';
import { normalizeSettings } from '../../server/src/settings';
import { toJsonText } from '../../server/src/core';
import { LspClient, fileUri } from '../support/lspClient';
import { copyProject, makeProject } from '../support/project';

type Edit = Extract<MoveRolesRequest.Result, { kind: 'edit' }>;

const TASK_RB = 'iam_policy("S3Read", Action: ["s3:GetObject"], Effect: "Allow", Resource: "*")\n';
const EXEC_RB = 'managed_iam_policy("service-role/AmazonECSTaskExecutionRolePolicy")\n';
const WEB_JSON = '{\n  "family": "démo-🚀",\n  "taskRoleArn": "arn:aws:iam::123456789012:role/demo-task",\n  "cpu": "256"\n}\n';
const SETTINGS = { env: 'dev' };

let client: LspClient;
const roots: string[] = [];
const made = (files: Record<string, string>): string => {
  const root = makeProject(files);
  roots.push(root);
  return root;
};

before(async () => {
  client = await LspClient.start({ settings: SETTINGS, env: { UFO_APP: '', UFO_ENV: '' } });
});

after(async () => {
  await client.stop();
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
});

const move = (root: string, to: string, extra: Record<string, unknown> = {}) => client.request<MoveRolesRequest.Result>('ufoIam/moveRoles', { uri: fileUri(root), to, ...extra });

function asEdit(result: MoveRolesRequest.Result): Edit {
  assert.equal(result.kind, 'edit', JSON.stringify(result));
  return result as Edit;
}

/** Applies a WorkspaceEdit of `root` to `copy` as an editor would: renames (never overwriting), then text edits. */
function applyToCopy(root: string, copy: string, edit: WorkspaceEdit): void {
  const inCopy = (uri: string) => path.join(copy, path.relative(root, fileURLToPath(uri)));
  for (const change of edit.documentChanges ?? []) {
    if ('kind' in change) {
      assert.equal(change.kind, 'rename');
      const r = change as RenameFile;
      assert.equal(r.options?.overwrite, false);
      assert.ok(!fs.existsSync(inCopy(r.newUri)), `${r.newUri} does not exist yet`);
      fs.mkdirSync(path.dirname(inCopy(r.newUri)), { recursive: true });
      fs.renameSync(inCopy(r.oldUri), inCopy(r.newUri));
    } else {
      const t = change as TextDocumentEdit;
      const file = inCopy(t.textDocument.uri);
      const text = fs.readFileSync(file, 'utf8');
      fs.writeFileSync(file, TextDocument.applyEdits(TextDocument.create(t.textDocument.uri, 'json', 1, text), t.edits as never));
    }
  }
}

const reopen = (root: string) => openProject(root, { settings: normalizeSettings(SETTINGS), env: {} });

describe('ufoIam/moveRoles', () => {
  test('v6 pre-created → stack: the app-specific file keeps demo/, the template loses the replaced ARN, and the preview is what the moved project compiles to', async () => {
    const root = made({
      '.ufo/config.rb': 'Ufo.configure do |config|\n  config.app = "demo"\nend\n',
      '.ufo/precreated_iam_roles/demo/task_role.rb': TASK_RB,
      '.ufo/precreated_iam_roles/execution_role.rb': EXEC_RB,
      '.ufo/resources/task_definitions/web.json': WEB_JSON,
    });
    assert.equal(reopen(root).target.target, 'precreated');
    const result = asEdit(await move(root, 'stack'));
    assert.deepEqual(
      result.moves.map((m) => [m.from, m.to]),
      [
        ['.ufo/precreated_iam_roles/demo/task_role.rb', '.ufo/resources/iam_roles/demo/task_role.rb'],
        ['.ufo/precreated_iam_roles/execution_role.rb', '.ufo/resources/iam_roles/execution_role.rb'],
      ],
    );
    assert.equal(result.edit.documentChanges?.length, 3, 'two renames and the template edit, in one WorkspaceEdit');
    assert.deepEqual(result.template?.removed, ['taskRoleArn']);
    assert.equal(result.template?.baseSha256, createHash('sha256').update(WEB_JSON).digest('hex'));
    assert.match(result.headline, /^UFO builds TaskRole \(from \.ufo\/resources\/iam_roles\/demo\/task_role\.rb\) and ExecutionRole .* in stack demo-web-dev /);

    const copy = copyProject(root);
    roots.push(copy);
    applyToCopy(root, copy, result.edit);
    assert.equal(fs.readFileSync(path.join(copy, '.ufo/resources/task_definitions/web.json'), 'utf8'), '{\n  "family": "démo-🚀",\n  "cpu": "256"\n}\n');
    const afterMove = reopen(copy);
    assert.equal(chooseTarget(afterMove.settings, afterMove.layout).target, 'stack');
    const compiled = compileProject(afterMove);
    assert.deepEqual(compiled.roles.map((r) => r.logicalId).sort(), ['ExecutionRole', 'TaskRole']);
    assert.ok(result.preview.includes(toJsonText(compiled.resources)), result.preview);
    assert.equal(compileProject(afterMove, { source: 'precreated' }).roles.length, 0);

    // "Move Only": the same renames, the template untouched, and the ARN UFO replaces named.
    const kept = asEdit(await move(root, 'stack', { keepTemplateArns: true }));
    assert.equal(kept.template, undefined);
    assert.equal(kept.edit.documentChanges?.length, 2);
    assert.deepEqual(kept.keptArns, ['taskRoleArn']);
  });

  test('v5 stack → pre-created: the preview says that UFO builds no role and which ARNs the task gets, and the moved project agrees', async () => {
    const root = made({
      '.ufo/settings.yml': 'development:\n  aws_profile: default\n',
      '.ufo/iam_roles/task_role.rb': TASK_RB,
      '.ufo/iam_roles/execution_role.rb': EXEC_RB,
      '.ufo/templates/main.json.erb': '{\n  "family": "<%= @family %>"\n}\n',
    });
    const before = compileProject(reopen(root));
    const result = asEdit(await move(root, 'precreated'));
    assert.equal(result.template, undefined);
    assert.equal(result.headline, "UFO builds no role; the task uses the template's ARNs (.ufo/templates/main.json.erb): taskRoleArn: not set, executionRoleArn: not set.");
    assert.ok(result.notes.some((n) => n.includes('ufo-iam arns')));

    const copy = copyProject(root);
    roots.push(copy);
    applyToCopy(root, copy, result.edit);
    const afterMove = reopen(copy);
    assert.equal(afterMove.version, 5);
    assert.equal(chooseTarget(afterMove.settings, afterMove.layout).target, 'precreated');
    assert.equal(compileProject(afterMove).roles.length, 0, 'UFO builds no role');
    const pre = compileProject(afterMove, { source: 'precreated' });
    assert.equal(toJsonText(pre.resources), toJsonText(before.resources));
    assert.ok(result.preview.includes(`// The roles UFO builds, as \`ufo-iam compile\` prints them:\n{}\n`), result.preview);
    assert.ok(result.preview.includes(toJsonText(pre.resources)));
  });

  test('refusals: the destination exists (named), unsaved files, no role files; params without uri are invalid', async () => {
    const root = made({
      '.ufo/config.rb': 'Ufo.configure do |config|\nend\n',
      '.ufo/resources/iam_roles/task_role.rb': TASK_RB,
      '.ufo/precreated_iam_roles/task_role.rb': EXEC_RB,
    });
    const exists = await move(root, 'precreated');
    assert.equal(exists.kind, 'refused');
    assert.equal((exists as { code: string }).code, 'DESTINATION_EXISTS');
    assert.match((exists as { message: string }).message, /^\.ufo\/precreated_iam_roles\/task_role\.rb already exists/);

    const other = made({ '.ufo/config.rb': 'Ufo.configure do |config|\nend\n', '.ufo/resources/iam_roles/task_role.rb': TASK_RB });
    const uri = fileUri(path.join(other, '.ufo/resources/iam_roles/task_role.rb'));
    client.open(uri, TASK_RB + '# edited\n');
    const unsaved = await move(other, 'precreated');
    assert.equal((unsaved as { code: string }).code, 'UNSAVED', JSON.stringify(unsaved));
    client.close(uri);
    assert.equal((await move(other, 'precreated')).kind, 'edit');
    assert.equal((await move(other, 'stack') as { code: string }).code, 'NO_ROLES');

    await assert.rejects(client.request('ufoIam/moveRoles', { to: 'stack' }), /uri must be a string/);
    const bad = await move(other, 'elsewhere');
    assert.deepEqual([bad.kind, (bad as { code: string }).code], ['refused', 'INVALID_PARAMS']);
  });
});
