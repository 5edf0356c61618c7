// `ufoIam.applyRoles` ("UFO: Apply IAM Roles…"): asks the server for a plan, shows each changed role
// as a diff (live JSON ↔ desired JSON, read-only documents of the `ufo-iam-plan` scheme), asks in a
// modal naming the account, region and change counts, then applies with a progress notification per
// step and reports what was done, what failed and why, and what remains. After a successful apply it
// offers "Update Task Definition ARNs".
//
// Plans are made from the saved role files (what UFO deploys): when a role file has unsaved changes
// the server refuses, and this command offers to save them and plan again.
//
// Modals in tests: when the extension runs in test mode (ExtensionMode.Test, i.e. launched with
// extensionTestsPath) AND the environment variable UFO_IAM_TEST_MODAL_ANSWER is set, each modal is
// answered with the first of its buttons listed there (`|`-separated; none listed = dismissed)
// instead of being shown. Installed extensions never run in test mode, so the variable does nothing
// for users. Every command returns an outcome that records what it asked and showed.
import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  ApplyProgressNotification,
  ApplyRolesRequest,
  PlanRolesRequest,
  type ApplyTarget,
  type PlanCountsSummary,
} from '../../../server/src/lsp/protocol';

export const PLAN_SCHEME = 'ufo-iam-plan';
export const APPLY_COMMAND = 'ufoIam.applyRoles';
export const UPDATE_ARNS_COMMAND = 'ufoIam.updateTaskDefinitionArns';
/** The test hook's environment variable (see the header). */
export const TEST_MODAL_ANSWER_ENV = 'UFO_IAM_TEST_MODAL_ANSWER';

const APPLY = 'Apply';
const ADOPT_AND_APPLY = 'Adopt and Apply';
const SAVE_AND_PLAN = 'Save and Plan';
const UPDATE_ARNS = 'Update Task Definition ARNs';
/** The answers to "which roles?" when the project does not decide (docs/apply.md). */
export const TARGET_BUTTONS: Readonly<Record<ApplyTarget, string>> = { stack: "The Stack's Roles", precreated: 'Pre-created Roles' };

export type MessageKind = 'information' | 'warning' | 'error';

/** One message the command showed (modal or not), and the button chosen for modals. */
export interface PromptRecord {
  readonly modal: boolean;
  readonly kind: MessageKind;
  readonly message: string;
  readonly detail?: string;
  readonly buttons: readonly string[];
  /** Modal answer (undefined = dismissed); for notifications, always undefined. */
  readonly answer?: string;
}

/**
 * Shows messages and records them. Modals are answered by the test hook when it is active; plain
 * notifications never block the command (their buttons run when clicked).
 */
export class Prompter {
  readonly records: PromptRecord[] = [];

