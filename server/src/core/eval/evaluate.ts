// The offline evaluator of identity-based policies (docs/evaluation.md), after AWS's "Policy evaluation logic"
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html) restricted to one
// principal's identity-based policies: an explicit Deny overrides any Allow, else an Allow allows, else the request is
// implicitly denied. A statement applies when its Action/NotAction, Resource/NotResource and Condition all match
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html,
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html). Everything is
// three-valued: what depends on a context key the request does not give, on a deploy-time value, on a call UFO may
// not run or on a policy document ufo-iam does not have is unknown, and the decision is `conditional` unless a
// definite outcome decides it anyway.
import { Unknown, type CValue } from '../compile/cvalue';
import { createWildcardMatcher, hasWildcard } from '../iam/wildcard';
import { arnMatches, evaluateCondition, isDynamicText, normalizeContext, resolveVariables, triAnd, valueList, type NormalizedContext } from './conditions';
import type { Decision, EvalRequest, EvalResult, EvalStatement, StatementResult, Tri } from './types';

/** What the answer leaves out; every adapter prints it with the decision. */
export const NOT_CONSIDERED =
  'Only the role\'s identity-based policies are evaluated: service control policies (SCPs), resource control policies, permissions boundaries, session policies and resource-based policies are not part of this answer.';

function effectOf(statement: CValue | undefined): 'Allow' | 'Deny' | 'unknown' | undefined {
  if (!(statement instanceof Map)) return statement instanceof Unknown ? 'unknown' : undefined;
  const e = statement.get('Effect');
  if (e === 'Allow' || e === 'Deny') return e;
  if (e instanceof Unknown || (typeof e === 'string' && isDynamicText(e))) return 'unknown';
  return undefined;
}

/**
 * A statement's Action or NotAction patterns, prepared once per statement (a statement is evaluated for many actions
 * when a role's effective permissions are listed, and AWS's managed policies have hundreds of patterns): each
 * pattern's matcher, filed under its service prefix when that part has no wildcard, since such a pattern can only
 * match actions of that service. The first matching pattern in the statement's order is the one reported.
 */
interface ActionPatterns {
  readonly element: 'Action' | 'NotAction' | undefined;
  readonly values: (string | undefined)[] | 'invalid';
  readonly byService: Map<string, { readonly i: number; readonly test: (lower: string) => boolean }[]>;
  readonly anyService: { readonly i: number; readonly test: (lower: string) => boolean }[];
}

const patternsCache = new WeakMap<Map<string, CValue>, ActionPatterns>();

function actionPatternsOf(statement: Map<string, CValue>): ActionPatterns {
  const cached = patternsCache.get(statement);
  if (cached) return cached;
  const element = statement.has('Action') ? 'Action' : statement.has('NotAction') ? 'NotAction' : undefined;
  const values = element ? valueList(statement.get(element)!) : 'invalid';
  const byService: ActionPatterns['byService'] = new Map();
  const anyService: ActionPatterns['anyService'] = [];
  if (values !== 'invalid') {
    values.forEach((p, i) => {
      if (p === undefined) return;
      const lower = p.toLowerCase();
      const entry = { i, test: createWildcardMatcher(lower, { caseSensitive: true }) };
      const colon = lower.indexOf(':');
      const service = colon > 0 ? lower.slice(0, colon) : undefined;
      if (service === undefined || hasWildcard(service)) anyService.push(entry);
      else {
        let list = byService.get(service);
        if (!list) byService.set(service, (list = []));
        list.push(entry);
      }
    });
  }
  const prepared = { element, values, byService, anyService } as const;
  patternsCache.set(statement, prepared);
  return prepared;
}

/** The first of the statement's patterns (in its order) that matches the action, or undefined. */
function firstMatch(patterns: ActionPatterns, action: string): string | undefined {
  if (patterns.values === 'invalid') return undefined;
  const lower = action.toLowerCase();
  const colon = lower.indexOf(':');
  let best = -1;
  for (const m of (colon > 0 ? patterns.byService.get(lower.slice(0, colon)) : undefined) ?? []) {
    if (m.test(lower)) {
      best = m.i;
      break;
    }
  }
  for (const m of patterns.anyService) {
    if (best >= 0 && m.i > best) break;
    if (m.test(lower)) {
      best = m.i;
      break;
    }
  }
  return best >= 0 ? patterns.values[best] : undefined;
}

