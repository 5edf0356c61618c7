// A small, forgiving Ruby tokenizer for one line of UTF-8 bytes, used to find out where the cursor is while the
// user types. Prism's error recovery is right for diagnostics but not for the token under the cursor: an
// unterminated string runs on into the next lines and swallows them, so the text a user is typing can end up
// inside some other string of the tree. Here every string ends at the end of its line at the latest (role files
// never need multi-line strings), so half-typed text stays local. Word arrays (`%w[...]`) may span lines; their
// state is carried from line to line by the caller.
//
// Offsets are UTF-8 byte offsets into the whole source, like the model's spans. All syntax characters are ASCII,
// so the lexer never needs to decode: bytes >= 0x80 are letters of identifiers or string contents.

/**
 * - `ident`: identifier, constant, keyword or variable (`iam_policy`, `Action`, `@x`, `$y`).
 * - `label`: a hash label, `Action:` or the quoted form `"aws:SourceIp":`; `cs..ce` is the name.
 * - `symbol`: `:Action` or `:"Action"`; `cs..ce` is the name.
 * - `string`: a quoted string; `cs..ce` is the content.
 * - `word`: a word of a `%w[...]` / `%i[...]` array; `cs..ce` is the word.
 * - `wordsOpen`: the opening of a word array (`%w[`); `punct` is the closing delimiter.
 * - `punct`: one of `( ) [ ] { } , ; =>` (and the closing delimiter of a word array); `punct` holds it.
 * - `other`: anything else (numbers, operators, `.`): it means nothing here, but it is a value.
 */
export type TokenType = 'ident' | 'label' | 'symbol' | 'string' | 'word' | 'wordsOpen' | 'punct' | 'other';

export interface Token {
  readonly type: TokenType;
  readonly start: number;
  readonly end: number;
  /** Content start and end (strings, words, symbol and label names); equal to start/end otherwise. */
  readonly cs: number;
  readonly ce: number;
  /** The quote character of a string or quoted label/symbol (`"` or `'`), '' otherwise. */
  readonly quote: string;
  /** False for a string without its closing quote on the line (it then ends at the line's end). */
  readonly closed: boolean;
  /** The punctuation itself for Punct tokens; the closing delimiter for WordsOpen. */
  readonly punct: string;
}

/** State carried between lines: an open word array. */
export interface LexState {
  words: { readonly open: number; readonly close: number; depth: number } | null;
}

const CLOSING: Record<number, number> = { 0x5b: 0x5d, 0x28: 0x29, 0x7b: 0x7d, 0x3c: 0x3e }; // [ ( { <

function isIdentStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c >= 0x80;
}

function isIdentChar(c: number): boolean {
  return isIdentStart(c) || (c >= 0x30 && c <= 0x39);
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0b || c === 0x0c;
}

function tok(type: TokenType, start: number, end: number, cs = start, ce = end, quote = '', closed = true, punct = ''): Token {
  return { type, start, end, cs, ce, quote, closed, punct };
}

/**
 * Scans a quoted string starting at the opening quote `i`; returns the index after the closing quote, or -1 when
 * the line ends first. Double-quoted strings may hold `#{...}` interpolations with quotes and braces inside.
 */
function scanString(b: Uint8Array, i: number, end: number): { contentEnd: number; next: number } {
  const q = b[i];
  let j = i + 1;
  while (j < end) {
    const c = b[j];
    if (c === 0x5c) {
      j += 2;
      continue;
    }
    if (c === q) return { contentEnd: j, next: j + 1 };
    if (q === 0x22 && c === 0x23 && b[j + 1] === 0x7b) {
      // `#{ ... }`: skip to the matching brace, stepping over nested strings.
      let depth = 1;
      j += 2;
      while (j < end && depth > 0) {
        const d = b[j];
        if (d === 0x7b) depth++;
        else if (d === 0x7d) depth--;
        else if (d === 0x22 || d === 0x27) {
          const inner = scanString(b, j, end);
          if (inner.next < 0) return { contentEnd: end, next: -1 };
          j = inner.next;
          continue;
        }
        j++;
      }
      continue;
    }
    j++;
  }
  return { contentEnd: end, next: -1 };
}

/**
 * Tokens of the bytes `start..end` (one line, without its newline). `state` carries an open word array in and out.
 * Comments are dropped. Never throws, whatever the bytes.
 */
