// The access diff of a role (docs/apply.md, "What the change grants"; docs/evaluation.md, "Comparing with a git ref"):
// what the role's effective permissions after a change allow that they did not before (added), what they no longer
// allow (removed), and the actions allowed on both sides whose resources or conditions differ (changed). Ordered so
// that what matters most for a review comes first: the privilege-escalation set, then Permissions management, then
// the other access levels in the hover's order. Pure: both sides are `effectivePermissions` answers.
//
// What neither side's IAM data knows (a customer-managed policy, a deploy-time value) is reported as "document
// unknown" and never guessed: the diff of the known statements is then the diff of what is known, and says so.
import { ESCALATION_ACTIONS, PASS_ROLE } from '../checks/security';
import { compareAccessLevels, type Provenance } from '../iam/iamKnowledge';
import type { EffectiveAction, EffectivePermissions } from './effective';
import { NOT_CONSIDERED } from './evaluate';
import type { EvalStatement } from './types';

export interface AccessChange {
  /** `service:Name` as the IAM data spells it. */
  readonly action: string;
  readonly service: string;
  /** As the IAM data has it (`Permissions management, Write` for the few actions with two). */
  readonly accessLevel: string;
  /** The Resource patterns on the side that allows it (after; before for a removed action). */
  readonly resources: readonly string[];
  /** Whether that side's answer depends on conditions (or deploy-time values, or a conditional call). */
  readonly conditional: boolean;
  /** In the privilege-escalation set of the security checks (iam:PassRole and ESCALATION_ACTIONS). */
  readonly escalation: boolean;
  /** For a changed action: the resources and conditional flag before. */
  readonly before?: { readonly resources: readonly string[]; readonly conditional: boolean };
}

/** A statement unknown as a whole on one side or both (effectivePermissions' `unknown`): an attached policy whose document is unknown, or a splat. */
export interface UnknownDocument {
  /** The policy ARN as attached, or the place of an `iam_policy` splat. */
  readonly name: string;
  readonly reason: string;
  readonly side: 'before' | 'after' | 'both';
}

export interface AccessDiff {
  readonly added: readonly AccessChange[];
  readonly removed: readonly AccessChange[];
  readonly changed: readonly AccessChange[];
  readonly unknown: readonly UnknownDocument[];
}

/** Nothing allowed: the side of a role that does not exist yet (or no longer). */
export const NO_PERMISSIONS: EffectivePermissions = { allowed: [], denied: [], unknown: [] };

const ESCALATION = new Set([PASS_ROLE, ...ESCALATION_ACTIONS].map((a) => a.toLowerCase()));

/** Whether an action is in the privilege-escalation set (case-insensitive, as IAM compares action names). */
export function isEscalationAction(action: string): boolean {
  return ESCALATION.has(action.toLowerCase());
}

/** The first access level of an action (`Permissions management, Write` → `Permissions management`), as compareAccessLevels ranks it. */
const primaryLevel = (level: string): string => level.split(',')[0].trim();
const isPermissionsManagement = (level: string): boolean => primaryLevel(level).toLowerCase() === 'permissions management';

/** Escalation first, then Permissions management, then the access levels in the hover's order, then the name. */
export function compareAccessChanges(a: AccessChange, b: AccessChange): number {
  return (
    Number(b.escalation) - Number(a.escalation) ||
    Number(isPermissionsManagement(b.accessLevel)) - Number(isPermissionsManagement(a.accessLevel)) ||
    compareAccessLevels(a.accessLevel, b.accessLevel) ||
    (a.action < b.action ? -1 : a.action > b.action ? 1 : 0)
  );
}

// Resources compare as sets: the same patterns from statements in another order are the same access.
const sameResources = (a: readonly string[], b: readonly string[]): boolean => {
  const x = [...new Set(a)].sort();
  const y = [...new Set(b)].sort();
  return x.length === y.length && x.every((r, i) => r === y[i]);
};

const change = (a: EffectiveAction): AccessChange => ({
  action: a.action,
  service: a.service,
  accessLevel: a.accessLevel,
  resources: a.resources,
  conditional: a.conditional,
  escalation: isEscalationAction(a.action),
});

const unknownName = (s: EvalStatement): { name: string; reason: string } =>
  s.source.kind === 'unknownDocument'
    ? { name: s.source.arn, reason: s.source.reason }
    : { name: s.source.kind === 'inline' ? `an iam_policy call with a splat (${s.source.policyName})` : s.source.policyName, reason: 'only deploy time knows its statements' };

/** What `after` allows that `before` does not, and the reverse; actions allowed on both sides whose resources or conditional flag differ. */
export function accessDiff(before: EffectivePermissions, after: EffectivePermissions): AccessDiff {
  const was = new Map(before.allowed.map((a) => [a.action, a]));
  const now = new Map(after.allowed.map((a) => [a.action, a]));
  const added: AccessChange[] = [];
  const changed: AccessChange[] = [];
  for (const a of after.allowed) {
    const b = was.get(a.action);
    if (!b) added.push(change(a));
    else if (b.conditional !== a.conditional || !sameResources(b.resources, a.resources)) {
      changed.push({ ...change(a), before: { resources: b.resources, conditional: b.conditional } });
    }
  }
  const removed = before.allowed.filter((b) => !now.has(b.action)).map(change);
  const unknown = new Map<string, { name: string; reason: string; side: UnknownDocument['side'] }>();
  for (const [side, list] of [['before', before.unknown], ['after', after.unknown]] as const) {
    for (const s of list) {
      const u = unknownName(s);
      const known = unknown.get(u.name);
      if (!known) unknown.set(u.name, { ...u, side });
      else if (known.side !== side) known.side = 'both';
    }
  }
  return { added: added.sort(compareAccessChanges), removed: removed.sort(compareAccessChanges), changed: changed.sort(compareAccessChanges), unknown: [...unknown.values()] };
}

