// A project's roles as the evaluator sees them (docs/evaluation.md): which role files (the apply target's: UFO's for
// the stack target or when no target is chosen, the pre-created folder's for the pre-created target), each compiled
// role's statements from the core's `roleStatements`, and each inline statement's `file:line`.
import * as path from 'node:path';
import { roleStatements, type EvalStatement, type LogicalId, type RoleType, type StatementSource } from '../core';
import { compileProject, type CompileOptions, type CompiledProject } from './compileProject';
import { getIam } from './iamInstance';
import { lineOfByte } from './problem';
import type { ProjectContext } from './projectContext';

export interface RoleStatementsOfProject {
  readonly logicalId: LogicalId;
  readonly roleType: RoleType;
  /** The role file (absolute). */
  readonly file: string;
  readonly statements: readonly EvalStatement[];
}

export interface ProjectStatements {
  readonly project: CompiledProject;
  /** Which role files: UFO's (`ufo`) or the pre-created folder's. */
  readonly source: 'ufo' | 'precreated';
  readonly roles: readonly RoleStatementsOfProject[];
}

/** The role files the evaluator reads: the apply target's; UFO's when no target is chosen. */
export function evaluationSource(context: ProjectContext): 'ufo' | 'precreated' {
  return context.target.target === 'precreated' ? 'precreated' : 'ufo';
}

/** `read`: how a role file is read (the editor passes its open documents' text); default the disk. */
export function projectStatements(context: ProjectContext, options: Pick<CompileOptions, 'read' | 'analyze'> = {}): ProjectStatements {
  const source = evaluationSource(context);
  const project = compileProject(context, { ...options, source });
  const iam = getIam();
  const roles = project.roles.map((r) => ({
    logicalId: r.logicalId,
    roleType: r.roleType,
    file: r.file,
    statements: roleStatements(r.resource, iam, { model: project.analyses[r.roleType]?.analysis.model, version: project.ufoVersion }),
  }));
  return { project, source, roles };
}

/**
 * Where a statement comes from, for people and JSON alike (`ufo-iam permissions`, `ufo-iam can`, the Explorer's tree):
 * `file:line` of an inline statement, its file relative to `base` (absolute when outside it), or the managed policy's
 * name, or the ARN of a policy whose document is unknown.
 */
export function statementLabel(project: CompiledProject, role: Pick<RoleStatementsOfProject, 'roleType' | 'file'>, s: EvalStatement, base: string): string {
  const src = s.source;
  if (src.kind === 'inline') {
    const line = statementLine(project, role.roleType, src);
    const rel = path.relative(base, role.file);
    return `${rel === '' || rel.startsWith('..') ? role.file : rel}${line ? `:${line}` : ''}`;
  }
  return src.kind === 'managed' ? src.policyName : src.arn;
}

/** The 1-based line of an inline statement in its role file, when the model placed it. */
export function statementLine(project: CompiledProject, roleType: RoleType, source: StatementSource): number | undefined {
  if (source.kind !== 'inline' || !source.span) return undefined;
  const analysis = project.analyses[roleType]?.analysis;
  return analysis ? lineOfByte(analysis.lineIndex, source.span.start) : undefined;
}
