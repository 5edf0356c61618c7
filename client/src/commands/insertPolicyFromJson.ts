// "UFO: Insert iam_policy from JSON File…" (`ufoIam.insertPolicyFromJson`): asks for a JSON policy document file and
// inserts, at the cursor of the active role file, the `iam_policy` call the server converts it into
// (`ufoIam/convertPolicy`). A file that is not a policy UFO can write is reported with the server's reason.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ConvertPolicyRequest } from '../../../server/src/lsp/protocol';

export const INSERT_POLICY_COMMAND = 'ufoIam.insertPolicyFromJson';

export function registerInsertPolicyFromJson(context: vscode.ExtensionContext, client: LanguageClient): void {
  context.subscriptions.push(vscode.commands.registerCommand(INSERT_POLICY_COMMAND, (file?: vscode.Uri) => insert(file)));

  async function insert(given?: vscode.Uri): Promise<string> {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.uri.scheme !== 'file') {
      void vscode.window.showInformationMessage('UFO: open a role file (.ufo/…/iam_roles/*.rb) to insert an iam_policy into.');
      return 'noEditor';
    }
    const file =
      given ??
      (await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: 'Insert as iam_policy', filters: { 'JSON policy document': ['json'], 'All files': ['*'] } }))?.[0];
    if (!file) return 'cancelled';
    let json: string;
    try {
      json = new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
    } catch (e) {
      void vscode.window.showErrorMessage(`UFO: ${vscode.workspace.asRelativePath(file)} could not be read: ${e instanceof Error ? e.message : String(e)}`);
      return 'unreadable';
    }
    const r = await client.sendRequest<ConvertPolicyRequest.Result>(ConvertPolicyRequest.method, { uri: editor.document.uri.toString(), json } satisfies ConvertPolicyRequest.Params);
    if (r.kind !== 'converted') {
      void vscode.window.showErrorMessage(`UFO: ${vscode.workspace.asRelativePath(file)}: ${r.message}`);
      return 'notPolicy';
    }
    await editor.insertSnippet(new vscode.SnippetString().appendText(r.text), editor.selection);
    if (r.notes.length > 0) void vscode.window.showInformationMessage(`UFO: inserted iam_policy("${r.name}"); ${r.notes.join('; ')}.`);
    return 'inserted';
  }
}
