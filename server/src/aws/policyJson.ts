// How ufo-iam compares policy documents and reads the ones IAM returns.
//
// Comparison is semantic on JSON structure and literal on values:
// - Object key order never matters (IAM and JSON both ignore it), and neither does whitespace.
// - Array order matters, and so do scalar types: `"Action": "s3:GetObject"` and
//   `"Action": ["s3:GetObject"]` are different documents here, as are `true` and `"true"`.
//   IAM evaluates those pairs the same way, but it stores and returns exactly what it was sent, so the
//   only stable desired state is the document UFO builds, verbatim (docs/ufo-semantics.md §3: UFO never
//   normalises statements). Treating them as equal would leave a live document that differs from the
//   compiled one forever and hide that difference from the plan; treating them as different costs one
//   extra PutRolePolicy, after which live and desired agree and the next plan is empty.
// - Statement order is kept for the same reason: it is what `get-role-policy` shows.
// - Values are exact (one JSON printer, core/compile/serialize.ts): a Float `10.0` is sent and compared as `10.0`,
//   integers keep every digit, and integer-like keys keep their place.

import { fromJsonText, fromPlain, type CValue, toCompactJson, toJsonText } from '../core';

export type Json = CValue;

/**
 * A stable text for a JSON value (a document, or plain data holding documents): object keys sorted at every level,
 * arrays and scalars untouched, printed by the one JSON printer (core/compile/serialize.ts).
 */
export function canonicalJson(value: unknown): string {
  return toCompactJson(fromPlain(value), { sortKeys: true });
}

export function jsonEqual(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/**
 * Parses a policy document as IAM returns it, losing nothing the text says (key order, `10.0` against `10`, every
 * digit). Real IAM URL-encodes documents (RFC 3986) and the SDK does not decode them
 * (https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRolePolicy.html); some emulators return them raw, so
 * raw JSON is accepted too.
 */
export function decodePolicyDocument(text: string): Json {
  const candidates: string[] = [];
  try {
    candidates.push(decodeURIComponent(text));
  } catch {
    // Not URL-encoded (a bare `%` in raw JSON); fall through to the raw text.
  }
  candidates.push(text);
  for (const c of candidates) {
    try {
      return fromJsonText(c);
    } catch {
      // Try the next form.
    }
  }
  throw new Error(`IAM returned a policy document that is not JSON: ${text.slice(0, 80)}${text.length > 80 ? '…' : ''}`);
}

/** The text sent to IAM: compact JSON exactly as UFO's Ruby writes it, keys in the order UFO wrote them (docs/ufo-semantics.md §6). */
export function encodePolicyDocument(doc: unknown): string {
  return toCompactJson(fromPlain(doc));
}

/**
 * Reorders the keys of `live` to follow `desired` wherever both have them, recursively, so a side-by-side
 * diff of live and desired JSON shows only real differences. Keys only in `live` keep their order after.
 */
export function alignKeys(live: unknown, desired: unknown): Json {
  const l = fromPlain(live);
  const d = desired === undefined ? undefined : fromPlain(desired);
  if (Array.isArray(l)) return l.map((item, i) => alignKeys(item, Array.isArray(d) ? d[i] : undefined));
  if (!(l instanceof Map)) return l;
  const want = d instanceof Map ? d : new Map<string, Json>();
  const out = new Map<string, Json>();
  for (const k of want.keys()) if (l.has(k)) out.set(k, alignKeys(l.get(k), want.get(k)));
  for (const [k, v] of l) if (!out.has(k)) out.set(k, alignKeys(v, undefined));
  return out;
}

/** Pretty JSON as shown in plans, the diff editor and `plan --format json`: the printer of `ufo-iam compile`. */
export function prettyJson(value: unknown): string {
  return toJsonText(fromPlain(value));
}
