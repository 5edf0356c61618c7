// `ufoIam.compareWithAws` ("UFO: Compare with AWS"): drift in the editor. It plans the project's roles with the same
// request as Apply (`requestPlan` of applyRoles.ts: unsaved role files saved first if the user agrees, the target asked
// when the project does not decide it), never applies, and opens one diff per role whose live state differs from the
// role files (live ↔ role files, the plan's own JSON), or says that the roles are in sync. AWS is reached only when
// the command runs, or on saving a role file when `ufoIam.drift.checkOnSave` is on (then only a warning is shown).
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { PlanRolesRequest, type ApplyTarget } from '../../../server/src/lsp/protocol';
import { APPLY_COMMAND, Prompter, refuseUntrusted, requestPlan, resolveProjectUri, type PromptRecord } from './applyRoles';

export const COMPARE_COMMAND = 'ufoIam.compareWithAws';
const DRIFT_SCHEME = 'ufo-iam-drift';
/** Role files of both layouts and of the default pre-created folder (the ones the client's document selector covers). */
const ROLE_FILE = /\/\.ufo\/(?:iam_roles|resources\/iam_roles|precreated_iam_roles)\/(?:[^/]+\/)?[^/]+\.rb$/;

export interface CompareOutcome {
  /** inSync, drifted, cannotCompare, error, refused, cancelled, unsaved, untrusted, notAProject. */
  status: string;
  message?: string;
  target?: ApplyTarget;
  /** The titles of the diff editors opened. */
  diffs: string[];
  roles?: Array<{ logicalId: string; roleName: string; drifted: boolean }>;
  prompts: PromptRecord[];
}

type Plan = Extract<PlanRolesRequest.Result, { kind: 'plan' }>;

/** The roles whose live state differs from the role files: the plan would change them (or would with adoption). */
export function driftedRoles(plan: Plan): PlanRolesRequest.Role[] {
  return plan.roles.filter((r) => r.status !== 'invalid' && (r.steps.length > 0 || r.adoptSteps.length > 0));
}

/** Read-only documents with the live and desired JSON of the last comparisons. */
class DriftDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();

  set(planId: string, name: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: DRIFT_SCHEME, path: `/${planId}/${name}` });
    this.texts.set(uri.toString(), text);
    while (this.texts.size > 16) this.texts.delete(this.texts.keys().next().value!);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '// This comparison is no longer kept; run "UFO: Compare with AWS" again.\n';
  }
}

