// The plan: what `apply` would change to make the live IAM roles match the compiled ones.
// Desired state = the `TaskRole`/`ExecutionRole` resources UFO builds (docs/ufo-semantics.md §6); live state = IAM.
// A plan is plain data (JSON-serialisable): the VS Code client shows its per-role live ↔ desired JSON in a
// diff editor and its counts in a confirmation, and `applyPlan` executes its `steps` and nothing else.
// Each role also carries its access diff (docs/apply.md, "What the change grants"): what the desired role allows that
// the live one does not, and what it takes away, computed here once for the CLI and the editor alike.
import {
  EMPTY_ACCESS_REPORT,
  NO_PERMISSIONS,
  NOT_CONSIDERED,
  accessDiff,
  accessNote,
  accessReport,
  checkRoleName,
  effectivePermissions,
  fromPlain,
  roleStatements,
  type AccessReport,
  type CMap,
  type IamKnowledge,
  type LogicalId,
} from '../core';
import { readDesiredRole, type DesiredRoleInput, type DesiredRoleState, type PlanProblem } from './desiredRole';
import { readLiveRole, type LiveRole } from './liveRole';
import { alignKeys, jsonEqual, prettyJson, type Json } from './policyJson';
import type { AwsSession, Tag } from './session';

export type { DesiredRoleInput, PlanProblem, LiveRole, Json };

/** The tag that marks a role as ours. Roles without it are never modified unless adopted. */
export const MANAGED_TAG: Tag = { Key: 'managed-by', Value: 'ufo-iam' };

/**
 * A problem found before planning that makes the desired state untrustworthy: a syntax error, a DSL call
 * with the wrong number of arguments, a value that cannot be resolved statically. Plans made with
 * blockers show the diff but can never be applied.
 */
export interface Blocker {
  code: string;
  message: string;
  file?: string;
  /** 1-based. */
  line?: number;
  /** 1-based. */
  column?: number;
}

/**
 * Which roles the plan changes (docs/apply.md). `stack`: the TaskRole and ExecutionRole resources of UFO's deployed
 * CloudFormation stack, found by their logical ids (DescribeStackResources): `roleName` of each input is then filled in
 * from the stack, and the roles are never created, tagged or adopted (the stack owns them). `precreated`: roles
 * ufo-iam creates under the names of the role name template and tags `managed-by=ufo-iam`.
 */
export type PlanModel =
  | { kind: 'stack'; stackName: string; /** How the stack name was found, for the plan's header. */ how: string }
  | { kind: 'precreated'; /** The folder the role files came from. */ folder: string; nameTemplate: string };

export interface PlanInput {
  model: PlanModel;
  roles: DesiredRoleInput[];
  /**
   * Everything that forbids applying (syntax, arity, unresolved dynamic values, partial roles). Required
   * on purpose: a caller must say `[]` to claim the desired state is complete.
   */
  blockers: readonly Blocker[];
  /** Take over roles that exist without our tag (and tag them). Default false. */
  adopt?: boolean;
  /**
   * The IAM data the roles' access diff is computed with (project/planProject.ts gives the process's). Without it the
   * roles carry no `access` (apply's re-check of the live state needs none). Never echoed in `Plan.input`.
   */
  iam?: IamKnowledge;
}

interface StepBase {
  /** Stable and unique within a plan, e.g. `putPolicy:demo-web-dev-TaskRole:EcsExec`. */
  id: string;
  logicalId: LogicalId;
  roleName: string;
  /** One human sentence, used for progress notifications and the text plan. */
  description: string;
}
export type PlanStep =
  | (StepBase & { kind: 'createRole'; trustPolicy: Json; tags: Tag[] })
  | (StepBase & { kind: 'tagRole'; tags: Tag[] })
  | (StepBase & { kind: 'updateTrustPolicy'; before: Json; after: Json })
  | (StepBase & { kind: 'putPolicy'; policyName: string; document: Json; before: Json | null })
  | (StepBase & { kind: 'attachPolicy'; policyArn: string })
  | (StepBase & { kind: 'detachPolicy'; policyArn: string })
  | (StepBase & { kind: 'deletePolicy'; policyName: string; before: Json });
export type StepKind = PlanStep['kind'];
/** A step before its id and description are derived (Omit distributed over the union). */
type StepFields = PlanStep extends infer S ? (S extends PlanStep ? Omit<S, 'id' | 'description'> : never) : never;

