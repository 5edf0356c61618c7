// The extension activates by itself in a UFO project and starts its language server.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, activateExtension, waitFor, workspaceFolder } from './helpers';

describe('activation', () => {
  it('activates on its own in a workspace with .ufo/iam_roles (workspaceContains)', async () => {
    // No activate() call here: the activation events of package.json must do it.
    const extension = await waitFor(`${EXTENSION_ID} to be active`, () => {
      const e = vscode.extensions.getExtension(EXTENSION_ID);
      return e?.isActive ? e : undefined;
    }, { describe: () => `getExtension → ${vscode.extensions.getExtension(EXTENSION_ID) ? 'loaded, not active' : 'not loaded'}` });
    assert.equal(extension.packageJSON.name, 'ufo-iam');
  });

  it('starts the language server (the client is running)', async () => {
    const extension = await activateExtension();
    const api = extension.exports as { client?: { isRunning(): boolean } } | undefined;
    assert.ok(api?.client, 'activate() should return { client }');
    await waitFor('the language client to be running', () => api.client!.isRunning());
  });

  it('opens the scratch copy of examples/demo that the runner made', function () {
    // Only the runners (scripts/e2e/run.mjs, runElectron.mjs) copy the workspace; F5 opens the real one.
    const expected = process.env.UFO_IAM_E2E_WORKSPACE;
    if (!expected) this.skip();
    const folder = workspaceFolder().uri.fsPath;
    assert.equal(folder, expected);
    assert.ok(!folder.startsWith(`${extensionPathOf()}/`), `the runner must not open the repository: ${folder}`);
  });

  it('contributes the preview command', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('ufoIam.previewRoles'), 'ufoIam.previewRoles is not registered');
  });
});

function extensionPathOf(): string {
  return vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
}
