// Re-analysis after an edit inside one call: when the text changed only between the parentheses of a top-level
// `iam_policy(...)` or `managed_iam_policy(...)`, that call is parsed again alone and the rest of the model is
// the previous one, moved by the edit's length. The result is the analysis a full parse gives (a test compares
// them on every edit of the fuzz corpus); whenever that cannot be guaranteed, the caller parses the whole file.
//
// Why the rest cannot change: Ruby is parsed left to right, so the text before the call parses as before; the call
// starts a statement and, parsed alone, is one complete call from its name to its closing parenthesis with no
// syntax error, so the parser is in the same state after it as before the edit, and the text after it parses as
// before. What the call depends on from outside, its local variables (a name assigned earlier is a variable, not a
// method call), is given to the parser (Prism's `scopes`); what would reach outside it (a heredoc, whose body
// follows the line, or an assignment, which adds a local variable for the rest of the file) sends the edit to a
// full parse.
//
// An edit inside one comment between statements (after its `#`, with no line break in what is removed or typed) changes
// nothing Prism reads but that comment: the rest of the model is the previous one, moved by the edit's length, and the
// comment has its new text. A comment that is, or becomes, a magic comment (`# frozen_string_literal: true`) may change
// how Ruby reads what follows, and is parsed with the whole file.
import type { ParseResult, PrismParse } from './parse/prism';
import { MAX_NESTING, maxNesting } from './parse/nesting';
import { buildRoleFile } from './model/buildRoleFile';
import type { DslCall, RoleFileModel } from './model/roleFile';
import { shiftCall, shiftComment, shiftFinding, shiftOtherCall } from './model/shift';
import type { Finding } from './findings';
import type { PrismNode } from './parse/evaluate';
import type { IndexedText, RoleFileAnalysis } from './analysis';

/** What a later edit needs to know of an analysis to re-parse one call of it alone. */
export interface Reuse {
  /** Per call of the model, in order: whether an edit inside its parentheses may re-parse it alone. */
  readonly alone: readonly boolean[];
  /** The top-level local variables with the byte offset of their first assignment, in offset order. */
  readonly locals: readonly { readonly name: string; readonly at: number }[];
}

const decoder = new TextDecoder();
const nodeType = (node: PrismNode): string => node?.constructor?.name ?? 'unknown';

const LOCAL_WRITES = new Set([
  'LocalVariableWriteNode',
  'LocalVariableOperatorWriteNode',
  'LocalVariableOrWriteNode',
  'LocalVariableAndWriteNode',
  'LocalVariableTargetNode',
]);

/**
 * The first assignment of each top-level local variable, or undefined when one of Prism's locals has none that
 * this walk finds (then nothing is re-parsed alone). Blocks and lambdas have scopes of their own: a variable first
 * assigned in one is not a top-level local. Of a method, class or module only what is evaluated outside it is read.
 */
function firstAssignments(program: PrismNode): { name: string; at: number }[] | undefined {
  const locals: string[] = program.locals ?? [];
  if (locals.length === 0) return [];
  const names = new Set(locals);
  const first = new Map<string, number>();
  const visit = (node: PrismNode): void => {
    if (node == null || typeof node !== 'object') return;
    const t = nodeType(node);
    // Only the program's own locals: a name assigned where Prism opens a scope of its own is none of them.
    if (LOCAL_WRITES.has(t) && node.depth === 0 && names.has(node.name)) {
      const at: number = node.location.startOffset;
      const seen = first.get(node.name);
      if (seen === undefined || at < seen) first.set(node.name, at);
    }
    if (t === 'BlockNode' || t === 'LambdaNode') return;
    if (t === 'DefNode') return visit(node.receiver);
    if (t === 'ClassNode') {
      visit(node.constantPath);
      return visit(node.superclass);
    }
    if (t === 'ModuleNode') return visit(node.constantPath);
    if (t === 'SingletonClassNode') return visit(node.expression);
    for (const key of Object.keys(node)) {
      if (key === 'location') continue;
      const child = node[key];
      if (Array.isArray(child)) for (const c of child) if (c && typeof c === 'object' && c.location) visit(c);
      if (child && typeof child === 'object' && child.location && nodeType(child).endsWith('Node')) visit(child);
    }
  };
  visit(program);
  if (locals.some((n) => !first.has(n))) return undefined;
  return [...first].map(([name, at]) => ({ name, at })).sort((a, b) => a.at - b.at);
}

