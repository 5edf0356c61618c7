// Moves what the model and the checks say about a part of a file by a number of bytes: after an edit, the calls
// below it are the same calls a few bytes further on (core/incremental.ts), and a call's findings are the same
// findings wherever the call sits (the checks' per-call cache, core/checks/index.ts). Values are immutable and
// shared (a call's `statements` are the very values of its `args`), so a shift copies each value once and keeps
// the sharing: code that compares values by identity sees the same structure after the shift (a call's statements
// and names are flattened again from its shifted arguments, as buildRoleFile flattened them).
import type { Finding } from '../findings';
import type { Span } from '../text/span';
import type { Comment, DslCall, OtherCall } from './roleFile';
import { deepFlatten, type HashEntry, type Value } from './values';
import { shareCallFacts } from './callFacts';

const shiftSpan = (s: Span, d: number): Span => ({ start: s.start + d, end: s.end + d });

/**
 * Shifts a value and everything in it (a value tree shares no value between two places). Each kind is built as a literal of
 * its own shape (a spread of a value is several times slower, and a large file shifts tens of thousands of them); the
 * optional keys are kept exactly as they were present.
 */
export function shiftValue(v: Value, d: number): Value {
  const span = shiftSpan(v.span, d);
  let out: Value;
  switch (v.kind) {
    case 'string':
      out =
        'contentSpan' in v
          ? { kind: 'string', span, value: v.value, contentSpan: v.contentSpan && shiftSpan(v.contentSpan, d), closed: v.closed, opening: v.opening }
          : { kind: 'string', span, value: v.value, closed: v.closed, opening: v.opening };
      break;
    case 'symbol':
      out =
        'contentSpan' in v
          ? { kind: 'symbol', span, value: v.value, contentSpan: v.contentSpan && shiftSpan(v.contentSpan, d), closed: v.closed }
          : { kind: 'symbol', span, value: v.value, closed: v.closed };
      break;
    case 'integer':
    case 'float':
    case 'boolean':
      out = { kind: v.kind, span, value: v.value } as Value;
      break;
    case 'nil':
      out = { kind: 'nil', span };
      break;
    case 'array': {
      const elements: Value[] = new Array(v.elements.length);
      for (let i = 0; i < elements.length; i++) elements[i] = shiftValue(v.elements[i], d);
      out = { kind: 'array', span, elements, closed: v.closed, opening: v.opening };
      break;
    }
    case 'hash': {
      const entries: HashEntry[] = new Array(v.entries.length);
      for (let i = 0; i < entries.length; i++) {
        const e = v.entries[i];
        entries[i] = { span: shiftSpan(e.span, d), key: shiftValue(e.key, d), value: shiftValue(e.value, d), style: e.style };
      }
      out = { kind: 'hash', span, entries, braces: v.braces, closed: v.closed };
      break;
    }
    case 'dynamic':
      out =
        'unsupported' in v
          ? { kind: 'dynamic', span, source: v.source, reason: v.reason, missing: v.missing, unsupported: v.unsupported }
          : { kind: 'dynamic', span, source: v.source, reason: v.reason, missing: v.missing };
      break;
  }
  return out;
}

/**
 * On a moved call (not enumerable): while its values are not moved yet, the call it was moved from and by how much;
 * once they are, the moved values. A moved call moves its values on first use, then forgets its origin; moving it
 * again before that moves the origin further, so no chain of moved calls builds up.
 */
const MOVE = Symbol('move');
interface MovedValues {
  readonly args: Value[];
  readonly statementsArg: Value | undefined;
  readonly statements: Value[];
  readonly names: Value[];
}
interface MoveState {
  origin: DslCall | undefined;
  readonly offset: number;
  /** The moved policy name, which the moved arguments share (buildRoleFile: the name is the first argument). */
  readonly policyName: Value | undefined;
  values: MovedValues | undefined;
}
type Moved = { [MOVE]?: MoveState };

/**
 * The call `d` bytes further on, with the same facts (core/model/callFacts.ts). Its positions are moved at once, its
 * values (arguments, statements, names) when first read: after an edit of one call of a large file, the checks read
 * the other calls' names and positions only, and the values below are moved only if a feature asks for them.
 */
export function shiftCall(call: DslCall, d: number): DslCall {
  if (d === 0) return call;
  const s = (call as Moved)[MOVE];
  const moved = s?.origin ? lazyCall(s.origin, s.offset + d) : lazyCall(call, d);
  shareCallFacts(call, moved);
  return moved;
}

