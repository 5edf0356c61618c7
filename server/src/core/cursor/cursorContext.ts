// Where the cursor is in a role file, in IAM terms: in a managed policy name, an Action value, a statement key, a
// Condition operator... Completion and hover both start here.
//
// How it is found. The token at the cursor and the brackets around it come from a forward scan with the small
// lexer (rubyLexer.ts), starting at the DSL call that encloses the cursor (the last `iam_policy` or
// `managed_iam_policy` before it). Strings end at their line's end at the latest. This works the same on finished
// and on half-typed code: an unclosed string, array, hash or parenthesis simply stays open on the frame stack.
// Prism's model is not used for the placement because its recovery moves half-typed text: an unterminated string
// swallows the following lines and the calls in them, and its `closed` flag still says true. Nor is it needed:
// completion then runs on the current text without waiting for a parse of each keystroke. Hover uses the model for
// what it knows better, the evaluated value of a literal with escapes or interpolation. After the cursor the scan
// goes on to the end of the enclosing call, so that keys and actions written after the cursor count too (key
// exclusion, ARN templates for the statement's actions).
import type { RoleFileModel } from '../model/roleFile';
import type { Span } from '../text/span';
import { bytesText, lexLine, lineEndOf, lineStartOf, type LexState, type Token } from './rubyLexer';

import type { KeyStyle } from '../model/values';
import { DSL_METHODS as DSL_METHOD_NAMES } from '../model/buildRoleFile';

export type { KeyStyle };

export interface KeyInfo {
  /** The key as written (`Action`, `aws:SourceIp`). */
  readonly name: string;
  readonly style: KeyStyle;
  /** A rocket key written as a symbol (`:Action =>`). */
  readonly symbol: boolean;
  readonly span: Span;
}

interface FrameBase {
  /** Byte offset of the opening token. */
  readonly start: number;
  /** The current element, argument or entry value has been written. */
  filled: boolean;
  /** The last value token of the current slot (a rocket key candidate). */
  last: Token | undefined;
  /** In the frames of a CursorContext (copies of the state at the cursor): the frame the scan went on with. */
  readonly live?: Frame;
}

export interface CallFrame extends FrameBase {
  readonly kind: 'call';
  readonly name: string;
  readonly parens: boolean;
  argIndex: number;
  /** The keyword-argument hash, once a label or `=>` appears among the arguments. */
  kw: HashFrame | undefined;
}

export interface ArrayFrame extends FrameBase {
  readonly kind: 'array';
  /** A `%w[...]` word array. */
  readonly words: boolean;
  index: number;
}

export interface HashFrame extends FrameBase {
  readonly kind: 'hash';
  /** `{ ... }`; false for keyword arguments and bare `key: value` lists in arrays. */
  readonly braces: boolean;
  /** Before a key: right after `{`, `,` or the start of keyword arguments. */
  expectKey: boolean;
  /** The key of the current entry, once written. */
  key: KeyInfo | undefined;
  /** Every key written (before and, after the continuation, after the cursor). */
  readonly keys: KeyInfo[];
  /** Literal texts written as values of each key (also as elements of an array value), by key as written. */
  readonly strings: Map<string, string[]>;
}

export interface ParenFrame extends FrameBase {
  readonly kind: 'paren';
}

export type Frame = CallFrame | ArrayFrame | HashFrame | ParenFrame;

/** What is being typed or pointed at, in IAM terms. */
export type CursorRole =
  | { readonly kind: 'managedPolicy' }
  | { readonly kind: 'policyName' }
  /** A key of a statement. `statement` is undefined for keyword arguments not yet started (`iam_policy("n", |`). */
  | { readonly kind: 'statementKey'; readonly statement: HashFrame | undefined }
  /** A value of a statement key (`Action`, `NotAction`, `Resource`, `NotResource`, `Effect`, `Sid`...). */
  | { readonly kind: 'statementValue'; readonly key: string; readonly statement: HashFrame }
  /** A statement expected (an element of the statements array of `iam_policy`). */
  | { readonly kind: 'statement' }
  | { readonly kind: 'conditionOperator'; readonly statement: HashFrame; readonly condition: HashFrame }
  | { readonly kind: 'conditionKey'; readonly statement: HashFrame; readonly condition: HashFrame; readonly operator: string; readonly operatorHash: HashFrame }
  | { readonly kind: 'conditionValue'; readonly statement: HashFrame; readonly operator: string; readonly conditionKey: string }
  /** The start of a new top-level expression. */
  | { readonly kind: 'topLevel' }
  /** The name of a DSL call (`iam_policy`, `managed_iam_policy`). */
  | { readonly kind: 'dslMethod'; readonly name: string }
  | { readonly kind: 'none' };

