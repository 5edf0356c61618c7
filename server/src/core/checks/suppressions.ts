// Inline suppressions: `# ufo-iam:disable-next-line CODE[, CODE]` silences those codes on the next line,
// `# ufo-iam:disable CODE[, CODE]` in the whole file. Without codes, a directive silences every code. Text after
// ` -- ` is a free-form reason. A directive (or one of its codes) that silences nothing is itself reported as
// UNUSED_SUPPRESSION, so stale comments do not pile up.
import type { Finding } from '../findings';
import type { Comment } from '../model/roleFile';
import type { LineIndex } from '../text/lineIndex';
import type { Span } from '../text/span';
import { isCode } from './rules';

export const DIRECTIVE_PREFIX = 'ufo-iam:';
const DIRECTIVE = /^#\s*ufo-iam:(disable-next-line|disable)(?=\s|$)/;

export interface DirectiveCode {
  readonly code: string;
  /** The code's bytes inside the comment. */
  readonly span: Span;
  /** Bytes to delete to remove just this code (with its comma). */
  readonly removeSpan: Span;
}

export interface Directive {
  readonly kind: 'disable-next-line' | 'disable';
  readonly comment: Comment;
  /** The zero-based line the directive applies to (next-line directives only). */
  readonly targetLine?: number;
  /** Empty: every code. */
  readonly codes: readonly DirectiveCode[];
  /** Bytes to delete to remove the whole directive (its line, when the comment is alone on it). */
  readonly removeSpan: Span;
}

const encoder = new TextEncoder();
const byteLength = (s: string) => encoder.encode(s).length;

/** The directives among a file's comments. */
export function parseDirectives(comments: readonly Comment[], lines: LineIndex): Directive[] {
  const out: Directive[] = [];
  for (const comment of comments) {
    const m = DIRECTIVE.exec(comment.text);
    if (!m) continue;
    const kind = m[1] as Directive['kind'];
    let rest = comment.text.slice(m[0].length);
    const reason = rest.indexOf(' --');
    if (reason >= 0) rest = rest.slice(0, reason);
    const codes: DirectiveCode[] = [];
    const restStart = comment.span.start + byteLength(comment.text.slice(0, m[0].length));
    // Codes are ASCII; the bytes before them were counted above, so offsets inside `rest` are byte offsets.
    const re = /[^\s,]+/g;
    const found: { code: string; start: number; end: number }[] = [];
    for (let t = re.exec(rest); t; t = re.exec(rest)) found.push({ code: t[0], start: t.index, end: t.index + t[0].length });
    found.forEach((f, i) => {
      const span = { start: restStart + byteLength(rest.slice(0, f.start)), end: restStart + byteLength(rest.slice(0, f.end)) };
      // Remove ", CODE" after the first code, or "CODE, " when it is the first of several.
      let removeSpan: Span;
      if (i > 0) removeSpan = { start: restStart + byteLength(rest.slice(0, found[i - 1].end)), end: span.end };
      else if (found.length > 1) removeSpan = { start: span.start, end: restStart + byteLength(rest.slice(0, found[1].start)) };
      else removeSpan = span;
      codes.push({ code: f.code, span, removeSpan });
    });
    const line = lines.positionOfByte(comment.span.start).line;
    out.push({
      kind,
      comment,
      targetLine: kind === 'disable-next-line' ? line + 1 : undefined,
      codes,
      removeSpan: wholeLineOrComment(comment.span, lines),
    });
  }
  return out;
}

/** The comment's whole line (with its line break) when nothing else is on it, else just the comment and the blanks before it. */
function wholeLineOrComment(span: Span, lines: LineIndex): Span {
  const line = lines.positionOfByte(span.start).line;
  const lineStart = lines.byteOfPosition({ line, character: 0 });
  const before = lines.slice(lineStart, span.start);
  const nextLineStart = line + 1 < lines.lineCount ? lines.byteOfPosition({ line: line + 1, character: 0 }) : lines.byteLength;
  if (before.trim() === '') return { start: lineStart, end: nextLineStart };
  const trimmed = before.replace(/[ \t]+$/, '');
  return { start: lineStart + byteLength(trimmed), end: span.end };
}