function movedValues(call: DslCall): MovedValues {
  const s = (call as Moved)[MOVE]!;
  if (s.values) return s.values;
  const o = s.origin!;
  const d = s.offset;
  const args = o.args.map((v) => (o.method === 'iam_policy' && v === o.policyName ? s.policyName! : shiftValue(v, d)));
  const statements: Value[] = [];
  const names: Value[] = [];
  if (o.method === 'iam_policy') {
    // buildRoleFile takes the statements from the second argument.
    if (o.statements.length > 0) deepFlatten(args[1], statements);
  } else for (const a of args) deepFlatten(a, names);
  s.values = { args, statementsArg: o.method === 'iam_policy' && o.statementsArg ? args[1] : undefined, statements, names };
  s.origin = undefined;
  return s.values;
}

// The getters are the same functions for every moved call, so that V8 gives all moved calls one compact shape: a
// getter made for each call (a closure) turns the call into a dictionary of its properties, about five times the
// memory, and a large file moves a hundred calls on every keystroke.
const lazyValue = (get: (v: MovedValues) => unknown): PropertyDescriptor => ({
  get(this: DslCall) {
    return get(movedValues(this));
  },
  enumerable: true,
  configurable: false,
});
const ARGS = lazyValue((v) => v.args);
const STATEMENTS_ARG = lazyValue((v) => v.statementsArg);
const STATEMENTS = lazyValue((v) => v.statements);
const NAMES = lazyValue((v) => v.names);

function lazyCall(origin: DslCall, d: number): DslCall {
  // The policy name is read by the role's checks (duplicate names, quotas) on every check: moved at once.
  const policyName = origin.method === 'iam_policy' && origin.policyName ? shiftValue(origin.policyName, d) : undefined;
  const out = {
    method: origin.method,
    span: shiftSpan(origin.span, d),
    nameSpan: shiftSpan(origin.nameSpan, d),
    argsSpan: origin.argsSpan && shiftSpan(origin.argsSpan, d),
    openParen: origin.openParen === undefined ? undefined : origin.openParen + d,
    closeParen: origin.closeParen === undefined ? undefined : origin.closeParen + d,
    conditional: origin.conditional,
    hasSplat: origin.hasSplat,
  } as Record<string, unknown>;
  Object.defineProperty(out, 'args', ARGS);
  if (origin.method === 'iam_policy') {
    out.policyName = policyName;
    Object.defineProperty(out, 'statementsArg', STATEMENTS_ARG);
    Object.defineProperty(out, 'statements', STATEMENTS);
    out.registers = origin.registers;
  } else Object.defineProperty(out, 'names', NAMES);
  const state: MoveState = { origin, offset: d, policyName, values: undefined };
  Object.defineProperty(out, MOVE, { value: state, enumerable: false, writable: false });
  return out as unknown as DslCall;
}

export function shiftOtherCall(c: OtherCall, d: number): OtherCall {
  return d === 0 ? c : { ...c, span: shiftSpan(c.span, d), nameSpan: shiftSpan(c.nameSpan, d) };
}

export function shiftComment(c: Comment, d: number): Comment {
  return d === 0 ? c : { ...c, span: shiftSpan(c.span, d) };
}

/**
 * How each key of a finding's `data` holds positions: a span, a byte offset, or none. A key not listed here cannot
 * be shifted, so a finding that has one is never moved (shiftFinding says so, and its call is checked again).
 */
export const FINDING_DATA_KEYS: Readonly<Record<string, 'span' | 'offset' | 'none'>> = {
  target: 'span',
  removeSpan: 'span',
  statement: 'offset',
  replacements: 'none',
  replacement: 'none',
  remove: 'none',
};

/** The finding `d` bytes further on, or undefined when its data holds a key of unknown kind. */
export function shiftFinding(f: Finding, d: number): Finding | undefined {
  if (d === 0) return f;
  let data = f.data;
  if (data) {
    const moved: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(data)) {
      const kind = FINDING_DATA_KEYS[k];
      if (kind === undefined) return undefined;
      moved[k] = kind === 'span' ? shiftSpan(v as Span, d) : kind === 'offset' ? (v as number) + d : v;
    }
    data = moved;
  }
  return { ...f, span: shiftSpan(f.span, d), ...(data ? { data } : {}) };
}
