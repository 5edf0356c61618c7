// A role's effective permissions (docs/evaluation.md, "Effective permissions"): every action of the IAM data its
// statements allow, by service and access level, each with the Resource patterns of the statements that allow it,
// whether the answer depends on something unknown, and its sources; the actions a Deny takes away; and the policies
// whose documents are unknown. Every answer comes from `evaluate`: this file only chooses which actions to ask about
// (those a statement's Action or NotAction can reach in the IAM data) and which statements can matter to each (the
// others cannot apply, so leaving them out changes no answer).
import { Unknown, type CValue } from '../compile/cvalue';
import { compareAccessLevels as compareLevels, type ActionSummary, type IamKnowledge } from '../iam/iamKnowledge';
import { isDynamicText, valueList } from './conditions';
import { actionApplies, evaluate } from './evaluate';
import type { ContextEntry, EvalStatement, StatementResult } from './types';

export interface EffectiveAction {
  /** `service:Name` as the IAM data spells it. */
  readonly action: string;
  readonly service: string;
  readonly accessLevel: string;
  /**
   * The Resource patterns of the statements that allow (or deny) it, in order, unique; a NotResource pattern is
   * written `NotResource <pattern>`, a value computed at deploy time `<dynamic>`.
   */
  readonly resources: readonly string[];
  /** True when the decision is `conditional`: a Condition, a deploy-time value or a conditional call decides. */
  readonly conditional: boolean;
  /** The statements that allow it (for a denied action: the Deny statements that apply). */
  readonly statements: readonly EvalStatement[];
}

export interface EffectivePermissions {
  /** Allowed or conditional actions, by service, then access level (the hover's order), then name. */
  readonly allowed: readonly EffectiveAction[];
  /** Actions an explicit Deny applies to (among those the statements name or allow), in the same order. */
  readonly denied: readonly EffectiveAction[];
  /**
   * Statements that are unknown as a whole: attached policies whose document the IAM data does not have (customer
   * managed, unknown, computed at deploy time) and `iam_policy` calls whose arguments a splat supplies. They may allow
   * or deny anything, so they are reported and not evaluated (else every action would be "conditional").
   */
  readonly unknown: readonly EvalStatement[];
}

export interface EffectiveOptions {
  /** The request context (docs/evaluation.md); keys not given make the conditions testing them unknown. */
  readonly context?: Readonly<Record<string, ContextEntry>>;
}

/** What a statement's Action/NotAction can reach: some actions of the IAM data, every action, or, when a value is computed at deploy time, possibly any action (`dynamic`). */
type Reach = { readonly kind: 'some'; readonly actions: readonly ActionSummary[] } | { readonly kind: 'all' } | { readonly kind: 'dynamic' } | { readonly kind: 'none' };

function effectOf(statement: Map<string, CValue>): 'Allow' | 'Deny' | 'unknown' | undefined {
  const e = statement.get('Effect');
  if (e === 'Allow' || e === 'Deny') return e;
  if (e instanceof Unknown || (typeof e === 'string' && isDynamicText(e))) return 'unknown';
  return undefined;
}

/** What each statement reaches, per IAM data (statements of managed policies are the same objects on every call). */
const reaches = new WeakMap<IamKnowledge, WeakMap<Map<string, CValue>, Reach>>();

function reachOf(statement: Map<string, CValue>, iam: IamKnowledge): Reach {
  let known = reaches.get(iam);
  if (!known) reaches.set(iam, (known = new WeakMap()));
  let reach = known.get(statement);
  if (!reach) known.set(statement, (reach = computeReach(statement, iam)));
  return reach;
}

function computeReach(statement: Map<string, CValue>, iam: IamKnowledge): Reach {
  if ([...statement.keys()].some(isDynamicText)) return { kind: 'dynamic' };
  const element = statement.has('Action') ? 'Action' : statement.has('NotAction') ? 'NotAction' : undefined;
  if (!element) return { kind: 'none' };
  const values = valueList(statement.get(element)!);
  if (values === 'invalid') return { kind: 'none' };
  if (element === 'NotAction') return values.includes(undefined) ? { kind: 'dynamic' } : { kind: 'all' };
  // A deploy-time value may name any action; the literal ones are still reached for sure.
  if (values.includes(undefined)) return { kind: 'dynamic' };
  // iam.matchActions is the hover's expansion of a pattern (cached per pattern), so the counts agree.
  const actions = new Map<string, ActionSummary>();
  for (const p of values) for (const a of iam.matchActions(p!)) actions.set(a.fullName, a);
  return { kind: 'some', actions: [...actions.values()] };
}

function literalValues(v: CValue | undefined): string[] {
  if (v === undefined) return [];
  const list = valueList(v);
  return list === 'invalid' ? [] : list.map((x) => x ?? '<dynamic>');
}

function resourcesOf(results: readonly StatementResult[]): string[] {
  const out = new Set<string>();
  for (const r of results) {
    const s = r.statement.statement;
    if (!(s instanceof Map)) continue;
    if (s.has('Resource')) for (const x of literalValues(s.get('Resource'))) out.add(x);
    else if (s.has('NotResource')) for (const x of literalValues(s.get('NotResource'))) out.add(`NotResource ${x}`);
  }
  return [...out];
}

/**
 * The role's effective permissions from its statements (as `roleStatements` gives them). For each action a
 * statement can reach (Action patterns expanded over the IAM data; NotAction reaches every action), `evaluate` is
 * asked "on some resource?" with the statements that can apply to it.
 */
