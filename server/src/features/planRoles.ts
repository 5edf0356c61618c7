// `ufoIam/planRoles`: plans the project's roles against IAM and keeps the plan for `ufoIam/applyRoles`
// (applyRoles.ts). The project is prepared by project/planProject.ts, as for `ufo-iam plan`; plans are made from the
// role files on disk, which is what UFO deploys: when an open editor holds text that differs from its file, the plan
// is refused (UNSAVED) and the client offers to save.
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AwsSession, Plan, RolePlan } from '../aws';
import type { PlanCountsSummary, PlanRolesRequest } from '../lsp/protocol';
import { planInputFor, TargetChoiceError, type ProjectPlanInput } from '../project/planProject';
import { awsOptionsOf } from '../settings';
import { awsErrorResult, errorText, type AwsRequests } from './awsContext';

/** What the guard answers when the handler throws (a bug; the log has the stack). */
export const PLAN_FAILED: PlanRolesRequest.Result = {
  kind: 'error',
  code: 'INTERNAL_ERROR',
  message: 'The plan failed unexpectedly; see the UFO IAM output channel. Nothing was changed.',
};

function countsSummary(plan: Plan, words: (c: Plan['counts']) => string): PlanCountsSummary {
  const { total, add, change, remove, ...byKind } = plan.counts;
  return {
    total,
    add,
    change,
    remove,
    byKind,
    words: words(plan.counts),
    hasChanges: plan.hasChanges,
    canApply: plan.canApply,
    problems: [...plan.blockers.map((b) => b.message), ...plan.errors.map((e) => e.message)],
  };
}

export async function providePlan(requests: AwsRequests, params: PlanRolesRequest.Params): Promise<PlanRolesRequest.Result> {
  const opened = await requests.projectOf(params.uri);
  if (!opened) return { kind: 'refused', code: 'NOT_A_PROJECT', message: 'This is not part of a UFO project (no .ufo folder above it).' };
  const { project, settings } = opened;
  const root = project.root;
  const unsaved = requests.unsavedFiles(root);
  if (unsaved.length > 0) {
    const names = unsaved.map((u) => path.relative(root, fileURLToPath(u))).join(', ');
    return {
      kind: 'refused',
      code: 'UNSAVED',
      root,
      unsaved,
      message: `${names} ${unsaved.length === 1 ? 'has' : 'have'} unsaved changes. Plans are made from the saved role files, which is what UFO deploys: save first.`,
    };
  }
  let prepared: ProjectPlanInput;
  try {
    prepared = planInputFor(project, params.target ? { target: params.target } : {});
  } catch (e) {
    // Never a silent choice between the stack's roles and pre-created ones: the client asks and sends `target`.
    if (e instanceof TargetChoiceError) return { kind: 'refused', code: 'NEEDS_TARGET', root, message: e.message };
    return { kind: 'refused', code: 'NOT_A_PROJECT', root, message: errorText(e) };
  }
  const fileUri = (rel: string | undefined): string | undefined => (rel ? pathToFileURL(path.resolve(prepared.root, rel)).href : undefined);
  const { blockers } = prepared.input;
  if (blockers.length > 0) {
    const at = (b: (typeof blockers)[number]): string => (b.file ? `${b.file}${b.line ? `:${b.line}${b.column ? `:${b.column}` : ''}` : ''}: ` : '');
    return {
      kind: 'refused',
      code: 'BLOCKED',
      root: prepared.root,
      message:
        `Nothing can be applied until ${blockers.length === 1 ? 'this problem is' : `these ${blockers.length} problems are`} fixed:\n` +
        blockers.map((b) => `  - ${at(b)}${b.message} [${b.code}]`).join('\n'),
      blockers: blockers.map((b) => ({
        code: b.code,
        message: b.message,
        ...(b.file ? { fileUri: fileUri(b.file) } : {}),
        ...(b.line ? { line: b.line } : {}),
        ...(b.column ? { column: b.column } : {}),
      })),
    };
  }
  if (prepared.input.roles.length === 0) {
    return {
      kind: 'refused',
      code: 'NO_ROLES',
      root: prepared.root,
      message: 'This project builds no IAM roles: its role files make no iam_policy or managed_iam_policy calls.',
    };
  }

  const aws = requests.load();
  const awsOptions = awsOptionsOf(settings);
  let session: AwsSession | undefined;
  try {
    session = await aws.openAwsSession(awsOptions);
    const plan = await aws.planRoles(prepared.input, session);
    // The adoption plan is made up front, so the confirmation can say exactly what "Adopt and Apply" does.
    const needsAdoption = plan.roles.some((r) => r.exists && !r.managed);
    const adoptPlan = needsAdoption ? await aws.planRoles({ ...prepared.input, adopt: true }, session) : undefined;
    const planId = requests.keep({ plan, adoptPlan, awsOptions, root: prepared.root, createdAt: Date.now() });
    const adoptStepsOf = (r: RolePlan): string[] => (adoptPlan?.roles.find((a) => a.logicalId === r.logicalId)?.steps ?? r.blockedSteps).map((s) => s.description);
    requests.deps.log(`plan ${planId} for ${prepared.root}: ${plan.counts.total} change(s)${adoptPlan ? `, ${adoptPlan.counts.total} with adoption` : ''}`);
    return {
      kind: 'plan',
      planId,
      root: prepared.root,
      ufoVersion: prepared.ufoVersion,
      model: {
        target: prepared.target,
        description: aws.describeModel(plan.model),
        ...(plan.model.kind === 'stack' ? { stackName: plan.model.stackName } : { folder: plan.model.folder }),
        notes: plan.notes,
      },
      ...(plan.account ? { account: plan.account } : {}),
      ...(plan.callerArn ? { callerArn: plan.callerArn } : {}),
      ...(plan.region ? { region: plan.region } : {}),
      ...(plan.endpoint ? { endpoint: plan.endpoint } : {}),
      roles: plan.roles.map((r) => ({
        logicalId: r.logicalId,
        roleName: r.roleName,
        owner: r.owner,
        status: r.status,
        ...(r.file ? { fileUri: fileUri(r.file) } : {}),
        ...(r.arn ? { arn: r.arn } : {}),
        exists: r.exists,
        managed: r.managed,
        live: r.diff.live,
        desired: r.diff.desired,
        steps: r.steps.map((s) => s.description),
        adoptSteps: r.status === 'blocked' || (r.exists && !r.managed) ? adoptStepsOf(r) : [],
        access: r.access?.summary ?? [],
      })),
      plan: countsSummary(plan, aws.describeCounts),
      ...(adoptPlan ? { adopt: countsSummary(adoptPlan, aws.describeCounts) } : {}),
      warnings: plan.warnings.map((w) => w.message),
      notes: prepared.notes,
      text: session.redact(aws.renderPlanText(plan)),
      ...(plan.access ? { accessNote: plan.access.note } : {}),
    };
  } catch (e) {
    return awsErrorResult(e, session);
  } finally {
    session?.close();
  }
}
