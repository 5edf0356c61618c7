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
  /** The program's top-level statements in order: their byte spans, and the method a `def` among them defines. */
  readonly statements: readonly TopStatement[];
}

/** A top-level statement of a program (see Reuse). */
export interface TopStatement {
  readonly start: number;
  readonly end: number;
  readonly def?: string;
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
  return { alone: aloneCalls(program, model.calls, bytes, locals, 0), locals, statements: topStatements(program, 0) };
}

/** Per call of `model` (of a program parsed from `base` on), whether an edit inside its parentheses may re-parse it alone. */
function aloneCalls(program: PrismNode, calls: readonly DslCall[], bytes: Uint8Array, locals: Reuse['locals'], base: number): boolean[] {
  const statementStarts = new Set<number>();
  for (const s of program?.statements?.body ?? []) {
    if (isWholeCall(s, s.name)) statementStarts.add(base + s.location.startOffset);
  }
  return calls.map(
    (c) =>
      !c.conditional &&
      c.openParen !== undefined &&
      c.closeParen !== undefined &&
      statementStarts.has(c.span.start) &&
      !hasHeredocStart(bytes, c.span.start, c.span.end) &&
      !locals.some((l) => l.at >= c.span.start && l.at < c.span.end),
  );
}

function topStatements(program: PrismNode, base: number): TopStatement[] {
  return (program?.statements?.body ?? []).map((s: PrismNode) => {
    const start = base + s.location.startOffset;
    const end = start + s.location.length;
    return nodeType(s) === 'DefNode' ? { start, end, def: String(s.name) } : { start, end };
  });
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

/**
 * Where an edit lies when a re-analysis may keep the rest of the model: inside one call or one comment (its index), or
 * in the top-level statements `i` to `j - 1` and the lines around them (bytes `start` to `end` of the previous text,
 * whole lines between two statements); and the change in length.
 */
export type EditedPart =
  | { readonly kind: 'call' | 'comment'; readonly i: number; readonly delta: number }
  | { readonly kind: 'statements'; readonly i: number; readonly j: number; readonly start: number; readonly end: number; readonly delta: number };

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
    if (reuse.alone[k] && c.openParen! < p && oldEnd <= c.closeParen!) return movesLineNumbers(a, b, p, oldEnd, delta, indexed.text) ? undefined : { kind: 'call', i: k, delta };
  }
  const comment = commentPart(prev, b, p, oldEnd, delta);
  if (comment) return comment;
  return movesLineNumbers(a, b, p, oldEnd, delta, indexed.text) ? undefined : statementsPart(prev, b, p, oldEnd, delta);
}

/**
 * Whether the edit adds or removes line breaks in a file that uses `__LINE__`: the value of one after the edit changes,
 * and the calls after the edit are only moved, not evaluated again.
 */
function movesLineNumbers(a: Uint8Array, b: Uint8Array, p: number, oldEnd: number, delta: number, text: string): boolean {
  let breaks = 0;
  for (let i = p; i < oldEnd; i++) if (a[i] === 10) breaks--;
  for (let i = p; i < oldEnd + delta; i++) if (b[i] === 10) breaks++;
  return breaks !== 0 && text.includes('__LINE__');
}

/** The comment between statements inside which the texts differ (after its `#`, on its line), when it may be re-read alone. */
function commentPart(prev: RoleFileAnalysis, b: Uint8Array, p: number, oldEnd: number, delta: number): EditedPart | undefined {
  const a = prev.bytes;
  const comments = prev.model.comments;
  for (let k = 0; k < comments.length; k++) {
    const c = comments[k];
    if (c.span.start >= p) break;
    if (oldEnd > c.span.end || c.text.charCodeAt(0) !== 35) continue;
    // No line break removed or typed: the comment still ends where its line does, and no line moves.
    if (hasLineBreak(a, p, oldEnd) || hasLineBreak(b, p, oldEnd + delta)) return undefined;
    if (insideStatement(prev, c.span.start)) return undefined;
    // A heredoc opened earlier on the comment's line has its body on the lines after: values of a call before the
    // comment lie after it.
    let lineStart = c.span.start;
    while (lineStart > 0 && a[lineStart - 1] !== 10) lineStart--;
    if (hasHeredocStart(a, lineStart, c.span.start)) return undefined;
    // A comment on the first two lines is where Ruby looks for the file's encoding (Prism reads it there even from a
    // comment that names none, and may refuse it): parsed with the file.
    if (onFirstTwoLines(a, lineStart)) return undefined;
    return { kind: 'comment', i: k, delta };
  }
  return undefined;
}

