// `ufoIam.moveRolesToPrecreated` ("UFO: Move Roles to Pre-created") and `ufoIam.moveRolesToStack` ("UFO: Move Roles to
// the Stack"), docs/moving-roles.md. The server computes the move from the saved files (`ufoIam/moveRoles`): renames of
// the role files into the other model's folder and, moving to the stack, the removal of the template's literal ARNs that
// UFO replaces anyway. This side shows the preview of what UFO deploys afterwards in a read-only document, asks in a
// modal ("Move and Remove ARNs" or "Move Only" when the template has such ARNs), and applies the edit as one
// WorkspaceEdit, so one Undo reverts it. Modals follow the test hook described in applyRoles.ts.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { MoveRolesRequest, type ApplyTarget } from '../../../server/src/lsp/protocol';
import { APPLY_COMMAND, Prompter, refuseUntrusted, resolveProjectUri, sha256, type PromptRecord } from './applyRoles';

export const MOVE_TO_PRECREATED_COMMAND = 'ufoIam.moveRolesToPrecreated';
export const MOVE_TO_STACK_COMMAND = 'ufoIam.moveRolesToStack';
const PREVIEW_SCHEME = 'ufo-iam-move';

const MOVE = 'Move';
const MOVE_AND_REMOVE = 'Move and Remove ARNs';
const MOVE_ONLY = 'Move Only';
const SAVE_AND_CONTINUE = 'Save and Continue';
const UPDATE_SETTING = 'Update ufoIam.apply.target';
const APPLY_ROLES = 'Apply IAM Roles…';

export interface MoveRolesOutcome {
  /** moved, cancelled, refused, unsaved, untrusted, notAProject, error. */
  status: string;
  to?: ApplyTarget;
  message?: string;
  moves?: Array<{ from: string; to: string }>;
  /** The template ARNs the applied edit removed. */
  removedArns?: string[];
  headline?: string;
  preview?: string;
  notes: string[];
  prompts: PromptRecord[];
}

/** Read-only documents holding the last previews. */
class PreviewDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private n = 0;

  set(name: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: `/${++this.n}/${name}` });
    this.texts.set(uri.toString(), text);
    while (this.texts.size > 4) this.texts.delete(this.texts.keys().next().value!);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '// This preview is no longer kept; run the move command again.\n';
  }
}

