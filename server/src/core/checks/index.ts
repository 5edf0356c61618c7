// Runs the checks over one analyzed role file. Each family is a function over the model; findings
// come back with codes from the rule table. The model's own findings (syntax, DSL) come first.
import type { RoleFileAnalysis } from '../analysis';
import type { Finding } from '../findings';
import type { FileRole } from '../layout/projectLayout';
import type { RoleType, UfoVersion } from '../compile/compileRoles';
import { checkDsl } from './dsl';

export interface CheckContext {
  readonly analysis: RoleFileAnalysis;
  /** The role this file feeds, when UFO reads it. */
  readonly roleType?: RoleType;
  readonly fileRole: FileRole;
  readonly version: UfoVersion;
}

export type CheckFamily = (ctx: CheckContext) => Finding[];

/** The check families, in reporting order. */
export const CHECK_FAMILIES: readonly CheckFamily[] = [checkDsl];

export function runChecks(ctx: CheckContext): Finding[] {
  const out: Finding[] = [...ctx.analysis.findings];
  for (const family of CHECK_FAMILIES) out.push(...family(ctx));
  return out;
}
