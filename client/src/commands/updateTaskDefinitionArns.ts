// `ufoIam.updateTaskDefinitionArns` ("UFO: Update Task Definition Role ARNs"): writes the live ARNs of
// the roles this project names into the task-definition template (v5 `.ufo/templates/*.json.erb`, v6
// `.ufo/resources/task_definitions/*` as UFO picks it; docs/ufo-semantics.md §12). The server computes an
// ERB-aware edit from the saved file; this side applies it as a WorkspaceEdit, so Undo reverts it and
// the file stays unsaved until the user saves. Ambiguous templates (a duplicate key, a value computed
// by ERB) are refused with the reason, and a modal offers "Force". Modals follow the test hook
// described in applyRoles.ts.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { TaskDefinitionArnsRequest } from '../../../server/src/lsp/protocol';
import { Prompter, refuseUntrusted, resolveProjectUri, sha256, UPDATE_ARNS_COMMAND, type PromptRecord } from './applyRoles';

const FORCE = 'Force';
const SAVE_AND_CONTINUE = 'Save and Continue';
/** Task-definition templates of both layouts (docs/ufo-semantics.md §12). */
const TEMPLATE_PATH = /\/\.ufo\/(?:templates|resources\/task_definitions)\/[^/]+$/;

export interface UpdateArnsOutcome {
  /** updated, unchanged, refused, cancelled, error, untrusted, notAProject, unsaved. */
  status: string;
  message?: string;
  /** The template's URI. */
  uri?: string;
  file?: string;
  values?: TaskDefinitionArnsRequest.Values;
  forced?: boolean;
  notes: string[];
  prompts: PromptRecord[];
}

/** Optional argument: a project URI, or these options (from tests and other commands). */
export interface UpdateArnsArgs {
  uri?: vscode.Uri | string;
  file?: string;
  values?: TaskDefinitionArnsRequest.Values;
}

export function registerUpdateTaskDefinitionArns(context: vscode.ExtensionContext, client: LanguageClient, output: vscode.LogOutputChannel): void {
  const testMode = context.extensionMode === vscode.ExtensionMode.Test;
  context.subscriptions.push(vscode.commands.registerCommand(UPDATE_ARNS_COMMAND, (arg?: unknown) => updateArns(arg)));

  async function updateArns(arg: unknown): Promise<UpdateArnsOutcome> {
    const prompter = new Prompter(testMode, output);
    const outcome: UpdateArnsOutcome = { status: 'cancelled', notes: [], prompts: prompter.records };
    const done = (status: string, message?: string): UpdateArnsOutcome => Object.assign(outcome, { status, ...(message ? { message } : {}) });
    if (refuseUntrusted(prompter, 'updating the task definition ARNs')) return done('untrusted');
    const options: UpdateArnsArgs = arg && typeof arg === 'object' && !(arg instanceof vscode.Uri) ? (arg as UpdateArnsArgs) : { uri: arg as vscode.Uri | string | undefined };
    const target = await resolveProjectUri(options.uri);
    if (!target) {
      prompter.notify('information', 'UFO: open a file of a UFO project (a folder with .ufo/) to update its task definition.');
      return done('notAProject');
    }

    // The edit is computed from the saved template: unsaved templates are saved first, if the user agrees.
    const dirty = vscode.workspace.textDocuments.filter((d) => d.isDirty && d.uri.scheme === 'file' && TEMPLATE_PATH.test(d.uri.path));
    if (dirty.length > 0) {
      const names = dirty.map((d) => vscode.workspace.asRelativePath(d.uri)).join(', ');
      const answer = await prompter.ask(
        'warning',
        'Save the task definition templates first?',
        `${names} ${dirty.length === 1 ? 'has' : 'have'} unsaved changes. The ARNs are written into the saved text.`,
        [SAVE_AND_CONTINUE],
      );
      if (answer !== SAVE_AND_CONTINUE) return done('unsaved');
      for (const d of dirty) if (!(await d.save())) return done('unsaved', `could not save ${vscode.workspace.asRelativePath(d.uri)}`);
    }

    let file = options.file;
    let force = false;
    for (let round = 0; round < 4; round++) {
      const params: TaskDefinitionArnsRequest.Params = {
        uri: target.toString(),
        ...(file !== undefined ? { file } : {}),
        ...(force ? { force } : {}),
        ...(options.values ? { values: options.values } : {}),
      };
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'UFO: reading the role ARNs…' },
        () => client.sendRequest<TaskDefinitionArnsRequest.Result>(TaskDefinitionArnsRequest.method, params),
      );
      switch (result.kind) {
        case 'choose': {
          const pick = await vscode.window.showQuickPick(result.candidates, { placeHolder: result.message });
          if (!pick) return done('cancelled');
          file = pick;
          continue;
        }
        case 'refused': {
          output.warn(result.message);
          if (result.canForce && !force) {
            const answer = await prompter.ask(
              'warning',
              `Replace the role ARN in ${result.file ?? 'the task definition'} anyway?`,
              `${result.message}\n\n"${FORCE}" writes the literal ARN there (every occurrence of a duplicate key; the ERB that computed a value is replaced). Undo reverts it.`,
              [FORCE],
            );
            if (answer !== FORCE) return done('refused', result.message);
            force = true;
            outcome.forced = true;
            continue;
          }
          prompter.notify('error', `UFO: ${result.message}`);
          return done('refused', result.message);
        }
        case 'error':
          output.error(result.message);
          prompter.notify('error', `UFO: could not read the role ARNs from IAM. ${result.message}`, ['Show Output'], () => output.show(true));
          return done('error', result.message);
        case 'unchanged':
          Object.assign(outcome, { uri: result.uri, file: result.file, values: result.values, notes: [...result.notes] });
          prompter.notify('information', `UFO: ${result.file} already holds these role ARNs.${noteText(result.notes)}`);
          return done('unchanged');
        case 'edit': {
          Object.assign(outcome, { uri: result.uri, file: result.file, values: result.values, notes: [...result.notes] });
          const uri = vscode.Uri.parse(result.uri);
          const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
          if (open && sha256(open.getText()) !== result.baseSha256) {
            const message = `${result.file} changed in the editor while the ARNs were read; run the command again.`;
            prompter.notify('error', `UFO: ${message}`);
            return done('error', message);
          }
          const edit = await client.protocol2CodeConverter.asWorkspaceEdit(result.edit);
          if (!(await vscode.workspace.applyEdit(edit))) {
            prompter.notify('error', `UFO: VS Code did not apply the edit to ${result.file}.`);
            return done('error', 'the WorkspaceEdit was refused');
          }
          const doc = await vscode.workspace.openTextDocument(uri);
          const first = edit.get(uri)[0]?.range;
          await vscode.window.showTextDocument(doc, { preview: false, ...(first ? { selection: new vscode.Range(first.start, first.start) } : {}) });
          const keys = Object.keys(result.values).join(' and ');
          for (const note of result.notes) output.info(note);
          prompter.notify('information', `UFO: set ${keys} in ${result.file}. Save to keep it; Undo reverts it.${noteText(result.notes)}`);
          return done('updated');
        }
      }
    }
    return done('error', 'too many rounds');
  }
}

function noteText(notes: readonly string[]): string {
  return notes.length ? ` Note: ${notes.join(' ')}` : '';
}
