// Static evaluation of Ruby literals from Prism nodes. Nothing is executed: a node that is not a
// literal (variable, method call, constant, non-literal interpolation) becomes a `dynamic` value.
import type { Span } from '../text/span';
import { spanOfLocation } from '../text/span';
import type { HashEntry, KeyStyle, Value, DynamicValue, StringValue } from '../model/values';

// Prism's JS nodes are plain classes; we read them structurally.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type PrismNode = any;

export interface EvalContext {
  /** Source text of a byte span (for dynamic values and key styles). */
  sliceBytes(start: number, end: number): string;
  /** The 1-based line the parsed source starts on: 1 for a file, the call's line for a call parsed alone. */
  readonly firstLine?: number;
}

export function nodeSpan(node: PrismNode): Span {
  return spanOfLocation(node.location);
}

function dynamic(node: PrismNode, ctx: EvalContext, reason: string, missing = false): DynamicValue {
  const span = nodeSpan(node);
  return { kind: 'dynamic', span, source: ctx.sliceBytes(span.start, span.end), reason, missing };
}

/** A literal whose value Ruby knows but that UFO cannot write into a CloudFormation template. */
function unsupported(node: PrismNode, ctx: EvalContext, reason: string, message: string): DynamicValue {
  return { ...dynamic(node, ctx, reason), unsupported: message };
}

/** Prism gives a missing closing delimiter a zero-length location (half-typed code), or none at all. */
function hasClosing(node: PrismNode): boolean {
  return node.closingLoc != null && node.closingLoc.length > 0;
}

function nodeType(node: PrismNode): string {
  return node?.constructor?.name ?? 'unknown';
}

/**
 * Ruby's `to_s` of a literal (interpolation `"a#{1}"`, stringified hash keys): an Array's is its `inspect`
 * (`"#{%w[a b]}"` is `["a", "b"]`). Undefined for what cannot be known here: a dynamic value, and a Hash, whose
 * `inspect` differs between Ruby versions (`{"a"=>1}` before Ruby 3.4, `{"a" => 1}` since).
 */
export function literalToS(v: Value): string | undefined {
  switch (v.kind) {
    case 'string':
    case 'symbol':
      return v.value;
    case 'nil':
      return '';
    default:
      return rubyInspect(v);
  }
}

/**
 * Characters Ruby's String#inspect writes as `\uXXXX` in a UTF-8 string (checked against Ruby 3.1): control characters
 * but U+0085 (which Onigmo counts as a space), line and paragraph separators, surrogates, and unassigned code points.
 * Format characters (U+200B, U+FEFF, U+00AD) and private-use ones are written as they are.
 */
const NON_PRINTABLE = /[\p{Cc}\p{Cs}\p{Cn}\p{Zl}\p{Zp}]/u;
const SHORT_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\f': '\\f', '\v': '\\v', '\b': '\\b', '\x07': '\\a', '\x1b': '\\e' };

/** Ruby's String#inspect of a UTF-8 string. */
export function rubyStringInspect(s: string): string {
  let out = '"';
  const chars = [...s];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c === '"' || c === '\\') out += `\\${c}`;
    else if (c === '#' && (chars[i + 1] === '{' || chars[i + 1] === '$' || chars[i + 1] === '@')) out += '\\#';
    else if (SHORT_ESCAPES[c]) out += SHORT_ESCAPES[c];
    else if (c !== '\u0085' && NON_PRINTABLE.test(c)) {
      const cp = c.codePointAt(0)!;
      out += cp > 0xffff ? `\\u{${cp.toString(16).toUpperCase()}}` : `\\u${cp.toString(16).toUpperCase().padStart(4, '0')}`;
    } else out += c;
  }
  return `${out}"`;
}