  constructor(
    private readonly testMode: boolean,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  private show(kind: MessageKind, message: string, options: vscode.MessageOptions, buttons: string[]): Thenable<string | undefined> {
    if (kind === 'error') return vscode.window.showErrorMessage(message, options, ...buttons);
    if (kind === 'warning') return vscode.window.showWarningMessage(message, options, ...buttons);
    return vscode.window.showInformationMessage(message, options, ...buttons);
  }

  /** A modal; resolves to the chosen button, undefined when cancelled. */
  async ask(kind: MessageKind, message: string, detail: string, buttons: string[]): Promise<string | undefined> {
    const scripted = this.testMode ? process.env[TEST_MODAL_ANSWER_ENV] : undefined;
    let answer: string | undefined;
    if (scripted !== undefined) {
      const wanted = scripted.split('|').map((s) => s.trim());
      answer = buttons.find((b) => wanted.includes(b));
      this.output.info(`[test] modal "${message}" answered ${answer === undefined ? '(dismissed)' : `"${answer}"`} by ${TEST_MODAL_ANSWER_ENV}`);
    } else {
      answer = await this.show(kind, message, { modal: true, detail }, buttons);
    }
    this.records.push({ modal: true, kind, message, detail, buttons, answer });
    return answer;
  }

  /** A notification; `onClick` runs if the user picks a button (the command does not wait for it). */
  notify(kind: MessageKind, message: string, buttons: string[] = [], onClick?: (button: string) => unknown): void {
    this.records.push({ modal: false, kind, message, buttons });
    void this.show(kind, message, {}, buttons).then((b) => {
      if (b !== undefined && onClick) void Promise.resolve(onClick(b)).catch((e: unknown) => this.output.error(String(e)));
    });
  }
}

/** Commands that reach AWS or write project files need a trusted workspace (package.json `capabilities`). */
export function refuseUntrusted(prompter: Prompter, what: string): boolean {
  if (vscode.workspace.isTrusted) return false;
  prompter.notify(
    'error',
    `UFO: ${what} is disabled in Restricted Mode. Trust this workspace first: its settings choose the AWS profile, endpoint and role names.`,
    ['Manage Workspace Trust'],
    () => vscode.commands.executeCommand('workbench.trust.manage'),
  );
  return true;
}

/**
 * The project to act on: the URI the command got (editor title, another command), else the active
 * editor's file when it is under `.ufo/`, else the workspace folder holding `.ufo/` (asking when
 * there are several), else the active file.
 */
export async function resolveProjectUri(arg: unknown): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string' && arg !== '') return vscode.Uri.parse(arg);
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.scheme === 'file' && /\/\.ufo\//.test(active.path)) return active;
  const projects: vscode.WorkspaceFolder[] = [];
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    try {
      await vscode.workspace.fs.stat(vscode.Uri.joinPath(folder.uri, '.ufo'));
      projects.push(folder);
    } catch {
      // Not a UFO project.
    }
  }
  if (projects.length === 1) return projects[0].uri;
  if (projects.length > 1) {
    const pick = await vscode.window.showQuickPick(
      projects.map((f) => ({ label: f.name, description: f.uri.fsPath, folder: f })),
      { placeHolder: 'Which UFO project?' },
    );
    return pick?.folder.uri;
  }
  return active?.scheme === 'file' ? active : undefined;
}

export const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

export interface ApplyRolesOutcome {
  /**
   * applied, noChanges, failed, refused, stale, expired, error (as the server reports them), or:
   * cancelled (the modal was dismissed), blocked (role files with errors, or a plan that cannot be
   * applied), unsaved (the user kept unsaved role files), untrusted, notAProject, noRoles.
   */
  status: string;
  message?: string;
  planId?: string;
  /** The target the plan was made for (stack or precreated), and whether the user was asked for it. */
  target?: ApplyTarget;
  targetAsked?: boolean;
  account?: string;
  region?: string;
  adopted?: boolean;
  roles?: Array<{ logicalId: string; roleName: string; status: string }>;
  counts?: PlanCountsSummary;
  /** The titles of the diff editors opened. */
  diffs: string[];
  /** The progress messages, in the order they arrived. */
  progress: string[];
  prompts: PromptRecord[];
}

/**
 * Plans the project's roles: saves unsaved role files first if the user agrees, and asks which roles when the server
 * answers NEEDS_TARGET (both kinds of role files and no `ufoIam.apply.target`). Shared by Apply and Compare with AWS.
 */
export async function requestPlan(
  client: LanguageClient,
  prompter: Prompter,
  target: vscode.Uri,
  title: string,
): Promise<{ result?: PlanRolesRequest.Result; status?: string; chosen?: ApplyTarget }> {
  let result: PlanRolesRequest.Result | undefined;
  let chosen: ApplyTarget | undefined;
  let saved = false;
  for (let attempt = 0; attempt < 3; attempt++) {
    result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title }, () =>
      client.sendRequest<PlanRolesRequest.Result>(PlanRolesRequest.method, { uri: target.toString(), ...(chosen ? { target: chosen } : {}) }),
    );
    if (result.kind !== 'refused') break;
    if (result.code === 'NEEDS_TARGET' && !chosen) {
      const answer = await prompter.ask(
        'warning',
        'Which IAM roles should UFO change?',
        `${result.message}\n\n${TARGET_BUTTONS.stack}: the role files UFO reads, applied to the TaskRole and ExecutionRole of UFO's deployed CloudFormation stack.\n` +
          `${TARGET_BUTTONS.precreated}: the pre-created folder's role files, applied to roles ufo-iam creates; their ARNs go into the task definition.\n` +
          'Set ufoIam.apply.target to stop this question.',
        [TARGET_BUTTONS.stack, TARGET_BUTTONS.precreated],
      );
      chosen = (Object.keys(TARGET_BUTTONS) as ApplyTarget[]).find((t) => TARGET_BUTTONS[t] === answer);
      if (!chosen) return { result, status: 'cancelled' };
      continue;
    }
    if (result.code !== 'UNSAVED' || saved) break;
    const answer = await prompter.ask('warning', 'Save the role files before planning?', result.message, [SAVE_AND_PLAN]);
    if (answer !== SAVE_AND_PLAN) return { result, status: 'unsaved' };
    for (const uri of result.unsaved ?? []) {
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === vscode.Uri.parse(uri).toString());
      if (doc && !(await doc.save())) {
        prompter.notify('error', `UFO: could not save ${vscode.workspace.asRelativePath(doc.uri)}; nothing was planned.`);
        return { result, status: 'unsaved' };
      }
    }
    saved = true;
  }
  return { result, ...(chosen ? { chosen } : {}) };
}

