// `ufoIam/applyRoles`: applies a plan kept by `ufoIam/planRoles` (planRoles.ts), with one `ufoIam/applyProgress`
// notification per step. Only the plan the user saw is applied; an expired or unknown plan id is refused.
import type { AwsSession } from '../aws';
import type { ApplyRolesRequest } from '../lsp/protocol';
import { awsErrorResult, type AwsRequests } from './awsContext';

export const APPLY_FAILED: ApplyRolesRequest.Result = {
  status: 'error',
  message: 'The apply failed unexpectedly; see the UFO IAM output channel. Plan again to see what, if anything, was changed.',
  done: [],
  remaining: [],
  roles: [],
};

export async function provideApply(requests: AwsRequests, params: ApplyRolesRequest.Params): Promise<ApplyRolesRequest.Result> {
  const none = { done: [], remaining: [], roles: [] };
  const kept = requests.kept(params?.planId);
  if (!kept) {
    return { status: 'expired', message: 'This plan is no longer known (it is too old, or the language server restarted). Plan again.', ...none };
  }
  if (requests.applying) {
    return { status: 'refused', message: 'Another apply is running; wait for it to finish, then plan again.', ...none };
  }
  const plan = params.adopt === true && kept.adoptPlan ? kept.adoptPlan : kept.plan;
  const roles = plan.roles.map((r) => ({ logicalId: r.logicalId, roleName: r.roleName }));
  const where = { ...(plan.account ? { account: plan.account } : {}), ...(plan.region ? { region: plan.region } : {}) };
  const aws = requests.load();
  let session: AwsSession | undefined;
  requests.applying = true;
  try {
    session = await aws.openAwsSession(kept.awsOptions);
    const result = await aws.applyPlan(plan, session, {
      onProgress: (p) =>
        requests.deps.sendProgress({ planId: params.planId, index: p.index, total: p.total, state: p.state, message: p.message }),
    });
    // A refused plan may still be confirmed with adoption; any other outcome needs a fresh plan.
    if (result.status !== 'refused') requests.forget(params.planId);
    requests.deps.log(`apply ${params.planId}: ${result.status} (${result.done.length} done, ${result.remaining.length} remaining)`);
    const failed = result.failed;
    return {
      status: result.status,
      message: session.redact(result.message),
      done: result.done.map((s) => s.description),
      remaining: result.remaining.map((s) => s.description),
      ...(failed
        ? {
            failed: {
              step: failed.step.description,
              operation: failed.error.operation,
              code: failed.error.code,
              explanation: session.redact(failed.error.explanation),
              ...(failed.error.details.missingPermission ? { missingPermission: failed.error.details.missingPermission } : {}),
            },
          }
        : {}),
      roles,
      ...where,
    };
  } catch (e) {
    const err = awsErrorResult(e, session);
    return {
      status: 'error',
      message: `Nothing was applied: ${err.message}`,
      done: [],
      remaining: plan.steps.map((s) => s.description),
      roles,
      ...where,
    };
  } finally {
    requests.applying = false;
    session?.close();
  }
}
