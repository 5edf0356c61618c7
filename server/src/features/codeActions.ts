// Code actions ([textDocument/codeAction](https://microsoft.github.io/language-server-protocol/specification#textDocument_codeAction)):
// the quick fixes of the findings at the requested range, plus refactorings there ("expand a wildcard").
// Findings are recomputed from the current analysis with the same settings as the published diagnostics,
// so a fix is offered exactly where a diagnostic is shown.
import type { CodeAction, CodeActionContext, Range } from 'vscode-languageserver';
import { type RoleFileAnalysis, computeFixes, computeRefactors, type FixContext } from '../core';
import { toCodeAction, toDiagnostic, toSpan } from '../lsp/convert';
import type { Settings } from '../settings';
import type { FileContext } from '../project/fileContext';
import { computeFindings, iamOrUndefined } from './diagnostics';

function wants(only: readonly string[] | undefined, kind: string): boolean {
  return !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
}

export function provideCodeActions(
  uri: string,
  analysis: RoleFileAnalysis,
  ctx: FileContext,
  settings: Settings,
  range: Range,
  context: Pick<CodeActionContext, 'only'> = {},
): CodeAction[] {
  const iam = iamOrUndefined();
  const span = toSpan(analysis.lineIndex, range);
  const fixCtx: FixContext = { analysis, version: ctx.layout?.version ?? 6, iam };
  const out: CodeAction[] = [];
  if (wants(context.only, 'quickfix')) {
    const findings = computeFindings(analysis, ctx, settings, iam).filter((f) => f.span.start <= span.end && f.span.end >= span.start);
    const preferred: CodeAction[] = [];
    const rest: CodeAction[] = [];
    for (const f of findings) {
      const diagnostic = toDiagnostic(analysis.lineIndex, f, f.severity ?? 'error');
      for (const fix of computeFixes(fixCtx, f)) (fix.isPreferred ? preferred : rest).push(toCodeAction(analysis.lineIndex, uri, fix, diagnostic));
    }
    out.push(...preferred, ...rest);
  }
  if (wants(context.only, 'refactor.rewrite')) {
    for (const fix of computeRefactors(fixCtx, span)) out.push(toCodeAction(analysis.lineIndex, uri, fix));
  }
  return out;
}
