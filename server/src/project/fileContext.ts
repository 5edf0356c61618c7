// What a file is in its project, and its findings: the one place where a role file's analysis meets the checks, for the
// editor's diagnostics (features/diagnostics.ts) and `ufo-iam check` alike, so both report the same codes at the same
// ranges by construction.
import { type RoleFileAnalysis, runChecks, type RoleType, type Finding, type IamKnowledge, classifyFile, resolveLayout, roleTypeOf, type FileRole, type ProjectLayout } from '../core';
import type { Settings } from '../settings';
import type { ProjectContext } from './projectContext';

export interface FileContext {
  /** The project the file belongs to, when it is in one. */
  readonly project?: ProjectContext;
  /** Project-relative POSIX path. */
  readonly relPath?: string;
  /** The project's layout, with this file in it (a file not on disk yet still counts). */
  readonly layout?: ProjectLayout;
  readonly fileRole: FileRole;
  readonly roleType?: RoleType;
}

export const OUTSIDE: FileContext = { fileRole: { kind: 'outside' } };

/** The context of `relPath` in `project`: which role it feeds, or why UFO ignores it. */
export function fileContextIn(project: ProjectContext, relPath: string): FileContext {
  const layout = project.files.includes(relPath) ? project.layout : resolveLayout({ files: [...project.files, relPath], app: project.app, version: project.version });
  const fileRole = classifyFile(relPath, layout, project.app);
  return { project, relPath, layout, fileRole, roleType: roleTypeOf(fileRole) };
}

/** Every finding of a role file with its final severity (the settings' severities and the file's suppressions applied). */
export function checkRoleFile(analysis: RoleFileAnalysis, ctx: FileContext, settings: Settings | undefined, iam: IamKnowledge | undefined): Finding[] {
  if (ctx.fileRole.kind === 'outside' && !ctx.project) {
    // Not in a UFO project: only what Ruby itself rejects.
    return analysis.findings.filter((f) => f.code === 'SYNTAX_ERROR').map((f) => ({ ...f, severity: f.severity ?? 'error' }));
  }
  return runChecks({ analysis, fileRole: ctx.fileRole, version: ctx.layout?.version ?? 6, iam, severities: settings?.diagnostics });
}