/** Symbols whose inspect needs no quotes: names (with `?`, `!` or `=`), instance, class and global variables, operators. */
const SIMPLE_SYMBOL =
  /^(?:[A-Za-z_\u0080-\u{10ffff}][\w\u0080-\u{10ffff}]*[?!=]?|@@?[A-Za-z_\u0080-\u{10ffff}][\w\u0080-\u{10ffff}]*|\$(?:[A-Za-z_\u0080-\u{10ffff}][\w\u0080-\u{10ffff}]*|[~*$?!@/\\;,.=:<>"&`'+0-9])|\[\]=?|[+-]@?|\*\*?|[/%~^&|!`]|===?|=~|!=|!~|<=>|<<|>>|<=?|>=?)$/u;

/** Ruby's `inspect` of a literal; undefined for a dynamic value and for a Hash (see `literalToS`). */
export function rubyInspect(v: Value): string | undefined {
  switch (v.kind) {
    case 'string':
      return rubyStringInspect(v.value);
    case 'symbol':
      return SIMPLE_SYMBOL.test(v.value) ? `:${v.value}` : `:${rubyStringInspect(v.value)}`;
    case 'integer':
      return v.value.toString();
    case 'float':
      return rubyFloatToS(v.value);
    case 'boolean':
      return String(v.value);
    case 'nil':
      return 'nil';
    case 'array': {
      const parts: string[] = [];
      for (const e of v.elements) {
        const t = rubyInspect(e);
        if (t === undefined) return undefined;
        parts.push(t);
      }
      return `[${parts.join(', ')}]`;
    }
    default:
      return undefined;
  }
}

/** Ruby's Float#to_s (used for interpolation and for JSON output of floats). */
export function rubyFloatToS(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(x);
  if (abs >= 1e16 || abs < 1e-4) {
    // Ruby: 1.0e+16, 1.5e-05
    const [mant, exp] = x.toExponential().split('e');
    const m = mant.includes('.') ? mant : `${mant}.0`;
    const e = Number(exp);
    return `${m}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  const s = String(x);
  return s.includes('.') || s.includes('e') ? s : `${s}.0`;
}

function parseInteger(text: string): bigint | undefined {
  let t = text.replace(/_/g, '');
  let sign = 1n;
  if (t.startsWith('-')) {
    sign = -1n;
    t = t.slice(1);
  } else if (t.startsWith('+')) t = t.slice(1);
  try {
    if (/^0[xX][0-9a-fA-F]+$/.test(t)) return sign * BigInt(t);
    if (/^0[bB][01]+$/.test(t)) return sign * BigInt(t);
    if (/^0[oO]?[0-7]+$/.test(t)) return sign * BigInt('0o' + t.replace(/^0[oO]?/, ''));
    if (/^0[dD]\d+$/.test(t)) return sign * BigInt(t.slice(2));
    if (/^\d+$/.test(t)) return sign * BigInt(t);
  } catch {
    return undefined;
  }
  return undefined;
}

function stringValue(node: PrismNode, ctx: EvalContext, value: string): StringValue {
  const span = nodeSpan(node);
  const opening = node.openingLoc ? ctx.sliceBytes(node.openingLoc.startOffset, node.openingLoc.startOffset + node.openingLoc.length) : '';
  const isHeredoc = opening.startsWith('<<');
  return {
    kind: 'string',
    span,
    value,
    contentSpan: node.contentLoc && !isHeredoc ? spanOfLocation(node.contentLoc) : undefined,
    closed: node.openingLoc == null || hasClosing(node),
    opening,
  };
}

function keyStyle(keyNode: PrismNode, ctx: EvalContext): KeyStyle {
  if (nodeType(keyNode) === 'SymbolNode' || nodeType(keyNode) === 'InterpolatedSymbolNode') {
    const closing = keyNode.closingLoc ? ctx.sliceBytes(keyNode.closingLoc.startOffset, keyNode.closingLoc.startOffset + keyNode.closingLoc.length) : '';
    if (closing.endsWith(':')) {
      const opening = keyNode.openingLoc ? ctx.sliceBytes(keyNode.openingLoc.startOffset, keyNode.openingLoc.startOffset + keyNode.openingLoc.length) : '';
      return opening === '"' || opening === "'" ? 'quotedLabel' : 'label';
    }
  }
  return 'rocket';
}

/** Evaluates the parts of an interpolated string or symbol; undefined if any part is not a literal. */
function interpolatedText(node: PrismNode, ctx: EvalContext): string | undefined {
  let out = '';
  for (const part of node.parts ?? []) {
    const t = nodeType(part);
    if (t === 'StringNode') out += part.unescaped?.value ?? '';
    else if (t === 'InterpolatedStringNode') {
      const inner = interpolatedText(part, ctx);
      if (inner === undefined) return undefined;
      out += inner;
    } else if (t === 'EmbeddedStatementsNode') {
      const body = part.statements?.body ?? [];
      if (body.length === 0) continue; // "#{}" is ""
      if (body.length !== 1) return undefined;
      // A Float out of range is Infinity, and its to_s is "Infinity": known, although the Float itself cannot reach a template.
      const text = nodeType(body[0]) === 'FloatNode' ? rubyFloatToS(Number(body[0].value)) : literalToS(evaluate(body[0], ctx));
      if (text === undefined) return undefined;
      out += text;
    } else return undefined;
  }
  return out;
}

export function evaluate(node: PrismNode, ctx: EvalContext): Value {
  const span = nodeSpan(node);
  switch (nodeType(node)) {
    case 'StringNode':
      return stringValue(node, ctx, node.unescaped?.value ?? '');
    case 'XStringNode':
      return dynamic(node, ctx, 'a shell command');
    case 'InterpolatedStringNode': {
      const text = interpolatedText(node, ctx);
      if (text === undefined) return dynamic(node, ctx, 'interpolation of a value computed at deploy time');
      const opening = node.openingLoc ? ctx.sliceBytes(node.openingLoc.startOffset, node.openingLoc.startOffset + node.openingLoc.length) : '';
      return { kind: 'string', span, value: text, closed: node.openingLoc == null || hasClosing(node), opening };
    }
    case 'SymbolNode':
      return {
        kind: 'symbol',
        span,
        value: node.unescaped?.value ?? '',
        contentSpan: node.valueLoc ? spanOfLocation(node.valueLoc) : undefined,
        closed: !(node.openingLoc && ctx.sliceBytes(node.openingLoc.startOffset, node.openingLoc.startOffset + node.openingLoc.length).match(/["']$/)) || hasClosing(node),
      };
    case 'InterpolatedSymbolNode': {
      const text = interpolatedText(node, ctx);
      if (text === undefined) return dynamic(node, ctx, 'interpolation of a value computed at deploy time');
      return { kind: 'symbol', span, value: text, closed: hasClosing(node) };
    }
    case 'IntegerNode': {
      const v = parseInteger(ctx.sliceBytes(span.start, span.end));
      return v === undefined ? { kind: 'integer', span, value: BigInt(Math.trunc(Number(node.value) || 0)) } : { kind: 'integer', span, value: v };
    }
    case 'FloatNode': {
      const value = Number(node.value);
      if (Number.isFinite(value)) return { kind: 'float', span, value };
      const source = ctx.sliceBytes(span.start, span.end);
      return unsupported(node, ctx, 'a Float out of range', `\`${source}\` is out of range for a Float: Ruby evaluates it to ${value > 0 ? '' : '-'}Infinity, which no CloudFormation template or IAM policy can hold. Write a number IAM accepts.`);
    }
    case 'RationalNode':
    case 'ImaginaryNode': {
      const source = ctx.sliceBytes(span.start, span.end);
      const what = nodeType(node) === 'RationalNode' ? 'a Rational' : 'a Complex number';
      return unsupported(node, ctx, what, `\`${source}\` is ${what}: UFO writes it into the CloudFormation template as a Ruby object, which CloudFormation rejects. Write an Integer or a Float${nodeType(node) === 'RationalNode' ? ` (\`${source.replace(/r$/, '')}\`)` : ''}.`);
    }
    case 'SourceLineNode': {
      // `__LINE__`: the 1-based line of the keyword in the file, as UFO's instance_eval passes the file's own lines.
      const before = ctx.sliceBytes(0, span.start);
      let line = ctx.firstLine ?? 1;
      for (let i = before.indexOf('\n'); i !== -1; i = before.indexOf('\n', i + 1)) line++;
      return { kind: 'integer', span, value: BigInt(line) };
    }
    case 'SourceFileNode':
      return dynamic(node, ctx, "the file's path on the machine that runs UFO");
    case 'SourceEncodingNode':
      return dynamic(node, ctx, 'an Encoding object');
    case 'TrueNode':
      return { kind: 'boolean', span, value: true };
    case 'FalseNode':
      return { kind: 'boolean', span, value: false };
    case 'NilNode':
      return { kind: 'nil', span };
    case 'ParenthesesNode': {
      const body = node.body;
      if (body && nodeType(body) === 'StatementsNode' && body.body.length === 1) return evaluate(body.body[0], ctx);
      if (body && nodeType(body) !== 'StatementsNode') return evaluate(body, ctx);
      return dynamic(node, ctx, 'a parenthesized expression');
    }
    case 'ArrayNode': {
      const elements: Value[] = [];
      for (const el of node.elements ?? []) {
        if (nodeType(el) === 'SplatNode') {
          const inner = el.expression ? evaluate(el.expression, ctx) : dynamic(el, ctx, 'a splat');
          if (inner.kind === 'array') elements.push(...inner.elements);
          else if (inner.kind === 'nil') continue; // [*nil] is []
          else elements.push(inner.kind === 'dynamic' ? dynamic(el, ctx, inner.reason, inner.missing) : inner);
        } else elements.push(evaluate(el, ctx));
      }
      const opening = node.openingLoc ? ctx.sliceBytes(node.openingLoc.startOffset, node.openingLoc.startOffset + node.openingLoc.length) : '';
      return { kind: 'array', span, elements, closed: node.openingLoc == null || hasClosing(node), opening };
    }
    case 'HashNode':
    case 'KeywordHashNode': {
      const entries: HashEntry[] = [];
      for (const el of node.elements ?? []) {
        if (nodeType(el) === 'AssocNode') {
          const key = evaluate(el.key, ctx);
          const value =
            el.value == null || nodeType(el.value) === 'ImplicitNode'
              ? dynamic(el.value ?? el, ctx, 'a value taken from a variable of the same name')
              : evaluate(el.value, ctx);
          entries.push({ span: nodeSpan(el), key, value, style: keyStyle(el.key, ctx) });
        } else {
          // `**{...}` of a literal hash merges its entries; `**other` merges keys that are unknown here.
          const inner = el.value ? evaluate(el.value, ctx) : undefined;
          if (inner?.kind === 'hash') entries.push(...inner.entries);
          else {
            const d = dynamic(el, ctx, 'a double splat');
            entries.push({ span: nodeSpan(el), key: d, value: d, style: 'rocket' });
          }
        }
      }
      const braces = nodeType(node) === 'HashNode';
      return { kind: 'hash', span, entries, braces, closed: !braces || hasClosing(node) };
    }
    case 'MissingNode':
      return dynamic(node, ctx, 'missing code', true);
    case 'LocalVariableReadNode':
      return dynamic(node, ctx, 'a local variable');
    case 'InstanceVariableReadNode':
      return dynamic(node, ctx, 'an instance variable');
    case 'ConstantReadNode':
    case 'ConstantPathNode':
      return dynamic(node, ctx, 'a constant');
    case 'CallNode': {
      // `"a" + "b"` and `[x] + [y]`: String#+ and Array#+ of literals are known without running anything.
      if (node.name === '+' && node.receiver && node.block == null && (node.arguments_?.arguments_ ?? []).length === 1) {
        const left = evaluate(node.receiver, ctx);
        const right = evaluate(node.arguments_.arguments_[0], ctx);
        if (left.kind === 'string' && right.kind === 'string') {
          return { kind: 'string', span, value: left.value + right.value, closed: left.closed && right.closed, opening: left.opening };
        }
        if (left.kind === 'array' && right.kind === 'array') {
          return { kind: 'array', span, elements: [...left.elements, ...right.elements], closed: left.closed && right.closed, opening: left.opening };
        }
        if (left.kind === 'dynamic' || right.kind === 'dynamic') return dynamic(node, ctx, left.kind === 'dynamic' ? left.reason : (right as DynamicValue).reason);
      }
      return dynamic(node, ctx, 'a method call evaluated at deploy time');
    }
    default:
      return dynamic(node, ctx, 'an expression evaluated at deploy time');
  }
}
