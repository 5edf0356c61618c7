// Compiles an opened project's roles from disk with the core: what `ufo-iam compile` prints, and what plan and
// apply compare with IAM. The language server compiles the same way from its open documents (features/preview.ts).
import * as path from 'node:path';
import { analyzeRoleFile, type RoleFileAnalysis, compileRoles, LOGICAL_IDS, type LogicalId, type RoleType, type UfoVersion, type CompiledRole, type CMap, type ProjectLayout, type RoleFileModel, ruleOf } from '../core';
import { fileProblem, toProblem, type Problem } from './problem';
import { getPrism } from './prismInstance';
import type { ProjectContext } from './projectContext';
import { readProjectFile, type FileRead } from './readProjectFile';

export interface CompiledProject {
  readonly root: string;
  readonly ufoVersion: UfoVersion;
  readonly layout: ProjectLayout;
  readonly app?: string;
  /** `resource` is the compiled resource itself (exact: printed and sent by the one JSON printer). */
  readonly roles: Array<{ logicalId: LogicalId; roleType: RoleType; file: string; resource: CMap; partial: boolean; compiled: CompiledRole }>;
  /** The resources as UFO orders them (ExecutionRole, TaskRole), for printing. */
  readonly resources: CMap;
  readonly analyses: Partial<Record<RoleType, { file: string; analysis: RoleFileAnalysis }>>;
  /** Roles that UFO may build although the compiler built none: their only calls depend on deploy time. */
  readonly unknownRoles: Array<{ logicalId: LogicalId; file: string }>;
  /** Findings of the role files and of the project's other files (1-based lines/columns in UTF-16 units). */
  readonly problems: Problem[];
}

export function problemsOf(file: string, analysis: RoleFileAnalysis, findings = analysis.findings): Problem[] {
  return findings.map((f) => toProblem(file, analysis.lineIndex, { ...f, severity: f.severity ?? ruleOf(f.code).severity }));
}

export interface CompileOptions {
  /** How a role file is read (project-relative path): the editor passes its open documents' text; default the disk. */
  readonly read?: (rel: string) => FileRead;
  /**
   * `ufo` (the default) compiles the role files UFO reads (what `ufo ship` deploys); `precreated` the pre-created
   * folder's files, with the same semantics (what ufo-iam applies to the pre-created roles).
   */
  readonly source?: 'ufo' | 'precreated';
  /**
   * The analysis of a role file's text: the editor passes the one it already made for that text (an open document's,
   * or a file read before), so compiling the project for a template, the preview or the permissions does not parse a
   * large role file again on every keystroke. Default: analyse the text.
   */
  readonly analyze?: (rel: string, text: string) => RoleFileAnalysis;
}

export function compileProject(project: ProjectContext, options: CompileOptions = {}): CompiledProject {
  const { root, layout } = project;
  const readRole = options.read ?? ((rel: string) => readProjectFile(root, rel));
  const roleFiles = (options.source ?? 'ufo') === 'ufo' ? layout.roleFiles : layout.precreatedFiles;
  const parse = getPrism();
  const models: Partial<Record<RoleType, RoleFileModel>> = {};
  const analyses: CompiledProject['analyses'] = {};
  const problems: Problem[] = [...project.problems];
  for (const [roleType, rel] of Object.entries(roleFiles) as [RoleType, string][]) {
    const file = path.join(root, rel);
    const read = readRole(rel);
    if (!read.ok) {
      problems.push(fileProblem(file, 'UNREADABLE_FILE', `${rel} is not read: ${read.reason}.`));
      continue;
    }
    const analysis = options.analyze ? options.analyze(rel, read.text) : analyzeRoleFile(parse, read.text);
    models[roleType] = analysis.model;
    analyses[roleType] = { file, analysis };
    problems.push(...problemsOf(file, analysis));
  }
  const { roles, resources } = compileRoles(models, layout.version);
  return {
    root,
    ufoVersion: layout.version,
    layout,
    app: project.app,
    roles: roles
      .filter((r) => r.resource)
      .map((r) => ({
        logicalId: LOGICAL_IDS[r.roleType],
        roleType: r.roleType,
        file: analyses[r.roleType]!.file,
        resource: r.resource!,
        partial: r.partial,
        compiled: r,
      })),
    resources,
    analyses,
    unknownRoles: roles.filter((r) => !r.resource && r.partial && analyses[r.roleType]).map((r) => ({ logicalId: LOGICAL_IDS[r.roleType], file: analyses[r.roleType]!.file })),
    problems,
  };
}
