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

/** Plain JSON for consumers that compare documents (plan/apply): floats become numbers. */
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

export function containsUnknown(v: CValue): boolean {
  if (v instanceof Unknown) return true;
  if (Array.isArray(v)) return v.some(containsUnknown);
  if (v instanceof Map) for (const x of v.values()) if (containsUnknown(x)) return true;
  return false;
}
