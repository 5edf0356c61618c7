// Moving a project between the two ways UFO gives a task its roles (docs/moving-roles.md), computed once for
// "UFO: Move Roles to Pre-created" / "UFO: Move Roles to the Stack" (features/moveRoles.ts): which role files are renamed
// (the ones read for each role, keeping v6's `<app>/` folder), the edit that removes the template's literal ARNs that
// UFO replaces anyway (the same removal as the TEMPLATE_ARN_REPLACED quick fix), and a preview of what UFO deploys
// afterwards, compiled from the moved layout. Nothing is written here: the adapters turn the result into one
// WorkspaceEdit (renames and the template's text edit).
import * as path from 'node:path';
import { applyTextEdits, checkTaskDefinition, LOGICAL_IDS, readRoleArns, templateFormat, toJsonText, type LogicalId, type RoleArnKey, type RoleArnRef, type RoleType, type Utf16Edit } from '../core';
import type { ApplyTarget } from '../settings';
import { builtRoles } from './checkTemplate';
import { compileProject, type CompiledProject } from './compileProject';
import { openProject, type ProjectContext } from './projectContext';
import { readProjectFile, type FileRead } from './readProjectFile';

export interface FileMove {
  readonly roleType: RoleType;
  /** Project-relative POSIX paths. */
  readonly from: string;
  readonly to: string;
}

export interface TemplateArnRemoval {
  /** The template (project-relative). */
  readonly file: string;
  /** The file's text as read, byte-order mark removed (`bom` says whether it had one), the edits' offsets refer to it. */
  readonly text: string;
  readonly bom: boolean;
  readonly newText: string;
  /** One replacement, UTF-16 offsets into `text`. */
  readonly edits: readonly Utf16Edit[];
  readonly removed: readonly RoleArnKey[];
}

export type MovePlan =
  | {
      readonly kind: 'move';
      readonly to: ApplyTarget;
      readonly moves: readonly FileMove[];
      /** Moving to the stack: the literal ARNs of the roles UFO now builds, removed (unless asked to keep them). */
      readonly template?: TemplateArnRemoval;
      /** Literal ARNs UFO will replace that stay in the template (kept on request, or not removable safely). */
      readonly keptArns: readonly RoleArnKey[];
      /** The project as it will be after the move (its files listed as if renamed). */
      readonly after: ProjectContext;
      /** What UFO deploys after the move, and what ufo-iam applies to pre-created roles: for people. */
      readonly preview: string;
      /** One line: what UFO builds after the move. */
      readonly headline: string;
      readonly notes: readonly string[];
    }
  | { readonly kind: 'refused'; readonly code: 'NO_ROLES' | 'NO_FOLDER' | 'DESTINATION_EXISTS' | 'SHADOWED'; readonly message: string };

export interface MoveOptions {
  /** Moving to the stack: leave the template's literal ARNs as they are (UFO replaces them at `ufo ship` anyway). */
  readonly keepTemplateArns?: boolean;
}

const KEY_OF: Record<LogicalId, RoleArnKey> = { TaskRole: 'taskRoleArn', ExecutionRole: 'executionRoleArn' };
const ROLE_ORDER: readonly RoleType[] = ['task_role', 'execution_role'];

/** `dir/<rest>` of a file under `fromDir`, re-rooted under `toDir` (v6's `<app>/` sub-folder is kept). */
function rebase(file: string, fromDir: string, toDir: string): string {
  return `${toDir}/${file.slice(fromDir.length + 1)}`;
}

/** The files under `.ufo/` as they will be after the moves: the moved files renamed, their new folders listed. */
function filesAfter(files: readonly string[], moves: readonly FileMove[]): string[] {
  const out = files.filter((f) => !moves.some((m) => m.from === f));
  for (const m of moves) {
    const parts = m.to.split('/');
    for (let i = 2; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (!out.includes(dir)) out.push(dir);
    }
    out.push(m.to);
  }
  return out;
}