/**
 * The order apply runs steps in, across all roles: create first (then adopt-tag and trust policy, which
 * need the role), then put and attach before detach and delete, so a role never loses a permission it
 * keeps in the desired state while the apply is half done.
 */
export const STEP_ORDER: readonly StepKind[] = ['createRole', 'tagRole', 'updateTrustPolicy', 'putPolicy', 'attachPolicy', 'detachPolicy', 'deletePolicy'];

/** The role as a CloudFormation-shaped JSON object, so live and desired line up in a diff editor. */
export interface RoleView {
  RoleName: string;
  AssumeRolePolicyDocument: unknown;
  Policies: Array<{ PolicyName: string; PolicyDocument: unknown }>;
  ManagedPolicyArns: string[];
  Tags: Tag[];
}

export type RoleStatus = 'create' | 'update' | 'unchanged' | 'blocked' | 'invalid';

/** Who owns a role: CloudFormation (a resource of UFO's stack) or ufo-iam (a pre-created role it made or adopted). */
export type RoleOwner = 'cloudformation' | 'ufo-iam';

export interface RolePlan {
  logicalId: LogicalId;
  roleName: string;
  file?: string;
  /** create/update/unchanged; `blocked` = exists without our tag and not adopted; `invalid` = the desired role has errors. */
  status: RoleStatus;
  owner: RoleOwner;
  exists: boolean;
  /** Whether the live role carries MANAGED_TAG. */
  managed: boolean;
  arn?: string;
  live: RoleView | null;
  desired: RoleView | null;
  /** Pretty JSON of `live` and `desired` for a diff editor; `live` is "" when the role does not exist. */
  diff: { live: string; desired: string };
  /** The steps apply runs for this role (a subset of Plan.steps). */
  steps: PlanStep[];
  /** Steps that would be needed but are not allowed (status `blocked`). */
  blockedSteps: PlanStep[];
  /**
   * What the desired role allows that the live one does not (`added`; everything for a role to create), what it takes
   * away (`removed`), and what it allows on other resources or conditions (`changed`), with the summary lines. Absent
   * for an `invalid` role and when the plan was made without IAM data.
   */
  access?: AccessReport;
}

/** What every access diff of a plan was computed with, and what it leaves out. */
export interface PlanAccessNote {
  notConsidered: string;
  dataDate: string;
  managedPoliciesDate: string;
  /** Both in one sentence, as the text plan and the Apply modal print it. */
  note: string;
}

export interface PlanCounts {
  createRole: number;
  tagRole: number;
  updateTrustPolicy: number;
  putPolicy: number;
  attachPolicy: number;
  detachPolicy: number;
  deletePolicy: number;
  total: number;
  /** Terraform-style summary: created roles, new inline policies, attachments. */
  add: number;
  /** Trust policy updates, changed inline policies, adoption tags. */
  change: number;
  /** Deleted inline policies and detachments. */
  remove: number;
}

export interface Plan {
  formatVersion: 1;
  createdAt: string;
  /** Which roles this plan changes, and why these. */
  model: PlanModel;
  /** What the user must know about the model before applying (e.g. that CloudFormation reports drift until the next `ufo ship`). */
  notes: string[];
  account?: string;
  callerArn?: string;
  region?: string;
  endpoint?: string;
  adopt: boolean;
  roles: RolePlan[];
  /** Everything apply will do, in order. */
  steps: PlanStep[];
  counts: PlanCounts;
  /** Problems that forbid applying this plan. */
  errors: PlanProblem[];
  warnings: PlanProblem[];
  blockers: Blocker[];
  hasChanges: boolean;
  /** No errors and no blockers. */
  canApply: boolean;
  /** What the plan was made from, so apply can re-check the live state before changing anything. */
  input: PlanInput;
  /** Present when the roles carry their access diff. */
  access?: PlanAccessNote;
}

