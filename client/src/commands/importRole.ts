// "UFO: Import Role from AWS…" (`ufoIam.importRole`): asks for the IAM role's name and whether it becomes the task or
// the execution role, gets the role file's text from the server (`ufoIam/importRole`: the live role read from IAM, the
// file UFO reads for that role), asks before replacing an existing file, then writes it as an undoable WorkspaceEdit
// and opens it. Refused in Restricted Mode, like Apply: the workspace's settings choose the AWS profile and endpoint.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ImportRoleRequest } from '../../../server/src/lsp/protocol';
import { Prompter, refuseUntrusted, resolveProjectUri } from './applyRoles';

export const IMPORT_ROLE_COMMAND = 'ufoIam.importRole';
const REPLACE = 'Replace';

/** Optional argument (tests, other commands): the project and the inputs given, skipping their prompts. */
export interface ImportRoleArgs {
  uri?: vscode.Uri | string;
  roleName?: string;
  roleType?: 'task_role' | 'execution_role';
}

export function registerImportRole(context: vscode.ExtensionContext, client: LanguageClient, output: vscode.LogOutputChannel): void {
  const testMode = context.extensionMode === vscode.ExtensionMode.Test;
  context.subscriptions.push(vscode.commands.registerCommand(IMPORT_ROLE_COMMAND, (arg?: unknown) => importRole(arg)));

  async function importRole(arg: unknown): Promise<{ status: string; message?: string; file?: string }> {
    const prompter = new Prompter(testMode, output);
    if (refuseUntrusted(prompter, 'importing a role from AWS')) return { status: 'untrusted' };
    const options: ImportRoleArgs = arg && typeof arg === 'object' && !(arg instanceof vscode.Uri) ? (arg as ImportRoleArgs) : { uri: arg as vscode.Uri | string | undefined };
    const target = await resolveProjectUri(options.uri);
    if (!target) {
      prompter.notify('information', 'UFO: open a file of a UFO project (a folder with .ufo/) to import a role into.');
      return { status: 'notAProject' };
    }
    const roleName = (options.roleName ?? (await vscode.window.showInputBox({ prompt: 'The name of the IAM role to import', placeHolder: 'my-app-task-role', ignoreFocusOut: true })))?.trim();
    if (!roleName) return { status: 'cancelled' };
    const types = [
      { label: 'Task role', description: 'task_role.rb: what the application in the container may do', roleType: 'task_role' as const },
      { label: 'Execution role', description: 'execution_role.rb: what ECS needs to start the task (pull the image, write logs)', roleType: 'execution_role' as const },
    ];
    const type = options.roleType ? types.find((t) => t.roleType === options.roleType) : await vscode.window.showQuickPick(types, { placeHolder: `Import ${roleName} as…`, ignoreFocusOut: true });
    if (!type) return { status: 'cancelled' };
    const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `UFO: reading ${roleName} from IAM…` }, () =>
      client.sendRequest<ImportRoleRequest.Result>(ImportRoleRequest.method, { uri: target.toString(), roleName, roleType: type.roleType } satisfies ImportRoleRequest.Params),
    );
    if (r.kind !== 'import') {
      prompter.notify('error', `UFO: ${r.message}`);
      return { status: r.kind, message: r.message };
    }
    const uri = vscode.Uri.parse(r.fileUri);
    if (r.exists) {
      const answer = await prompter.ask('warning', `Replace ${r.file}?`, `UFO reads ${r.file} for the ${type.label.toLowerCase()}. It will be replaced by the policies of ${roleName}.`, [REPLACE]);
      if (answer !== REPLACE) return { status: 'cancelled' };
    }
    const edit = new vscode.WorkspaceEdit();
    edit.createFile(uri, { overwrite: true, contents: new TextEncoder().encode(r.text) });
    if (!(await vscode.workspace.applyEdit(edit))) {
      prompter.notify('error', `UFO: ${r.file} could not be written.`);
      return { status: 'failed' };
    }
    await vscode.window.showTextDocument(uri);
    for (const n of r.notes) output.info(`import ${roleName}: ${n}`);
    prompter.notify(r.notes.length > 0 ? 'warning' : 'information', `UFO: wrote ${r.file} from ${roleName}.${r.notes.length > 0 ? ` Note: ${r.notes.join('; ')}.` : ''}`);
    return { status: 'imported', file: r.file };
  }
}
