// Apply: executes a plan's steps, in order, and nothing else. It first re-reads the live state and
// refuses if the steps would differ (someone changed IAM since the plan), stops at the first failure and
// reports what was done and what remains. Throttling and 5xx are retried by the SDK's retry strategy.
import { AwsOperationError, explainAwsError } from './awsErrors';
import { planRoles, type Plan, type PlanStep } from './plan';
import { canonicalJson, encodePolicyDocument } from './policyJson';
import type { AwsSession } from './session';

export interface ApplyProgress {
  step: PlanStep;
  /** 0-based position in the plan's steps. */
  index: number;
  total: number;
  state: 'started' | 'succeeded' | 'failed';
  /** A ready-to-show line, e.g. "[2/5] Attach managed policy … to role …". */
  message: string;
}

export type ApplyStatus = 'applied' | 'noChanges' | 'failed' | 'refused' | 'stale';

export interface ApplyResult {
  status: ApplyStatus;
  /** Steps that succeeded, in order. */
  done: PlanStep[];
  /** Steps not done: the failed one first, then the ones never started (also every step when refused or stale). */
  remaining: PlanStep[];
  failed?: { step: PlanStep; error: AwsOperationError };
  /** A short summary for people (no credentials, ever). */
  message: string;
  /** The fresh plan that did not match, when status is `stale`. */
  currentPlan?: Plan;
}

export interface ApplyOptions {
  onProgress?: (event: ApplyProgress) => void;
  /** Re-read the live state and refuse if the plan is out of date (default true). */
  verify?: boolean;
}

/** Runs one step against IAM. */
async function runStep(session: AwsSession, s: PlanStep): Promise<void> {
  const iam = session.iam;
  switch (s.kind) {
    case 'createRole':
      await iam.createRole(s.roleName, encodePolicyDocument(s.trustPolicy), s.tags);
      return;
    case 'tagRole':
      await iam.tagRole(s.roleName, s.tags);
      return;
    case 'updateTrustPolicy':
      await iam.updateAssumeRolePolicy(s.roleName, encodePolicyDocument(s.after));
      return;
    case 'putPolicy':
      await iam.putRolePolicy(s.roleName, s.policyName, encodePolicyDocument(s.document));
      return;
    case 'attachPolicy':
      await iam.attachRolePolicy(s.roleName, s.policyArn);
      return;
    case 'detachPolicy':
      await iam.detachRolePolicy(s.roleName, s.policyArn);
      return;
    case 'deletePolicy':
      await iam.deleteRolePolicy(s.roleName, s.policyName);
      return;
  }
}

const listSteps = (steps: readonly PlanStep[]): string => steps.map((s) => `  - ${s.description}`).join('\n');

/** The steps as plain data, minus what may legitimately differ between two plans of the same change. */
const stepsKey = (steps: readonly PlanStep[]): string => canonicalJson(steps);

export async function applyPlan(plan: Plan, session: AwsSession, options: ApplyOptions = {}): Promise<ApplyResult> {
  if (!plan.canApply) {
    const reasons = [
      ...plan.blockers.map((b) => `${b.file ? `${b.file}${b.line ? `:${b.line}${b.column ? `:${b.column}` : ''}` : ''}: ` : ''}${b.message}`),
      ...plan.errors.map((e) => e.message),
    ];
    return {
      status: 'refused',
      done: [],
      remaining: [...plan.steps],
      message: `Nothing was applied: the plan has ${reasons.length} problem${reasons.length === 1 ? '' : 's'} to fix first:\n${reasons.map((r) => `  - ${r}`).join('\n')}`,
    };
  }
  if (options.verify ?? true) {
    const current = await planRoles(plan.input, session, { skipIdentity: true });
    if (!current.canApply || stepsKey(current.steps) !== stepsKey(plan.steps)) {
      return {
        status: 'stale',
        done: [],
        remaining: [...plan.steps],
        currentPlan: current,
        message: 'Nothing was applied: the roles in IAM changed since the plan was made. Review the new plan and apply again.',
      };
    }
  }
  if (plan.steps.length === 0) {
    return { status: 'noChanges', done: [], remaining: [], message: 'No changes. The IAM roles already match the configuration.' };
  }

  const done: PlanStep[] = [];
  const total = plan.steps.length;
  const progress = (index: number, state: ApplyProgress['state'], s: PlanStep, extra = ''): void =>
    options.onProgress?.({ step: s, index, total, state, message: session.redact(`[${index + 1}/${total}] ${s.description}${extra}`) });

  for (let i = 0; i < total; i++) {
    const s = plan.steps[i];
    progress(i, 'started', s);
    try {
      await runStep(session, s);
    } catch (e) {
      // Session calls always throw AwsOperationError; anything else is a bug, still reported without secrets.
      const error =
        e instanceof AwsOperationError
          ? e
          : explainAwsError(new Error(session.redact(String((e as Error)?.message ?? e))), { operation: s.kind, service: 'iam', roleName: s.roleName }, []);
      progress(i, 'failed', s, `: ${error.code}`);
      const remaining = plan.steps.slice(i);
      return {
        status: 'failed',
        done,
        remaining,
        failed: { step: s, error },
        message: session.redact(
          `Apply stopped at step ${i + 1} of ${total}: ${s.description}.\n${error.message}\n` +
            (done.length ? `Done (${done.length}):\n${listSteps(done)}\n` : 'Nothing was changed before the failure.\n') +
            `Not done (${remaining.length}):\n${listSteps(remaining)}\n` +
            `Fix the cause and run apply again; it plans afresh and does only what remains.`,
        ),
      };
    }
    done.push(s);
    progress(i, 'succeeded', s);
  }
  return {
    status: 'applied',
    done,
    remaining: [],
    message: `Applied ${total} change${total === 1 ? '' : 's'}:\n${listSteps(done)}`,
  };
}
