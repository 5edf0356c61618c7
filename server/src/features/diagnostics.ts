// Diagnostics ([publishDiagnostics](https://microsoft.github.io/language-server-protocol/specification#textDocument_publishDiagnostics)):
// the checks over a role file, with the severities the user configured and the inline suppressions applied
// (both inside runChecks, which the CLI calls too).
import type { Diagnostic } from 'vscode-languageserver';
import type { RoleFileAnalysis, Finding, IamKnowledge } from '../core';
import { getIam } from '../project/iamInstance';
import { toDiagnostic } from '../lsp/convert';
import type { Settings } from '../settings';
import { checkRoleFile, type FileContext } from '../project/fileContext';

let iamFailure: string | undefined;

/** The IAM data, or undefined when it cannot be loaded (then the checks that need it stay silent). */
export function iamOrUndefined(log?: (msg: string) => void): IamKnowledge | undefined {
  if (iamFailure !== undefined) return undefined;
  try {
    return getIam();
  } catch (e) {
    iamFailure = e instanceof Error ? e.message : String(e);
    log?.(`IAM data unavailable, checks that need it are off: ${iamFailure}`);
    return undefined;
  }
}

/** Forgets a failure to load the IAM data: after an update the next call tries again. */
export function resetIamFailure(): void {
  iamFailure = undefined;
}

/** The last findings per analysis (one per document version), so code actions reuse what was published. */
const findingsCache = new WeakMap<RoleFileAnalysis, { key: string; iam: IamKnowledge | undefined; findings: Finding[] }>();

/** Every finding of the file with its final severity (settings and suppressions applied), as `ufo-iam check` finds them. */
export function computeFindings(analysis: RoleFileAnalysis, ctx: FileContext, settings?: Settings, iam = iamOrUndefined()): Finding[] {
  const key = JSON.stringify([ctx.fileRole, ctx.roleType, ctx.layout?.version, !!ctx.project, settings?.diagnostics ?? {}]);
  const cached = findingsCache.get(analysis);
  if (cached && cached.key === key && cached.iam === iam) return cached.findings;
  const findings = checkRoleFile(analysis, ctx, settings, iam);
  findingsCache.set(analysis, { key, iam, findings });
  return findings;
}

export function provideDiagnostics(analysis: RoleFileAnalysis, ctx: FileContext, settings: Settings): Diagnostic[] {
  return computeFindings(analysis, ctx, settings).map((f) => toDiagnostic(analysis.lineIndex, f, f.severity ?? 'error'));
}
