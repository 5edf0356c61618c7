// Diagnostics ([publishDiagnostics](https://microsoft.github.io/language-server-protocol/specification#textDocument_publishDiagnostics)):
// the checks over a role file, with the severities the user configured.
import type { Diagnostic } from 'vscode-languageserver';
import { runChecks } from '../core/checks';
import { RULES } from '../core/checks/rules';
import type { RoleFileAnalysis } from '../core/analysis';
import type { Finding } from '../core/findings';
import { toDiagnostic } from '../lsp/convert';
import type { Settings } from '../settings';
import type { FileContext } from '../workspace';

export function computeFindings(analysis: RoleFileAnalysis, ctx: FileContext): Finding[] {
  if (ctx.fileRole.kind === 'outside' && !ctx.root) {
    // Not in a UFO project: only what Ruby itself rejects.
    return analysis.findings.filter((f) => f.code === 'SYNTAX_ERROR');
  }
  return runChecks({
    analysis,
    fileRole: ctx.fileRole,
    roleType: ctx.roleType,
    version: ctx.layout?.version ?? 6,
  });
}

export function provideDiagnostics(analysis: RoleFileAnalysis, ctx: FileContext, settings: Settings): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const f of computeFindings(analysis, ctx)) {
    const configured = settings.diagnostics[f.code];
    if (configured === 'off') continue;
    const severity = configured ?? f.severity ?? RULES[f.code].severity;
    out.push(toDiagnostic(analysis.lineIndex, f, severity));
  }
  return out;
}
