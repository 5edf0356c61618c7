// "UFO: Fix AccessDenied…" (`ufoIam.fixAccessDenied`): takes an AccessDenied message from an input box (prefilled from
// the clipboard when it holds one), asks the server to explain it (`ufoIam/explainDenied`: the role file of the denied
// role and the smallest edit that allows the request, docs/access-denied.md), shows the explanation and the diff in a
// modal, and applies the edit as one undoable WorkspaceEdit (the file stays unsaved until the user saves it).
// Allowed in Restricted Mode: it only edits a local file the user sees and can undo; nothing reaches AWS and nothing
// runs (Apply, which would send the change to AWS, still refuses there).
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ExplainDeniedRequest } from '../../../server/src/lsp/protocol';
import { Prompter, resolveProjectUri } from './applyRoles';

export const FIX_ACCESS_DENIED_COMMAND = 'ufoIam.fixAccessDenied';
const APPLY = 'Apply Edit';
/** Enough to prefill the input box; the server decides what the text really is. */
const LOOKS_DENIED = /is not authorized to perform:/;

/** Optional argument (tests, other commands): the message, and a project URI. */
export interface FixAccessDeniedArgs {
  message?: string;
  uri?: vscode.Uri | string;
  wildcard?: boolean;
}

export function registerFixAccessDenied(context: vscode.ExtensionContext, client: LanguageClient, output: vscode.LogOutputChannel): void {
  const testMode = context.extensionMode === vscode.ExtensionMode.Test;
  context.subscriptions.push(vscode.commands.registerCommand(FIX_ACCESS_DENIED_COMMAND, (arg?: unknown) => fix(arg)));

  async function fix(arg: unknown): Promise<{ status: string; message?: string; lines?: readonly string[] }> {
    const prompter = new Prompter(testMode, output);
    const options: FixAccessDeniedArgs = arg && typeof arg === 'object' && !(arg instanceof vscode.Uri) ? (arg as FixAccessDeniedArgs) : { uri: arg as vscode.Uri | string | undefined };
    const target = await resolveProjectUri(options.uri);
    if (!target) {
      prompter.notify('information', 'UFO: open a file of a UFO project (a folder with .ufo/) to fix an AccessDenied error in.');
      return { status: 'notAProject' };
    }
    let message = options.message;
    if (message === undefined) {
      const clipboard = await vscode.env.clipboard.readText();
      message = await vscode.window.showInputBox({
        prompt: 'Paste the AccessDenied error (as the AWS CLI, an SDK or the ECS console shows it)',
        placeHolder: 'User: arn:aws:sts::…:assumed-role/…/… is not authorized to perform: s3:PutObject on resource: …',
        value: LOOKS_DENIED.test(clipboard) ? clipboard.replace(/\s+/g, ' ').trim() : '',
        ignoreFocusOut: true,
      });
    }
    if (!message?.trim()) return { status: 'cancelled' };
    const params: ExplainDeniedRequest.Params = { uri: target.toString(), message, ...(options.wildcard ? { wildcard: true } : {}) };
    const r = await client.sendRequest<ExplainDeniedRequest.Result>(ExplainDeniedRequest.method, params);
    if (r.kind === 'refused') {
      prompter.notify('warning', `UFO: ${r.message}`);
      return { status: 'refused', message: r.message };
    }
    output.info(`explain-denied:\n${r.lines.join('\n')}${r.edit ? `\n${r.edit.diff}` : ''}`);
    if (!r.edit) {
      await prompter.ask('warning', 'UFO: no role file edit can allow this request', r.lines.join('\n'), []);
      return { status: 'noEdit', message: r.noEdit?.message, lines: r.lines };
    }
    const answer = await prompter.ask('information', `UFO: ${r.edit.title}?`, `${r.lines.join('\n')}\n\n${r.edit.diff}`, [APPLY]);
    if (answer !== APPLY) return { status: 'cancelled', lines: r.lines };
    const edit = await client.protocol2CodeConverter.asWorkspaceEdit(r.edit.workspaceEdit);
    if (!(await vscode.workspace.applyEdit(edit))) {
      prompter.notify('error', `UFO: the edit of ${r.edit.file} was not applied (the file changed meanwhile); run the command again.`);
      return { status: 'error', message: 'applyEdit failed', lines: r.lines };
    }
    await vscode.window.showTextDocument(vscode.Uri.parse(r.edit.uri), { preview: false });
    return { status: 'applied', lines: r.lines };
  }
}
