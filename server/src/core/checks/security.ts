// Security findings (Access Analyzer's SECURITY_WARNING type → Warning, with "Security:" in the message,
// docs/checks.md). One finding per action entry: the broadest applicable finding wins, so `*` on `*`
// is not also reported as a PassRole and a privilege-escalation finding.
import type { Finding } from '../findings';
import type { IamKnowledge } from '../iam/iamKnowledge';
import { createWildcardMatcher, hasWildcard } from '../iam/wildcard';
import type { StringValue, Value } from '../model/values';
import type { Code } from './rules';
import type { CallCheckContext, CallRef, CheckFamily } from './index';
import { effectOf, entryKey, keySpan, listItems, literalStrings, type StatementRef } from './statements';

export const PASS_ROLE = 'iam:PassRole';

/**
 * Actions that let a principal grant itself more permissions when allowed on every resource (the Rhino
 * Security Labs list that Parliament's PRIVILEGE_ESCALATION and policy_sentry's privilege-escalation.txt use).
 * iam:PassRole has its own findings.
 */
export const ESCALATION_ACTIONS = [
  'iam:AddUserToGroup',
  'iam:AttachGroupPolicy',
  'iam:AttachRolePolicy',
  'iam:AttachUserPolicy',
  'iam:CreateAccessKey',
  'iam:CreateLoginProfile',
  'iam:CreatePolicyVersion',
  'iam:PutGroupPolicy',
  'iam:PutRolePolicy',
  'iam:PutUserPolicy',
  'iam:SetDefaultPolicyVersion',
  'iam:UpdateAssumeRolePolicy',
  'iam:UpdateLoginProfile',
  'glue:UpdateDevEndpoint',
  'lambda:UpdateFunctionCode',
  'lambda:UpdateFunctionConfiguration',
  'sts:AssumeRole',
];

/** Whether a resource means "every role": `*`, or a role ARN whose account and name are wildcards. */
function isStarResource(r: string): boolean {
  return r === '*' || /^arn:[^:]*:iam::[^:]*:(role\/)?\*$/.test(r);
}

function hasPassedToService(s: StatementRef): boolean {
  const c = s.elements.get('Condition')?.value;
  if (!c) return false;
  if (c.kind !== 'hash') return true; // Computed or malformed: cannot decide, so do not claim it is missing.
  for (const op of c.entries) {
    if (op.value.kind !== 'hash') {
      if (op.value.kind === 'dynamic') return true;
      continue;
    }
    for (const k of op.value.entries) {
      const key = entryKey(k);
      if (key === undefined || key.toLowerCase() === 'iam:passedtoservice') return true;
    }
  }
  return false;
}

export const securityChecks: CheckFamily = { call: checkSecurity };

function checkSecurity(ref: CallRef, ctx: CallCheckContext): Finding[] {
  const out: Finding[] = [];
  for (const s of ref.statements) {
    if (effectOf(s) !== 'Allow') continue;
    const flagged = new Set<Value>();
    broadAccess(s, ctx, flagged, out);
    passRole(s, ctx, flagged, out);
    if (ctx.roleType === 'task_role' && ctx.iam) escalation(s, ctx, ctx.iam, flagged, out);
  }
  return out;
}

function stringsOf(s: StatementRef, element: string, ctx: CallCheckContext): { strings: StringValue[]; complete: boolean } | undefined {
  const e = s.elements.get(element);
  if (!e) return undefined;
  const items = listItems(e.value, ctx.version);
  return items ? literalStrings(items) : { strings: [], complete: false };
}

