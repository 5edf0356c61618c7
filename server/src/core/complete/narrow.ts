// Server-side narrowing of long completion lists. A client filters a list itself as the user types,
// but a list of 1,610 managed policies is about 200 KB of JSON per request: long lists are cut to
// the entries that can still match what is typed, best first, and marked incomplete so that the
// client asks again as the typed text changes (LSP `CompletionList.isIncomplete`).
import type { CompletionEntry, CompletionResult } from './complete';

/** Lists longer than this are narrowed; a narrowed list holds at most this many entries. */
export const COMPLETION_LIMIT = 100;

export interface NarrowedResult extends CompletionResult {
  /** Entries were left out: the client must ask again when the typed text changes. */
  readonly incomplete: boolean;
}

interface Prepared {
  /** The entries in the order a client sorts them when they score alike: by sortText, else label. */
  readonly sorted: readonly CompletionEntry[];
  /** Their lower-cased filter texts. */
  readonly texts: readonly string[];
}

/** Per list (the long lists are shared arrays, see complete.ts). */
const prepared = new WeakMap<readonly CompletionEntry[], Prepared>();

function prepare(items: readonly CompletionEntry[]): Prepared {
  let p = prepared.get(items);
  if (!p) {
    const key = (e: CompletionEntry) => e.sortText ?? e.label;
    const sorted = [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    prepared.set(items, (p = { sorted, texts: sorted.map((e) => (e.filterText ?? e.label).toLowerCase()) }));
  }
  return p;
}

/**
 * The result with at most `limit` entries. `typed` is the text between the start of the replaced span and the
 * cursor, which is what a client filters on. Entries that cannot match it (its characters in order, ignoring case)
 * are dropped; of the rest, those whose filter text starts with it come first, then those with a word that starts
 * with it, then those that contain it, then the other matches; within each group, entries come in the order a client
 * sorts equal matches (sortText, else label), so the entries a list puts first (`*` before a service's actions,
 * current policies before retired ones) are the ones kept.
 * A list no longer than `limit` is returned whole and complete, so the client filters it as before.
 */
export function narrowResult(result: CompletionResult, typed: string, limit = COMPLETION_LIMIT): NarrowedResult {
  const items = result.items;
  if (items.length <= limit) return { ...result, incomplete: false };
  const { sorted, texts } = prepare(items);
  const q = typed.toLowerCase();
  const groups: CompletionEntry[][] = [[], [], [], []];
  let best = 0;
  for (let i = 0; i < sorted.length && best < limit; i++) {
    const g = matchGroup(texts[i], q);
    if (g === undefined) continue;
    groups[g].push(sorted[i]);
    if (g === 0) best++;
  }
  const picked: CompletionEntry[] = [];
  for (const g of groups) for (const e of g) if (picked.length < limit) picked.push(e);
  return { ...result, items: picked, incomplete: true };
}

/** 0: the text starts with `q`; 1: one of its words does; 2: it contains `q`; 3: it has `q`'s characters in order. */
function matchGroup(text: string, q: string): 0 | 1 | 2 | 3 | undefined {
  if (q === '' || text.startsWith(q)) return 0;
  const at = text.indexOf(q);
  if (at > 0) return isWordStart(text, at) || wordStartsWith(text, q, at) ? 1 : 2;
  let i = 0;
  for (let j = 0; j < text.length && i < q.length; j++) if (text.charCodeAt(j) === q.charCodeAt(i)) i++;
  return i === q.length ? 3 : undefined;
}

/** A word of a filter text starts after a space, `/`, `:`, `-` or `_` (`service-role/AmazonECS...`). */
function isWordStart(text: string, at: number): boolean {
  const c = text[at - 1];
  return c === ' ' || c === '/' || c === ':' || c === '-' || c === '_';
}

function wordStartsWith(text: string, q: string, from: number): boolean {
  for (let at = text.indexOf(q, from + 1); at > 0; at = text.indexOf(q, at + 1)) if (isWordStart(text, at)) return true;
  return false;
}