export function lexLine(b: Uint8Array, start: number, end: number, state: LexState): Token[] {
  const out: Token[] = [];
  let i = start;
  // Trailing carriage return of a CRLF line is not part of anything.
  while (end > start && b[end - 1] === 0x0d) end--;
  while (i < end) {
    const w = state.words;
    if (w) {
      const c = b[i];
      if (isSpace(c)) {
        i++;
        continue;
      }
      if (c === w.close) {
        if (w.depth === 0) {
          out.push(tok('punct', i, i + 1, i, i + 1, '', true, String.fromCharCode(c)));
          state.words = null;
          i++;
          continue;
        }
        w.depth--;
      } else if (c === w.open && w.open !== w.close) w.depth++;
      let j = i;
      while (j < end && !isSpace(b[j]) && !(b[j] === w.close && w.depth === 0)) {
        if (b[j] === 0x5c) j++;
        else if (b[j] === w.open && w.open !== w.close) w.depth++;
        else if (b[j] === w.close) {
          if (w.depth === 0) break;
          w.depth--;
        }
        j++;
      }
      if (j > end) j = end;
      out.push(tok('word', i, j));
      i = j;
      continue;
    }
    const c = b[i];
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c === 0x23) break; // `#` comment to the end of the line
    if (c === 0x22 || c === 0x27) {
      const r = scanString(b, i, end);
      const quote = c === 0x22 ? '"' : "'";
      if (r.next < 0) {
        out.push(tok('string', i, end, i + 1, end, quote, false));
        i = end;
        continue;
      }
      // `"aws:SourceIp": value` is a label with a quoted name.
      if (b[r.next] === 0x3a && b[r.next + 1] !== 0x3a) {
        out.push(tok('label', i, r.next + 1, i + 1, r.contentEnd, quote));
        i = r.next + 1;
        continue;
      }
      out.push(tok('string', i, r.next, i + 1, r.contentEnd, quote));
      i = r.next;
      continue;
    }
    if (c === 0x3a) {
      const n = b[i + 1];
      if (n === 0x3a) {
        out.push(tok('other', i, i + 2));
        i += 2;
        continue;
      }
      if (n === 0x22 || n === 0x27) {
        const r = scanString(b, i + 1, end);
        const quote = n === 0x22 ? '"' : "'";
        if (r.next < 0) {
          out.push(tok('symbol', i, end, i + 2, end, quote, false));
          i = end;
        } else {
          out.push(tok('symbol', i, r.next, i + 2, r.contentEnd, quote));
          i = r.next;
        }
        continue;
      }
      let j = i + 1;
      while (j < end && isIdentChar(b[j])) j++;
      if (j < end && (b[j] === 0x3f || b[j] === 0x21 || b[j] === 0x3d) && b[j + 1] !== 0x3e && j > i + 1) j++;
      // A lone `:` is a symbol with an empty name, as Prism reads it while the user types.
      out.push(tok('symbol', i, j, i + 1, j));
      i = j;
      continue;
    }
    if (isIdentStart(c) || ((c === 0x40 || c === 0x24) && i + 1 < end && isIdentStart(b[i + 1]))) {
      let j = i + 1;
      if (c === 0x40 && b[j] === 0x40) j++;
      while (j < end && isIdentChar(b[j])) j++;
      if (j < end && (b[j] === 0x3f || b[j] === 0x21) && b[j + 1] !== 0x3d) j++;
      if (b[j] === 0x3a && b[j + 1] !== 0x3a && c !== 0x40 && c !== 0x24) {
        out.push(tok('label', i, j + 1, i, j));
        i = j + 1;
        continue;
      }
      out.push(tok('ident', i, j));
      i = j;
      continue;
    }
    if (c === 0x25) {
      // `%w[`, `%i[`, `%W[`, `%I[` with any bracket: a word array.
      const kind = b[i + 1];
      const open = b[i + 2];
      if ((kind === 0x77 || kind === 0x69 || kind === 0x57 || kind === 0x49) && CLOSING[open] !== undefined) {
        const close = CLOSING[open];
        out.push(tok('wordsOpen', i, i + 3, i, i + 3, '', true, String.fromCharCode(close)));
        state.words = { open, close, depth: 0 };
        i += 3;
        continue;
      }
      out.push(tok('other', i, i + 1));
      i++;
      continue;
    }
    if (c === 0x3d && b[i + 1] === 0x3e) {
      out.push(tok('punct', i, i + 2, i, i + 2, '', true, '=>'));
      i += 2;
      continue;
    }
    if (c === 0x28 || c === 0x29 || c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d || c === 0x2c || c === 0x3b) {
      out.push(tok('punct', i, i + 1, i, i + 1, '', true, String.fromCharCode(c)));
      i++;
      continue;
    }
    let j = i + 1;
    if (c >= 0x30 && c <= 0x39) while (j < end && (isIdentChar(b[j]) || b[j] === 0x2e)) j++;
    out.push(tok('other', i, j));
    i = j;
  }
  return out;
}

const decoder = new TextDecoder();

/** The text of a byte range (fast for the short ASCII names that nearly everything here is). */
export function bytesText(b: Uint8Array, start: number, end: number): string {
  if (end - start > 64) return decoder.decode(b.subarray(start, end));
  let s = '';
  for (let i = start; i < end; i++) {
    const c = b[i];
    if (c >= 0x80) return decoder.decode(b.subarray(start, end));
    s += String.fromCharCode(c);
  }
  return s;
}

/** Byte offset where the line holding `offset` starts. */
export function lineStartOf(b: Uint8Array, offset: number): number {
  let i = Math.min(offset, b.length);
  while (i > 0 && b[i - 1] !== 0x0a) i--;
  return i;
}

/** Byte offset where the line holding `offset` ends (at its newline, or the end of the text). */
export function lineEndOf(b: Uint8Array, offset: number): number {
  const i = b.indexOf(0x0a, offset);
  return i < 0 ? b.length : i;
}

/** The UTF-8 length of a string (what TextEncoder would produce). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}