export interface SuppressionResult {
  readonly kept: Finding[];
  readonly unused: Finding[];
}

/**
 * Drops the findings a directive silences and reports the directives (or codes) that silenced nothing.
 * `isOff(code)` tells codes the settings turned off: a directive for one of them is not reported as unused.
 */
export function applySuppressions(findings: readonly Finding[], directives: readonly Directive[], lines: LineIndex, isOff: (code: string) => boolean): SuppressionResult {
  if (directives.length === 0) return { kept: [...findings], unused: [] };
  const used = new Set<string>();
  const id = (d: Directive, code: string | undefined) => `${d.comment.span.start}:${code ?? '*'}`;
  const kept: Finding[] = [];
  for (const f of findings) {
    const line = lines.positionOfByte(f.span.start).line;
    let suppressed = false;
    for (const d of directives) {
      if (d.kind === 'disable-next-line' && d.targetLine !== line) continue;
      if (d.codes.length === 0) {
        used.add(id(d, undefined));
        suppressed = true;
        continue;
      }
      for (const c of d.codes) {
        if (c.code === f.code) {
          used.add(id(d, c.code));
          suppressed = true;
        }
      }
    }
    if (!suppressed) kept.push(f);
  }
  const candidates: Finding[] = [];
  const selfCodes: { d: Directive; c: DirectiveCode }[] = [];
  for (const d of directives) {
    const where = d.kind === 'disable' ? 'in this file' : 'on the next line';
    if (d.codes.length === 0) {
      if (!used.has(id(d, undefined)))
        candidates.push({
          code: 'UNUSED_SUPPRESSION',
          span: d.comment.span,
          message: `This ufo-iam:${d.kind} comment suppresses nothing ${where}; remove it.`,
          data: { removeSpan: d.removeSpan },
        });
      continue;
    }
    const unusedCodes = d.codes.filter((c) => !used.has(id(d, c.code)) && !(isCode(c.code) && isOff(c.code)));
    for (const c of unusedCodes) {
      // Directives about UNUSED_SUPPRESSION itself are settled in the second pass below.
      if (c.code === 'UNUSED_SUPPRESSION') {
        selfCodes.push({ d, c });
        continue;
      }
      const alone = d.codes.length === 1;
      candidates.push({
        code: 'UNUSED_SUPPRESSION',
        span: c.span,
        message: isCode(c.code)
          ? `ufo-iam:${d.kind} ${c.code} suppresses nothing ${where}; remove it.`
          : `ufo-iam:${d.kind} names ${c.code}, which is not a ufo-iam code; remove it or fix the spelling.`,
        data: { removeSpan: alone ? d.removeSpan : c.removeSpan },
      });
    }
  }
  // Second pass: `ufo-iam:disable UNUSED_SUPPRESSION` (or next-line) silences the reports of the first.
  const unused: Finding[] = [];
  const selfUsed = new Set<{ d: Directive; c: DirectiveCode }>();
  for (const f of candidates) {
    const line = lines.positionOfByte(f.span.start).line;
    const silencer = selfCodes.find(({ d }) => d.kind === 'disable' || d.targetLine === line);
    if (silencer) selfUsed.add(silencer);
    else unused.push(f);
  }
  for (const s of selfCodes) {
    if (selfUsed.has(s) || isOff('UNUSED_SUPPRESSION')) continue;
    unused.push({
      code: 'UNUSED_SUPPRESSION',
      span: s.c.span,
      message: `ufo-iam:${s.d.kind} UNUSED_SUPPRESSION suppresses nothing ${s.d.kind === 'disable' ? 'in this file' : 'on the next line'}; remove it.`,
      data: { removeSpan: s.d.codes.length === 1 ? s.d.removeSpan : s.c.removeSpan },
    });
  }
  return { kept, unused };
}
