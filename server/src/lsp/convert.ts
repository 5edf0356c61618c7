// The only place where core values become LSP types: byte spans → UTF-16 ranges, findings →
// diagnostics. Everything on the other side of this file speaks spans and codes.
import { DiagnosticSeverity, DiagnosticTag, type CodeAction, type Diagnostic, type Range, type TextEdit } from 'vscode-languageserver';
import { type LineIndex, type Span, type Finding, type Severity, RULES, type Fix, type ByteEdit } from '../core';

export function toRange(index: LineIndex, span: Span): Range {
  return { start: index.positionOfByte(span.start), end: index.positionOfByte(span.end) };
}

export function toSeverity(s: Severity): DiagnosticSeverity {
  switch (s) {
    case 'error':
      return DiagnosticSeverity.Error;
    case 'warning':
      return DiagnosticSeverity.Warning;
    case 'information':
      return DiagnosticSeverity.Information;
    case 'hint':
      return DiagnosticSeverity.Hint;
  }
}

export const DIAGNOSTIC_SOURCE = 'ufo-iam';

export function toDiagnostic(index: LineIndex, f: Finding, severity: Severity): Diagnostic {
  const rule = RULES[f.code];
  const d: Diagnostic = {
    range: toRange(index, f.span),
    severity: toSeverity(severity),
    code: f.code,
    source: DIAGNOSTIC_SOURCE,
    message: f.message,
  };
  if ('docs' in rule && rule.docs) d.codeDescription = { href: rule.docs };
  const tag = 'tag' in rule ? rule.tag : undefined;
  if (tag === 'unnecessary') d.tags = [DiagnosticTag.Unnecessary];
  if (tag === 'deprecated') d.tags = [DiagnosticTag.Deprecated];
  if (f.data) d.data = f.data;
  return d;
}

/** The byte offset of an LSP position (completion and hover send positions); clamped to the text. */
export function toOffset(index: LineIndex, position: Range['start']): number {
  return index.byteOfPosition(position);
}

/** The byte span of an LSP range (requests such as codeAction send ranges). */
export function toSpan(index: LineIndex, range: Range): Span {
  return { start: index.byteOfPosition(range.start), end: index.byteOfPosition(range.end) };
}

export function toTextEdit(index: LineIndex, e: ByteEdit): TextEdit {
  return { range: toRange(index, e.span), newText: e.text };
}

/** A core fix as a CodeAction whose WorkspaceEdit changes one document. */
export function toCodeAction(index: LineIndex, uri: string, fix: Fix, diagnostic?: Diagnostic): CodeAction {
  const action: CodeAction = { title: fix.title, kind: fix.kind, edit: { changes: { [uri]: fix.edits.map((e) => toTextEdit(index, e)) } } };
  if (diagnostic) action.diagnostics = [diagnostic];
  if (fix.isPreferred) action.isPreferred = true;
  return action;
}

/** A fix whose edits may span several files (each with the line index of its text) as a CodeAction with one WorkspaceEdit. */
export function toFileFixAction(
  fix: { readonly title: string; readonly isPreferred?: boolean; readonly changes: ReadonlyArray<{ readonly file: string; readonly lineIndex: LineIndex; readonly edits: readonly ByteEdit[] }> },
  uriOf: (file: string) => string,
  diagnostic?: Diagnostic,
): CodeAction {
  const changes: Record<string, TextEdit[]> = {};
  for (const c of fix.changes) changes[uriOf(c.file)] = c.edits.map((e) => toTextEdit(c.lineIndex, e));
  const action: CodeAction = { title: fix.title, kind: 'quickfix', edit: { changes } };
  if (diagnostic) action.diagnostics = [diagnostic];
  if (fix.isPreferred) action.isPreferred = true;
  return action;
}