function matchAction(statement: Map<string, CValue>, action: string): { applies: Tri; reason: string } {
  const patterns = actionPatternsOf(statement);
  const { element, values } = patterns;
  const positive = element === 'Action';
  if (!element) return { applies: false, reason: 'no Action or NotAction: IAM rejects the statement' };
  if (values === 'invalid') return { applies: false, reason: `${element} is not a list of actions: IAM rejects the statement` };
  const hit = firstMatch(patterns, action);
  const unknown = values.includes(undefined);
  if (hit !== undefined) return positive ? { applies: true, reason: `Action ${hit} matches ${action}` } : { applies: false, reason: `NotAction ${hit} excludes ${action}` };
  if (unknown) return { applies: 'unknown', reason: `${element} has values computed at deploy time` };
  return positive ? { applies: false, reason: `Action does not match ${action}` } : { applies: true, reason: `NotAction does not list ${action}, so it applies` };
}

/**
 * Whether the statement's Action/NotAction applies to the action (true, false, or unknown when values are computed at
 * deploy time): the only part of a statement's evaluation that depends on the action, which is what lets
 * `effectivePermissions` evaluate once for all actions that every statement treats alike.
 */
export function actionApplies(statement: CValue | undefined, action: string): Tri {
  return statement instanceof Map ? matchAction(statement, action).applies : 'unknown';
}

/** Whether one Resource pattern (variables resolved) names the resource. */
function patternMatches(pattern: string, resource: string, context: NormalizedContext): Tri | { reason: string; tri: Tri } {
  const r = resolveVariables(pattern, context);
  if ('unknown' in r) return { tri: 'unknown', reason: r.unknown };
  if ('none' in r) return false;
  if (r.literalWildcards) return { tri: 'unknown', reason: `a variable's value in ${pattern} holds * or ?, which must stay literal` };
  return arnMatches(r.text, resource);
}

/**
 * Resource/NotResource against the request's resource. Without a resource in the request, the question is "on some
 * resource": a statement whose Resource lists anything (or whose NotResource is not `*`) applies to some resource;
 * an Allow then counts, but a Deny decides only when it covers every resource (`Resource: "*"`), otherwise it is
 * unknown, because whether it applies depends on the resource.
 */
function matchResource(statement: Map<string, CValue>, effect: 'Allow' | 'Deny' | 'unknown', request: EvalRequest, context: NormalizedContext): { applies: Tri; reason: string } {
  const positive = statement.has('Resource');
  const element = positive ? 'Resource' : statement.has('NotResource') ? 'NotResource' : undefined;
  if (!element) return { applies: false, reason: 'no Resource or NotResource: IAM rejects the statement' };
  const values = valueList(statement.get(element)!);
  if (values === 'invalid') return { applies: false, reason: `${element} is not a list of ARNs: IAM rejects the statement` };
  if (request.resource === undefined) {
    const everything = values.includes('*');
    if (!positive && everything) return { applies: false, reason: 'NotResource * excludes every resource' };
    if (!positive && values.includes(undefined)) return { applies: 'unknown', reason: 'NotResource has values computed at deploy time' };
    if (positive && everything) return { applies: true, reason: 'Resource * covers every resource' };
    if (effect === 'Allow') return { applies: true, reason: `${element} ${values.map((v) => v ?? '<dynamic>').join(', ')}: applies to some resources` };
    return { applies: 'unknown', reason: `${element} ${values.map((v) => v ?? '<dynamic>').join(', ')}: applies to some resources only, so it depends on the resource` };
  }
  let unknownReason: string | undefined;
  let hit: string | undefined;
  for (const v of values) {
    if (v === undefined) {
      unknownReason ??= `${element} has values computed at deploy time`;
      continue;
    }
    const m = patternMatches(v, request.resource, context);
    const tri = typeof m === 'object' ? m.tri : m;
    if (tri === true) {
      hit = v;
      break;
    }
    if (tri === 'unknown') unknownReason ??= typeof m === 'object' ? m.reason : `${v} may name it`;
  }
  if (hit !== undefined) return positive ? { applies: true, reason: `Resource ${hit} matches ${request.resource}` } : { applies: false, reason: `NotResource ${hit} excludes ${request.resource}` };
  if (unknownReason) return { applies: 'unknown', reason: unknownReason };
  return positive ? { applies: false, reason: `Resource does not match ${request.resource}` } : { applies: true, reason: `NotResource does not list ${request.resource}, so it applies` };
}