/** Read-only documents holding each plan's live and desired JSON, for `vscode.diff`. */
class PlanDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private readonly plans: string[] = [];

  set(planId: string, name: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: PLAN_SCHEME, path: `/${planId}/${name}` });
    this.texts.set(uri.toString(), text);
    if (!this.plans.includes(planId)) {
      this.plans.push(planId);
      // Keep the documents of the last few plans; older tabs show a note instead.
      while (this.plans.length > 4) {
        const old = this.plans.shift()!;
        for (const k of [...this.texts.keys()]) if (k.includes(`/${old}/`)) this.texts.delete(k);
      }
    }
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '// This plan is no longer kept; run "UFO: Apply IAM Roles…" again.\n';
  }
}

function statusWords(r: PlanRolesRequest.Role): string {
  switch (r.status) {
    case 'create':
      return `create (${plural(r.steps.length, 'step')})`;
    case 'update':
      return `update (${plural(r.steps.length, 'step')})`;
    case 'unchanged':
      return r.managed || !r.exists ? 'no changes' : 'no changes (exists without the managed-by=ufo-iam tag)';
    case 'blocked':
      return `exists without the managed-by=ufo-iam tag: left alone unless adopted (${plural(r.adoptSteps.length, 'step')} with adoption)`;
    case 'invalid':
      return 'cannot be planned';
  }
}