const stepDescription = (s: StepFields): string => {
  switch (s.kind) {
    case 'createRole':
      return `Create role ${s.roleName} (${s.logicalId}) with the trust policy and tag ${MANAGED_TAG.Key}=${MANAGED_TAG.Value}`;
    case 'tagRole':
      return `Adopt role ${s.roleName}: tag it ${s.tags.map((t) => `${t.Key}=${t.Value}`).join(', ')}`;
    case 'updateTrustPolicy':
      return `Update the trust policy of role ${s.roleName}`;
    case 'putPolicy':
      return `${s.before === null ? 'Add' : 'Update'} inline policy "${s.policyName}" on role ${s.roleName}`;
    case 'attachPolicy':
      return `Attach managed policy ${s.policyArn} to role ${s.roleName}`;
    case 'detachPolicy':
      return `Detach managed policy ${s.policyArn} from role ${s.roleName}`;
    case 'deletePolicy':
      return `Delete inline policy "${s.policyName}" from role ${s.roleName}`;
  }
};

function step<S extends StepFields>(s: S): S & { id: string; description: string } {
  const key = 'policyName' in s ? s.policyName : 'policyArn' in s ? s.policyArn : undefined;
  return { ...s, id: [s.kind, s.roleName, ...(key !== undefined ? [key] : [])].join(':'), description: stepDescription(s) };
}

const hasManagedTag = (tags: readonly Tag[]): boolean => tags.some((t) => t.Key === MANAGED_TAG.Key && t.Value === MANAGED_TAG.Value);

/** Compares one desired role with its live state. Pure. */
export function diffRole(desired: DesiredRoleState, live: LiveRole | null, adopt: boolean, owner: RoleOwner = 'ufo-iam'): { steps: PlanStep[]; blocked: boolean } {
  const base = { logicalId: desired.logicalId, roleName: desired.roleName };
  const steps: PlanStep[] = [];
  if (live === null) {
    // A stack's role that does not exist is reported by planRoles; ufo-iam never creates one.
    if (owner === 'cloudformation') return { steps, blocked: true };
    steps.push(step({ ...base, kind: 'createRole', trustPolicy: desired.trustPolicy, tags: [MANAGED_TAG] }));
    for (const p of desired.inlinePolicies) steps.push(step({ ...base, kind: 'putPolicy', policyName: p.name, document: p.document, before: null }));
    for (const arn of desired.managedPolicyArns) steps.push(step({ ...base, kind: 'attachPolicy', policyArn: arn }));
    return { steps, blocked: false };
  }
  // The stack's roles belong to the project through its stack: no tag, no adoption.
  const managed = owner === 'cloudformation' || hasManagedTag(live.tags);
  if (!managed && adopt) steps.push(step({ ...base, kind: 'tagRole', tags: [MANAGED_TAG] }));
  if (!jsonEqual(live.trustPolicy, desired.trustPolicy)) {
    steps.push(step({ ...base, kind: 'updateTrustPolicy', before: live.trustPolicy, after: desired.trustPolicy }));
  }
  const liveInline = new Map(live.inlinePolicies.map((p) => [p.name, p.document]));
  for (const p of desired.inlinePolicies) {
    const before = liveInline.get(p.name);
    if (before === undefined || !jsonEqual(before, p.document)) {
      steps.push(step({ ...base, kind: 'putPolicy', policyName: p.name, document: p.document, before: before ?? null }));
    }
  }
  const liveArns = new Set(live.managedPolicies.map((p) => p.arn));
  for (const arn of desired.managedPolicyArns) if (!liveArns.has(arn)) steps.push(step({ ...base, kind: 'attachPolicy', policyArn: arn }));
  const desiredArns = new Set(desired.managedPolicyArns);
  for (const p of live.managedPolicies) if (!desiredArns.has(p.arn)) steps.push(step({ ...base, kind: 'detachPolicy', policyArn: p.arn }));
  const desiredNames = new Set(desired.inlinePolicies.map((p) => p.name));
  for (const p of live.inlinePolicies) {
    if (!desiredNames.has(p.name)) steps.push(step({ ...base, kind: 'deletePolicy', policyName: p.name, before: p.document }));
  }
  return { steps, blocked: !managed && !adopt && steps.length > 0 };
}

/** Sorts steps into apply order: by kind (STEP_ORDER), then by role order, then as diffRole produced them. */
export function orderSteps(steps: readonly PlanStep[], roleOrder: readonly string[]): PlanStep[] {
  return steps
    .map((s, i) => ({ s, i }))
    .sort(
      (a, b) =>
        STEP_ORDER.indexOf(a.s.kind) - STEP_ORDER.indexOf(b.s.kind) ||
        roleOrder.indexOf(a.s.roleName) - roleOrder.indexOf(b.s.roleName) ||
        a.i - b.i,
    )
    .map(({ s }) => s);
}