function refWords(key: RoleArnKey, ref: RoleArnRef | undefined): string {
  if (!ref || ref.kind === 'absent') return `${key}: not set`;
  if (ref.kind === 'literal') return `${key}: "${ref.value}"`;
  if (ref.kind === 'ambiguous') return `${key}: appears more than once (which one counts depends on the rendering)`;
  return `${key}: ${ref.source} (computed when UFO renders the template)`;
}

/**
 * The move of `project` to `to`: every role file read for the other model is renamed to the same place in this one's
 * folder. Refused when there is nothing to move, when a destination exists, or when a file there would shadow a moved one.
 */
export function planMoveRoles(project: ProjectContext, to: ApplyTarget, options: MoveOptions = {}): MovePlan {
  const { layout, root } = project;
  const preDir = layout.precreatedDir;
  if (!preDir) {
    return { kind: 'refused', code: 'NO_FOLDER', message: `There is no usable pre-created folder: ${project.notes.find((n) => n.startsWith('ufoIam.precreated.folder')) ?? `ufoIam.precreated.folder is "${project.settings.precreatedFolder}"`}` };
  }
  const fromDir = to === 'precreated' ? layout.rolesDir : preDir;
  const toDir = to === 'precreated' ? preDir : layout.rolesDir;
  const sources = to === 'precreated' ? layout.roleFiles : layout.precreatedFiles;
  const moves: FileMove[] = ROLE_ORDER.filter((t) => sources[t] !== undefined).map((t) => ({ roleType: t, from: sources[t]!, to: rebase(sources[t]!, fromDir, toDir) }));
  if (moves.length === 0) {
    return {
      kind: 'refused',
      code: 'NO_ROLES',
      message:
        to === 'precreated'
          ? `There are no role files UFO reads to move: ${layout.rolesDir}/ holds no task_role.rb or execution_role.rb${project.version === 6 && project.app ? ` (nor ${layout.rolesDir}/${project.app}/)` : ''}.`
          : `There are no pre-created role files to move: ${preDir}/ holds no task_role.rb or execution_role.rb${project.version === 6 && project.app ? ` (nor ${preDir}/${project.app}/)` : ''}.`,
    };
  }
  const existing = moves.filter((m) => project.files.includes(m.to));
  if (existing.length > 0) {
    return {
      kind: 'refused',
      code: 'DESTINATION_EXISTS',
      message:
        `${existing.map((m) => m.to).join(' and ')} already ${existing.length === 1 ? 'exists' : 'exist'}: moving ${existing.map((m) => m.from).join(' and ')} there would replace ${existing.length === 1 ? 'it' : 'them'}. ` +
        `Merge or remove ${existing.length === 1 ? 'it' : 'them'} first; nothing was moved.`,
    };
  }

  // The project after the move: the same settings, version and environment, the files renamed.
  const after = openProject(root, {
    settings: { ...project.settings, ufoVersion: String(project.version) as '5' | '6' },
    env: project.env,
    files: filesAfter(project.files, moves),
    config: project.config ?? null,
  });
  const afterFiles = to === 'precreated' ? after.layout.precreatedFiles : after.layout.roleFiles;
  const shadowed = moves.filter((m) => afterFiles[m.roleType] !== m.to);
  if (shadowed.length > 0) {
    return {
      kind: 'refused',
      code: 'SHADOWED',
      message: shadowed.map((m) => `${afterFiles[m.roleType]} would be read for ${LOGICAL_IDS[m.roleType]} instead of the moved ${m.to} (the app-specific file comes first).`).join(' ') + ' Nothing was moved.',
    };
  }

  // A moved file is read from where it is now.
  const origin = new Map(moves.map((m) => [m.to, m.from]));
  const read = (rel: string): FileRead => readProjectFile(root, origin.get(rel) ?? rel);
  const ufo = compileProject(after, { read, source: 'ufo' });
  const pre = compileProject(after, { read, source: 'precreated' });
  const notes: string[] = [];

  // The template: moving to the stack, the literal ARNs of the roles UFO now builds go (UFO replaces them anyway).
  let template: TemplateArnRemoval | undefined;
  const keptArns: RoleArnKey[] = [];
  let templateText: string | undefined;
  const choice = after.template;
  if (choice.kind === 'file') {
    const r = readProjectFile(root, choice.file.path);
    if (r.ok) {
      const bom = r.text.charCodeAt(0) === 0xfeff;
      const text = bom ? r.text.slice(1) : r.text;
      templateText = text;
      if (to === 'stack') {
        const { roles } = builtRoles(after, { read });
        let current = text;
        const removed: RoleArnKey[] = [];
        // One member at a time: the removal of one can make the other's (its comma) different.
        for (let round = 0; round < 3; round++) {
          const replaced = checkTaskDefinition({ text: current, format: templateFormat(choice.file.path), path: choice.file.path, roles }).filter(
            (f) => f.code === 'TEMPLATE_ARN_REPLACED' && f.role && !removed.includes(f.role.key),
          );
          const next = options.keepTemplateArns ? undefined : replaced.find((f) => f.role!.removal);
          if (!next) {
            for (const f of replaced) if (!keptArns.includes(f.role!.key)) keptArns.push(f.role!.key);
            break;
          }
          current = applyTextEdits(current, next.role!.removal!);
          removed.push(next.role!.key);
        }
        if (removed.length > 0) {
          template = { file: choice.file.path, text, bom, newText: current, edits: [diffEdit(text, current)], removed };
          templateText = current;
          notes.push(`${removed.join(' and ')} ${removed.length === 1 ? 'is' : 'are'} removed from ${choice.file.path}: UFO sets ${removed.length === 1 ? 'it' : 'them'} to the roles of its stack (Fn::GetAtt) and would replace the literal ARN anyway.`);
        }
        if (keptArns.length > 0) {
          notes.push(
            `${keptArns.join(' and ')} in ${choice.file.path} ${keptArns.length === 1 ? 'stays' : 'stay'}${options.keepTemplateArns ? ' as asked' : ' (ERB or a repeated key is involved: remove it by hand)'}; UFO replaces ${keptArns.length === 1 ? 'it' : 'them'} with the role it builds.`,
          );
        }
      }
    } else if (!r.missing) notes.push(`${choice.file.path} is not read: ${r.reason}.`);
  } else if (choice.kind === 'choose') notes.push(`${choice.message} The template's ARNs are not looked at.`);

  if (to === 'precreated') {
    notes.push(
      `UFO never reads ${preDir}/: apply the roles ("UFO: Apply IAM Roles…" or \`ufo-iam apply --target precreated\`), then write their ARNs into the task definition ` +
        `("UFO: Update Task Definition ARNs" or \`ufo-iam arns\`); until then the task gets what the template says.`,
    );
  } else {
    notes.push(`UFO builds the moved roles in its stack at the next \`ufo ship\`; the roles ufo-iam created before are left in IAM (ufo-iam never deletes roles).`);
  }
  const oldTarget = to === 'precreated' ? 'stack' : 'precreated';
  if (project.settings.applyTarget === oldTarget) {
    notes.push(`ufoIam.apply.target is "${oldTarget}": set it to "${to}" (or clear it) so that plan and apply use the moved files.`);
  }
  const leftOver = to === 'precreated' ? after.layout.roleFiles : after.layout.precreatedFiles;
  for (const [t, f] of Object.entries(leftOver) as [RoleType, string][]) {
    notes.push(
      to === 'precreated'
        ? `UFO still reads ${f} for ${LOGICAL_IDS[t]} after the move (it was shadowed by the app-specific file) and builds that role.`
        : `${f} stays in the pre-created folder for ${LOGICAL_IDS[t]}.`,
    );
  }

  const { preview, headline } = describeAfter(after, to, moves, ufo, pre, templateText);
  return { kind: 'move', to, moves, ...(template ? { template } : {}), keptArns, after, preview, headline, notes };
}

