// The preview command: a read-only JSONC document whose JSON body is exactly `ufo-iam compile` of the
// project, following unsaved edits.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { appendText, openDocument, runCli, waitFor, workspaceFolder } from './helpers';

const TASK_ROLE = '.ufo/iam_roles/task_role.rb';

/** The JSON body of the preview: its leading `//` comment lines dropped. */
function previewJson(text: string): unknown {
  const body = text.split('\n').filter((l) => !l.startsWith('//')).join('\n');
  return JSON.parse(body);
}

async function openPreview(sourceUri: vscode.Uri): Promise<vscode.TextDocument> {
  const uri = await vscode.commands.executeCommand<string | undefined>('ufoIam.previewRoles', sourceUri);
  assert.ok(uri, 'ufoIam.previewRoles returned no preview URI');
  return waitFor('the preview document', () => vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri));
}

describe('preview', () => {
  it('is offered by a CodeLens on the first line of each role file', async () => {
    for (const [file, role] of [['.ufo/iam_roles/task_role.rb', 'TaskRole'], ['.ufo/iam_roles/execution_role.rb', 'ExecutionRole']]) {
      const doc = await openDocument(file);
      const lens = await waitFor(`the CodeLens of ${file}`, async () => {
        const list = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
        return list?.find((l) => l.command?.command === 'ufoIam.previewRoles');
      });
      assert.equal(lens.range.start.line, 0);
      assert.match(lens.command!.title, new RegExp(`Preview compiled ${role} \\(UFO v5\\)`));
      // Clicking the lens runs its command with its arguments.
      const uri = await vscode.commands.executeCommand<string>(lens.command!.command, ...(lens.command!.arguments ?? []));
      assert.ok(uri?.startsWith('ufo-iam-preview:'), `the lens should open the preview, got ${uri}`);
    }
  });

  it('shows exactly what `ufo-iam compile` prints for the workspace', async () => {
    const cli = runCli(['compile', workspaceFolder().uri.fsPath]);
    assert.equal(cli.status, 0, `ufo-iam compile failed: ${cli.stderr}`);
    const doc = await openDocument(TASK_ROLE);
    const preview = await openPreview(doc.uri);
    assert.ok(preview.getText().startsWith('//'), 'the preview opens with its explanatory comments');
    assert.deepEqual(previewJson(preview.getText()), JSON.parse(cli.stdout));
    const editors = vscode.window.visibleTextEditors.map((e) => e.document.uri.toString());
    assert.ok(editors.includes(preview.uri.toString()), 'the preview is shown in an editor');
  });

  it('follows unsaved edits of a role file', async () => {
    const doc = await openDocument(TASK_ROLE);
    const preview = await openPreview(doc.uri);
    assert.ok(!preview.getText().includes('AmazonSQSReadOnlyAccess'));
    await appendText(doc, 'managed_iam_policy("AmazonSQSReadOnlyAccess")');
    const json = await waitFor('the preview to list the new managed policy', () => {
      const text = preview.getText();
      return text.includes('arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess') ? previewJson(text) : undefined;
    }, { describe: () => preview.getText().slice(0, 400) }) as Record<string, { Properties: { ManagedPolicyArns?: string[] } }>;
    assert.ok(json.TaskRole.Properties.ManagedPolicyArns?.includes('arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess'));
  });
});
