// The statements of a role file as the check families see them: each statement hash of each
// `iam_policy` call (after UFO's deep flatten, docs/ufo-semantics.md §3), its entries by IAM element name, and
// the entries UFO drops before IAM sees them (nil values; in v5 also empty arrays, §3.4). Built once
// per model and shared by the families.
import type { DslCall, IamPolicyCall, RoleFileModel } from '../model/roleFile';
import type { ArrayValue, HashEntry, HashValue, KeyStyle, StringValue, Value } from '../model/values';
import type { UfoVersion } from '../compile/compileRoles';
import type { Span } from '../text/span';

export { POLICY_ELEMENTS, type PolicyElement } from '../iam/policyLanguage';
import type { PolicyElement } from '../iam/policyLanguage';

export interface StatementRef {
  readonly call: IamPolicyCall;
  /** Index in the call's flattened statements. */
  readonly index: number;
  readonly value: Value;
  /** The statement hash, when the statement is one. */
  readonly hash?: HashValue;
  /** Entries by their stringified key (the last one wins, as in Ruby and `deep_stringify_keys`), without the ones UFO drops. */
  readonly elements: ReadonlyMap<string, HashEntry>;
  /** Entries UFO drops (nil value; v5: empty array), by stringified key. */
  readonly dropped: ReadonlyMap<string, HashEntry>;
  /** A key is computed at deploy time (`**opts`, `ENV["K"] => ...`): what is missing cannot be known. */
  readonly open: boolean;
}

const cache = new WeakMap<RoleFileModel, Map<UfoVersion, readonly StatementRef[]>>();

/** `build()` once per object and UFO version. */
function perVersion<K extends object, V>(store: WeakMap<K, Map<UfoVersion, V>>, key: K, version: UfoVersion, build: () => V): V {
  let byVersion = store.get(key);
  if (!byVersion) store.set(key, (byVersion = new Map()));
  let hit = byVersion.get(version);
  if (hit === undefined) byVersion.set(version, (hit = build()));
  return hit;
}

/** The key of an entry as `deep_stringify_keys` writes it, or undefined for a computed key. */
export function entryKey(e: HashEntry): string | undefined {
  const k = e.key;
  if (k.kind === 'string' || k.kind === 'symbol') return k.value;
  if (k.kind === 'integer') return k.value.toString();
  if (k.kind === 'boolean') return String(k.value);
  if (k.kind === 'nil') return '';
  return undefined;
}

/** The span of a key as written, without the colon of `Key:` and `"Key":`. */
export function keySpan(e: HashEntry): Span {
  if (e.style === 'label' || e.style === 'quotedLabel') return { start: e.key.span.start, end: e.key.span.end - 1 };
  return e.key.span;
}

function droppedByUfo(v: Value, version: UfoVersion): boolean {
  return v.kind === 'nil' || (version === 5 && v.kind === 'array' && v.elements.length === 0);
}

const brokenCache = new WeakMap<RoleFileModel, ReadonlySet<DslCall>>();

/**
 * The calls that hold a syntax error: the user is in the middle of typing them, and their values are Prism's
 * recovery, so the checks leave them alone until the syntax error is fixed.
 */
export function callsWithSyntaxErrors(model: RoleFileModel): ReadonlySet<DslCall> {
  let set = brokenCache.get(model);
  if (set) return set;
  const errors = model.hasSyntaxErrors ? model.findings.filter((f) => f.code === 'SYNTAX_ERROR').map((f) => f.span.start) : [];
  set = new Set(errors.length === 0 ? [] : model.calls.filter((c) => errors.some((e) => e >= c.span.start && e <= c.span.end)));
  brokenCache.set(model, set);
  return set;
}

const callCache = new WeakMap<IamPolicyCall, Map<UfoVersion, readonly StatementRef[]>>();

/** The statements of one `iam_policy` call, in order (built once per call and version). */
export function statementsOfCall(call: IamPolicyCall, version: UfoVersion): readonly StatementRef[] {
  return perVersion(callCache, call, version, () => {
    const out: StatementRef[] = [];
    call.statements.forEach((value, index) => {
      if (value.kind !== 'hash') {
        out.push({ call, index, value, elements: new Map(), dropped: new Map(), open: value.kind === 'dynamic' });
        return;
      }
      const elements = new Map<string, HashEntry>();
      const dropped = new Map<string, HashEntry>();
      let open = false;
      for (const e of value.entries) {
        const key = entryKey(e);
        if (key === undefined) {
          open = true;
          continue;
        }
        if (droppedByUfo(e.value, version)) {
          elements.delete(key);
          dropped.set(key, e);
        } else {
          elements.set(key, e);
          dropped.delete(key);
        }
      }
      out.push({ call, index, value, hash: value, elements, dropped, open });
    });
    return out;
  });
}