/** Whether bytes hold `<<` (a heredoc may start there: its body is on the lines after, outside the call). */
function hasHeredocStart(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i + 1 < end; i++) if (bytes[i] === 60 && bytes[i + 1] === 60) return true;
  return false;
}

/** A call node that is one whole statement of the program: no receiver, no block, its own parentheses. */
function isWholeCall(node: PrismNode, method: string): boolean {
  return (
    nodeType(node) === 'CallNode' &&
    node.name === method &&
    node.receiver == null &&
    node.block == null &&
    node.messageLoc != null &&
    node.openingLoc != null &&
    node.closingLoc != null &&
    node.closingLoc.length > 0 &&
    node.messageLoc.startOffset + node.messageLoc.length === node.openingLoc.startOffset &&
    node.closingLoc.startOffset + node.closingLoc.length === node.location.startOffset + node.location.length
  );
}

/** What an analysis keeps for re-parsing one call alone later; undefined when nothing may be (see the file's comment). */
export function reuseOf(result: ParseResult, model: RoleFileModel, bytes: Uint8Array): Reuse | undefined {
  if (result.errors.length > 0) return undefined;
  // A magic encoding comment changes how the file's bytes are read; a call parsed alone would not know it.
  for (const m of result.magicComments ?? []) {
    const key = decoder.decode(bytes.subarray(m.startLocation.startOffset, m.startLocation.startOffset + m.startLocation.length));
    if (/coding/i.test(key)) return undefined;
  }
  const program = result.value as PrismNode;
  const locals = firstAssignments(program);
  if (!locals) return undefined;
  const statementStarts = new Set<number>();
  for (const s of program?.statements?.body ?? []) {
    if (isWholeCall(s, s.name)) statementStarts.add(s.location.startOffset);
  }
  const alone = model.calls.map(
    (c) =>
      !c.conditional &&
      c.openParen !== undefined &&
      c.closeParen !== undefined &&
      statementStarts.has(c.span.start) &&
      !hasHeredocStart(bytes, c.span.start, c.span.end) &&
      !locals.some((l) => l.at >= c.span.start && l.at < c.span.end),
  );
  return { alone, locals };
}

/** The lengths of the common prefix `p` and of the common suffix `s` (not overlapping it) of two byte strings. */
export function commonEnds(a: Uint8Array, b: Uint8Array): { p: number; s: number } {
  const min = Math.min(a.length, b.length);
  // Four bytes at a time (DataView reads unaligned words), then byte by byte.
  const da = new DataView(a.buffer, a.byteOffset, a.length);
  const db = new DataView(b.buffer, b.byteOffset, b.length);
  let p = 0;
  while (p + 4 <= min && da.getUint32(p) === db.getUint32(p)) p += 4;
  while (p < min && a[p] === b[p]) p++;
  const la = a.length;
  const lb = b.length;
  let s = 0;
  while (s + 4 <= min - p && da.getUint32(la - 4 - s) === db.getUint32(lb - 4 - s)) s += 4;
  while (s < min - p && a[la - 1 - s] === b[lb - 1 - s]) s++;
  return { p, s };
}

/** Where an edit lies when a re-analysis may keep the rest of the model: inside one call or one comment (its index), and the change in length. */
export interface EditedPart {
  readonly kind: 'call' | 'comment';
  readonly i: number;
  readonly delta: number;
}

/**
 * The call of `prev` inside whose parentheses `indexed` differs from `prev`'s text, when it is one that may be parsed
 * again alone, or the comment between statements inside which it differs (cheap: the texts are compared, nothing is
 * parsed); undefined when the edit is anywhere else.
 */
export function editedPart(prev: RoleFileAnalysis, indexed: IndexedText): EditedPart | undefined {
  // The server asks when it schedules the check and again when it analyses: the texts are compared once.
  const known = comparedWith.get(indexed);
  if (known?.prev === prev) return known.edited;
  const edited = findEditedPart(prev, indexed);
  comparedWith.set(indexed, { prev, edited });
  return edited;
}

/** Per text, the analysis it was last compared with and the answer (kept only as long as the text is). */
const comparedWith = new WeakMap<IndexedText, { prev: RoleFileAnalysis; edited: EditedPart | undefined }>();

