// UFO-specific checks (docs/checks.md): managed policy names and the ARNs UFO builds from them
// (docs/ufo-semantics.md §4), inline policy names, and the quotas of the role UFO compiles from this file. The
// per-call checks look at every call as written; the role-level ones (duplicate names, sizes, counts) look at
// what UFO registers, after its de-duplication of identical calls (docs/ufo-semantics.md §3).
import type { Finding } from '../findings';
import type { IamKnowledge } from '../iam/iamKnowledge';
import type { IamPolicyCall, ManagedPolicyCall } from '../model/roleFile';
import type { StringValue } from '../model/values';
import { eqlKey, managedPolicyArn, squeeze, toCValue } from '../compile/compileRoles';
import { cmap, containsUnknown, type CValue } from '../compile/cvalue';
import { inlinePolicySize } from '../compile/preview';
import { formatCount } from '../iam/describe';
import { INLINE_POLICY_QUOTA, MANAGED_POLICY_QUOTA, MANAGED_POLICY_QUOTA_MAX as MANAGED_POLICY_HARD_LIMIT } from '../iam/policyLanguage';
import type { CallCheckContext, CallRef, CheckContext, CheckFamily } from './index';
import { callFacts } from '../model/callFacts';
import { listItems } from './statements';

/** IAM's PolicyName rule (PutRolePolicy): 1–128 of `[\w+=,.@-]`. */
const POLICY_NAME = /^[A-Za-z0-9_+=,.@-]{1,128}$/;
/** The most managed policies a role can have with a quota increase. */

/** Actions that the ECS agent performs with the execution role (image pulls, awslogs). */
const EXECUTION_ROLE_ACTIONS = new Set(
  ['ecr:GetAuthorizationToken', 'ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage', 'logs:CreateLogStream', 'logs:PutLogEvents'].map((a) =>
    a.toLowerCase(),
  ),
);
const EXECUTION_ROLE_POLICIES = new Set(['amazonecstaskexecutionrolepolicy']);

export const ufoChecks: CheckFamily = { call: checkCall, file: checkRole };

/** Each call as written: managed policy names, the inline policy's name, actions that belong to the other role. */
function checkCall(ref: CallRef, ctx: CallCheckContext): Finding[] {
  const out: Finding[] = [];
  const { call } = ref;
  if (ref.broken) return out;
  if (call.method === 'managed_iam_policy') {
    for (const n of call.names) if (n.kind === 'string' && n.closed) managedName(n, ctx, out);
  } else if (call.policyName?.kind === 'string' && !POLICY_NAME.test(call.policyName.value)) {
    const name = call.policyName.value;
    out.push({
      code: 'INVALID_POLICY_NAME',
      span: call.policyName.span,
      message:
        name.length === 0
          ? 'An inline policy needs a name; IAM rejects an empty PolicyName.'
          : name.length > 128
            ? `Inline policy names have at most 128 characters; this one has ${name.length}.`
            : `Inline policy names may hold only letters, digits and +=,.@_- ; IAM rejects "${name}".`,
    });
  }
  roleHints(ref, ctx, out);
  return out;
}

/** The role as UFO registers it from the whole file: duplicate names, the inline size quota, the managed policy quota. */
function checkRole(ctx: CheckContext): Finding[] {
  const out: Finding[] = [];
  policyNamesAndSize(ctx, out);
  managedQuota(ctx, out);
  return out;
}