export function countSteps(steps: readonly PlanStep[]): PlanCounts {
  const c: PlanCounts = {
    createRole: 0,
    tagRole: 0,
    updateTrustPolicy: 0,
    putPolicy: 0,
    attachPolicy: 0,
    detachPolicy: 0,
    deletePolicy: 0,
    total: steps.length,
    add: 0,
    change: 0,
    remove: 0,
  };
  for (const s of steps) {
    c[s.kind]++;
    if (s.kind === 'createRole' || s.kind === 'attachPolicy' || (s.kind === 'putPolicy' && s.before === null)) c.add++;
    else if (s.kind === 'detachPolicy' || s.kind === 'deletePolicy') c.remove++;
    else c.change++;
  }
  return c;
}

function liveView(live: LiveRole, desired: RoleView | null): RoleView {
  // Live policies follow the desired order where names match, so the diff lines up; extras go last.
  const order = (name: string, list: string[]): number => {
    const i = list.indexOf(name);
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  const desiredNames = desired?.Policies.map((p) => p.PolicyName) ?? [];
  const desiredArns = desired?.ManagedPolicyArns ?? [];
  const policies = [...live.inlinePolicies].sort((a, b) => order(a.name, desiredNames) - order(b.name, desiredNames));
  const arns = live.managedPolicies.map((p) => p.arn).sort((a, b) => order(a, desiredArns) - order(b, desiredArns));
  return {
    RoleName: live.roleName,
    AssumeRolePolicyDocument: alignKeys(live.trustPolicy, desired?.AssumeRolePolicyDocument),
    Policies: policies.map((p) => ({
      PolicyName: p.name,
      PolicyDocument: alignKeys(p.document, desired?.Policies.find((d) => d.PolicyName === p.name)?.PolicyDocument),
    })),
    ManagedPolicyArns: arns,
    Tags: live.tags,
  };
}

/** The desired view comes from the raw resource, so an invalid role (e.g. duplicate names) still shows what was compiled. */
function desiredView(input: DesiredRoleInput, live: LiveRole | null, owner: RoleOwner): RoleView | null {
  const r = fromPlain(input.resource);
  const props = r instanceof Map ? r.get('Properties') : undefined;
  if (!(props instanceof Map)) return null;
  const tags = live ? [...live.tags] : [];
  if (owner === 'ufo-iam' && !hasManagedTag(tags)) tags.push(MANAGED_TAG);
  const policies = props.get('Policies');
  const arns = props.get('ManagedPolicyArns');
  return {
    RoleName: input.roleName,
    AssumeRolePolicyDocument: props.get('AssumeRolePolicyDocument'),
    Policies: Array.isArray(policies)
      ? policies.map((p) => ({ PolicyName: p instanceof Map ? String(p.get('PolicyName')) : '', PolicyDocument: p instanceof Map ? p.get('PolicyDocument') : undefined }))
      : [],
    ManagedPolicyArns: Array.isArray(arns) ? arns.filter((a): a is string => typeof a === 'string') : [],
    Tags: tags,
  };
}

/** The statements a RoleView's policies hold, as `roleStatements` reads a compiled role. */
function viewPermissions(view: RoleView | null, iam: IamKnowledge) {
  if (!view) return NO_PERMISSIONS;
  const resource = fromPlain({ Type: 'AWS::IAM::Role', Properties: { Policies: view.Policies, ManagedPolicyArns: view.ManagedPolicyArns } }) as CMap;
  return effectivePermissions(roleStatements(resource, iam), iam);
}

/** The access diff live → desired; two views with the same policies need no evaluation. */
export function roleAccess(live: RoleView | null, desired: RoleView | null, iam: IamKnowledge): AccessReport {
  const policiesOf = (v: RoleView | null) => (v ? { Policies: v.Policies, ManagedPolicyArns: v.ManagedPolicyArns } : null);
  if (jsonEqual(policiesOf(live), policiesOf(desired))) return EMPTY_ACCESS_REPORT;
  return accessReport(accessDiff(viewPermissions(live, iam), viewPermissions(desired, iam)), { before: 'live', after: 'desired' });
}

export interface PlanOptions {
  /** Skip STS GetCallerIdentity (the account is then absent from the plan). */
  skipIdentity?: boolean;
}

/**
 * Reads the live state of every role and computes the changes. Throws AwsOperationError when IAM
 * cannot be read (the message says what to do); everything about the desired state is reported in
 * `errors`/`warnings` instead.
 */
export async function planRoles(input: PlanInput, session: AwsSession, options: PlanOptions = {}): Promise<Plan> {
  const adopt = input.adopt ?? false;
  const errors: PlanProblem[] = [];
  const warnings: PlanProblem[] = [];
  const roles: RolePlan[] = [];

  const identity = options.skipIdentity ? undefined : await session.identity();
  const model = input.model;
  const owner: RoleOwner = model.kind === 'stack' ? 'cloudformation' : 'ufo-iam';
  const notes: string[] = [];
  // The stack target: the physical names of the stack's role resources (CloudFormation named them `<stack>-TaskRole-<RANDOM>`).
  const stackRoles = new Map<string, string>();
  const missingInStack = new Set<string>();
  if (model.kind === 'stack') {
    // Without a stack name (a blocker says why) there is nothing to ask CloudFormation.
    const resources = model.stackName ? await session.cloudformation.stackResources(model.stackName) : [];
    if (resources === undefined) {
      errors.push({
        code: 'STACK_NOT_FOUND',
        message:
          `No stack named ${model.stackName} in ${session.region} (the name comes from ${model.how}). Deploy the app with \`ufo ship\` first, ` +
          `or name the stack with ufoIam.stack / --stack NAME (and the region with ufoIam.aws.region / --region).`,
      });
    } else {
      for (const res of resources) if (res.type === 'AWS::IAM::Role' && (res.logicalId === 'TaskRole' || res.logicalId === 'ExecutionRole')) stackRoles.set(res.logicalId, res.physicalId);
      for (const logicalId of ['TaskRole', 'ExecutionRole'] as const) {
        if (stackRoles.has(logicalId) && !input.roles.some((r) => r.logicalId === logicalId)) {
          warnings.push({
            code: 'STACK_ROLE_NOT_BUILT',
            message: `Stack ${model.stackName} has a ${logicalId} (${stackRoles.get(logicalId)}), but the role files no longer build one: the next \`ufo ship\` deletes it. ufo-iam leaves it as it is.`,
            logicalId,
            roleName: stackRoles.get(logicalId),
          });
        }
      }
    }
    notes.push(
      `These roles are resources of the CloudFormation stack ${model.stackName}: ufo-iam changes their policies in IAM directly, and the next \`ufo ship\` ` +
        `sets the same content from the same role files. Until then, CloudFormation drift detection reports the roles as modified.`,
    );
  } else {
    notes.push(
      `Pre-created roles: ufo-iam creates and names them (${model.nameTemplate}) from ${model.folder}/, which UFO never reads; ` +
        `\`ufo-iam arns\` (or "UFO: Update Task Definition ARNs") writes their ARNs into the task-definition template, and UFO deploys the task with exactly those.`,
    );
  }
  const roleInputs: DesiredRoleInput[] = input.roles.map((r) => {
    if (model.kind !== 'stack') return r;
    const physical = stackRoles.get(r.logicalId);
    if (physical === undefined) missingInStack.add(r.logicalId);
    return { ...r, roleName: physical ?? `${model.stackName}-${r.logicalId}-(not deployed)` };
  });

  // IAM role names are unique without regard to case.
  const byName = new Map<string, DesiredRoleInput>();
  for (const r of roleInputs) {
    const other = byName.get(r.roleName.toLowerCase());
    if (other) {
      errors.push({
        code: 'DUPLICATE_ROLE_NAME',
        message: `${other.logicalId} and ${r.logicalId} would both be named ${r.roleName}; include {logicalId} in the role name template.`,
        logicalId: r.logicalId,
        roleName: r.roleName,
      });
    }
    byName.set(r.roleName.toLowerCase(), r);
  }

  for (const r of roleInputs) {
    const notInStack = missingInStack.has(r.logicalId);
    const nameProblem = notInStack ? undefined : checkRoleName(r.roleName);
    const read = readDesiredRole(r);
    errors.push(...read.errors);
    warnings.push(...read.warnings);
    if (nameProblem) errors.push({ code: 'INVALID_ROLE_NAME', message: nameProblem, logicalId: r.logicalId, roleName: r.roleName });
    if (notInStack && model.kind === 'stack' && model.stackName && errors.every((e) => e.code !== 'STACK_NOT_FOUND')) {
      errors.push({
        code: 'STACK_ROLE_NOT_FOUND',
        message:
          `Stack ${model.stackName} has no ${r.logicalId} resource: UFO adds it when ${r.file ?? 'the role file'} builds a role, at the next \`ufo ship\`. ` +
          `Deploy first; ufo-iam never creates a stack's role.`,
        logicalId: r.logicalId,
      });
    }

    const live = nameProblem || notInStack ? null : await readLiveRole(session.iam, r.roleName);
    if (model.kind === 'stack' && !notInStack && live === null) {
      errors.push({
        code: 'STACK_ROLE_NOT_FOUND',
        message: `Stack ${model.stackName} names ${r.roleName} as its ${r.logicalId}, but IAM has no such role (deleted outside CloudFormation?). Run \`ufo ship\` to recreate it.`,
        logicalId: r.logicalId,
        roleName: r.roleName,
      });
    }
    const desired = desiredView(r, live, owner);
    const lv = live ? liveView(live, desired) : null;
    const base: Omit<RolePlan, 'status' | 'steps' | 'blockedSteps'> = {
      logicalId: r.logicalId,
      roleName: r.roleName,
      ...(r.file ? { file: r.file } : {}),
      owner,
      exists: live !== null,
      managed: live !== null && (owner === 'cloudformation' || hasManagedTag(live.tags)),
      ...(live ? { arn: live.arn } : {}),
      live: lv,
      desired,
      diff: { live: lv ? prettyJson(lv) : '', desired: desired ? prettyJson(desired) : '' },
    };
    if (!read.state || nameProblem || (owner === 'cloudformation' && live === null)) {
      roles.push({ ...base, status: 'invalid', steps: [], blockedSteps: [] });
      continue;
    }
    if (input.iam) base.access = roleAccess(lv, desired, input.iam);
    const { steps, blocked } = diffRole(read.state, live, adopt, owner);
    if (blocked) {
      errors.push({
        code: 'UNMANAGED_ROLE',
        message:
          `Role ${r.roleName} exists but has no ${MANAGED_TAG.Key}=${MANAGED_TAG.Value} tag, so ufo-iam will not change it. ` +
          `If this project should own it, plan and apply again with adoption (--adopt, or "Adopt" in VS Code); ufo-iam then tags it.`,
        logicalId: r.logicalId,
        roleName: r.roleName,
      });
      // What adoption would do, tag included, so the user can judge before choosing it.
      roles.push({ ...base, status: 'blocked', steps: [], blockedSteps: diffRole(read.state, live, true).steps });
      continue;
    }
    if (live && !base.managed && !adopt) {
      warnings.push({
        code: 'UNMANAGED_ROLE_MATCHES',
        message: `Role ${r.roleName} exists without the ${MANAGED_TAG.Key}=${MANAGED_TAG.Value} tag; it already matches, so nothing is changed.`,
        logicalId: r.logicalId,
        roleName: r.roleName,
      });
    }
    roles.push({ ...base, status: live === null ? 'create' : steps.length > 0 ? 'update' : 'unchanged', steps, blockedSteps: [] });
  }

  const steps = orderSteps(
    roles.flatMap((r) => r.steps),
    roles.map((r) => r.roleName),
  );
  const blockers = [...input.blockers];
  return {
    formatVersion: 1,
    createdAt: new Date().toISOString(),
    model,
    notes,
    ...(identity ? { account: identity.account, callerArn: identity.arn } : {}),
    region: session.region,
    ...(session.endpoint ? { endpoint: session.endpoint } : {}),
    adopt,
    roles,
    steps,
    counts: countSteps(steps),
    errors,
    warnings,
    blockers,
    hasChanges: steps.length > 0,
    canApply: errors.length === 0 && blockers.length === 0,
    input: { model, roles: input.roles, blockers, adopt },
    ...(input.iam
      ? {
          access: {
            notConsidered: NOT_CONSIDERED,
            dataDate: input.iam.provenance.dataDate,
            managedPoliciesDate: input.iam.provenance.managedPoliciesDate,
            note: accessNote(input.iam.provenance),
          },
        }
      : {}),
  };
}
