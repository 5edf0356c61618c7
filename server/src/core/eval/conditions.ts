// The Condition element of a statement, evaluated against a request context with three-valued logic
// (docs/evaluation.md). The semantics follow AWS's pages:
// - condition operators, and what an absent key means for each (a negated operator is true, `…IfExists` is true,
//   `Null` tests it): https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
// - several operators or keys AND, several values of one key OR (NOR for a negated operator):
//   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html
// - ForAnyValue / ForAllValues on multivalued keys (ForAllValues is true on an absent or empty set, ForAnyValue false):
//   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
// - policy variables (`${aws:username}`, `${key, 'default'}`, `${*}`, `${?}`, `${$}`):
//   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
// Operators and their forms come from the one table of iam/policyLanguage.ts; wildcards from iam/wildcard.ts; ARN
// fields from iam/arnPattern.ts.
import { RubyFloat, Unknown, type CValue } from '../compile/cvalue';
import { findConditionOperator, type ConditionOperator } from '../iam/policyLanguage';
import { splitArn } from '../iam/arnPattern';
import { createWildcardMatcher, hasWildcard } from '../iam/wildcard';
import type { ContextEntry, Tri } from './types';

/** Context keys compare case-insensitively: the request's context with lower-cased keys. */
export type NormalizedContext = ReadonlyMap<string, ContextEntry>;

export function normalizeContext(context: Readonly<Record<string, ContextEntry>> | undefined): NormalizedContext {
  const m = new Map<string, ContextEntry>();
  for (const [k, v] of Object.entries(context ?? {})) m.set(k.toLowerCase(), v);
  return m;
}

/** A compiled key that stands for a deploy-time value (compileRoles stringifies unknown keys so). */
export function isDynamicText(s: string): boolean {
  return s.startsWith('<dynamic: ');
}

/** A policy's scalar as IAM reads it (JSON numbers and booleans as their text); undefined for an unknown value. */
export function scalarText(v: CValue): string | undefined | null {
  if (typeof v === 'string') return isDynamicText(v) ? undefined : v;
  if (typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof RubyFloat) return v.toString();
  if (v instanceof Unknown) return undefined;
  // null, arrays and maps are not scalars.
  return null;
}

/** The values of an element: a scalar or an array of scalars. `undefined` entries are unknown values. */
export function valueList(v: CValue): (string | undefined)[] | 'invalid' {
  if (v instanceof Unknown) return [undefined];
  const items = Array.isArray(v) ? v : [v];
  const out: (string | undefined)[] = [];
  for (const x of items) {
    const t = scalarText(x);
    if (t === null) return 'invalid';
    out.push(t);
  }
  return out;
}

// --- Three-valued logic ---------------------------------------------------------------------------------------

export function triAnd(values: Iterable<Tri>): Tri {
  let unknown = false;
  for (const v of values) {
    if (v === false) return false;
    if (v === 'unknown') unknown = true;
  }
  return unknown ? 'unknown' : true;
}

export function triOr(values: Iterable<Tri>): Tri {
  let unknown = false;
  for (const v of values) {
    if (v === true) return true;
    if (v === 'unknown') unknown = true;
  }
  return unknown ? 'unknown' : false;
}

export function triNot(v: Tri): Tri {
  return v === 'unknown' ? v : !v;
}

// --- Policy variables -----------------------------------------------------------------------------------------

/** A text with its policy variables resolved: a literal, a text that matches nothing, or unknown. */
export type Resolved = { readonly text: string; readonly literalWildcards: boolean } | { readonly none: string } | { readonly unknown: string };

const VARIABLE = /\$\{([^}]*)\}/g;
const SPECIAL: Record<string, string> = { '*': '*', '?': '?', $: '$' };

/**
 * Resolves `${key}` and `${key, 'default'}` from the context. A key the context does not give is unknown ("depends");
 * an absent key takes the default when there is one, else the value matches nothing (AWS: a variable without a value
 * makes the comparison fail). `literalWildcards` says a substituted value holds `*` or `?` that must stay literal.
 */