function managedName(n: StringValue, ctx: CallCheckContext, out: Finding[]): void {
  const name = n.value;
  const target = n.contentSpan;
  const arn = managedPolicyArn(name);
  if (name.startsWith('arn:') && !name.includes('iam::aws:policy')) {
    out.push({
      code: 'MANAGED_POLICY_ARN_MANGLED',
      span: n.span,
      message: `UFO keeps a value as an ARN only if it contains "iam::aws:policy", so it turns this one into ${arn}, which does not exist. managed_iam_policy cannot attach customer-managed policies; set ManagedPolicyArns through UFO's custom properties (.ufo/config/cfn/base.yml), which replaces the whole list.`,
    });
    return;
  }
  if (name.startsWith('/')) {
    const fixed = name.replace(/^\/+/, '');
    out.push({
      code: 'MANAGED_POLICY_ARN_MANGLED',
      span: n.span,
      message: `UFO prepends "arn:aws:iam::aws:policy/", so the leading slash gives ${arn}, with a double slash. Write "${fixed}".`,
      data: target ? { replacements: [fixed], target } : undefined,
    });
    return;
  }
  const iam = ctx.iam;
  if (!iam) return;
  const arnPrefix = name.includes('iam::aws:policy') ? name.slice(0, name.indexOf('iam::aws:policy') + 'iam::aws:policy/'.length) : '';
  const match = iam.findManagedPolicy(name);
  if (!match) {
    const close = iam.suggestManagedPolicies(name, 3).map((c) => arnPrefix + c);
    out.push({
      code: 'UNKNOWN_MANAGED_POLICY',
      span: n.span,
      message: `${name} is not an AWS managed policy in the data of ${iam.provenance.managedPoliciesDate}; CloudFormation fails to attach ${arn}.${close.length > 0 ? ` Did you mean ${close.join(' or ')}?` : ''}`,
      data: close.length > 0 && target ? { replacements: close, target } : undefined,
    });
    return;
  }
  const canonical = arnPrefix + match.canonical;
  if (!match.pathMatches) {
    out.push({
      code: 'MANAGED_POLICY_PATH_MISSING',
      span: n.span,
      message:
        match.givenPath === undefined
          ? `${match.policy.name} lives under the path ${match.policy.path}, so UFO builds ${arn}, which does not exist. Write "${canonical}".`
          : match.policy.path === ''
            ? `${match.policy.name} has no path; UFO builds ${arn}, which does not exist. Write "${canonical}".`
            : `${match.policy.name} lives under ${match.policy.path}, not ${match.givenPath}; UFO builds ${arn}, which does not exist. Write "${canonical}".`,
      data: target ? { replacements: [canonical], target } : undefined,
    });
  } else if (!match.exact) {
    out.push({
      code: 'UNKNOWN_MANAGED_POLICY',
      span: n.span,
      severity: 'warning',
      message: `AWS spells this policy ${match.canonical}; write it so, since UFO builds the ARN from the name as written.`,
      data: target ? { replacements: [canonical], target } : undefined,
    });
  }
  if (match.policy.retired) {
    out.push({
      code: 'RETIRED_MANAGED_POLICY',
      span: n.span,
      message: `${match.policy.name} is no longer in AWS's list of managed policies (data of ${iam.provenance.managedPoliciesDate}); attaching it may fail. Pick a current policy.`,
    });
  } else if (match.policy.deprecated) {
    out.push({
      code: 'DEPRECATED_MANAGED_POLICY',
      span: n.span,
      message: `AWS has deprecated ${match.policy.name}: ${match.policy.description}`,
    });
  }
  if (ctx.roleType === 'task_role' && EXECUTION_ROLE_POLICIES.has(match.policy.name.toLowerCase())) {
    out.push({
      code: 'ROLE_TYPE_HINT',
      span: n.span,
      message: `${match.policy.name} lets the ECS agent pull images and write logs; that is the execution role's job (execution_role.rb), not the task role's.`,
    });
  }
}

function roleHints(ref: CallRef, ctx: CallCheckContext, out: Finding[]): void {
  if (!ctx.roleType) return;
  for (const s of ref.statements) {
    const e = s.elements.get('Action');
    if (!e) continue;
    for (const v of listItems(e.value, ctx.version) ?? []) {
      if (v.kind !== 'string') continue;
      const lower = v.value.toLowerCase();
      if (ctx.roleType === 'task_role' && EXECUTION_ROLE_ACTIONS.has(lower)) {
        out.push({
          code: 'ROLE_TYPE_HINT',
          span: v.span,
          message: `${v.value} is usually the execution role's: the ECS agent ${lower.startsWith('ecr:') ? 'pulls the image' : 'writes awslogs output'} with execution_role.rb. Keep it here only if your own code (or FireLens) calls it.`,
        });
      } else if (ctx.roleType === 'execution_role' && lower.startsWith('ssmmessages:')) {
        out.push({
          code: 'ROLE_TYPE_HINT',
          span: v.span,
          message: `${v.value} is for ECS Exec, which runs with the task role: move it to task_role.rb (UFO's v6 starter puts EcsExecuteCommand there).`,
        });
      }
    }
  }
}

/**
 * The inline policies UFO registers from this file, in order, with the first call of each: UFO's registry is a
 * Set of [name, statements] (docs/ufo-semantics.md §3). Statements are compared only between calls of the same name.
 */
function registeredPolicies(ctx: CheckContext): IamPolicyCall[] {
  const byName = new Map<string, IamPolicyCall[]>();
  const out: IamPolicyCall[] = [];
  for (const call of ctx.analysis.model.calls) {
    if (call.method !== 'iam_policy' || !call.registers || !call.policyName) continue;
    const name = eqlKey(call.policyName);
    const same = byName.get(name);
    if (!same) {
      byName.set(name, [call]);
      out.push(call);
      continue;
    }
    const key = statementsKey(call);
    if (same.some((c) => statementsKey(c) === key)) continue;
    same.push(call);
    out.push(call);
  }
  return out;
}