export function registerApplyRoles(context: vscode.ExtensionContext, client: LanguageClient, output: vscode.LogOutputChannel): void {
  const documents = new PlanDocuments();
  const testMode = context.extensionMode === vscode.ExtensionMode.Test;
  // One handler for the progress notifications of whichever apply is running.
  let onProgress: ((p: ApplyProgressNotification.Params) => void) | undefined;
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(PLAN_SCHEME, documents),
    client.onNotification(ApplyProgressNotification.method, (p: ApplyProgressNotification.Params) => onProgress?.(p)),
    vscode.commands.registerCommand(APPLY_COMMAND, (arg?: unknown) => applyRoles(arg)),
  );

  async function applyRoles(arg: unknown): Promise<ApplyRolesOutcome> {
    const prompter = new Prompter(testMode, output);
    const outcome: ApplyRolesOutcome = { status: 'cancelled', diffs: [], progress: [], prompts: prompter.records };
    const done = (status: string, message?: string): ApplyRolesOutcome => Object.assign(outcome, { status, ...(message ? { message } : {}) });
    if (refuseUntrusted(prompter, 'applying IAM roles')) return done('untrusted');
    const target = await resolveProjectUri(arg);
    if (!target) {
      prompter.notify('information', 'UFO: open a file of a UFO project (a folder with .ufo/) to apply its IAM roles.');
      return done('notAProject');
    }

    // Plan (saving unsaved role files first, and asking which roles when the project does not say).
    const planned = await requestPlan(client, prompter, target, 'UFO: planning IAM roles (reading IAM)…');
    const result = planned.result;
    if (planned.chosen) outcome.targetAsked = true;
    if (planned.status) return done(planned.status, result?.kind === 'refused' ? result.message : undefined);
    if (!result) return done('error');

    if (result.kind === 'error') {
      output.error(`Plan failed: ${result.message}`);
      prompter.notify('error', `UFO: could not read the roles from IAM. ${result.message}`, ['Show Output'], () => output.show(true));
      return done('error', result.message);
    }
    if (result.kind === 'refused') {
      output.warn(result.message);
      if (result.code === 'BLOCKED') {
        const first = result.blockers?.find((b) => b.fileUri);
        prompter.notify('error', `UFO: ${result.message}`, first ? ['Go to Problem'] : [], async () => {
          const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(first!.fileUri!));
          const at = new vscode.Position(Math.max(0, (first!.line ?? 1) - 1), Math.max(0, (first!.column ?? 1) - 1));
          await vscode.window.showTextDocument(doc, { selection: new vscode.Range(at, at) });
        });
        return done('blocked', result.message);
      }
      prompter.notify(result.code === 'UNSAVED' ? 'warning' : 'information', `UFO: ${result.message}`);
      return done(result.code === 'NO_ROLES' ? 'noRoles' : result.code === 'UNSAVED' ? 'unsaved' : result.code === 'NEEDS_TARGET' ? 'cancelled' : 'notAProject', result.message);
    }

    const plan = result;
    Object.assign(outcome, {
      planId: plan.planId,
      target: plan.model.target,
      account: plan.account,
      region: plan.region,
      roles: plan.roles.map((r) => ({ logicalId: r.logicalId, roleName: r.roleName, status: r.status })),
      counts: plan.plan,
    });
    output.info(`Plan for ${plan.root}:\n${plan.text}`);
    const where = `account ${plan.account ?? '(unknown)'}, region ${plan.region ?? '(default)'}`;
    // Which roles, named: the stack's (CloudFormation-managed) or the pre-created ones.
    const changing = plan.roles.filter((r) => r.steps.length > 0 || r.adoptSteps.length > 0).map((r) => r.roleName);
    const whose = plan.model.target === 'stack' ? `stack ${plan.model.stackName}'s ${changing.length === 1 ? 'role' : 'roles'}` : `pre-created ${changing.length === 1 ? 'role' : 'roles'}`;
    const adoptable = plan.adopt && plan.adopt.canApply && plan.adopt.hasChanges ? plan.adopt : undefined;

    if (!plan.plan.hasChanges && !adoptable) {
      if (!plan.plan.canApply) {
        prompter.notify('error', `UFO: this plan cannot be applied: ${plan.plan.problems.join(' ')}`, ['Show Plan'], () => output.show(true));
        return done('blocked', plan.plan.problems.join('\n'));
      }
      const extra = plan.warnings.length ? ` ${plan.warnings.join(' ')}` : '';
      prompter.notify('information', `UFO: no changes. The IAM roles in ${where} already match the role files.${extra}`);
      return done('noChanges');
    }

    // The plan, role by role: live JSON on the left, desired JSON on the right.
    for (const r of plan.roles) {
      if (r.status === 'unchanged' || r.status === 'invalid') continue;
      const left = documents.set(plan.planId, `${r.roleName}.live.json`, r.live || '{}\n');
      const right = documents.set(plan.planId, `${r.roleName}.desired.json`, r.desired);
      const title = `${r.owner === 'cloudformation' ? 'stack role ' : ''}${r.roleName} (${r.logicalId}): ${r.exists ? 'live' : 'does not exist'} ↔ desired`;
      await vscode.commands.executeCommand('vscode.diff', left, right, title, { preview: false, preserveFocus: true });
      outcome.diffs.push(title);
    }

    const buttons: string[] = [];
    if (plan.plan.canApply && plan.plan.hasChanges) buttons.push(APPLY);
    if (adoptable) buttons.push(ADOPT_AND_APPLY);
    if (buttons.length === 0) {
      const problems = [...plan.plan.problems, ...(plan.adopt?.problems ?? [])];
      prompter.notify('error', `UFO: this plan cannot be applied: ${[...new Set(problems)].join(' ')}`, ['Show Plan'], () => output.show(true));
      return done('blocked', problems.join('\n'));
    }

    // Without adoption the plan may be unappliable (an unmanaged role differs): then the counts are the adoption plan's.
    const onlyAdopt = !buttons.includes(APPLY);
    const counts = onlyAdopt ? adoptable! : plan.plan;
    const detail: string[] = [plan.model.description];
    if (plan.callerArn) detail.push(`As ${plan.callerArn}`);
    if (plan.endpoint) detail.push(`Endpoint ${plan.endpoint}`);
    detail.push(`Plan${onlyAdopt ? ' with adoption' : ''}: ${counts.add} to add, ${counts.change} to change, ${counts.remove} to remove (${counts.words}).`);
    // Each role's access lines are the server's (the same as `ufo-iam plan` prints): what the change grants and takes away.
    for (const r of plan.roles) detail.push(`• ${r.roleName} (${r.logicalId}): ${statusWords(r)}`, ...r.access.map((l) => `    ${l}`));
    if (adoptable) {
      const unmanaged = plan.roles.filter((r) => r.exists && !r.managed).map((r) => r.roleName);
      detail.push(
        `${unmanaged.join(' and ')} ${unmanaged.length === 1 ? 'exists' : 'exist'} without the managed-by=ufo-iam tag; ufo-iam never changes such a role unless you adopt it. ` +
          `"${ADOPT_AND_APPLY}" tags ${unmanaged.length === 1 ? 'it' : 'them'} and applies: ${adoptable.words}.`,
      );
    }
    if (plan.accessNote && plan.roles.some((r) => r.access.length > 0)) detail.push(`Access: ${plan.accessNote}`);
    detail.push(...plan.model.notes, ...plan.warnings, ...plan.notes);
    detail.push('The diff editors show each role\'s live JSON beside the desired JSON. Roles are never deleted.');
    const answer = await prompter.ask(
      'warning',
      `${onlyAdopt ? 'Adopt and apply' : 'Apply'} ${plural(counts.total, 'IAM change')} to ${whose} ${changing.join(' and ')} in AWS ${where}?`,
      detail.join('\n'),
      buttons,
    );
    if (answer !== APPLY && answer !== ADOPT_AND_APPLY) return done('cancelled');
    const adopt = answer === ADOPT_AND_APPLY;
    outcome.adopted = adopt;

    const applied = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `UFO: applying IAM roles to ${where}`, cancellable: false },
      async (progress) => {
        onProgress = (p) => {
          if (p.planId !== plan.planId) return;
          outcome.progress.push(`${p.state}: ${p.message}`);
          if (p.state === 'started') {
            output.info(p.message);
            progress.report({ message: p.message });
          } else if (p.state === 'succeeded') {
            progress.report({ increment: 100 / Math.max(1, p.total) });
          } else {
            output.error(`${p.message} failed`);
          }
        };
        try {
          return await client.sendRequest<ApplyRolesRequest.Result>(ApplyRolesRequest.method, { planId: plan.planId, adopt });
        } finally {
          onProgress = undefined;
        }
      },
    );

    output.info(applied.message);
    switch (applied.status) {
      case 'applied':
        if (plan.model.target === 'stack') {
          // UFO points the task definition at its own roles; the next `ufo ship` sets the same content.
          prompter.notify('information', `UFO: applied ${plural(applied.done.length, 'change')} to ${whose} ${changing.join(' and ')} in ${where}. The next \`ufo ship\` deploys the same content.`);
        } else {
          prompter.notify(
            'information',
            `UFO: applied ${plural(applied.done.length, 'change')} to ${whose} ${changing.join(' and ')} in ${where}. Point the task definition at these roles?`,
            [UPDATE_ARNS],
            () => vscode.commands.executeCommand(UPDATE_ARNS_COMMAND, vscode.Uri.file(plan.root)),
          );
        }
        break;
      case 'noChanges':
        prompter.notify('information', `UFO: no changes. The IAM roles in ${where} already match the role files.`);
        break;
      case 'failed': {
        const f = applied.failed;
        const summary = f ? `Apply stopped at "${f.step}" (${f.code}).` : 'Apply stopped.';
        const remaining = applied.remaining.length ? ` ${plural(applied.remaining.length, 'step')} not done.` : '';
        await prompter.ask('error', `UFO: ${summary}${remaining}`, applied.message, []);
        break;
      }
      case 'stale':
        prompter.notify('warning', `UFO: ${applied.message}`, ['Plan Again'], () => vscode.commands.executeCommand(APPLY_COMMAND, vscode.Uri.file(plan.root)));
        break;
      default:
        prompter.notify('error', `UFO: ${applied.message}`, ['Show Output'], () => output.show(true));
    }
    return done(applied.status, applied.message);
  }
}