function findEditedPart(prev: RoleFileAnalysis, indexed: IndexedText): EditedPart | undefined {
  const reuse = prev.reuse;
  if (!reuse) return undefined;
  const a = prev.bytes;
  const b = indexed.bytes;
  const { p, s } = commonEnds(a, b);
  const oldEnd = a.length - s;
  const delta = b.length - a.length;
  const calls = prev.model.calls;
  for (let k = 0; k < calls.length; k++) {
    const c = calls[k];
    if (c.span.start > p) break;
    if (reuse.alone[k] && c.openParen! < p && oldEnd <= c.closeParen!) return { kind: 'call', i: k, delta };
  }
  const comments = prev.model.comments;
  for (let k = 0; k < comments.length; k++) {
    const c = comments[k];
    if (c.span.start >= p) break;
    if (oldEnd > c.span.end || c.text.charCodeAt(0) !== 35) continue;
    // No line break removed or typed: the comment still ends where its line does, and no line moves.
    if (hasLineBreak(a, p, oldEnd) || hasLineBreak(b, p, b.length - s)) return undefined;
    if (insideStatement(prev, c.span.start)) return undefined;
    // A heredoc opened earlier on the comment's line has its body on the lines after: values of a call before the
    // comment lie after it.
    let lineStart = c.span.start;
    while (lineStart > 0 && a[lineStart - 1] !== 10) lineStart--;
    if (hasHeredocStart(a, lineStart, c.span.start)) return undefined;
    // A comment on the first two lines is where Ruby looks for the file's encoding (Prism reads it there even from a
    // comment that names none, and may refuse it): parsed with the file.
    if (lineStart < 2 || a.lastIndexOf(10, lineStart - 2) < 0) return undefined;
    return { kind: 'comment', i: k, delta };
  }
  return undefined;
}

function hasLineBreak(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (bytes[i] === 10 || bytes[i] === 13) return true;
  return false;
}

/**
 * Whether a call or a finding of the model starts at or before `start` and ends after it: the comment there is part of
 * it (a comment in a call belongs to the call's text, which the call's facts are keyed by).
 */
function insideStatement(prev: RoleFileAnalysis, start: number): boolean {
  const spans = (xs: readonly { readonly span: { readonly start: number; readonly end: number } }[]) => xs.some((x) => x.span.start <= start && x.span.end > start);
  return spans(prev.model.calls) || spans(prev.model.otherCalls) || spans(prev.model.findings);
}

/**
 * A comment that names one of the settings Ruby reads from magic comments (`# frozen_string_literal: true`,
 * `# -*- coding: utf-8 -*-`, `# shareable_constant_value: literal`, ...), however it is written: other comments, our
 * own `# ufo-iam:disable ...` among them, are only text to the parser.
 */
const MAGIC_LIKE = /coding|frozen[-_]string[-_]literal|shareable[-_]constant[-_]value|warn[-_]indent|warn[-_]past[-_]scope/i;

/**
 * The analysis of `indexed` made from `prev` (the analysis of an earlier text of the same document) when the texts
 * differ only inside the parentheses of one call that may be re-parsed alone, or inside one comment between
 * statements (editedPart); undefined otherwise.
 */