function statementsKey(call: IamPolicyCall): string {
  const facts = callFacts(call);
  return (facts.statementsKey ??= `[${call.statements.map(eqlKey).join(',')}]`);
}

/** The non-whitespace characters the call's policy adds to the role's inline policies; undefined when unknown. */
function inlineSizeOf(call: IamPolicyCall, version: CheckContext['version']): number | undefined {
  const facts = callFacts(call);
  facts.inlineSize ??= new Map();
  if (facts.inlineSize.has(version)) return facts.inlineSize.get(version);
  const document = documentOf(call, version);
  const size = containsUnknown(document) ? undefined : inlinePolicySize(cmap([['Properties', cmap([['Policies', [cmap([['PolicyDocument', document]])]]])]]));
  facts.inlineSize.set(version, size);
  return size;
}

/** The policy document UFO writes for a call (statements as values, after the squeezer). */
function documentOf(call: IamPolicyCall, version: CheckContext['version']): CValue {
  return squeeze(
    cmap([
      ['Version', '2012-10-17'],
      ['Statement', call.statements.map((s) => toCValue(s, version))],
    ]),
    version,
  );
}

function policyNamesAndSize(ctx: CheckContext, out: Finding[]): void {
  const policies = registeredPolicies(ctx);
  const byName = new Map<string, IamPolicyCall>();
  for (const call of policies) {
    const name = call.policyName;
    if (name?.kind !== 'string') continue;
    const first = byName.get(name.value);
    if (!first) {
      byName.set(name.value, call);
      continue;
    }
    // A call UFO may not run cannot be said to collide.
    if (first.conditional || call.conditional) continue;
    out.push({
      code: 'DUPLICATE_POLICY_NAME',
      span: name.span,
      message: `Another iam_policy of this role is named "${name.value}" with different statements (line ${lineOf(ctx, first.nameSpan.start)}). UFO emits both and CloudFormation rejects two policies with one PolicyName. Rename one, or merge the statements into one call.`,
    });
  }
  // IAM counts the documents' non-whitespace characters; the total is the sum over the policies. A policy UFO
  // may not register, or one with values computed at deploy time, makes the total unknown: then silence.
  let size = 0;
  for (const call of policies) {
    if (call.conditional) return;
    const own = inlineSizeOf(call, ctx.version);
    if (own === undefined) return;
    size += own;
    if (size <= INLINE_POLICY_QUOTA) continue;
    // Only a lower bound is known past this point if a later policy is partial; it is over the quota either way.
    out.push({
      code: 'POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA',
      span: call.policyName!.span,
      message: `With this policy, the role's inline policies total ${formatCount(size)} non-whitespace characters, over IAM's ${formatCount(INLINE_POLICY_QUOTA)} per role; IAM rejects it (LimitExceeded). Shorten the statements (wildcards, fewer Sids) or use managed policies.`,
    });
    return;
  }
}

function lineOf(ctx: CheckContext, byte: number): number {
  return ctx.analysis.lineIndex.positionOfByte(byte).line + 1;
}

function managedQuota(ctx: CheckContext, out: Finding[]): void {
  const seen = new Set<string>();
  for (const call of ctx.analysis.model.calls) {
    if (call.method !== 'managed_iam_policy' || call.conditional) continue;
    for (const n of (call as ManagedPolicyCall).names) {
      const key = n.kind === 'string' ? `s${n.value}` : n.kind === 'dynamic' ? `d${n.source}` : undefined;
      if (key === undefined || seen.has(key)) continue;
      seen.add(key);
      if (seen.size === MANAGED_POLICY_QUOTA + 1 || seen.size === MANAGED_POLICY_HARD_LIMIT + 1) {
        const hard = seen.size > MANAGED_POLICY_HARD_LIMIT;
        // Report the highest limit crossed only: the 21st replaces the 11th.
        if (hard) {
          const i = out.findIndex((f) => f.code === 'MANAGED_POLICY_QUOTA');
          if (i >= 0) out.splice(i, 1);
        }
        out.push({
          code: 'MANAGED_POLICY_QUOTA',
          span: n.span,
          severity: hard ? 'error' : undefined,
          message: hard
            ? `This is managed policy ${seen.size} of this role; IAM allows at most ${MANAGED_POLICY_HARD_LIMIT} per role even with a quota increase. Combine policies or move permissions into inline policies.`
            : `This is managed policy ${seen.size} of this role; IAM allows ${MANAGED_POLICY_QUOTA} per role unless the account's quota was raised (up to ${MANAGED_POLICY_HARD_LIMIT}). The deploy fails with LimitExceeded otherwise.`,
        });
      }
    }
  }
}
