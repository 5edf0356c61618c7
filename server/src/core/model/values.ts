// The static value of a Ruby expression in a role file. Literals are evaluated; anything else is a
// `dynamic` value that keeps its source text. Every value carries its byte span.
import type { Span } from '../text/span';

export type Value =
  | StringValue
  | SymbolValue
  | IntegerValue
  | FloatValue
  | BooleanValue
  | NilValue
  | ArrayValue
  | HashValue
  | DynamicValue;

export interface StringValue {
  readonly kind: 'string';
  readonly span: Span;
  readonly value: string;
  /** Span of the text between the quotes, when the string is one literal part (not heredoc/concatenation). */
  readonly contentSpan?: Span;
  /** False while the user is still typing it (no closing quote). */
  readonly closed: boolean;
  /** The opening delimiter as written: `"`, `'`, `%w[` element (empty), `<<~EOS`. */
  readonly opening: string;
}

export interface SymbolValue {
  readonly kind: 'symbol';
  readonly span: Span;
  readonly value: string;
  readonly contentSpan?: Span;
  readonly closed: boolean;
}

export interface IntegerValue {
  readonly kind: 'integer';
  readonly span: Span;
  readonly value: bigint;
}

export interface FloatValue {
  readonly kind: 'float';
  readonly span: Span;
  readonly value: number;
}

export interface BooleanValue {
  readonly kind: 'boolean';
  readonly span: Span;
  readonly value: boolean;
}

export interface NilValue {
  readonly kind: 'nil';
  readonly span: Span;
}

export interface ArrayValue {
  readonly kind: 'array';
  readonly span: Span;
  readonly elements: readonly Value[];
  /** False when the closing bracket is missing (half-typed code). */
  readonly closed: boolean;
  /** `[` for a bracket literal, `%w[` / `%i[` for word arrays, '' for an implicit one. */
  readonly opening: string;
}

/** How a hash key was written; it decides the key's Ruby type and the style completion should insert. */
export type KeyStyle = 'label' | 'quotedLabel' | 'rocket';

export interface HashEntry {
  readonly span: Span;
  readonly key: Value;
  readonly value: Value;
  readonly style: KeyStyle;
}

export interface HashValue {
  readonly kind: 'hash';
  readonly span: Span;
  readonly entries: readonly HashEntry[];
  /** True for `{ ... }`; false for trailing keyword arguments (`iam_policy("n", Action: ...)`). */
  readonly braces: boolean;
  readonly closed: boolean;
}

export interface DynamicValue {
  readonly kind: 'dynamic';
  readonly span: Span;
  /** The Ruby source of the expression. */
  readonly source: string;
  /** Why it cannot be known statically, as a short phrase for messages. */
  readonly reason: string;
  /** True for a node Prism inserted for missing code (already reported as a syntax error). */
  readonly missing: boolean;
  /**
   * Set for a literal whose value is known but cannot reach a CloudFormation template (a Float out of range, a
   * Rational, a Complex): the message says why. Reported as UNSUPPORTED_VALUE instead of DYNAMIC_VALUE.
   */
  readonly unsupported?: string;
}

export function isTextual(v: Value): v is StringValue | SymbolValue {
  return v.kind === 'string' || v.kind === 'symbol';
}

/** Depth-first walk over a value and its children. Return false from `visit` to skip the children. */
export function walkValue(v: Value, visit: (v: Value, parent: Value | undefined) => boolean | void, parent?: Value): void {
  if (visit(v, parent) === false) return;
  if (v.kind === 'array') for (const e of v.elements) walkValue(e, visit, v);
  else if (v.kind === 'hash')
    for (const e of v.entries) {
      walkValue(e.key, visit, v);
      walkValue(e.value, visit, v);
    }
}

/** The values of nested arrays, in order, as Ruby's `flatten` gives them (what UFO does to statements and names). */
export function deepFlatten(v: Value, out: Value[]): void {
  if (v.kind === 'array') for (const e of v.elements) deepFlatten(e, out);
  else out.push(v);
}

/** The text of a string or symbol key, else undefined. */
export function keyText(v: Value): string | undefined {
  return v.kind === 'string' || v.kind === 'symbol' ? v.value : undefined;
}

/**
 * Whether UFO keeps a Hash given to managed_iam_policy as it is: its test `item.include?('iam::aws:policy')` asks a Hash
 * whether it has that String key (docs/ufo-semantics.md §4).
 */
export function hashKeptByUfo(v: Value): boolean {
  return v.kind === 'hash' && v.entries.some((e) => e.key.kind === 'string' && e.key.value === 'iam::aws:policy');
}
