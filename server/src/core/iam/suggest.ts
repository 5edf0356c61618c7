// Did-you-mean suggestions by edit distance. The distance is Damerau–Levenshtein in its "optimal string alignment"
// form (insertions, deletions, substitutions and swaps of two adjacent characters each cost 1), compared
// case-insensitively because IAM action names and managed policy lookups are case-insensitive.

/** How far off a word of this length may be before suggesting something for it would be guessing. */
export function defaultMaxDistance(length: number): number {
  if (length <= 4) return 1;
  if (length <= 8) return 2;
  return Math.ceil(length / 4);
}

// Rows of the distance table, reused across calls: suggest() runs over thousands of candidates per keystroke.
let prevPrev = new Int32Array(64);
let prev = new Int32Array(64);
let curr = new Int32Array(64);

/**
 * Optimal-string-alignment distance of `a` and `b` as given (callers lower-case first). Stops early and returns
 * `limit + 1` once the distance is known to exceed `limit`.
 */
export function editDistance(a: string, b: string, limit = Number.MAX_SAFE_INTEGER): number {
  if (a === b) return 0;
  const n = a.length;
  const m = b.length;
  if (Math.abs(n - m) > limit) return limit + 1;
  if (n === 0) return m;
  if (m === 0) return n;
  if (prev.length < m + 1) {
    prevPrev = new Int32Array(m + 1);
    prev = new Int32Array(m + 1);
    curr = new Int32Array(m + 1);
  }
  for (let j = 0; j <= m; j++) prev[j] = j;
  // A swap jumps over one row, so only two rows above the limit in a row prove the distance exceeds it.
  let prevRowMin = 0;
  for (let i = 1; i <= n; i++) {
    curr[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= m; j++) {
      const cb = b.charCodeAt(j - 1);
      const cost = ca === cb ? 0 : 1;
      let d = prev[j - 1] + cost;
      const del = prev[j] + 1;
      if (del < d) d = del;
      const ins = curr[j - 1] + 1;
      if (ins < d) d = ins;
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) {
        const swap = prevPrev[j - 2] + 1;
        if (swap < d) d = swap;
      }
      curr[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > limit && prevRowMin > limit) return limit + 1;
    prevRowMin = rowMin;
    const t = prevPrev;
    prevPrev = prev;
    prev = curr;
    curr = t;
  }
  const result = prev[m];
  return result > limit ? limit + 1 : result;
}

export interface SuggestOptions {
  /** Largest distance still suggested. Default: defaultMaxDistance(input.length). */
  readonly maxDistance?: number;
}

/**
 * Up to `max` candidates closest to `input`, nearest first (ties: the closer length, then alphabetical order), each
 * in the spelling the candidate list has. A candidate that differs only in case comes first (distance 0). Only
 * candidates within `maxDistance` and at most one edit farther than the nearest one are returned.
 */
export function suggest(input: string, candidates: Iterable<string>, max = 3, options: SuggestOptions = {}): string[] {
  if (max <= 0 || input.length === 0) return [];
  const needle = input.toLowerCase();
  let limit = options.maxDistance ?? defaultMaxDistance(needle.length);
  const best: { candidate: string; distance: number; lengthGap: number }[] = [];
  const seen = new Set<string>();
  for (const candidate of candidates) {
    if (seen.has(candidate)) continue;
    seen.add(candidate);
    const gap = Math.abs(candidate.length - needle.length);
    if (gap > limit) continue;
    const distance = editDistance(needle, candidate.toLowerCase(), limit);
    if (distance > limit) continue;
    best.push({ candidate, distance, lengthGap: gap });
    if (best.length > max * 4) {
      // Keep the list short; once it is full, nothing farther than its worst entry can get in any more.
      best.sort(compareSuggestions);
      best.length = max;
      limit = Math.min(limit, best[best.length - 1].distance);
    }
  }
  best.sort(compareSuggestions);
  // Past the nearest candidate, only those about as near are worth offering: "GetObjekt" should bring
  // "GetObject" (1 edit), not also "PutObject" (3 edits), which means something else.
  const cutoff = best.length > 0 ? best[0].distance + 1 : 0;
  return best
    .filter((s) => s.distance <= cutoff)
    .slice(0, max)
    .map((s) => s.candidate);
}

function compareSuggestions(
  a: { candidate: string; distance: number; lengthGap: number },
  b: { candidate: string; distance: number; lengthGap: number },
): number {
  return (
    a.distance - b.distance ||
    a.lengthGap - b.lengthGap ||
    (a.candidate < b.candidate ? -1 : a.candidate > b.candidate ? 1 : 0)
  );
}