function onFirstTwoLines(bytes: Uint8Array, lineStart: number): boolean {
  return lineStart < 2 || bytes.lastIndexOf(10, lineStart - 2) < 0;
}

/** The index of the first statement that ends after `offset` (statements are in order and do not overlap). */
function firstEndingAfter(statements: readonly TopStatement[], offset: number): number {
  let lo = 0;
  let hi = statements.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (statements[mid].end > offset) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The index of the first statement from `from` on that starts at or after `offset`. */
function firstStartingAt(statements: readonly TopStatement[], offset: number, from: number): number {
  let lo = from;
  let hi = statements.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (statements[mid].start >= offset) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function lineStartOf(bytes: Uint8Array, offset: number): number {
  let i = Math.min(offset, bytes.length);
  while (i > 0 && bytes[i - 1] !== 10) i--;
  return i;
}

/**
 * Whether bytes `start` to `end` hold only what ends a statement and starts none: blanks, comments with the line break
 * that ends them, line breaks and semicolons (with at least one line break or semicolon when `mustEnd`). Anything else, a `\`
 * that joins two lines or an `=begin` among them, may tie the statement before to the text after.
 */
function onlyStatementEnd(bytes: Uint8Array, start: number, end: number, mustEnd: boolean): boolean {
  let ended = false;
  for (let i = start; i < end; i++) {
    const c = bytes[i];
    if (c === 10 || c === 59) ended = true;
    else if (c === 35) {
      // A comment runs to the end of its line: one that does not end here takes in what follows.
      while (i + 1 < end && bytes[i + 1] !== 10) i++;
      if (i + 1 >= end) return false;
    } else if (c !== 32 && c !== 9 && c !== 13 && c !== 12 && c !== 11) return false;
  }
  return ended || !mustEnd;
}

/**
 * The top-level statements the edit touches and the whole lines around them, when they may be parsed again alone:
 * from the start of the first line the edit or a statement it touches is on, to the start of the first statement
 * after the edit (or the end of the file). See reanalyzeStatements for why the rest cannot change.
 */
function statementsPart(prev: RoleFileAnalysis, b: Uint8Array, p: number, oldEnd: number, delta: number): EditedPart | undefined {
  const a = prev.bytes;
  const { statements, locals } = prev.reuse!;
  let start = lineStartOf(a, p);
  let i = firstEndingAfter(statements, start);
  while (i < statements.length && statements[i].start < start) {
    start = lineStartOf(a, statements[i].start);
    i = firstEndingAfter(statements, start);
  }
  // Where Ruby reads the file's encoding (see commentPart).
  if (onFirstTwoLines(a, start)) return undefined;
  const before = i > 0 ? statements[i - 1] : undefined;
  // A heredoc's body lies after its statement: the lines after the statement before may be one.
  if (before && hasHeredocStart(a, before.start, before.end)) return undefined;
  if (!onlyStatementEnd(a, before ? before.end : 0, start, false)) return undefined;
  const j = firstStartingAt(statements, oldEnd, i);
  const end = j < statements.length ? statements[j].start : a.length;
  // What the rest of the file reads from these statements: the local variables they assign first, the methods they define.
  if (locals.some((l) => l.at >= start && l.at < end)) return undefined;
  for (let k = i; k < j; k++) if (statements[k].def !== undefined) return undefined;
  for (const c of prev.model.comments) {
    if (c.span.start >= end) break;
    if (c.span.start >= start && MAGIC_LIKE.test(c.text)) return undefined;
  }
  if (hasHeredocStart(b, start, end + delta)) return undefined;
  return { kind: 'statements', i, j, start, end, delta };
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
  if (edited.kind === 'statements') return reanalyzeStatements(parse, prev, indexed, edited);
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
  const alone = parsePart(parse, reuse, indexed, base, end);
  if (!alone) return undefined;
  const { result, program, body, firstLine } = alone;
  if (body.length !== 1 || !isWholeCall(body[0], old.method) || body[0].location.startOffset !== 0 || body[0].location.length !== snippetBytes.length) return undefined;
  const sub = buildRoleFile(result, (x, y) => decoder.decode(snippetBytes.subarray(x, y)), firstLine);
  if (sub.calls.length !== 1 || sub.otherCalls.length > 0) return undefined;

  const spliced = splice(prev.model, sub, base, old.span.end, delta);
  if (!spliced) return undefined;
  const { model: newModel } = spliced;
  const findings = newModel.findings;
  const newReuse: Reuse = {
    alone: reuse.alone,
    locals: moveLocals(reuse.locals, old.span.end, delta),
    // The call is a statement of its own (isWholeCall): it ends `delta` bytes further on, the statements after it move.
    statements: moveStatements(reuse.statements, base, old.span.end, delta),
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
  const newReuse: Reuse = {
    alone: reuse.alone,
    locals: moveLocals(reuse.locals, old.span.end, delta),
    // A statement the comment is in (a block's, say) ends `delta` bytes further on.
    statements: moveStatements(reuse.statements, old.span.start, old.span.end, delta),
  };
  return { text: indexed.text, bytes: indexed.bytes, lineIndex: indexed.lineIndex, model: newModel, findings, reuse: newReuse };
}

/** The first assignments of local variables after an edit that ended at byte `end` of the previous text, moved by `delta`. */
function moveLocals(locals: Reuse['locals'], end: number, delta: number): Reuse['locals'] {
  return locals.map((l) => (l.at >= end ? { name: l.name, at: l.at + delta } : l));
}

/** The statements after an edit of bytes `at` to `end` that changed the length by `delta`: those after it move, one around it grows. */
function moveStatements(statements: readonly TopStatement[], at: number, end: number, delta: number): TopStatement[] {
  return statements.map((st) => (st.start >= end ? moveStatement(st, delta) : st.end > at ? { ...st, end: st.end + delta } : st));
}

/**
 * Bytes `start` to `end` of the new text parsed alone, with the local variables assigned before them in scope and the
 * line they start on (Prism's warnings name lines, and `__LINE__` counts them); undefined when the parser fails or the
 * part has a syntax error, `__END__` or a local variable of its own.
 */
function parsePart(parse: PrismParse, reuse: Reuse, indexed: IndexedText, start: number, end: number): { result: ParseResult; program: PrismNode; body: PrismNode[]; firstLine: number } | undefined {
  const visible = reuse.locals.filter((l) => l.at < start).map((l) => l.name);
  const firstLine = indexed.lineIndex.positionOfByte(start).line + 1;
  let result: ParseResult;
  try {
    result = parse(decoder.decode(indexed.bytes.subarray(start, end)), { scopes: visible.length > 0 ? [visible] : undefined, line: firstLine });
  } catch {
    return undefined;
  }
  const program = result.value as PrismNode;
  if (result.errors.length > 0 || result.dataLoc || (program.locals ?? []).length !== visible.length) return undefined;
  return { result, program, body: program?.statements?.body ?? [], firstLine };
}

/**
 * The model of the new text: `model`'s calls, other calls, comments and findings before byte `start`, those of `sub`
 * (the new text of bytes `start` to `end`, parsed alone) moved to `start`, and `model`'s from `end` on moved by `delta`;
 * with the number of `model`'s calls kept before the part and the index of the first one after it. Undefined when a
 * finding cannot be moved (model/shift.ts).
 */
function splice(model: RoleFileModel, sub: RoleFileModel, start: number, end: number, delta: number): { model: RoleFileModel; callsBefore: number; callsAfter: number } | undefined {
  const before = (at: number) => at < start;
  const after = (at: number) => at >= end;
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
    shifted(sub.findings.filter(isWarning), start),
    shifted(model.findings.filter((f) => isWarning(f) && after(f.span.start)), delta),
    model.findings.filter((f) => !isWarning(f) && before(f.span.start)),
    shifted(sub.findings.filter((f) => !isWarning(f)), start),
    shifted(model.findings.filter((f) => !isWarning(f) && after(f.span.start)), delta),
  ];
  if (pieces.some((x) => x === undefined)) return undefined;
  const calls = model.calls;
  let callsBefore = 0;
  while (callsBefore < calls.length && before(calls[callsBefore].span.start)) callsBefore++;
  let callsAfter = callsBefore;
  while (callsAfter < calls.length && !after(calls[callsAfter].span.start)) callsAfter++;
  const newModel: RoleFileModel = {
    calls: [...calls.slice(0, callsBefore), ...sub.calls.map((c) => shiftCall(c, start)), ...calls.slice(callsAfter).map((c) => shiftCall(c, delta))],
    otherCalls: [
      ...model.otherCalls.filter((c) => before(c.span.start)),
      ...sub.otherCalls.map((c) => shiftOtherCall(c, start)),
      ...model.otherCalls.filter((c) => after(c.span.start)).map((c) => shiftOtherCall(c, delta)),
    ],
    comments: [
      ...model.comments.filter((c) => before(c.span.start)),
      ...sub.comments.map((c) => shiftComment(c, start)),
      ...model.comments.filter((c) => after(c.span.start)).map((c) => shiftComment(c, delta)),
    ],
    findings: (pieces as Finding[][]).flat(),
    hasSyntaxErrors: false,
  };
  return { model: newModel, callsBefore, callsAfter };
}

function moveStatement(st: TopStatement, delta: number): TopStatement {
  return st.def === undefined ? { start: st.start + delta, end: st.end + delta } : { start: st.start + delta, end: st.end + delta, def: st.def };
}

/**
 * The analysis after an edit among top-level statements (statementsPart): those statements and the lines around them
 * are parsed again alone, the rest of the model is the previous one, moved by the edit's length.
 *
 * Why the rest cannot change: the text before the part is the same, and it ends with a statement followed by nothing
 * but blanks, comments and a line break, so the parser starts a new statement on the part's first line as it would
 * there in the whole file (a line that continues the statement before, `.method` or `&& x`, is a syntax error when
 * parsed alone, and sends the edit to a full parse). The part parsed alone has no syntax error, ends with a line break
 * or `;` after its last statement (no `\\` that joins the next line to it) and opens no heredoc, so the parser is at the
 * start of a statement when the text after it begins, as it was before the edit. What the rest reads from the part:
 * the local variables it assigns first (the part may assign none, and the edit may not take away one), the methods it
 * defines (the part may define none, and the edit may not take away one), magic comments (none in the part, before or
 * after the edit), and `__END__` (none in the part after it). What the part reads from the rest, its local variables
 * and the methods the file defines, is given to the parser and to the model.
 */
function reanalyzeStatements(parse: PrismParse, prev: RoleFileAnalysis, indexed: IndexedText, part: Extract<EditedPart, { kind: 'statements' }>): RoleFileAnalysis | undefined {
  if (maxNesting(indexed.text) > MAX_NESTING) return undefined;
  const { i, j, start, end, delta } = part;
  const reuse = prev.reuse!;
  const b = indexed.bytes;
  const newEnd = end + delta;
  const partBytes = b.subarray(start, newEnd);
  const alone = parsePart(parse, reuse, indexed, start, newEnd);
  if (!alone) return undefined;
  const { result, program, body, firstLine } = alone;
  if (body.some((st) => nodeType(st) === 'DefNode')) return undefined;
  if (newEnd < b.length) {
    const last = body.length > 0 ? start + body[body.length - 1].location.startOffset + body[body.length - 1].location.length : start;
    if (!onlyStatementEnd(b, last, newEnd, body.length > 0)) return undefined;
  }
  const defined = new Set<string>();
  for (const st of reuse.statements) if (st.def !== undefined) defined.add(st.def);
  const sub = buildRoleFile(result, (x, y) => decoder.decode(partBytes.subarray(x, y)), firstLine, defined);
  if (sub.comments.some((c) => MAGIC_LIKE.test(c.text))) return undefined;

  const spliced = splice(prev.model, sub, start, end, delta);
  if (!spliced) return undefined;
  const { model: newModel, callsBefore, callsAfter } = spliced;
  const findings = newModel.findings;
  const partCalls = newModel.calls.slice(callsBefore, callsBefore + sub.calls.length);
  const locals = moveLocals(reuse.locals, end, delta);
  const newReuse: Reuse = {
    alone: [...reuse.alone.slice(0, callsBefore), ...aloneCalls(program, partCalls, b, locals, start), ...reuse.alone.slice(callsAfter)],
    locals,
    statements: [...reuse.statements.slice(0, i), ...topStatements(program, start), ...reuse.statements.slice(j).map((st) => moveStatement(st, delta))],
  };
  return { text: indexed.text, bytes: b, lineIndex: indexed.lineIndex, model: newModel, findings, reuse: newReuse };
}
