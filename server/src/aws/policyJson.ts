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

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A stable text for a JSON value: object keys sorted at every level, arrays and scalars untouched. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) out[k] = sortKeys((value as Record<string, unknown>)[k]);
    return out;
  }
  return value;
}

export function jsonEqual(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/**
 * Parses a policy document as IAM returns it. Real IAM URL-encodes documents (RFC 3986) and the SDK
 * does not decode them (https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRolePolicy.html); some emulators return them raw, so raw JSON is accepted too.
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
      return JSON.parse(c) as Json;
    } catch {
      // Try the next form.
    }
  }
  throw new Error(`IAM returned a policy document that is not JSON: ${text.slice(0, 80)}${text.length > 80 ? '…' : ''}`);
}

/** The text sent to IAM: compact JSON, keys in the order UFO wrote them (docs/ufo-semantics.md §6). */
export function encodePolicyDocument(doc: unknown): string {
  return JSON.stringify(doc);
}

/**
 * Reorders the keys of `live` to follow `desired` wherever both have them, recursively, so a side-by-side
 * diff of live and desired JSON shows only real differences. Keys only in `live` keep their order after.
 */
export function alignKeys(live: unknown, desired: unknown): unknown {
  if (Array.isArray(live)) {
    return live.map((item, i) => alignKeys(item, Array.isArray(desired) ? desired[i] : undefined));
  }
  if (live === null || typeof live !== 'object') return live;
  const l = live as Record<string, unknown>;
  const d = desired !== null && typeof desired === 'object' && !Array.isArray(desired) ? (desired as Record<string, unknown>) : {};
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(d)) if (k in l) out[k] = alignKeys(l[k], d[k]);
  for (const k of Object.keys(l)) if (!(k in out)) out[k] = alignKeys(l[k], undefined);
  return out;
}

/** Pretty JSON as shown in plans and the diff editor. */
export function prettyJson(value: unknown): string {
  return JSON.stringify(value, null, 2);
}