/** Whether the diff says anything: a change, or a document whose access is unknown. */
export function accessDiffIsEmpty(diff: AccessDiff): boolean {
  return diff.added.length === 0 && diff.removed.length === 0 && diff.changed.length === 0 && diff.unknown.length === 0;
}

/** How many escalation and Permissions management actions a summary names before it counts the rest ("… and 3 more"). */
export const NAMED_LIMIT = 8;

const resourceText = (resources: readonly string[]): string => (resources.length === 0 ? '' : resources.length === 1 ? ` on ${resources[0]}` : ` on [${resources.join(', ')}]`);
const sideText = (resources: readonly string[], conditional: boolean): string => `${resourceText(resources)}${conditional ? ' [conditional]' : ''}`;

function named(c: AccessChange): string {
  const now = `${c.action}${sideText(c.resources, c.conditional)}`;
  if (!c.before) return now;
  const was = sideText(c.before.resources, c.before.conditional).trim() || 'unconditional';
  return `${now} (was ${was.replace(/^on /, '')})`;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/**
 * One line of a summary, e.g. `+ 14 actions: 2 privilege escalation (iam:PassRole on *, iam:CreatePolicyVersion on *),
 * 12 Write`: the privilege-escalation actions and the other Permissions management ones named with their resources,
 * the others counted by access level in the hover's order. `changes` must be in accessDiff's order.
 */
export function accessChangeLine(sign: '+' | '-' | '~', changes: readonly AccessChange[]): string {
  const groups: Array<{ label: string; named: boolean; list: AccessChange[] }> = [];
  const groupOf = (label: string, isNamed: boolean) => {
    let g = groups.find((x) => x.label === label);
    if (!g) groups.push((g = { label, named: isNamed, list: [] }));
    return g;
  };
  for (const c of changes) {
    if (c.escalation) groupOf('privilege escalation', true).list.push(c);
    else if (isPermissionsManagement(c.accessLevel)) groupOf('Permissions management', true).list.push(c);
    else groupOf(primaryLevel(c.accessLevel) || 'unknown access level', false).list.push(c);
  }
  const parts = groups.map((g) => {
    if (!g.named) return `${g.list.length} ${g.label}`;
    const shown = g.list.slice(0, NAMED_LIMIT).map(named);
    if (g.list.length > NAMED_LIMIT) shown.push(`and ${g.list.length - NAMED_LIMIT} more`);
    return `${g.list.length} ${g.label} (${shown.join(', ')})`;
  });
  return `${sign} ${plural(changes.length, 'action')}: ${parts.join(', ')}`;
}

export interface AccessSummaryOptions {
  /** How the two sides are named (default `before` and `after`; the plan says live and desired). */
  readonly before?: string;
  readonly after?: string;
}

/**
 * The diff in a few lines: `+` added, `-` removed, `~` changed, then one `?` line per document whose access is
 * unknown (never guessed: what it allows is not part of the comparison). Empty when nothing differs.
 */
export function accessSummary(diff: AccessDiff, options: AccessSummaryOptions = {}): string[] {
  const lines: string[] = [];
  if (diff.added.length > 0) lines.push(accessChangeLine('+', diff.added));
  if (diff.removed.length > 0) lines.push(accessChangeLine('-', diff.removed));
  if (diff.changed.length > 0) lines.push(accessChangeLine('~', diff.changed));
  const before = options.before ?? 'before';
  const after = options.after ?? 'after';
  for (const u of diff.unknown) {
    const where = u.side === 'both' ? `${before} and ${after}` : u.side === 'before' ? before : after;
    lines.push(`? document unknown (${where}): ${u.name}: ${u.reason}; what it allows is not compared`);
  }
  return lines;
}

/** The sentence every access diff ends with: what it does not consider, and the IAM data it was computed with. */
export function accessNote(provenance: Pick<Provenance, 'dataDate' | 'managedPoliciesDate'>): string {
  return `${NOT_CONSIDERED} IAM data of ${provenance.dataDate} (managed policies as of ${provenance.managedPoliciesDate}).`;
}

/** An access change as plain JSON (the plan's and `ufo-iam diff`'s `access` entries): `escalation` only when true, `before` only for a changed action. */
export interface AccessEntry {
  readonly action: string;
  readonly accessLevel: string;
  readonly resources: readonly string[];
  readonly conditional: boolean;
  readonly escalation?: true;
  readonly before?: { readonly resources: readonly string[]; readonly conditional: boolean };
}

export function accessEntry(c: AccessChange): AccessEntry {
  return {
    action: c.action,
    accessLevel: c.accessLevel,
    resources: c.resources,
    conditional: c.conditional,
    ...(c.escalation ? { escalation: true as const } : {}),
    ...(c.before ? { before: c.before } : {}),
  };
}

/** The diff as the plan's and `ufo-iam diff`'s JSON carry it: the entries, the unknown documents and the summary lines. */
export interface AccessReport {
  readonly added: readonly AccessEntry[];
  readonly removed: readonly AccessEntry[];
  readonly changed: readonly AccessEntry[];
  readonly unknown: readonly UnknownDocument[];
  readonly summary: readonly string[];
}

export function accessReport(diff: AccessDiff, options: AccessSummaryOptions = {}): AccessReport {
  return {
    added: diff.added.map(accessEntry),
    removed: diff.removed.map(accessEntry),
    changed: diff.changed.map(accessEntry),
    unknown: diff.unknown,
    summary: accessSummary(diff, options),
  };
}

/** The report of two sides that are the same role: nothing to say. */
export const EMPTY_ACCESS_REPORT: AccessReport = { added: [], removed: [], changed: [], unknown: [], summary: [] };