/** Whether one statement applies to the request, and why. */
export function evaluateStatement(s: EvalStatement, request: EvalRequest, context: NormalizedContext = normalizeContext(request.context)): StatementResult {
  if (s.source.kind === 'unknownDocument') {
    return { statement: s, effect: 'unknown', applies: 'unknown', reasons: [`the document of ${s.source.arn} is unknown: ${s.source.reason}`] };
  }
  const statement = s.statement;
  const effect = effectOf(statement);
  if (!(statement instanceof Map)) {
    if (statement instanceof Unknown) return { statement: s, effect: 'unknown', applies: 'unknown', reasons: ['the statement is computed at deploy time'] };
    return { statement: s, effect: 'unknown', applies: false, reasons: ['not a statement (a map): IAM rejects it'] };
  }
  if (effect === undefined) return { statement: s, effect: 'unknown', applies: false, reasons: ['Effect is neither "Allow" nor "Deny": IAM rejects the statement'] };
  const reasons: string[] = [];
  const parts: Tri[] = [];
  if ([...statement.keys()].some(isDynamicText)) {
    parts.push('unknown');
    reasons.push('an element name is computed at deploy time');
  }
  const action = matchAction(statement, request.action);
  parts.push(action.applies);
  reasons.push(action.reason);
  if (action.applies !== false) {
    const resource = matchResource(statement, effect, request, context);
    parts.push(resource.applies);
    reasons.push(resource.reason);
    if (resource.applies !== false && statement.has('Condition')) {
      const condition = evaluateCondition(statement.get('Condition')!, context);
      parts.push(condition.holds);
      reasons.push(...condition.reasons);
    }
  }
  let applies = triAnd(parts);
  if (applies !== false && !s.certain) {
    applies = 'unknown';
    reasons.push('UFO registers this policy only when deploy-time code runs it (a conditional call)');
  }
  return { statement: s, effect, applies, reasons };
}

/**
 * Evaluates the request against a role's statements: explicit Deny, else Allow, else implicit deny, with three-valued
 * applicability. A definite Deny decides regardless of the rest. A Deny that may apply makes the answer `conditional`
 * when something may allow; when nothing may allow, the answer is `implicitDeny` (not allowed either way; the undecided
 * Deny is among `matched`). Otherwise a definite Allow allows, an Allow that may apply makes it `conditional`.
 */
export function evaluate(statements: readonly EvalStatement[], request: EvalRequest): EvalResult {
  const context = normalizeContext(request.context);
  const results = statements.map((s) => evaluateStatement(s, request, context));
  const matched = results.filter((r) => r.applies !== false);
  const denies = matched.filter((r) => r.effect === 'Deny' && r.applies === true);
  const mayDeny = matched.filter((r) => r.applies === 'unknown' ? r.effect !== 'Allow' : r.effect === 'unknown');
  const allows = matched.filter((r) => r.effect === 'Allow' && r.applies === true);
  const mayAllow = matched.filter((r) => r.applies === 'unknown' ? r.effect !== 'Deny' : r.effect === 'unknown');
  const done = (decision: Decision, deciding: StatementResult[], why: string): EvalResult => ({ decision, request, matched, deciding, why });
  if (denies.length > 0) return done('explicitDeny', denies, `an explicit Deny applies, which overrides any Allow`);
  if (mayDeny.length > 0) {
    if (allows.length > 0 || mayAllow.length > 0) {
      return done('conditional', [...mayDeny, ...allows, ...mayAllow.filter((r) => !mayDeny.includes(r))], 'a Deny may apply, depending on what is unknown, and an Allow applies or may');
    }
    return done('implicitDeny', [], 'no Allow applies (a Deny may also apply: not allowed either way)');
  }
  if (allows.length > 0) return done('allowed', allows, 'an Allow applies and no Deny does');
  if (mayAllow.length > 0) return done('conditional', mayAllow, 'an Allow may apply, depending on what is unknown, and no Deny does');
  return done('implicitDeny', [], 'no statement allows it (implicit deny)');
}