export function resolveVariables(text: string, context: NormalizedContext): Resolved {
  if (!text.includes('${')) return { text, literalWildcards: false };
  let literalWildcards = false;
  let failure: Resolved | undefined;
  const out = text.replace(VARIABLE, (whole, inner: string) => {
    if (failure) return whole;
    const special = SPECIAL[inner.trim()];
    if (special !== undefined) {
      if (special !== '$') literalWildcards = true;
      return special;
    }
    const m = /^\s*([^,\s]+)\s*(?:,\s*'([^']*)'\s*)?$/.exec(inner);
    if (!m) {
      failure = { unknown: `\`${whole}\` is not a policy variable ufo-iam can read` };
      return whole;
    }
    const [, key, fallback] = m;
    const entry = context.get(key.toLowerCase());
    if (entry === undefined) {
      failure = { unknown: `the policy variable \${${key}} depends on ${key}, which the context does not give` };
      return whole;
    }
    if (entry === 'absent' || entry.length === 0) {
      if (fallback !== undefined) {
        if (hasWildcard(fallback)) literalWildcards = true;
        return fallback;
      }
      failure = { none: `\${${key}} has no value (${key} is absent)` };
      return whole;
    }
    if (entry.length > 1) {
      failure = { unknown: `${key} has several values, and a multivalued key cannot be a policy variable` };
      return whole;
    }
    if (hasWildcard(entry[0])) literalWildcards = true;
    return entry[0];
  });
  return failure ?? { text: out, literalWildcards };
}

// --- ARNs -----------------------------------------------------------------------------------------------------

/**
 * Whether an ARN matches a policy's ARN pattern, case-sensitively with `*` and `?`, segment by segment (Resource
 * element and ArnLike): a `*` stays within its colon-separated segment, except when it ends a segment, where AWS lets it
 * match past the colons (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html).
 * The resource segment (after the fifth colon) is one glob: colons inside it are part of the resource.
 */
export function arnMatches(pattern: string, arn: string): boolean {
  const whole = () => createWildcardMatcher(pattern, { caseSensitive: true })(arn);
  const p = splitArn(pattern);
  const a = splitArn(arn);
  if (!('partition' in p) || !('partition' in a)) return whole();
  const pf = [p.partition, p.service, p.region, p.account];
  const af = [a.partition, a.service, a.region, a.account];
  for (let i = 0; i < 4; i++) {
    // A segment ending in `*` may run on past its colon: compare the rest as one text.
    if (pf[i].endsWith('*')) {
      const restP = [...pf.slice(i), p.resource].join(':');
      const restA = [...af.slice(i), a.resource].join(':');
      return createWildcardMatcher(restP, { caseSensitive: true })(restA);
    }
    if (!createWildcardMatcher(pf[i], { caseSensitive: true })(af[i])) return false;
  }
  return createWildcardMatcher(p.resource, { caseSensitive: true })(a.resource);
}

// --- Scalars --------------------------------------------------------------------------------------------------

function parseNumber(s: string): number | undefined {
  if (!/^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(s)) return undefined;
  return Number(s);
}

/** ISO 8601 dates and times, or epoch seconds (condition operators: date condition operators). */
function parseDate(s: string): number | undefined {
  if (/^\s*\d+\s*$/.test(s)) return Number(s) * 1000;
  if (!/^\d{4}-\d{2}-\d{2}/.test(s.trim())) return undefined;
  const t = Date.parse(s.trim());
  return Number.isNaN(t) ? undefined : t;
}

/** An IPv4 or IPv6 address or CIDR block as a bigint and a prefix length; undefined when unreadable. */
export function parseCidr(s: string): { v: 4 | 6; value: bigint; prefix: number } | undefined {
  const [addr, prefixText, extra] = s.trim().split('/');
  if (extra !== undefined) return undefined;
  let v: 4 | 6;
  let value: bigint;
  if (addr.includes(':')) {
    const parsed = parseIpv6(addr);
    if (parsed === undefined) return undefined;
    v = 6;
    value = parsed;
  } else {
    const parts = addr.split('.');
    if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
    v = 4;
    value = parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n);
  }
  const max = v === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!(prefix >= 0 && prefix <= max)) return undefined;
  return { v, value, prefix };
}