/** The statements of every `iam_policy` call of the file without a syntax error, in order. */
export function statementsOf(model: RoleFileModel, version: UfoVersion): readonly StatementRef[] {
  return perVersion(cache, model, version, () => {
    const broken = callsWithSyntaxErrors(model);
    return model.calls.flatMap((call) => (call.method !== 'iam_policy' || broken.has(call) ? [] : statementsOfCall(call, version)));
  });
}

/**
 * The items of a string-or-list element (Action, Resource, ...): a lone value is a list of one. Undefined when
 * the value is of another shape (hash, number), which DATA_TYPE_MISMATCH reports.
 */
export function listItems(v: Value, version: UfoVersion): readonly Value[] | undefined {
  if (v.kind === 'array') return version === 6 && v.elements.some((e) => e.kind === 'nil') ? v.elements.filter((e) => e.kind !== 'nil') : v.elements;
  if (v.kind === 'string' || v.kind === 'dynamic' || v.kind === 'symbol') return [v];
  return undefined;
}

/** The literal strings of a list, and whether every item is one (no dynamic or other values). */
export function literalStrings(items: readonly Value[]): { strings: StringValue[]; complete: boolean } {
  const strings: StringValue[] = [];
  let complete = true;
  for (const i of items) {
    if (i.kind === 'string') strings.push(i);
    else complete = false;
  }
  return { strings, complete };
}

/** The literal string value of an element, when it is one. */
export function stringOf(e: HashEntry | undefined): string | undefined {
  return e?.value.kind === 'string' ? e.value.value : undefined;
}

/** The effect of a statement when it is written literally and valid. */
export function effectOf(s: StatementRef): 'Allow' | 'Deny' | undefined {
  const v = stringOf(s.elements.get('Effect'));
  return v === 'Allow' || v === 'Deny' ? v : undefined;
}

/**
 * Where a statement-level finding goes: the `iam_policy` name for the keyword form (`iam_policy("n", Action: ...)`),
 * the whole hash when it sits on one line, else its opening brace. Never the whole file or a multi-line range.
 */
export function statementAnchor(s: StatementRef, sameLine: (a: number, b: number) => boolean): Span {
  const v = s.value;
  if (v.kind === 'hash' && !v.braces) return s.call.nameSpan;
  if (sameLine(v.span.start, v.span.end)) return v.span;
  return { start: v.span.start, end: v.span.start + 1 };
}

/** The byte span of the part `[from, to)` (UTF-16 indexes into the value) of a string literal, when its source is the value verbatim. */
export function subSpanOfString(v: StringValue, source: string | undefined, from: number, to: number): Span | undefined {
  if (!v.contentSpan || source === undefined || source !== v.value) return undefined;
  const enc = new TextEncoder();
  const start = v.contentSpan.start + enc.encode(v.value.slice(0, from)).length;
  return { start, end: start + enc.encode(v.value.slice(from, to)).length };
}

/** The key style a new entry of this hash should use, and how its keys are written. */
export interface EntryStyle {
  readonly style: KeyStyle;
  /** For rocket keys: a String key (`"Effect" =>`) or a Symbol (`:Effect =>`). */
  readonly rocketKey: 'string' | 'symbol';
  /** The quote of string keys and values. */
  readonly quote: '"' | "'";
}

export function entryStyleOf(h: HashValue | undefined): EntryStyle {
  const first = h?.entries.find((e) => e.key.kind === 'string' || e.key.kind === 'symbol');
  let quote: '"' | "'" = '"';
  for (const e of h?.entries ?? []) {
    const v = e.value;
    if (v.kind === 'string' && (v.opening === "'" || v.opening === '"')) {
      quote = v.opening;
      break;
    }
  }
  if (!first) return { style: 'label', rocketKey: 'symbol', quote };
  return { style: first.style, rocketKey: first.key.kind === 'string' ? 'string' : 'symbol', quote };
}

/** `Key: value` in the given style. */
export function renderEntry(style: EntryStyle, key: string, valueText: string): string {
  switch (style.style) {
    case 'label':
      return `${key}: ${valueText}`;
    case 'quotedLabel':
      return `"${key}": ${valueText}`;
    case 'rocket':
      return style.rocketKey === 'string' ? `${style.quote}${key}${style.quote} => ${valueText}` : `:${key} => ${valueText}`;
  }
}

/** A string literal in the given quote. Only for texts without quotes, backslashes or `#`. */
export function renderString(style: EntryStyle, s: string): string {
  return `${style.quote}${s}${style.quote}`;
}

export type { ArrayValue };
