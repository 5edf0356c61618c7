// Task-definition templates in the editor: their diagnostics and quick fixes, from project/checkTemplate.ts (the
// function `ufo-iam check` calls too). Role files are read from the open editors where they are open, so a change to
// a role file that is not saved yet re-checks the templates as well.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeAction, Diagnostic, Range, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { checkTemplate, isTemplateOf, type TemplateCheck } from '../project/checkTemplate';
import { toDiagnostic, toFileFixAction, toSpan } from '../lsp/convert';
import type { Settings } from '../settings';
import type { Workspace } from '../workspace';

/** The check of an open template, or undefined when the document is not a task-definition template of a project. */
export function checkOpenTemplate(workspace: Workspace, documents: TextDocuments<TextDocument>, doc: TextDocument, settings: Settings): TemplateCheck | undefined {
  const ctx = workspace.contextOf(doc.uri, settings);
  if (!ctx.project || !ctx.relPath || !isTemplateOf(ctx.project, ctx.relPath)) return undefined;
  const root = ctx.project.root;
  const read = (rel: string) => {
    const fileUri = pathToFileURL(path.join(root, rel)).href;
    const open = documents.all().find((d) => d.uri === fileUri || decodeURIComponent(d.uri) === decodeURIComponent(fileUri));
    return open ? { ok: true as const, text: open.getText() } : workspace.readFile(root, rel);
  };
  return checkTemplate(ctx.project, ctx.relPath, doc.getText(), { read });
}

export function provideTemplateDiagnostics(check: TemplateCheck): Diagnostic[] {
  return check.findings.map(({ finding }) => toDiagnostic(check.lineIndex, finding, finding.severity ?? 'error'));
}

export function provideTemplateCodeActions(uri: string, check: TemplateCheck, range: Range, only?: readonly string[]): CodeAction[] {
  if (only && !only.some((o) => o === 'quickfix' || 'quickfix'.startsWith(`${o}.`))) return [];
  const span = toSpan(check.lineIndex, range);
  const uriOf = (file: string) => (file === check.file ? uri : pathToFileURL(file).href);
  const out: CodeAction[] = [];
  for (const { finding, fixes } of check.findings) {
    if (finding.span.start > span.end || finding.span.end < span.start) continue;
    const diagnostic = toDiagnostic(check.lineIndex, finding, finding.severity ?? 'error');
    for (const fix of fixes) out.push(toFileFixAction(fix, uriOf, diagnostic));
  }
  return out;
}