export function effectivePermissions(statements: readonly EvalStatement[], iam: IamKnowledge, options: EffectiveOptions = {}): EffectivePermissions {
  const steps = effectivePermissionsSteps(statements, iam, options);
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/** How many actions `effectivePermissionsSteps` evaluates between two yields. */
export const EFFECTIVE_STEP = 256;

/**
 * `effectivePermissions` in steps: the generator yields after every EFFECTIVE_STEP evaluated actions and returns the
 * answer, so a server can answer other requests between steps (and drop a computation an edit made stale) instead
 * of holding its thread for a role with large managed policies.
 */
export function* effectivePermissionsSteps(statements: readonly EvalStatement[], iam: IamKnowledge, options: EffectiveOptions = {}): Generator<void, EffectivePermissions, void> {
  const unknown: EvalStatement[] = [];
  const known: EvalStatement[] = [];
  for (const s of statements) {
    if (s.source.kind === 'unknownDocument' || s.statement instanceof Unknown) unknown.push(s);
    else if (s.statement instanceof Map) known.push(s);
  }
  // Which statements can apply to each action: those whose reach names it (`own`, kept as the number of a group of
  // actions with the same such statements, so that thousands of actions share a few dozen lists), and every
  // statement that reaches all.
  const groupOf = new Map<ActionSummary, number>();
  const groups = new GroupTable();
  const everywhere: number[] = [];
  let allCandidates = false;
  for (let i = 0; i < known.length; i++) {
    // What a statement reaches is computed once per statement (a large managed policy has thousands of patterns).
    if (i > 0 && i % 8 === 0) yield;
    const s = known[i];
    const statement = s.statement as Map<string, CValue>;
    const effect = effectOf(statement);
    if (effect === undefined) continue;
    const reach = reachOf(statement, iam);
    if (reach.kind === 'none') continue;
    if (reach.kind === 'all' || reach.kind === 'dynamic') {
      everywhere.push(i);
      // A NotAction Allow allows every other action: all are candidates. A Deny's reach alone adds none (it would
      // list every action but a few); nor does a deploy-time value, which names nothing known.
      if (reach.kind === 'all' && effect !== 'Deny') allCandidates = true;
      continue;
    }
    for (const a of reach.actions) groupOf.set(a, groups.with(groupOf.get(a) ?? 0, i));
  }
  const actions = allCandidates ? iam.matchActions('*') : groupOf.keys();
  const allowed: EffectiveAction[] = [];
  const denied: EffectiveAction[] = [];
  // Evaluating a statement depends on the action only through whether its Action/NotAction applies (evaluate.ts,
  // `actionApplies`): a statement reached through its Action patterns applies to each action it reaches, and one that
  // reaches everything is asked. Actions with the same applicable statements, each applying alike, get the same
  // decision and deciding statements, so each such group is evaluated once (ReadOnlyAccess alone reaches thousands of
  // actions through a few dozen groups). test/core/eval/effective.test.ts checks this against one evaluation per action.
  const outcomes = new Map<number | string, { readonly verdict: 'allowed' | 'conditional' | 'explicitDeny' | 'implicitDeny'; readonly resources: readonly string[]; readonly statements: readonly EvalStatement[] }>();
  let step = 0;
  for (const a of actions) {
    if (++step % EFFECTIVE_STEP === 0) yield;
    const group = groupOf.get(a) ?? 0;
    const own = groups.members(group);
    const indices = everywhere.length === 0 ? own : own.length === 0 ? everywhere : [...new Set([...own, ...everywhere])].sort((x, y) => x - y);
    if (indices.length === 0) continue;
    const key = everywhere.length === 0 ? group : `${group}|${everywhere.map((i) => String(actionApplies(known[i].statement, a.fullName))).join(',')}`;
    let outcome = outcomes.get(key);
    if (!outcome) {
      const result = evaluate(
        indices.map((i) => known[i]),
        { action: a.fullName, ...(options.context ? { context: options.context } : {}) },
      );
      const deciding = result.decision === 'explicitDeny' ? result.deciding : result.deciding.filter((r) => r.effect !== 'Deny');
      outcome = { verdict: result.decision, resources: resourcesOf(deciding), statements: deciding.map((r) => r.statement) };
      outcomes.set(key, outcome);
    }
    if (outcome.verdict === 'implicitDeny') continue;
    const entry = { action: a.fullName, service: a.service, accessLevel: a.accessLevel, resources: outcome.resources, conditional: outcome.verdict === 'conditional', statements: outcome.statements };
    (outcome.verdict === 'explicitDeny' ? denied : allowed).push(entry);
  }
  return { allowed: sortActions(allowed), denied: sortActions(denied), unknown };
}

/**
 * Groups of statement indices, numbered: group 0 is empty, and `with(g, i)` is the group of g's statements and i
 * (i above all of them, as statements are visited in order), the same number every time it is asked.
 */
class GroupTable {
  private readonly lists: (readonly number[])[] = [[]];
  private readonly next: Map<number, number>[] = [new Map()];

  with(group: number, statement: number): number {
    let to = this.next[group]!.get(statement);
    if (to === undefined) {
      to = this.lists.length;
      this.lists.push([...this.lists[group]!, statement]);
      this.next.push(new Map());
      this.next[group]!.set(statement, to);
    }
    return to;
  }

  members(group: number): readonly number[] {
    return this.lists[group]!;
  }
}

function sortActions(list: EffectiveAction[]): EffectiveAction[] {
  return list.sort((a, b) => (a.service < b.service ? -1 : a.service > b.service ? 1 : 0) || compareLevels(a.accessLevel, b.accessLevel) || (a.action < b.action ? -1 : a.action > b.action ? 1 : 0));
}
