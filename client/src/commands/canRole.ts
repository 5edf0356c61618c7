// "UFO: Can the Role…?" (`ufoIam.canRole`): asks for the role (only those the project builds), the action, an optional
// resource and optional context lines, sends `ufoIam/can` (the answer of `ufo-iam can`, docs/evaluation.md) and shows
// it in a notification whose buttons open the deciding statements at their lines. Read-only and offline: allowed in
// Restricted Mode.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CanRequest } from '../../../server/src/lsp/protocol';
import { Prompter, resolveProjectUri, type PromptRecord } from './applyRoles';

export const CAN_ROLE_COMMAND = 'ufoIam.canRole';
const ALL_ROLES = 'Every role';
const SHOW_ALL = 'Show Full Answer';
const ACTION = /^[A-Za-z0-9-]+:[A-Za-z0-9]+$/;
const DECISION_TEXT = { allowed: 'allowed', explicitDeny: 'explicitly denied', implicitDeny: 'not allowed', conditional: 'depends on conditions' } as const;

/** Optional argument (tests, other commands): the question, skipping the inputs given. */
export interface CanRoleArgs {
  uri?: vscode.Uri | string;
  role?: CanRequest.Role | 'all';
  action?: string;
  resource?: string;
  context?: string[];
}

export interface CanRoleOutcome {
  /** answered, cancelled, refused, notAProject. */
  readonly status: string;
  readonly message?: string;
  readonly result?: CanRequest.Result;
  readonly prompts: readonly PromptRecord[];
}

export function registerCanRole(context: vscode.ExtensionContext, client: LanguageClient, output: vscode.LogOutputChannel): void {
  const testMode = context.extensionMode === vscode.ExtensionMode.Test;
  context.subscriptions.push(vscode.commands.registerCommand(CAN_ROLE_COMMAND, (arg?: unknown) => ask(arg)));

  async function ask(arg: unknown): Promise<CanRoleOutcome> {
    const prompter = new Prompter(testMode, output);
    const done = (status: string, extra: Partial<CanRoleOutcome> = {}): CanRoleOutcome => ({ status, ...extra, prompts: prompter.records });
    const options: CanRoleArgs = arg && typeof arg === 'object' && !(arg instanceof vscode.Uri) ? (arg as CanRoleArgs) : { uri: arg as vscode.Uri | string | undefined };
    const target = await resolveProjectUri(options.uri);
    if (!target) {
      prompter.notify('information', 'UFO: open a file of a UFO project (a folder with .ufo/) to ask about its roles.');
      return done('notAProject');
    }
    const uri = target.toString();
    let role = options.role;
    if (role === undefined) {
      const built = await client.sendRequest<CanRequest.Result>(CanRequest.method, { uri } satisfies CanRequest.Params);
      if (built.kind === 'refused') {
        prompter.notify('warning', `UFO: ${built.message}`);
        return done('refused', { message: built.message, result: built });
      }
      if (built.kind !== 'roles' || built.roles.length === 0) {
        const message = 'This project builds no IAM role: its role files make no iam_policy or managed_iam_policy calls.';
        prompter.notify('information', `UFO: ${message}`);
        return done('refused', { message });
      }
      const items = [...built.roles, ...(built.roles.length > 1 ? [ALL_ROLES] : [])];
      const pick = items.length === 1 ? items[0] : await vscode.window.showQuickPick(items, { placeHolder: 'Which role?', ignoreFocusOut: true });
      if (!pick) return done('cancelled');
      role = pick === ALL_ROLES ? 'all' : (pick as CanRequest.Role);
    }
    const action =
      options.action ??
      (await vscode.window.showInputBox({
        prompt: 'The action (service:Action)',
        placeHolder: 's3:GetObject',
        ignoreFocusOut: true,
        validateInput: (v) => (ACTION.test(v.trim()) ? undefined : 'One action as service:Action, such as s3:GetObject (no wildcards).'),
      }))?.trim();
    if (!action) return done('cancelled');
    const resource =
      options.resource ??
      (await vscode.window.showInputBox({
        prompt: 'The resource ARN (optional: empty asks "on some resource?")',
        placeHolder: 'arn:aws:s3:::my-bucket/report.csv',
        ignoreFocusOut: true,
        validateInput: (v) => (v.trim() === '' || v.trim() === '*' || v.trim().startsWith('arn:') ? undefined : 'An ARN (arn:…), * or nothing.'),
      }))?.trim();
    if (resource === undefined) return done('cancelled');
    let contextLines = options.context;
    if (contextLines === undefined) {
      const typed = await vscode.window.showInputBox({
        prompt: 'Request context (optional): KEY=VALUE or !KEY (absent), separated by spaces or commas',
        placeHolder: 'aws:SecureTransport=true !aws:SourceIp',
        ignoreFocusOut: true,
      });
      if (typed === undefined) return done('cancelled');
      contextLines = typed.split(/[\s,]+/).filter((s) => s !== '');
    }
    const params: CanRequest.Params = { uri, action, ...(resource ? { resource } : {}), ...(role !== 'all' ? { role } : {}), context: contextLines };
    const r = await client.sendRequest<CanRequest.Result>(CanRequest.method, params);
    if (r.kind === 'refused') {
      prompter.notify('warning', `UFO: ${r.message}`);
      return done('refused', { message: r.message, result: r });
    }
    if (r.kind !== 'answered') return done('refused', { result: r });
    output.info(`can:\n${r.lines.join('\n')}`);
    const perRole = r.answers.map((a) => `${a.role}: ${DECISION_TEXT[a.decision]} (${a.why})`).join('; ');
    const unsaved = r.unsaved.length > 0 ? ` Unsaved edits of ${r.unsaved.join(', ')} were evaluated.` : '';
    const message = `UFO: ${action}${resource ? ` on ${resource}` : ''}: ${perRole}.${unsaved} ${r.notConsidered} IAM data of ${r.dataDate}.`;
    // One button per deciding statement of a role file (file + line), and one for the full answer.
    const targets = new Map<string, { uri: string; line: number | null }>();
    for (const a of r.answers) {
      for (const m of a.matched) {
        if (!m.deciding) continue;
        const s = m.source;
        const label = s.kind === 'inline' ? `Open ${s.file}${s.line ? `:${s.line}` : ''}${s.sid ? ` (${s.sid})` : ''}` : undefined;
        if (s.kind === 'inline' && label && !targets.has(label) && targets.size < 3) targets.set(label, { uri: s.uri, line: s.line });
      }
    }
    const kind = r.overall === 'allowed' ? 'information' : 'warning';
    prompter.notify(kind, message, [...targets.keys(), SHOW_ALL], async (button) => {
      if (button === SHOW_ALL) return output.show(true);
      const t = targets.get(button);
      if (!t) return;
      const line = Math.max(0, (t.line ?? 1) - 1);
      await vscode.window.showTextDocument(vscode.Uri.parse(t.uri), { selection: new vscode.Range(line, 0, line, 0), preview: false });
    });
    return done('answered', { message, result: r });
  }
}