export function registerMoveRoles(context: vscode.ExtensionContext, client: LanguageClient, output: vscode.LogOutputChannel): void {
  const testMode = context.extensionMode === vscode.ExtensionMode.Test;
  const previews = new PreviewDocuments();
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, previews),
    vscode.commands.registerCommand(MOVE_TO_PRECREATED_COMMAND, (arg?: unknown) => moveRoles('precreated', arg)),
    vscode.commands.registerCommand(MOVE_TO_STACK_COMMAND, (arg?: unknown) => moveRoles('stack', arg)),
  );

  async function moveRoles(to: ApplyTarget, arg: unknown): Promise<MoveRolesOutcome> {
    const prompter = new Prompter(testMode, output);
    const outcome: MoveRolesOutcome = { status: 'cancelled', to, notes: [], prompts: prompter.records };
    const done = (status: string, message?: string): MoveRolesOutcome => Object.assign(outcome, { status, ...(message ? { message } : {}) });
    const where = to === 'precreated' ? 'the pre-created folder' : "UFO's stack";
    if (refuseUntrusted(prompter, 'moving role files')) return done('untrusted');
    const target = await resolveProjectUri(arg);
    if (!target) {
      prompter.notify('information', 'UFO: open a file of a UFO project (a folder with .ufo/) to move its role files.');
      return done('notAProject');
    }

    const request = (keepTemplateArns: boolean) =>
      client.sendRequest<MoveRolesRequest.Result>(MoveRolesRequest.method, { uri: target.toString(), to, ...(keepTemplateArns ? { keepTemplateArns } : {}) });
    let result = await request(false);
    if (result.kind === 'refused' && result.code === 'UNSAVED') {
      const answer = await prompter.ask('warning', 'Save the project files before moving the roles?', result.message, [SAVE_AND_CONTINUE]);
      if (answer !== SAVE_AND_CONTINUE) return done('unsaved', result.message);
      for (const uri of result.unsaved ?? []) {
        const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === vscode.Uri.parse(uri).toString());
        if (doc && !(await doc.save())) {
          prompter.notify('error', `UFO: could not save ${vscode.workspace.asRelativePath(doc.uri)}; nothing was moved.`);
          return done('unsaved');
        }
      }
      result = await request(false);
    }
    if (result.kind === 'refused') {
      output.warn(result.message);
      prompter.notify(result.code === 'NO_ROLES' || result.code === 'NOT_A_PROJECT' ? 'information' : 'error', `UFO: ${result.message}`);
      return done(result.code === 'NOT_A_PROJECT' ? 'notAProject' : result.code === 'UNSAVED' ? 'unsaved' : 'refused', result.message);
    }

    // The preview first, beside the editor; then the question.
    const previewUri = previews.set(`after moving to ${to === 'precreated' ? 'pre-created' : 'the stack'}.jsonc`, result.preview);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(previewUri), { preview: true, preserveFocus: true, viewColumn: vscode.ViewColumn.Beside });
    output.info(`Move to ${where}:\n${result.preview}`);
    const removable = result.template?.removed ?? [];
    const detail = [
      ...result.moves.map((m) => `${m.from} → ${m.to}`),
      '',
      `After the move: ${result.headline}`,
      ...(removable.length > 0
        ? [`"${MOVE_AND_REMOVE}" also removes ${removable.join(' and ')} from ${result.template!.file}: UFO replaces ${removable.length === 1 ? 'it' : 'them'} with the role it builds. "${MOVE_ONLY}" leaves the template as it is.`]
        : []),
      ...result.notes.filter((n) => !removable.some((k) => n.startsWith(k))),
      'One Undo reverts the move. The preview beside shows what UFO deploys afterwards.',
    ].join('\n');
    const buttons = removable.length > 0 ? [MOVE_AND_REMOVE, MOVE_ONLY] : [MOVE];
    const n = result.moves.length;
    const answer = await prompter.ask('warning', `Move ${n === 1 ? 'the role file' : `${n} role files`} to ${where}?`, detail, buttons);
    if (answer === undefined) return done('cancelled');
    if (answer === MOVE_ONLY) {
      result = await request(true);
      if (result.kind === 'refused') {
        prompter.notify('error', `UFO: ${result.message}`);
        return done('refused', result.message);
      }
    }
    Object.assign(outcome, { moves: result.moves.map((m) => ({ from: m.from, to: m.to })), headline: result.headline, preview: result.preview, notes: [...result.notes] });

    if (result.template) {
      const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === vscode.Uri.parse(result.template!.uri).toString());
      if (open && sha256(open.getText()) !== result.template.baseSha256) {
        const message = `${result.template.file} changed in the editor meanwhile; run the command again.`;
        prompter.notify('error', `UFO: ${message}`);
        return done('error', message);
      }
    }
    const edit = await client.protocol2CodeConverter.asWorkspaceEdit(result.edit);
    if (!(await vscode.workspace.applyEdit(edit))) {
      prompter.notify('error', 'UFO: VS Code did not apply the move (a destination may exist now).');
      return done('error', 'the WorkspaceEdit was refused');
    }
    outcome.removedArns = [...(result.template?.removed ?? [])];
    for (const note of result.notes) output.info(note);

    // The setting that still names the old model, and what comes next.
    const old: ApplyTarget = to === 'precreated' ? 'stack' : 'precreated';
    const config = vscode.workspace.getConfiguration('ufoIam', target);
    const inspected = config.inspect<string>('apply.target');
    const scope =
      inspected?.workspaceFolderValue === old ? vscode.ConfigurationTarget.WorkspaceFolder
      : inspected?.workspaceValue === old ? vscode.ConfigurationTarget.Workspace
      : inspected?.globalValue === old ? vscode.ConfigurationTarget.Global
      : undefined;
    const moved = `UFO: moved ${n === 1 ? 'the role file' : `${n} role files`} to ${where}${outcome.removedArns.length ? ` and removed ${outcome.removedArns.join(' and ')} from ${result.template!.file}` : ''}. Undo reverts it.`;
    const buttonsAfter = [...(scope !== undefined ? [UPDATE_SETTING] : []), ...(to === 'precreated' ? [APPLY_ROLES] : [])];
    const next = to === 'precreated' ? ' UFO no longer builds these roles: apply them, then "Update Task Definition ARNs".' : ` ${result.headline}`;
    const setting = scope !== undefined ? ` ufoIam.apply.target still says "${old}".` : '';
    prompter.notify(scope !== undefined ? 'warning' : 'information', `${moved}${next}${setting}`, buttonsAfter, async (b) => {
      if (b === UPDATE_SETTING && scope !== undefined) await config.update('apply.target', to, scope);
      if (b === APPLY_ROLES) await vscode.commands.executeCommand(APPLY_COMMAND, target);
    });
    return done('moved');
  }
}