function parseIpv6(addr: string): bigint | undefined {
  let text = addr;
  // An embedded IPv4 tail (`::ffff:192.0.2.1`) becomes two groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const p = parseCidr(v4[1]);
    if (!p) return undefined;
    text = text.slice(0, -v4[1].length) + `${(p.value >> 16n).toString(16)}:${(p.value & 0xffffn).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

function inCidr(address: string, block: string): Tri {
  const a = parseCidr(address);
  const b = parseCidr(block);
  if (!a || !b) return 'unknown';
  if (a.v !== b.v) return false;
  const bits = BigInt((b.v === 4 ? 32 : 128) - b.prefix);
  return a.value >> bits === b.value >> bits;
}

/** The positive base operator (`StringLike`, `NumericLessThan`…) on one request value and one policy value. */
function compareOne(positiveBase: string, requestValue: string, policyValue: string): Tri {
  switch (positiveBase) {
    case 'StringEquals':
      return requestValue === policyValue;
    case 'StringEqualsIgnoreCase':
      return requestValue.toLowerCase() === policyValue.toLowerCase();
    case 'StringLike':
      return createWildcardMatcher(policyValue, { caseSensitive: true })(requestValue);
    case 'ArnEquals':
    case 'ArnLike':
      return arnMatches(policyValue, requestValue);
    case 'Bool':
      return requestValue.toLowerCase() === policyValue.toLowerCase();
    case 'BinaryEquals':
      return requestValue === policyValue;
    case 'IpAddress':
      return inCidr(requestValue, policyValue);
  }
  if (positiveBase.startsWith('Numeric') || positiveBase.startsWith('Date')) {
    const parse = positiveBase.startsWith('Numeric') ? parseNumber : parseDate;
    const r = parse(requestValue);
    const p = parse(policyValue);
    if (r === undefined || p === undefined) return 'unknown';
    const relation = positiveBase.replace(/^(Numeric|Date)/, '');
    switch (relation) {
      case 'Equals':
        return r === p;
      case 'LessThan':
        return r < p;
      case 'LessThanEquals':
        return r <= p;
      case 'GreaterThan':
        return r > p;
      case 'GreaterThanEquals':
        return r >= p;
    }
  }
  return 'unknown';
}

/** Operators whose values may hold policy variables (condition operators page: "Policy variables – Supported"). */
const VARIABLE_KINDS = new Set(['String', 'Arn', 'Bool']);
const WILDCARD_BASES = new Set(['StringLike', 'ArnLike', 'ArnEquals']);

export interface ConditionOutcome {
  readonly holds: Tri;
  readonly reason: string;
}

/** One operator on one key with the policy's values. */
export function evaluateConditionKey(operatorName: string, key: string, policyValue: CValue, context: NormalizedContext): ConditionOutcome {
  const label = `${operatorName} ${key}`;
  const op: ConditionOperator | undefined = findConditionOperator(operatorName);
  if (!op) return { holds: 'unknown', reason: `${operatorName} is not a condition operator IAM knows` };
  if (isDynamicText(key)) return { holds: 'unknown', reason: `${operatorName} tests a key computed at deploy time` };
  const values = valueList(policyValue);
  if (values === 'invalid') return { holds: 'unknown', reason: `${label}: the values are not strings, numbers or booleans` };
  if (values.includes(undefined)) return { holds: 'unknown', reason: `${label}: a value is computed at deploy time` };
  const policyValues = values as string[];
  const entry = context.get(key.toLowerCase());

  if (op.base === 'Null') {
    if (entry === undefined) return { holds: 'unknown', reason: `${label}: the context does not say whether ${key} is present` };
    const isNull = entry === 'absent' || entry.length === 0;
    const holds = policyValues.some((v) => (v.toLowerCase() === 'true') === isNull);
    return { holds, reason: `${label}: ${key} is ${isNull ? 'absent' : 'present'}` };
  }
  if (entry === undefined) return { holds: 'unknown', reason: `${label}: depends on ${key}, which the context does not give` };
  const present = entry !== 'absent' && (entry.length > 0 || op.setOperator !== undefined);
  if (!present) {
    const holds = op.ifExists || op.setOperator === 'ForAllValues' ? true : op.setOperator === 'ForAnyValue' ? false : op.negated;
    const why = op.ifExists ? 'IfExists is true without the key' : op.setOperator ? `${op.setOperator} on an absent key is ${holds}` : op.negated ? 'a negated operator is true without the key' : 'the key is absent, so the values do not match';
    return { holds, reason: `${label}: ${key} is absent; ${why}` };
  }
  const requestValues = entry as readonly string[];
  if (op.setOperator === undefined && requestValues.length > 1) {
    return { holds: 'unknown', reason: `${label}: the context gives ${key} several values, and ${operatorName} has no ForAnyValue:/ForAllValues: prefix` };
  }

  // The policy's values, with their variables resolved.
  const resolved: (string | { none: string } | { unknown: string })[] = policyValues.map((v) => {
    if (!VARIABLE_KINDS.has(op.kind)) return v;
    const r = resolveVariables(v, context);
    if ('text' in r) {
      if (r.literalWildcards && WILDCARD_BASES.has(op.positiveBase)) return { unknown: `a variable's value in ${v} holds * or ?, which must stay literal` };
      return r.text;
    }
    return r;
  });
  const notes = resolved.filter((r): r is { unknown: string } => typeof r !== 'string' && 'unknown' in r).map((r) => r.unknown);
  const matchOne = (requestValue: string): Tri => {
    // Several values of one key: OR; for a negated operator, NOR (none of them may match).
    const any = triOr(resolved.map((p) => (typeof p === 'string' ? compareOne(op.positiveBase, requestValue, p) : 'unknown' in p ? 'unknown' : false)));
    return op.negated ? triNot(any) : any;
  };
  const perValue = requestValues.map(matchOne);
  const holds = op.setOperator === 'ForAllValues' ? triAnd(perValue) : triOr(perValue);
  const shown = requestValues.map((v) => JSON.stringify(v)).join(', ');
  const reason = `${label}: ${key} is ${shown || 'an empty set'}${holds === 'unknown' && notes.length > 0 ? ` (${notes[0]})` : ''}; ${holds === 'unknown' ? 'unknown' : holds ? 'holds' : 'does not hold'}`;
  return { holds, reason };
}

/** A statement's whole Condition element: operators AND, keys AND. */
export function evaluateCondition(condition: CValue, context: NormalizedContext): { holds: Tri; reasons: string[] } {
  if (condition instanceof Unknown) return { holds: 'unknown', reasons: ['the Condition is computed at deploy time'] };
  if (!(condition instanceof Map)) return { holds: 'unknown', reasons: ['the Condition is not a map of operators'] };
  const outcomes: ConditionOutcome[] = [];
  for (const [operator, block] of condition) {
    if (isDynamicText(operator)) {
      outcomes.push({ holds: 'unknown', reason: 'a condition operator is computed at deploy time' });
      continue;
    }
    if (block instanceof Unknown) {
      outcomes.push({ holds: 'unknown', reason: `the keys of ${operator} are computed at deploy time` });
      continue;
    }
    if (!(block instanceof Map)) {
      outcomes.push({ holds: 'unknown', reason: `${operator} is not a map of keys to values` });
      continue;
    }
    for (const [key, value] of block) outcomes.push(evaluateConditionKey(operator, key, value, context));
  }
  return { holds: triAnd(outcomes.map((o) => o.holds)), reasons: outcomes.map((o) => o.reason) };
}
