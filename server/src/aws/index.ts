// Entry points of the AWS edge for the VS Code client and the CLI. Importing this module does not load
// the AWS SDK: only `openAwsSession` does, when called (the SDK takes about 200 ms to load).
//
// Typical flow (the VS Code command "Apply roles"):
//   const session = await openAwsSession({ profile, region, endpoint });
//   const plan = await planRoles({ roles, blockers, adopt }, session);   // show plan.roles[i].diff, plan.counts, plan.account
//   const result = await applyPlan(plan, session, { onProgress });       // one notification per event
//   session.close();
export { openAwsSession, type AwsOptions, type AwsSession, type CallerIdentity } from './session';
export {
  planRoles,
  diffRole,
  MANAGED_TAG,
  STEP_ORDER,
  type Plan,
  type PlanInput,
  type PlanModel,
  type RoleOwner,
  type PlanStep,
  type PlanCounts,
  type RolePlan,
  type RoleView,
  type Blocker,
  type DesiredRoleInput,
  type PlanProblem,
} from './plan';
export { applyPlan, type ApplyResult, type ApplyProgress, type ApplyOptions, type ApplyStatus } from './apply';
export { renderPlanText, renderPlanJson, renderApplyText, describeCounts, describeModel, changedRoles } from './renderPlan';
export { AwsOperationError } from './awsErrors';
export { readRoleForImport, type ReadRoleResult } from './readRole';
export { type LiveRole } from './liveRole';
