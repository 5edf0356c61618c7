// The compiled output's value type. It mirrors the Ruby data UFO builds: ordered hashes with string
// keys (a Map, so integer-like keys keep their place), integers, Ruby floats (printed as Ruby prints
// them), and unknown values from deploy-time expressions.
import { rubyFloatToS } from '../parse/evaluate';

export class RubyFloat {
  constructor(readonly value: number) {}
  toString(): string {
    return rubyFloatToS(this.value);
  }
}

/** A value UFO computes at deploy time; the compiled output is partial where one appears. */
export class Unknown {
  constructor(readonly source: string) {}
  toString(): string {
    return `<dynamic: ${this.source}>`;
  }
}

export type CValue = string | bigint | RubyFloat | boolean | null | Unknown | CValue[] | CMap;
export type CMap = Map<string, CValue>;

export function cmap(entries: [string, CValue][]): CMap {
  return new Map(entries);
}

/**
 * Plain JavaScript for tests and for consumers that only look (never print or send): floats become numbers, big
 * integers lose precision and integer-like keys move. Everything printed or sent to AWS goes through serialize.ts.
 */
export function toPlain(v: CValue): unknown {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof RubyFloat) return v.value;
  if (v instanceof Unknown) return v.toString();
  if (Array.isArray(v)) return v.map(toPlain);
  const o: Record<string, unknown> = {};
  for (const [k, x] of v) o[k] = toPlain(x);
  return o;
}

/**
 * A CValue from plain JavaScript data (a plan's view of a role, a test's fixture): objects become ordered maps, whole
 * numbers Integers, other numbers Floats; CValues inside are kept as they are. `undefined` members are left out.
 */
export function fromPlain(x: unknown): CValue {
  if (x === null || x === undefined) return null;
  if (typeof x === 'string' || typeof x === 'boolean' || typeof x === 'bigint') return x;
  if (typeof x === 'number') return Number.isInteger(x) ? BigInt(x) : new RubyFloat(x);
  if (x instanceof RubyFloat || x instanceof Unknown) return x;
  if (Array.isArray(x)) return x.map(fromPlain);
  if (x instanceof Map) return new Map([...x].map(([k, v]) => [String(k), fromPlain(v)]));
  const m: CMap = new Map();
  for (const [k, v] of Object.entries(x as Record<string, unknown>)) if (v !== undefined) m.set(k, fromPlain(v));
  return m;
}

/**
 * Parses JSON text (a policy document as IAM returns it) without losing anything the text says: objects keep their
 * key order (integer-like keys too), integers keep every digit, and a number written with a fraction or an exponent
 * (`10.0`) stays a Float, so it prints back as it came. Throws SyntaxError on text that is not JSON.
 */
export function fromJsonText(text: string): CValue {
  let i = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at position ${i}`);
  };
  const ws = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const value = (): CValue => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const m: CMap = new Map();
      ws();
      if (text[i] === '}') {
        i++;
        return m;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a string key');
        const key = string();
        ws();
        if (text[i++] !== ':') fail('expected ":"');
        // JSON.parse keeps the last value of a repeated key; so does this.
        m.set(key, value());
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          return m;
        } else fail('expected "," or "}"');
      }
    }
    if (c === '[') {
      i++;
      const a: CValue[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return a;
      }
      for (;;) {
        a.push(value());
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') {
          i++;
          return a;
        } else fail('expected "," or "]"');
      }
    }
    if (c === '"') return string();
    if (text.startsWith('true', i)) return (i += 4), true;
    if (text.startsWith('false', i)) return (i += 5), false;
    if (text.startsWith('null', i)) return (i += 4), null;
    const m = /^-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) return fail('unexpected character');
    i += m[0].length;
    return m[1] !== undefined || m[2] !== undefined ? new RubyFloat(Number(m[0])) : BigInt(m[0]);
  };
  const string = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    if (i >= text.length) fail('unterminated string');
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const v = value();
  ws();
  if (i < text.length) fail('unexpected text after the JSON value');
  return v;
}

export function containsUnknown(v: CValue): boolean {
  if (v instanceof Unknown) return true;
  if (Array.isArray(v)) return v.some(containsUnknown);
  if (v instanceof Map) for (const x of v.values()) if (containsUnknown(x)) return true;
  return false;
}
