// Runs the checks over one analyzed role file. Each family is a function over the model; findings
// come back with codes from the rule table. The model's own findings (syntax, DSL) come first. Then
// the severities the user configured apply, and the inline suppressions. The editor (diagnostics,
// code actions) and the CLI (`ufo-iam check`) both call runChecks, so they show the same findings.
import type { RoleFileAnalysis } from '../analysis';
import type { Finding, Severity } from '../findings';
import { roleTypeOf, type FileRole } from '../layout/projectLayout';
import type { RoleType, UfoVersion } from '../compile/compileRoles';
import type { IamKnowledge } from '../iam/iamKnowledge';
import { RULES, type Code } from './rules';
import { checkDsl } from './dsl';
import { checkShape } from './shape';
import { checkActions } from './actions';
import { checkResources } from './resources';
import { checkConditions } from './conditions';
import { checkSecurity } from './security';
import { checkUfo } from './ufo';
import { applySuppressions, parseDirectives } from './suppressions';

/** A configured severity per code; `off` drops the code. */
export type SeverityOverrides = Readonly<Partial<Record<string, Severity | 'off'>>>;

/** What the checks of a file are run with. */
export interface CheckInput {
  readonly analysis: RoleFileAnalysis;
  readonly fileRole: FileRole;
  readonly version: UfoVersion;
  /** The IAM data. Without it, the checks that need it stay silent (they cannot decide). */
  readonly iam?: IamKnowledge;
  /** `ufoIam.diagnostics.<CODE>` as configured. */
  readonly severities?: SeverityOverrides;
}

/** What a check family sees: the input and the role the file feeds, when UFO reads it. */
export interface CheckContext extends CheckInput {
  readonly roleType?: RoleType;
}

export type CheckFamily = (ctx: CheckContext) => Finding[];

/** The check families, in reporting order. */
export const CHECK_FAMILIES: readonly CheckFamily[] = [checkDsl, checkShape, checkActions, checkResources, checkConditions, checkSecurity, checkUfo];

/**
 * The severity a finding is shown with. A configured severity wins when it differs from the table's default;
 * otherwise the finding's own degree applies (MANAGED_POLICY_QUOTA is an error above 20) — VS Code sends
 * every setting's default, so "configured as the default" cannot be told from "not configured".
 */
export function resolveSeverity(f: Finding, severities: SeverityOverrides | undefined): Severity | 'off' {
  const def = RULES[f.code].severity;
  const configured = severities?.[f.code];
  if (configured === 'off') return 'off';
  if (configured && configured !== def) return configured;
  return f.severity ?? def;
}

/** The findings of the check families alone, before severities and suppressions (for tests and fixes). */
export function rawFindings(input: CheckInput): Finding[] {
  const ctx: CheckContext = { ...input, roleType: roleTypeOf(input.fileRole) };
  const out: Finding[] = [...ctx.analysis.findings];
  for (const family of CHECK_FAMILIES) out.push(...family(ctx));
  return out;
}

/**
 * Every finding of the file, each with its final `severity`, sorted by position; codes turned off and
 * suppressed findings are gone, and unused suppressions are reported.
 */
export function runChecks(ctx: CheckInput): Finding[] {
  const seen = new Set<string>();
  const raw: Finding[] = [];
  for (const f of rawFindings(ctx)) {
    // The same finding twice (one value seen through two paths) is shown once.
    const id = `${f.code}:${f.span.start}:${f.span.end}:${f.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    raw.push(f);
  }
  const isOff = (code: string) => ctx.severities?.[code] === 'off';
  const { lineIndex, model } = ctx.analysis;
  const { kept, unused } = applySuppressions(raw, parseDirectives(model.comments, lineIndex), lineIndex, isOff);
  const out: Finding[] = [];
  for (const f of [...kept, ...unused]) {
    const severity = resolveSeverity(f, ctx.severities);
    if (severity === 'off') continue;
    out.push({ ...f, severity });
  }
  return out.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

export type { Code };