function broadAccess(s: StatementRef, ctx: CallCheckContext, flagged: Set<Value>, out: Finding[]): void {
  const actions = stringsOf(s, 'Action', ctx);
  const resources = stringsOf(s, 'Resource', ctx);
  if (!actions || !resources || !resources.strings.some((r) => r.value === '*')) return;
  for (const a of actions.strings) {
    if (a.value === '*' || a.value === '*:*') {
      flagged.add(a);
      out.push({
        code: 'FULL_ACCESS',
        span: a.span,
        message: `Security: "${a.value}" on Resource "*" allows every AWS action on everything: administrator access for anything running in the task. List the actions it needs.`,
      });
    } else if (/^[a-z0-9-]+:\*$/i.test(a.value) && !s.elements.has('Condition')) {
      flagged.add(a);
      out.push({
        code: 'FULL_SERVICE_ACCESS',
        span: a.span,
        message: `Security: "${a.value}" on Resource "*" allows every ${a.value.slice(0, -2)} action on every resource. List the actions it needs, or limit Resource or add a Condition.`,
      });
    }
  }
}

function passRole(s: StatementRef, ctx: CallCheckContext, flagged: Set<Value>, out: Finding[]): void {
  if (hasPassedToService(s)) return;
  const resources = stringsOf(s, 'Resource', ctx);
  const notResource = s.elements.get('NotResource');
  const starResource = resources?.strings.some((r) => isStarResource(r.value)) ?? false;
  if (!starResource && !notResource) return;
  const actions = stringsOf(s, 'Action', ctx);
  if (actions) {
    for (const a of actions.strings) {
      if (flagged.has(a) || !createWildcardMatcher(a.value)(PASS_ROLE)) continue;
      const star = hasWildcard(a.value);
      const code: Code = notResource
        ? star
          ? 'PASS_ROLE_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE'
          : 'PASS_ROLE_WITH_NOT_RESOURCE'
        : star
          ? 'PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE'
          : 'PASS_ROLE_WITH_STAR_IN_RESOURCE';
      flagged.add(a);
      out.push({
        code,
        span: a.span,
        message: `Security: ${star ? `"${a.value}" includes iam:PassRole and ` : 'iam:PassRole '}${notResource ? 'with NotResource lets' : 'on every role lets'} the task hand any role${notResource ? ' but the listed ones' : ''} to any AWS service. List the role ARNs in Resource, or add an iam:PassedToService condition.`,
        data: { statement: s.value.span.start },
      });
    }
    return;
  }
  // NotAction: PassRole is allowed unless some entry excludes it.
  const notAction = s.elements.get('NotAction');
  const excluded = stringsOf(s, 'NotAction', ctx);
  if (!notAction || !excluded || !excluded.complete) return;
  if (excluded.strings.some((a) => createWildcardMatcher(a.value)(PASS_ROLE))) return;
  out.push({
    code: notResource ? 'PASS_ROLE_WITH_NOT_ACTION_AND_NOT_RESOURCE' : 'PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION',
    span: keySpan(notAction),
    message: `Security: this NotAction does not exclude iam:PassRole, so the statement lets the task hand ${notResource ? 'any role but the listed ones' : 'any role'} to any AWS service. Exclude iam:PassRole, or add an iam:PassedToService condition.`,
    data: { statement: s.value.span.start },
  });
}

function escalation(s: StatementRef, ctx: CallCheckContext, iam: IamKnowledge, flagged: Set<Value>, out: Finding[]): void {
  const resources = stringsOf(s, 'Resource', ctx);
  const actions = stringsOf(s, 'Action', ctx);
  if (!actions || !resources || !resources.strings.some((r) => r.value === '*')) return;
  for (const a of actions.strings) {
    if (flagged.has(a)) continue;
    const matches = createWildcardMatcher(a.value);
    const hits = ESCALATION_ACTIONS.filter((x) => matches(x) && iam.findAction(x));
    if (hits.length === 0) continue;
    flagged.add(a);
    out.push({
      code: 'PRIVILEGE_ESCALATION',
      span: a.span,
      message: `Security: ${hits.length === 1 && hits[0].toLowerCase() === a.value.toLowerCase() ? hits[0] : `"${a.value}" includes ${hits.slice(0, 4).join(', ')}${hits.length > 4 ? ', ...' : ''}, which`} on Resource "*" lets code in the task grant itself more permissions. Limit Resource to the ARNs it must change.`,
    });
  }
}