/**
 * - `string`: inside a quoted string (or a quoted label or symbol name) or a `%w` word: insert text as is.
 * - `ident`: on a bare word (an identifier, a constant, a label name or a `:symbol`): replace it.
 * - `gap`: between tokens: new values need quotes.
 * - `afterLabel`: right after the colon of a label (`Action:|`).
 * - `other`: on something else (a number, an operator).
 */
export type CursorAt = 'string' | 'ident' | 'gap' | 'afterLabel' | 'other';

export interface CursorContext {
  readonly role: CursorRole;
  readonly at: CursorAt;
  /** The token under the cursor, when there is one. */
  readonly token: Token | undefined;
  /** Where the typed text that completion filters on starts (content start of a string, start of a word). */
  readonly prefixStart: number;
  /** The typed text from prefixStart to the cursor. */
  readonly prefix: string;
  /** Where a completion's replacement ends: the rest of the word after the cursor, never past the cursor's line. */
  readonly replaceEnd: number;
  /** The quote the file uses for new strings. */
  readonly quote: '"' | "'";
  /** The cursor is in a `%w[...]` word array: values are written without quotes. */
  readonly inWords: boolean;
  /** The frames around the cursor, outermost first, as they were at the cursor. */
  readonly frames: readonly Frame[];
}

export interface StatementInfo {
  readonly keys: readonly KeyInfo[];
  /** The Action and NotAction texts of the statement. */
  readonly actions: readonly string[];
  /** Key style for a new key in this statement. */
  readonly style: KeyStyle;
  readonly symbolKeys: boolean;
}

export const DSL_METHODS: ReadonlySet<string> = new Set(DSL_METHOD_NAMES);

/**
 * What the cursor context needs of a file: its UTF-8 bytes, and Prism's model when there is one (hover reads the
 * value of literals with escapes from it). A RoleFileAnalysis is one.
 */
export interface SourceText {
  readonly bytes: Uint8Array;
  readonly model?: RoleFileModel;
}

/** Lines looked at backwards for the enclosing DSL call, and forwards after the cursor for the rest of it. */
const MAX_LINES_BACK = 400;
const MAX_LINES_AFTER = 300;
/** Frames around the cursor beyond which the code is not an IAM policy (see locateCursor). */
const MAX_FRAMES = 64;