export function registerCompareWithAws(context: vscode.ExtensionContext, client: LanguageClient, output: vscode.LogOutputChannel): void {
  const testMode = context.extensionMode === vscode.ExtensionMode.Test;
  const documents = new DriftDocuments();
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(DRIFT_SCHEME, documents),
    vscode.commands.registerCommand(COMPARE_COMMAND, (arg?: unknown) => compare(arg)),
    vscode.workspace.onDidSaveTextDocument((doc) => void checkOnSave(doc)),
  );

  async function compare(arg: unknown): Promise<CompareOutcome> {
    const prompter = new Prompter(testMode, output);
    const outcome: CompareOutcome = { status: 'cancelled', diffs: [], prompts: prompter.records };
    const done = (status: string, message?: string): CompareOutcome => Object.assign(outcome, { status, ...(message ? { message } : {}) });
    // The workspace's settings choose the AWS profile, endpoint and role names: as for Apply, not in Restricted Mode.
    if (refuseUntrusted(prompter, 'comparing with AWS')) return done('untrusted');
    const target = await resolveProjectUri(arg);
    if (!target) {
      prompter.notify('information', 'UFO: open a file of a UFO project (a folder with .ufo/) to compare its roles with AWS.');
      return done('notAProject');
    }
    const planned = await requestPlan(client, prompter, target, 'UFO: comparing the role files with IAM (read-only)…');
    const result = planned.result;
    if (planned.status) return done(planned.status, result?.kind === 'refused' ? result.message : undefined);
    if (!result) return done('error');
    if (result.kind === 'error') {
      output.error(`Compare with AWS failed: ${result.message}`);
      prompter.notify('error', `UFO: could not read the roles from IAM. ${result.message}`, ['Show Output'], () => output.show(true));
      return done('error', result.message);
    }
    if (result.kind === 'refused') {
      output.warn(result.message);
      const first = result.blockers?.find((b) => b.fileUri);
      prompter.notify(result.code === 'BLOCKED' ? 'error' : 'information', `UFO: ${result.message}`, first ? ['Go to Problem'] : [], async () => {
        const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(first!.fileUri!));
        const at = new vscode.Position(Math.max(0, (first!.line ?? 1) - 1), Math.max(0, (first!.column ?? 1) - 1));
        await vscode.window.showTextDocument(doc, { selection: new vscode.Range(at, at) });
      });
      return done('refused', result.message);
    }

    const plan = result;
    const drifted = driftedRoles(plan);
    Object.assign(outcome, { target: plan.model.target, roles: plan.roles.map((r) => ({ logicalId: r.logicalId, roleName: r.roleName, drifted: drifted.includes(r) })) });
    output.info(`Compare with AWS for ${plan.root}:\n${plan.text}`);
    const where = `account ${plan.account ?? '(unknown)'}, region ${plan.region ?? '(default)'}`;
    const problems = [...new Set([...plan.plan.problems])];
    for (const r of drifted) {
      const left = documents.set(plan.planId, `${r.roleName}.live.json`, r.live || '{}\n');
      const right = documents.set(plan.planId, `${r.roleName}.role-files.json`, r.desired);
      const title = `${r.owner === 'cloudformation' ? 'stack role ' : ''}${r.roleName} (${r.logicalId}): ${r.exists ? 'live' : 'does not exist'} ↔ role files`;
      await vscode.commands.executeCommand('vscode.diff', left, right, title, { preview: false, preserveFocus: true });
      outcome.diffs.push(title);
    }
    if (drifted.length === 0) {
      if (problems.length > 0 && plan.roles.every((r) => r.status === 'invalid')) {
        prompter.notify('error', `UFO: the roles could not be compared: ${problems.join(' ')}`, ['Show Output'], () => output.show(true));
        return done('cannotCompare', problems.join('\n'));
      }
      prompter.notify('information', `UFO: in sync. ${plan.model.description}: the live roles in ${where} match the role files.${problems.length ? ` Not compared: ${problems.join(' ')}` : ''}`);
      return done('inSync');
    }
    const names = drifted.map((r) => r.roleName).join(' and ');
    const fix = plan.model.target === 'stack' ? '"Apply IAM Roles…" (or the next `ufo ship`) makes them match' : '"Apply IAM Roles…" makes them match';
    prompter.notify('warning', `UFO: drifted: ${names} ${drifted.length === 1 ? 'differs' : 'differ'} from the role files in ${where}; ${fix}. Nothing was changed.${problems.length ? ` Also: ${problems.join(' ')}` : ''}`, ['Apply IAM Roles…'], () =>
      vscode.commands.executeCommand(APPLY_COMMAND, target),
    );
    return done('drifted');
  }

  /** `ufoIam.drift.checkOnSave`: after saving a role file, plans quietly and warns when the live roles differ. */
  async function checkOnSave(doc: vscode.TextDocument): Promise<void> {
    if (doc.uri.scheme !== 'file' || !ROLE_FILE.test(doc.uri.path) || !vscode.workspace.isTrusted) return;
    if (!vscode.workspace.getConfiguration('ufoIam', doc.uri).get<boolean>('drift.checkOnSave', false)) return;
    let result: PlanRolesRequest.Result;
    try {
      result = await client.sendRequest<PlanRolesRequest.Result>(PlanRolesRequest.method, { uri: doc.uri.toString() });
    } catch (e) {
      output.warn(`Drift check on save failed: ${String(e)}`);
      return;
    }
    // A refusal (unsaved files, errors in a role file, no target) or an AWS error is not drift: logged, not shown.
    if (result.kind !== 'plan') {
      output.info(`Drift check on save of ${vscode.workspace.asRelativePath(doc.uri)} not made: ${result.message}`);
      return;
    }
    const drifted = driftedRoles(result);
    if (drifted.length === 0) return;
    const answer = await vscode.window.showWarningMessage(
      `UFO: ${drifted.map((r) => r.roleName).join(' and ')} in AWS ${drifted.length === 1 ? 'differs' : 'differ'} from the saved role files.`,
      'Compare with AWS',
    );
    if (answer) await vscode.commands.executeCommand(COMPARE_COMMAND, doc.uri);
  }
}
