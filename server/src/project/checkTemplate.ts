// The checks of a task-definition template in its project, for the editor's diagnostics and quick fixes
// (features/templates.ts) and `ufo-iam check` alike, so both report the same findings by construction: which role
// files build which role (compileProject, the files UFO reads for them, app-specific first in v6), the pure checks of
// core/taskdef/checkTaskDefinition.ts, the configured severities, and the quick fixes as byte-span edits per file.
import * as path from 'node:path';
import {
  checkTaskDefinition,
  indexText,
  isTaskDefinitionTemplate,
  LOGICAL_IDS,
  RAISING_CODES,
  resolveSeverity,
  templateFormat,
  type BuiltRole,
  type ByteEdit,
  type Finding,
  type LineIndex,
  type LogicalId,
  type RoleType,
} from '../core';
import { compileProject, type CompileOptions } from './compileProject';
import type { ProjectContext } from './projectContext';
import { readProjectFile, type FileRead } from './readProjectFile';

/** A quick fix whose edits may change other files than the one it is offered in (an emptied role file). */
export interface FileFix {
  readonly title: string;
  readonly isPreferred?: boolean;
  /** Per file (absolute path): its line index (of the text the edits apply to) and byte-span edits. */
  readonly changes: ReadonlyArray<{ readonly file: string; readonly lineIndex: LineIndex; readonly edits: readonly ByteEdit[] }>;
}

export interface TemplateCheck {
  /** Absolute path of the template. */
  readonly file: string;
  readonly lineIndex: LineIndex;
  /** With their final severity; codes turned off are left out. */
  readonly findings: ReadonlyArray<{ readonly finding: Finding; readonly fixes: readonly FileFix[] }>;
}

export interface TemplateCheckOptions {
  /** How a project file is read (project-relative path): the editor passes its open documents' text; default the disk. */
  readonly read?: (rel: string) => FileRead;
  /** How a role file's text is analysed (compileProject's `analyze`: the editor reuses its analyses). */
  readonly analyze?: CompileOptions['analyze'];
}

/** The task-definition templates of the project that UFO may render (v5 `.ufo/templates/*.json.erb`, v6 `.ufo/resources/task_definitions/*.{json,yml}`). */
export function templateFilesOf(project: ProjectContext): string[] {
  return project.files.filter((f) => isTaskDefinitionTemplate(project.version, f));
}

/** Whether a project-relative path is one of the project's task-definition templates (also when not on disk yet). */
export function isTemplateOf(project: ProjectContext, relPath: string): boolean {
  return isTaskDefinitionTemplate(project.version, relPath);
}

const LOGICAL_IDS_LIST: readonly LogicalId[] = ['TaskRole', 'ExecutionRole'];

/**
 * What the role files of the project build, per role: read as UFO reads them (docs/ufo-semantics.md §5); `unknown` where
 * a role file cannot be evaluated statically or custom properties may set the task definition's ARN.
 */
export function builtRoles(project: ProjectContext, options: TemplateCheckOptions = {}): { roles: Record<LogicalId, BuiltRole>; texts: Partial<Record<LogicalId, string>> } {
  const read = options.read ?? ((rel: string) => readProjectFile(project.root, rel));
  const texts: Partial<Record<LogicalId, string>> = {};
  const compiled = compileProject(project, {
    ...(options.analyze ? { analyze: options.analyze } : {}),
    read: (rel) => {
      const r = read(rel);
      const roleType = (Object.entries(project.layout.roleFiles) as [RoleType, string][]).find(([, f]) => f === rel)?.[0];
      if (r.ok && roleType) texts[LOGICAL_IDS[roleType]] = r.text;
      return r;
    },
  });
  const roles = { TaskRole: { kind: 'none' }, ExecutionRole: { kind: 'none' } } as Record<LogicalId, BuiltRole>;
  // Custom properties (v6 .ufo/config/cfn/*.yml, v5 .ufo/settings/cfn/*.yml) are merged into the TaskDefinition's
  // properties after the build (docs/ufo-semantics.md §9) and may set either ARN: then what the task gets is not known.
  const custom = project.files.filter((f) => /^\.ufo\/(?:config|settings)\/cfn\/[^/]+\.ya?ml$/.test(f)).map((f) => read(f));
  const customSets = (key: RegExp) => custom.some((r) => !r.ok || key.test(r.text));
  const overridden: Record<LogicalId, boolean> = { TaskRole: customSets(/task_?role_?arn/i), ExecutionRole: customSets(/execution_?role_?arn/i) };
  for (const [roleType, rel] of Object.entries(project.layout.roleFiles) as [RoleType, string][]) {
    const id = LOGICAL_IDS[roleType];
    const analysis = compiled.analyses[roleType]?.analysis;
    // A role file that cannot be read, or that UFO cannot evaluate, builds what we cannot know.
    if (!analysis || analysis.findings.some((f) => RAISING_CODES.has(f.code))) roles[id] = { kind: 'unknown' };
    else if (compiled.roles.some((r) => r.logicalId === id)) roles[id] = { kind: 'built', file: rel };
    else if (compiled.unknownRoles.some((r) => r.logicalId === id)) roles[id] = { kind: 'unknown' };
  }
  for (const id of LOGICAL_IDS_LIST) if (overridden[id]) roles[id] = { kind: 'unknown' };
  return { roles, texts };
}

/** The findings of one template (`relPath` in `project`, with its current `text`) and their quick fixes. */
export function checkTemplate(project: ProjectContext, relPath: string, text: string, options: TemplateCheckOptions = {}): TemplateCheck {
  const file = path.join(project.root, relPath);
  const bom = text.charCodeAt(0) === 0xfeff;
  const { lineIndex } = indexText(text);
  if (!isTemplateOf(project, relPath)) return { file, lineIndex, findings: [] };
  const { roles, texts } = builtRoles(project, options);
  const shift = bom ? 1 : 0;
  const body = bom ? text.slice(1) : text;
  const span = (r: { start: number; end: number }) => ({ start: lineIndex.byteOfOffset(r.start + shift), end: lineIndex.byteOfOffset(r.end + shift) });
  const out: Array<{ finding: Finding; fixes: FileFix[] }> = [];
  for (const t of checkTaskDefinition({ text: body, format: templateFormat(relPath), path: relPath, roles })) {
    const base: Finding = { code: t.code, span: span(t.range), message: t.message, ...(t.role ? { data: { key: t.role.key, logicalId: t.role.logicalId, roleFile: t.role.file } } : {}) };
    const severity = resolveSeverity(base, project.settings.diagnostics);
    if (severity === 'off') continue;
    const fixes: FileFix[] = [];
    if (t.role) {
      if (t.role.removal) {
        fixes.push({
          title: `Remove the ARN from the template (UFO builds the role from ${t.role.file})`,
          isPreferred: true,
          changes: [{ file, lineIndex, edits: t.role.removal.map((e) => ({ span: span(e.range), text: e.newText })) }],
        });
      }
      const roleText = texts[t.role.logicalId];
      if (roleText !== undefined) {
        const roleIndex = indexText(roleText).lineIndex;
        fixes.push({
          title: `Keep the pre-created role: empty ${t.role.file}`,
          changes: [
            {
              file: path.join(project.root, t.role.file),
              lineIndex: roleIndex,
              edits: [{ span: { start: 0, end: roleIndex.byteLength }, text: `# role pre-created: see ${t.role.key} in ${relPath}\n` }],
            },
          ],
        });
      }
    }
    out.push({ finding: { ...base, severity }, fixes });
  }
  return { file, lineIndex, findings: out };
}