/** The one replacement that turns `a` into `b` (common prefix and suffix kept; never splitting a surrogate pair). */
function diffEdit(a: string, b: string): Utf16Edit {
  let start = 0;
  const max = Math.min(a.length, b.length);
  while (start < max && a.charCodeAt(start) === b.charCodeAt(start)) start++;
  if (start > 0 && start < a.length && isHigh(a.charCodeAt(start - 1))) start--;
  let end = 0;
  while (end < max - start && a.charCodeAt(a.length - 1 - end) === b.charCodeAt(b.length - 1 - end)) end++;
  if (end > 0 && a.length - end > start && isLow(a.charCodeAt(a.length - end))) end--;
  return { range: { start, end: a.length - end }, newText: b.slice(start, b.length - end) };
}
const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

function describeAfter(
  after: ProjectContext,
  to: ApplyTarget,
  moves: readonly FileMove[],
  ufo: CompiledProject,
  pre: CompiledProject,
  templateText: string | undefined,
): { preview: string; headline: string } {
  const rel = (file: string) => path.relative(after.root, file).split(path.sep).join('/');
  const lines: string[] = [`// After moving the roles to ${to === 'stack' ? "UFO's stack" : 'the pre-created folder'}:`];
  for (const m of moves) lines.push(`//   ${m.from} → ${m.to}`);
  const choice = after.template;
  const tplFile = choice.kind === 'file' ? choice.file.path : undefined;
  const reading = tplFile && templateText !== undefined ? readRoleArns(templateText, templateFormat(tplFile)) : undefined;
  const refOf = (key: RoleArnKey): RoleArnRef | undefined => (reading?.ok ? reading[key] : undefined);
  const stack = after.stack.ok ? `stack ${after.stack.name}` : 'its stack';
  let headline: string;
  const built = [...ufo.roles].sort((a, b) => ROLE_ORDER.indexOf(a.roleType) - ROLE_ORDER.indexOf(b.roleType));
  if (built.length === 0) {
    const refs = (['taskRoleArn', 'executionRoleArn'] as const).map((k) => refWords(k, refOf(k))).join(', ');
    headline = `UFO builds no role; the task uses the template's ARNs${tplFile ? ` (${tplFile})` : ''}: ${tplFile ? refs : 'no template found'}.`;
  } else {
    headline =
      `UFO builds ${built.map((r) => `${r.logicalId} (from ${rel(r.file)})`).join(' and ')} in ${stack} ` +
      `and sets ${built.map((r) => KEY_OF[r.logicalId]).join(' and ')} to ${built.length === 1 ? 'it' : 'them'} (Fn::GetAtt).`;
    const others = (['TaskRole', 'ExecutionRole'] as const).filter((id) => !ufo.roles.some((r) => r.logicalId === id));
    if (others.length > 0 && tplFile) headline += ` From the template (${tplFile}): ${others.map((id) => refWords(KEY_OF[id], refOf(KEY_OF[id]))).join(', ')}.`;
  }
  if (ufo.unknownRoles.length > 0) headline += ` ${ufo.unknownRoles.map((r) => `${r.logicalId} (${rel(r.file)})`).join(' and ')} may be built too: its calls depend on deploy time.`;
  lines.push(`// What \`ufo ship\` deploys: ${headline}`);
  const problems = [...new Set([...ufo.problems, ...pre.problems].filter((p) => p.severity === 'error').map((p) => `${rel(p.file)}:${p.line}:${p.column}: ${p.code} ${p.message.replace(/\n/g, ' ')}`))];
  if (problems.length > 0) {
    lines.push('// Problems (fix them before applying):');
    for (const p of problems) lines.push(`//   ${p}`);
  }
  const out = [lines.join('\n'), `// The roles UFO builds, as \`ufo-iam compile\` prints them:\n${toJsonText(ufo.resources)}`];
  if (pre.roles.length > 0 || Object.keys(after.layout.precreatedFiles).length > 0) {
    const names = pre.roles.map((r) => {
      const n = after.names.names[r.logicalId];
      return `${r.logicalId} ${n.ok ? n.name : `(no name: ${n.message})`} from ${rel(r.file)}`;
    });
    out.push(
      `// The pre-created roles ufo-iam applies (UFO never reads ${after.layout.precreatedDir}/): ${names.length > 0 ? names.join(', ') : 'none (their files register no policy)'}.\n${toJsonText(pre.resources)}`,
    );
  }
  return { preview: out.join('\n') + '\n', headline };
}
