// Task-definition templates in the editor: their diagnostics and quick fixes, from project/checkTemplate.ts (the
// function `ufo-iam check` calls too). Role files are read from the open editors where they are open, so a change to
// a role file that is not saved yet re-checks the templates as well; their analyses are the workspace's (an open role
// file is not parsed again for its templates).
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeAction, Diagnostic, Range, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { builtRoles, checkTemplate, isTemplateOf, type TemplateCheck, type TemplateCheckOptions } from '../project/checkTemplate';
import type { ProjectContext } from '../project/projectContext';
import { toDiagnostic, toFileFixAction, toSpan } from '../lsp/convert';
import type { Settings } from '../settings';
import type { Workspace } from '../workspace';

/** The check of an open template, or undefined when the document is not a task-definition template of a project. */
export function checkOpenTemplate(workspace: Workspace, documents: TextDocuments<TextDocument>, doc: TextDocument, settings: Settings): TemplateCheck | undefined {
  const ctx = workspace.contextOf(doc.uri, settings);
  if (!ctx.project || !ctx.relPath || !isTemplateOf(ctx.project, ctx.relPath)) return undefined;
  return checkTemplate(ctx.project, ctx.relPath, doc.getText(), readerOf(workspace, documents, ctx.project));
}

/** How the templates of a project read its files: the open editors' text first, and the workspace's analyses. */
function readerOf(workspace: Workspace, documents: TextDocuments<TextDocument>, project: ProjectContext): Required<TemplateCheckOptions> {
  const root = project.root;
  return {
    read: (rel: string) => {
      const fileUri = pathToFileURL(path.join(root, rel)).href;
      const open = documents.all().find((d) => d.uri === fileUri || decodeURIComponent(d.uri) === decodeURIComponent(fileUri));
      return open ? { ok: true as const, text: open.getText() } : workspace.readFile(root, rel);
    },
    analyze: (rel, text) => workspace.analysisOf(root, rel, text),
  };
}

/**
 * What a template's findings depend on from the rest of the project (which roles the role files build, or whether that
 * is unknown), as a key: the server re-checks the open templates after a role-file edit only when it changes, which
 * most keystrokes do not.
 */
export function templateInputsKey(workspace: Workspace, documents: TextDocuments<TextDocument>, project: ProjectContext): string {
  return JSON.stringify(builtRoles(project, readerOf(workspace, documents, project)).roles);
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