const CONTINUATION_STOP = /[\s"'`,()[\]{}#]/;

// --- The scanner ----------------------------------------------------------------------------------------------

class Scanner {
  readonly stack: Frame[] = [];
  quotes = { double: 0, single: 0 };
  /** The first key written inside an `iam_policy` call (for the file's key style). */
  firstStatementKey: KeyInfo | undefined;

  constructor(private readonly b: Uint8Array) {}

  text(start: number, end: number): string {
    return bytesText(this.b, start, end);
  }

  top(): Frame | undefined {
    return this.stack[this.stack.length - 1];
  }

  /** Feeds the tokens of one line; `lineDone` says whether the line's end follows (for paren-less calls). */
  feed(tokens: readonly Token[], from: number, to: number, lineDone: boolean): void {
    for (let k = from; k < to; k++) {
      const t = tokens[k];
      switch (t.type) {
        case 'ident': {
          const next = tokens[k + 1];
          if (next && k + 1 < to && next.type === 'punct' && next.punct === '(') {
            this.stack.push({ kind: 'call', name: this.text(t.start, t.end), parens: true, start: t.start, argIndex: 0, filled: false, last: undefined, kw: undefined });
            k++;
            break;
          }
          const name = this.text(t.start, t.end);
          if (DSL_METHODS.has(name) && next && startsValue(next)) {
            this.stack.push({ kind: 'call', name, parens: false, start: t.start, argIndex: 0, filled: false, last: undefined, kw: undefined });
            break;
          }
          this.value(t);
          break;
        }
        case 'label':
          this.key(t, t.quote ? 'quotedLabel' : 'label', false, this.text(t.cs, t.ce));
          break;
        case 'string':
        case 'symbol':
        case 'word':
          if (t.quote === '"') this.quotes.double++;
          else if (t.quote === "'") this.quotes.single++;
          this.value(t);
          break;
        case 'other':
          this.value(t);
          break;
        case 'wordsOpen':
          this.stack.push({ kind: 'array', words: true, start: t.start, index: 0, filled: false, last: undefined });
          break;
        case 'punct':
          this.punct(t);
          break;
      }
    }
    if (lineDone) this.endLine(tokens[to - 1]);
  }

  private punct(t: Token): void {
    const top = this.top();
    if (top?.kind === 'array' && top.words) {
      // Inside a word array the lexer emits only words and the closing delimiter.
      this.closeAt(this.stack.length - 1);
      return;
    }
    switch (t.punct) {
      case '(':
        this.stack.push({ kind: 'paren', start: t.start, filled: false, last: undefined });
        return;
      case '[':
        this.stack.push({ kind: 'array', words: false, start: t.start, index: 0, filled: false, last: undefined });
        return;
      case '{':
        this.stack.push(newHash(t.start, true));
        return;
      case ')':
        return this.close((f) => f.kind === 'paren' || (f.kind === 'call' && f.parens));
      case ']':
        return this.close((f) => f.kind === 'array' && !f.words);
      case '}':
        return this.close((f) => f.kind === 'hash' && f.braces);
      case ',':
        return this.comma();
      case '=>':
        return this.rocket();
      case ';':
        return this.endImplicitCalls();
    }
  }

  private close(matches: (f: Frame) => boolean): void {
    for (let i = this.stack.length - 1; i >= 0; i--) {
      if (matches(this.stack[i])) return this.closeAt(i);
    }
    // A stray closer: ignore it.
  }

  private closeAt(i: number): void {
    this.stack.length = i;
    this.markFilled(undefined);
  }

  /** The construct just closed (or a token) is the value of the current slot. */
  private markFilled(t: Token | undefined): void {
    const top = this.top();
    if (!top) return;
    if (top.kind === 'hash' && top.expectKey) {
      top.last = t;
      return;
    }
    if (top.kind === 'array' && top.words) {
      // Words are separated by spaces, not commas: after a word comes the next element.
      top.index++;
      return;
    }
    top.filled = true;
    top.last = t;
  }

  private value(t: Token): void {
    const top = this.top();
    if (top && (t.type === 'string' || t.type === 'symbol' || t.type === 'word')) {
      // Record literal values under the key they belong to (directly, or as elements of an array value).
      let i = this.stack.length - 1;
      if (top.kind === 'array') i--;
      const h = this.stack[i];
      if (h && h.kind === 'hash' && !h.expectKey && h.key) {
        let list = h.strings.get(h.key.name);
        if (!list) h.strings.set(h.key.name, (list = []));
        list.push(this.text(t.cs, t.ce));
      }
    }
    this.markFilled(t);
  }

  private key(t: Token, style: KeyStyle, symbol: boolean, name: string): void {
    let top = this.top();
    if (!top) return;
    const parent = this.stack[this.stack.length - 2];
    if (top.kind === 'array' && !top.words && parent?.kind === 'hash' && !parent.expectKey && parent.key) {
      // `Action: ["s3:GetObject` and then `Resource:` on the next line: the array was left open, and the label is
      // the next key of the statement (a hash inside an Action list would mean nothing).
      this.closeAt(this.stack.length - 1);
      top = parent;
    }
    if (top.kind === 'call' || (top.kind === 'array' && !top.words)) {
      // `f(a, Key: v)` and `[Key: v]`: a hash without braces starts here.
      const h = newHash(t.start, false);
      if (top.kind === 'call') top.kw = h;
      this.stack.push(h);
      top = h;
    }
    if (top.kind !== 'hash') return;
    const info: KeyInfo = { name, style, symbol, span: { start: t.start, end: t.end } };
    if (!this.firstStatementKey && this.stack.some((f) => f.kind === 'call' && f.name === 'iam_policy')) this.firstStatementKey = info;
    top.key = info;
    top.keys.push(info);
    top.expectKey = false;
    top.filled = false;
    top.last = undefined;
  }

  private rocket(): void {
    const top = this.top();
    if (!top) return;
    const k = top.last;
    if (!k) return;
    const name = k.type === 'string' || k.type === 'symbol' || k.type === 'word' ? this.text(k.cs, k.ce) : this.text(k.start, k.end);
    if (top.kind === 'hash') {
      top.expectKey = true; // key() expects to start an entry
      this.key(k, 'rocket', k.type === 'symbol', name);
      return;
    }
    if (top.kind === 'call' || top.kind === 'array') {
      top.filled = false;
      this.key(k, 'rocket', k.type === 'symbol', name);
    }
  }

  private comma(): void {
    const top = this.top();
    if (!top) return;
    top.filled = false;
    top.last = undefined;
    if (top.kind === 'hash') {
      top.expectKey = true;
      top.key = undefined;
    } else if (top.kind === 'array') top.index++;
    else if (top.kind === 'call') top.argIndex++;
  }

  /** A paren-less call ends with its line unless the line ends with a comma. */
  private endLine(lastToken: Token | undefined): void {
    if (lastToken && lastToken.type === 'punct' && lastToken.punct === ',') return;
    this.endImplicitCalls();
  }

  private endImplicitCalls(): void {
    for (;;) {
      const n = this.stack.length;
      const top = this.stack[n - 1];
      const call = top?.kind === 'hash' && !top.braces ? this.stack[n - 2] : top;
      if (call?.kind !== 'call' || call.parens) return;
      this.closeAt(this.stack.indexOf(call));
    }
  }
}

function newHash(start: number, braces: boolean): HashFrame {
  return { kind: 'hash', braces, start, expectKey: true, key: undefined, keys: [], strings: new Map(), filled: false, last: undefined };
}

function startsValue(t: Token): boolean {
  if (t.type === 'punct') return t.punct === '[' || t.punct === '{';
  return t.type !== 'other';
}

function cloneFrame(f: Frame): Frame {
  // `keys` and `strings` stay shared with the live frame, so that the continuation after the cursor fills them
  // in; the slot state (filled, expectKey, key, indexes) is the state at the cursor.
  return { ...f, live: f };
}

// --- Locating the cursor ----------------------------------------------------------------------------------------

interface Habits {
  readonly quote: '"' | "'";
  readonly style: KeyStyle;
  readonly symbolKeys: boolean;
}

const habitsCache = new WeakMap<Uint8Array, Habits>();

/** How much of a file its habits are read from: the first statements show them. */
const HABITS_BYTES = 8 * 1024;

/**
 * The file's habits: the quote most of its strings use, and the key style of the first statement key of an
 * `iam_policy` call. Read with the lexer from the current text (once per text), so half-typed code has habits too.
 */
export function fileHabits(source: SourceText): Habits {
  const b = source.bytes;
  let h = habitsCache.get(b);
  if (h) return h;
  const scanner = new Scanner(b);
  const state: LexState = { words: null };
  for (let pos = 0; pos <= b.length && pos < HABITS_BYTES; ) {
    const end = lineEndOf(b, pos);
    const tokens = lexLine(b, pos, end, state);
    scanner.feed(tokens, 0, tokens.length, true);
    pos = end + 1;
  }
  const first = scanner.firstStatementKey;
  h = { quote: scanner.quotes.single > scanner.quotes.double ? "'" : '"', style: first?.style ?? 'label', symbolKeys: first?.symbol ?? false };
  habitsCache.set(b, h);
  return h;
}

/** The byte offset of the last DSL method name before `offset` (searching back a bounded number of lines). */
function restartPoint(b: Uint8Array, offset: number): number {
  let lineStart = lineStartOf(b, offset);
  let lineEnd = lineEndOf(b, offset);
  for (let n = 0; n < MAX_LINES_BACK; n++) {
    const tokens = lexLine(b, lineStart, lineEnd, { words: null });
    for (let k = tokens.length - 1; k >= 0; k--) {
      const t = tokens[k];
      if (t.type === 'ident' && t.start < offset && t.end - t.start >= 10 && DSL_METHODS.has(bytesText(b, t.start, t.end))) return t.start;
    }
    if (lineStart === 0) return 0;
    lineEnd = lineStart - 1;
    lineStart = lineStartOf(b, lineEnd);
  }
  return lineStart;
}

/**
 * Where the cursor at byte `offset` is. `mode` 'complete' looks at the text before the cursor (the token being
 * typed ends at the cursor); 'hover' looks at the token under the cursor, whole.
 */
export function locateCursor(source: SourceText, offset: number, mode: 'complete' | 'hover' = 'complete'): CursorContext {
  const b = source.bytes;
  offset = Math.max(0, Math.min(offset, b.length));
  const scanner = new Scanner(b);
  const state: LexState = { words: null };
  const cursorLineStart = lineStartOf(b, offset);
  const cursorLineEnd = lineEndOf(b, offset);

  // Up to the cursor's line.
  let pos = restartPoint(b, offset);
  while (pos < cursorLineStart) {
    const end = lineEndOf(b, pos);
    const tokens = lexLine(b, pos, end, state);
    scanner.feed(tokens, 0, tokens.length, true);
    pos = end + 1;
  }
  // The cursor's line: the tokens before the cursor, then the token at the cursor.
  const tokens = lexLine(b, pos, cursorLineEnd, state);
  let k = 0;
  let token: Token | undefined;
  let at: CursorAt = 'gap';
  for (; k < tokens.length; k++) {
    const t = tokens[k];
    if (mode === 'hover') {
      if (t.end <= offset) continue;
      if (t.start <= offset) {
        token = t;
        at = atOf(t);
      }
      break;
    }
    if (t.end < offset) continue;
    if (t.start >= offset) break;
    // The cursor is inside t, or right at its end.
    if (t.end === offset) {
      if (t.type === 'label') {
        at = 'afterLabel';
        continue;
      }
      if ((t.type === 'string' || t.type === 'symbol') && t.closed && t.quote) continue; // after a closing quote
      if (t.type === 'punct' || t.type === 'wordsOpen') continue;
    }
    if (t.type === 'string' && offset < t.cs) break; // on the opening quote: before the string
    token = t;
    at = atOf(t);
    break;
  }
  scanner.feed(tokens, 0, k, false);
  // Nesting this deep is no IAM policy (a statement's condition key is five levels down): nothing to offer, and
  // nothing to copy frame by frame.
  const pathological = scanner.stack.length > MAX_FRAMES;
  const frames = pathological ? [] : scanner.stack.map(cloneFrame);
  // The quotes of the call around the cursor, else the file's (read only when needed: it lexes the whole file).
  const quote = scanner.quotes.single > scanner.quotes.double ? "'" : scanner.quotes.double > 0 ? '"' : fileHabits(source).quote;

  // The rest of the enclosing call: keys and actions after the cursor. It fills in the live frames' keys, which the
  // copies share, so the classification sees every key of a hash while it reads the slot state at the cursor.
  if (!pathological) continueScan(scanner, b, tokens, k, cursorLineEnd, state);

  const lineStartsBlank = isBlank(b, cursorLineStart, token ? token.start : offset);
  const role: CursorRole = pathological ? { kind: 'none' } : classify(frames, token, at, lineStartsBlank, scanner, mode);

  const { prefixStart, replaceEnd } = editBounds(b, token, at, offset, cursorLineEnd, mode);
  return {
    role,
    at,
    token,
    prefixStart,
    prefix: bytesText(b, prefixStart, Math.max(prefixStart, offset)),
    replaceEnd,
    quote,
    inWords: frames.length > 0 && frames[frames.length - 1].kind === 'array' && (frames[frames.length - 1] as ArrayFrame).words,
    frames,
  };
}

function isBlank(b: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (b[i] !== 0x20 && b[i] !== 0x09 && b[i] !== 0x0d) return false;
  return true;
}

function atOf(t: Token): CursorAt {
  switch (t.type) {
    case 'string':
    case 'word':
      return 'string';
    case 'symbol':
      return t.quote ? 'string' : 'ident';
    case 'label':
      return t.quote ? 'string' : 'ident';
    case 'ident':
      return 'ident';
    default:
      return 'other';
  }
}

function editBounds(b: Uint8Array, token: Token | undefined, at: CursorAt, offset: number, lineEnd: number, mode: 'complete' | 'hover'): { prefixStart: number; replaceEnd: number } {
  if (!token || at === 'gap' || at === 'afterLabel') return { prefixStart: offset, replaceEnd: offset };
  if (mode === 'hover') return { prefixStart: token.cs, replaceEnd: token.ce };
  if (at === 'string') {
    // Never past the closing quote, nor past the cursor's line; inside, only the rest of the word.
    const limit = Math.min(token.ce, lineEnd);
    let end = offset;
    while (end < limit && !CONTINUATION_STOP.test(String.fromCharCode(b[end]))) end++;
    return { prefixStart: token.cs, replaceEnd: end };
  }
  if (at === 'ident') return { prefixStart: token.start, replaceEnd: token.end };
  return { prefixStart: offset, replaceEnd: offset };
}

function continueScan(scanner: Scanner, b: Uint8Array, tokens: readonly Token[], k: number, lineEnd: number, state: LexState): void {
  // Follow the innermost DSL call to its end; without one, the outermost hash around the cursor.
  const stack = scanner.stack;
  let depth = -1;
  for (let i = stack.length - 1; i >= 0; i--) {
    const f = stack[i];
    if (f.kind === 'call' && DSL_METHODS.has(f.name)) {
      depth = i;
      break;
    }
  }
  if (depth < 0) depth = stack.findIndex((f) => f.kind === 'hash');
  if (depth < 0) return;
  const frame = stack[depth];
  const alive = () => stack[depth] === frame;
  const feedUntilDslCall = (toks: readonly Token[], from: number, lineDone: boolean): boolean => {
    let to = from;
    while (to < toks.length && !(toks[to].type === 'ident' && DSL_METHODS.has(bytesText(b, toks[to].start, toks[to].end)))) to++;
    scanner.feed(toks, from, to, lineDone && to === toks.length);
    return to === toks.length;
  };
  if (!feedUntilDslCall(tokens, k, true) || !alive()) return;
  let pos = lineEnd + 1;
  for (let n = 0; n < MAX_LINES_AFTER && pos <= b.length && alive(); n++) {
    const end = lineEndOf(b, pos);
    const toks = lexLine(b, pos, end, state);
    if (!feedUntilDslCall(toks, 0, true)) return;
    if (end >= b.length) return;
    pos = end + 1;
  }
}

// --- Classification -----------------------------------------------------------------------------------------------

const STATEMENT_KEYS = new Set(['action', 'notaction', 'effect', 'resource', 'notresource', 'condition', 'sid', 'principal', 'notprincipal']);

function lower(s: string | undefined): string {
  return s === undefined ? '' : s.toLowerCase();
}

/** The key whose value the frame at `i` is (directly), when the frame below is a hash in its value. */
function parentKey(frames: readonly Frame[], i: number): { hash: HashFrame; index: number; key: string } | undefined {
  const below = frames[i - 1];
  if (!below || below.kind !== 'hash' || below.expectKey || !below.key) return undefined;
  return { hash: below, index: i - 1, key: below.key.name };
}

/** Whether the hash at `i` is an IAM statement. */
function isStatement(frames: readonly Frame[], i: number): boolean {
  const h = frames[i] as HashFrame;
  let j = i - 1;
  while (j >= 0 && frames[j].kind === 'array' && !(frames[j] as ArrayFrame).words) j--;
  const below = frames[j];
  if (below?.kind === 'call' && below.name === 'iam_policy') return true;
  if (below?.kind === 'hash') {
    // Inside another hash: a statement only under `Statement:` (a whole policy document written out).
    return !below.expectKey && lower(below.key?.name) === 'statement';
  }
  if (below?.kind === 'call' && DSL_METHODS.has(below.name)) return false;
  // Outside the DSL calls (a constant, a variable): a hash that has statement keys.
  return h.keys.some((k) => STATEMENT_KEYS.has(lower(k.name)));
}

function classify(frames: readonly Frame[], token: Token | undefined, at: CursorAt, lineStartsBlank: boolean, scanner: Scanner, mode: 'complete' | 'hover'): CursorRole {
  const none: CursorRole = { kind: 'none' };
  if (token && token.type === 'ident' && DSL_METHODS.has(scanner.text(token.start, token.end)) && mode === 'hover') {
    return { kind: 'dslMethod', name: scanner.text(token.start, token.end) };
  }
  if (at === 'other') return none;
  const topLevel = lineStartsBlank && (at === 'gap' || (at === 'ident' && token?.type === 'ident'));
  const i = frames.length - 1;
  const top = frames[i];
  if (!top) return topLevel ? { kind: 'topLevel' } : none;

  if (top.kind === 'hash') {
    // A label under the cursor is the key of a new entry of this hash (hover); so is a word in key position.
    const keySlot = top.expectKey || (mode === 'hover' && token?.type === 'label');
    if (keySlot) {
      if (top.last && !(mode === 'hover' && token?.type === 'label')) return topLevel ? { kind: 'topLevel' } : none;
      return keyRole(frames, i);
    }
    if (top.filled) return topLevel ? { kind: 'topLevel' } : none;
    return valueRole(frames, i);
  }
  if (top.kind === 'array') {
    if (top.filled) return topLevel ? { kind: 'topLevel' } : none;
    let j = i;
    while (j >= 0 && frames[j].kind === 'array') j--;
    const base = frames[j];
    if (base?.kind === 'call') {
      if (base.name === 'managed_iam_policy') return { kind: 'managedPolicy' };
      if (base.name === 'iam_policy') return { kind: 'statement' };
      return none;
    }
    // Only a flat array is a list of values (IAM has no nested arrays).
    if (base?.kind === 'hash' && j === i - 1) return valueRole(frames, j);
    return none;
  }
  if (top.kind === 'call') {
    if (top.filled && !(mode === 'hover' && token?.type === 'label')) return topLevel ? { kind: 'topLevel' } : none;
    if (top.name === 'managed_iam_policy') return { kind: 'managedPolicy' };
    if (top.name === 'iam_policy') {
      if (token?.type === 'label' || (top.argIndex >= 1 && at !== 'string')) return { kind: 'statementKey', statement: undefined };
      if (top.argIndex === 0) return { kind: 'policyName' };
      // A string as the second argument: a rocket key being typed (`"Action" =>`).
      return { kind: 'statementKey', statement: undefined };
    }
    return none;
  }
  return none;
}

function keyRole(frames: readonly Frame[], i: number): CursorRole {
  const h = frames[i] as HashFrame;
  if (isStatement(frames, i)) return { kind: 'statementKey', statement: h };
  const p = parentKey(frames, i);
  if (!p) return { kind: 'none' };
  if (lower(p.key) === 'condition' && isStatement(frames, p.index)) {
    return { kind: 'conditionOperator', statement: p.hash, condition: h };
  }
  const q = parentKey(frames, p.index);
  if (q && lower(q.key) === 'condition' && isStatement(frames, q.index)) {
    return { kind: 'conditionKey', statement: q.hash, condition: p.hash, operator: p.key, operatorHash: h };
  }
  return { kind: 'none' };
}

function valueRole(frames: readonly Frame[], i: number): CursorRole {
  const h = frames[i] as HashFrame;
  const key = h.key?.name;
  if (key === undefined) return { kind: 'none' };
  if (isStatement(frames, i)) return { kind: 'statementValue', key, statement: h };
  const p = parentKey(frames, i);
  const q = p && parentKey(frames, p.index);
  if (p && q && lower(q.key) === 'condition' && isStatement(frames, q.index)) {
    return { kind: 'conditionValue', statement: q.hash, operator: p.key, conditionKey: key };
  }
  return { kind: 'none' };
}

// --- Statement facts ----------------------------------------------------------------------------------------------

/** The keys, actions and key style of a statement (or of keyword arguments still to come, when undefined). */
export function statementInfo(source: SourceText, statement: HashFrame | undefined, call?: CallFrame): StatementInfo {
  const h = statement ?? ((call?.live ?? call) as CallFrame | undefined)?.kw;
  const keys = h?.keys ?? [];
  const actions: string[] = [];
  if (h) {
    for (const [k, list] of h.strings) {
      const l = k.toLowerCase();
      if (l === 'action' || l === 'notaction') actions.push(...list);
    }
  }
  const first = keys.find((k) => k.name.length > 0);
  if (first) return { keys, actions, style: first.style, symbolKeys: first.symbol };
  const habits = fileHabits(source);
  return { keys, actions, style: habits.style, symbolKeys: habits.symbolKeys };
}

/** The key style of the nearest of these hashes that has a key (a Condition hash may differ from its statement). */
export function nearestKeyStyle(hashes: readonly HashFrame[], fallback: StatementInfo): { style: KeyStyle; symbolKeys: boolean } {
  for (const h of hashes) {
    const first = h.keys.find((k) => k.name.length > 0);
    if (first) return { style: first.style, symbolKeys: first.symbol };
  }
  return { style: fallback.style, symbolKeys: fallback.symbolKeys };
}

/** The innermost DSL call frame around the cursor. */
export function enclosingCall(ctx: CursorContext): CallFrame | undefined {
  for (let i = ctx.frames.length - 1; i >= 0; i--) {
    const f = ctx.frames[i];
    if (f.kind === 'call' && DSL_METHODS.has(f.name)) return f;
  }
  return undefined;
}
