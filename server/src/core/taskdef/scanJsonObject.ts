// A tolerant scanner for the top-level object of a JSON task definition, run on ERB-masked text
// (maskErb.ts). It finds each member's key, value and separating comma with their offsets, skips nested
// values without descending into them, and never throws: a rendered template may be invalid JSON until
// ERB has run (a stray placeholder where a member was printed, a branch that repeats a value), so it
// recovers at the next comma or closing brace instead of failing. Offsets are UTF-16 (see maskErb.ts).

import type { TextRange } from './maskErb';

export type JsonValueType = 'string' | 'object' | 'array' | 'scalar' | 'missing';

export interface JsonMember {
  /** The decoded key; for a bare (unquoted) key, its text. */
  readonly key: string;
  /** The key token, quotes included. */
  readonly keyRange: TextRange;
  /** Offset just after the colon. */
  readonly colonEnd: number;
  /** The value's first token, quotes included; empty at `colonEnd` when the value is missing. */
  readonly valueRange: TextRange;
  readonly valueType: JsonValueType;
  /** End of the value and of any stray tokens that follow it before the next comma or closing brace. */
  readonly tailEnd: number;
  /** Whether stray tokens followed the value (e.g. two strings from two ERB branches). */
  readonly hasStrayTokens: boolean;
  /** Offset of the comma that ends the member, or -1. */
  readonly comma: number;
}

/** A string or bare word where a key was expected but no colon followed: e.g. `<%= extra_members %>`. */
export interface JsonStrayToken extends TextRange {}

export interface JsonObjectScan {
  /** Offset of `{`. */
  readonly open: number;
  /** Offset of the matching `}`, or -1 when the text ends first. */
  readonly close: number;
  readonly members: readonly JsonMember[];
  readonly strays: readonly JsonStrayToken[];
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0xfeff;
}

function isDelimiter(c: number): boolean {
  return isSpace(c) || c === 0x2c || c === 0x3a || c === 0x7b || c === 0x7d || c === 0x5b || c === 0x5d || c === 0x22;
}

export function skipSpace(text: string, i: number): number {
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** End of the double-quoted string starting at `i` (after its closing quote; the text's end if unterminated). */
function stringEnd(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x5c) j++;
    else if (c === 0x22) return j + 1;
  }
  return text.length;
}

/** End of the bracketed value starting at `i`, counting brackets iteratively and skipping strings. */
function bracketEnd(text: string, i: number): number {
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x22) j = stringEnd(text, j) - 1;
    else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) {
      depth--;
      if (depth === 0) return j + 1;
    }
  }
  return text.length;
}

function wordEnd(text: string, i: number): number {
  let j = i;
  while (j < text.length && !isDelimiter(text.charCodeAt(j))) j++;
  return j === i ? i + 1 : j;
}

/** The value token at `i`: its end and type. */
function valueAt(text: string, i: number): { end: number; type: JsonValueType } {
  const c = text.charCodeAt(i);
  if (c === 0x22) return { end: stringEnd(text, i), type: 'string' };
  if (c === 0x7b) return { end: bracketEnd(text, i), type: 'object' };
  if (c === 0x5b) return { end: bracketEnd(text, i), type: 'array' };
  return { end: wordEnd(text, i), type: 'scalar' };
}

/** Decodes a JSON string token; undefined when it is not valid JSON. */
export function decodeJsonString(raw: string): string | undefined {
  try {
    const v: unknown = JSON.parse(raw);
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the token at `i` is a key: a string or bare word followed by a colon. */
function isKeyAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c !== 0x22 && isDelimiter(c)) return false;
  const end = c === 0x22 ? stringEnd(text, i) : wordEnd(text, i);
  return text.charCodeAt(skipSpace(text, end)) === 0x3a;
}

/**
 * Scans the object whose `{` is at `open` in the masked text. Keys may be quoted (JSON) or bare words
 * (a YAML flow mapping written like JSON).
 */
export function scanJsonObject(text: string, open: number): JsonObjectScan {
  const members: JsonMember[] = [];
  const strays: JsonStrayToken[] = [];
  let i = open + 1;
  let close = -1;
  while (i < text.length) {
    i = skipSpace(text, i);
    if (i >= text.length) break;
    const c = text.charCodeAt(i);
    if (c === 0x7d) {
      close = i;
      break;
    }
    if (c === 0x2c || c === 0x3a || c === 0x5d) {
      i++;
      continue;
    }
    if (c === 0x7b || c === 0x5b) {
      const end = bracketEnd(text, i);
      strays.push({ start: i, end });
      i = end;
      continue;
    }
    const keyEnd = c === 0x22 ? stringEnd(text, i) : wordEnd(text, i);
    const keyRange = { start: i, end: keyEnd };
    let j = skipSpace(text, keyEnd);
    if (text.charCodeAt(j) !== 0x3a) {
      strays.push(keyRange);
      i = keyEnd;
      continue;
    }
    const rawKey = text.slice(keyRange.start, keyRange.end);
    const key = c === 0x22 ? decodeJsonString(rawKey) ?? rawKey.slice(1, -1) : rawKey;
    const colonEnd = j + 1;
    j = skipSpace(text, colonEnd);
    let valueRange: TextRange;
    let valueType: JsonValueType;
    const v = text.charCodeAt(j);
    if (j >= text.length || v === 0x2c || v === 0x7d) {
      valueRange = { start: colonEnd, end: colonEnd };
      valueType = 'missing';
    } else {
      const value = valueAt(text, j);
      valueRange = { start: j, end: value.end };
      valueType = value.type;
    }
    // Stray tokens up to the next comma or closing brace, stopping early at something that looks like
    // the next member's key (a missing comma).
    let tailEnd = valueRange.end;
    let hasStrayTokens = false;
    j = skipSpace(text, tailEnd);
    while (j < text.length) {
      const t = text.charCodeAt(j);
      if (t === 0x2c || t === 0x7d || isKeyAt(text, j)) break;
      tailEnd = t === 0x3a || t === 0x5d ? j + 1 : valueAt(text, j).end;
      hasStrayTokens = true;
      j = skipSpace(text, tailEnd);
    }
    const comma = text.charCodeAt(j) === 0x2c ? j : -1;
    members.push({ key, keyRange, colonEnd, valueRange, valueType, tailEnd, hasStrayTokens, comma });
    i = comma === -1 ? j : comma + 1;
  }
  return { open, close, members, strays };
}