export function reanalyzeRoleFile(parse: PrismParse, prev: RoleFileAnalysis, indexed: IndexedText): RoleFileAnalysis | undefined {
  const edited = editedPart(prev, indexed);
  if (!edited) return undefined;
  if (edited.kind === 'comment') return reanalyzeComment(prev, indexed, edited);
  const { i, delta } = edited;
  const reuse = prev.reuse!;
  const calls = prev.model.calls;
  const b = indexed.bytes;
  // The parse of the whole file would refuse a text nested too deep: so does this one.
  if (maxNesting(indexed.text) > MAX_NESTING) return undefined;
  const old = calls[i];
  const base = old.span.start;
  const end = old.span.end + delta;
  if (hasHeredocStart(b, base, end)) return undefined;
  const snippetBytes = b.subarray(base, end);
  const snippet = decoder.decode(snippetBytes);
  const visible = reuse.locals.filter((l) => l.at < base).map((l) => l.name);
  let result: ParseResult;
  try {
    result = parse(snippet, visible.length > 0 ? { scopes: [visible] } : undefined);
  } catch {
    return undefined;
  }
  const program = result.value as PrismNode;
  const body: PrismNode[] = program?.statements?.body ?? [];
  if (result.errors.length > 0 || result.dataLoc || (program.locals ?? []).length !== visible.length) return undefined;
  if (body.length !== 1 || !isWholeCall(body[0], old.method) || body[0].location.startOffset !== 0 || body[0].location.length !== snippetBytes.length) return undefined;
  // `__LINE__` counts the file's lines before the call.
  let firstLine = 1;
  if (snippet.includes('__LINE__')) for (let k = 0; k < base; k++) if (b[k] === 10) firstLine++;
  const sub = buildRoleFile(result, (x, y) => decoder.decode(snippetBytes.subarray(x, y)), firstLine);
  if (sub.calls.length !== 1 || sub.otherCalls.length > 0) return undefined;

  const model = prev.model;
  const newCall: DslCall = shiftCall(sub.calls[0], base);
  const after = (start: number) => start >= old.span.end;
  const before = (start: number) => start < base;
  const shifted = (fs: readonly Finding[], d: number): Finding[] | undefined => {
    const out: Finding[] = [];
    for (const f of fs) {
      const g = shiftFinding(f, d);
      if (!g) return undefined;
      out.push(g);
    }
    return out;
  };
  // The model's findings are Prism's warnings first, then those of the calls in order (buildRoleFile).
  const isWarning = (f: Finding) => f.code === 'DUPLICATE_HASH_KEY';
  const pieces = [
    model.findings.filter((f) => isWarning(f) && before(f.span.start)),
    shifted(sub.findings.filter(isWarning), base),
    shifted(model.findings.filter((f) => isWarning(f) && after(f.span.start)), delta),
    model.findings.filter((f) => !isWarning(f) && before(f.span.start)),
    shifted(sub.findings.filter((f) => !isWarning(f)), base),
    shifted(model.findings.filter((f) => !isWarning(f) && after(f.span.start)), delta),
  ];
  if (pieces.some((x) => x === undefined)) return undefined;
  const findings = (pieces as Finding[][]).flat();
  const newModel: RoleFileModel = {
    calls: [...calls.slice(0, i), newCall, ...calls.slice(i + 1).map((c) => shiftCall(c, delta))],
    otherCalls: model.otherCalls.map((c) => (after(c.span.start) ? shiftOtherCall(c, delta) : c)),
    comments: [
      ...model.comments.filter((c) => before(c.span.start)),
      ...sub.comments.map((c) => shiftComment(c, base)),
      ...model.comments.filter((c) => after(c.span.start)).map((c) => shiftComment(c, delta)),
    ],
    findings,
    hasSyntaxErrors: false,
  };
  const newReuse: Reuse = {
    alone: reuse.alone,
    locals: reuse.locals.map((l) => (after(l.at) ? { name: l.name, at: l.at + delta } : l)),
  };
  return { text: indexed.text, bytes: b, lineIndex: indexed.lineIndex, model: newModel, findings, reuse: newReuse };
}

/** The analysis after an edit inside one comment between statements (editedPart): the comment's new text, the rest moved. */
function reanalyzeComment(prev: RoleFileAnalysis, indexed: IndexedText, { i, delta }: EditedPart): RoleFileAnalysis | undefined {
  // As the whole file's parse: a text nested too deep is refused whatever is edited.
  if (maxNesting(indexed.text) > MAX_NESTING) return undefined;
  const model = prev.model;
  const old = model.comments[i];
  const span = { start: old.span.start, end: old.span.end + delta };
  const text = decoder.decode(indexed.bytes.subarray(span.start, span.end));
  if (MAGIC_LIKE.test(old.text) || MAGIC_LIKE.test(text)) return undefined;
  const after = (start: number) => start >= old.span.end;
  const findings: Finding[] = [];
  for (const f of model.findings) {
    const g = after(f.span.start) ? shiftFinding(f, delta) : f;
    if (!g) return undefined;
    findings.push(g);
  }
  const newModel: RoleFileModel = {
    calls: model.calls.map((c) => (after(c.span.start) ? shiftCall(c, delta) : c)),
    otherCalls: model.otherCalls.map((c) => (after(c.span.start) ? shiftOtherCall(c, delta) : c)),
    comments: [...model.comments.slice(0, i), { span, text }, ...model.comments.slice(i + 1).map((c) => shiftComment(c, delta))],
    findings,
    hasSyntaxErrors: false,
  };
  const reuse = prev.reuse!;
  const newReuse: Reuse = { alone: reuse.alone, locals: reuse.locals.map((l) => (after(l.at) ? { name: l.name, at: l.at + delta } : l)) };
  return { text: indexed.text, bytes: indexed.bytes, lineIndex: indexed.lineIndex, model: newModel, findings, reuse: newReuse };
}
