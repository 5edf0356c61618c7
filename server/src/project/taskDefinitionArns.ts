// The task-definition ARN update, computed once for the editor ("UFO: Update Task Definition ARNs",
// features/taskDefinitionArns.ts) and the CLI (`ufo-iam arns`): which template (the project context's choice, or the
// one the user named), the ERB-aware edit of `taskRoleArn` / `executionRoleArn` (core/taskdef/editRoleArns.ts), and
// what the user must know about it. The adapters only find the ARNs (given, or the live roles' from IAM) and show
// or write the result.
import * as path from 'node:path';
import { type LogicalId, chooseTemplate, editRoleArns, ROLE_ARN_PATTERN, type RoleArnKey, type Utf16Edit } from '../core';
import type { ProjectContext } from './projectContext';
import { compileProject } from './compileProject';
import { readProjectFile } from './readProjectFile';

export const KEY_OF: Record<LogicalId, RoleArnKey> = { TaskRole: 'taskRoleArn', ExecutionRole: 'executionRoleArn' };
/** `arn:<partition>:iam::<12 digits>:role/<path/><name>`: the rule INVALID_ROLE_ARN reports in templates, so no ARN written here is reported there. */
export const ROLE_ARN = ROLE_ARN_PATTERN;
/** Refusals that `force` overrides (see EditRoleArnsOptions). */
export const FORCEABLE = new Set(['DUPLICATE_KEY', 'ERB_VALUE', 'NOT_A_STRING', 'CONDITIONAL_KEY']);

export type ArnValues = Partial<Record<RoleArnKey, string>>;

export type ArnUpdate =
  /**
   * `edits` are UTF-16 offsets into `text` (the file as read, byte-order mark removed; `bom` says whether it had one);
   * `newText` is the result.
   */
  | {
      readonly kind: 'edit';
      readonly file: string;
      readonly text: string;
      readonly bom: boolean;
      readonly newText: string;
      readonly edits: readonly Utf16Edit[];
      readonly values: ArnValues;
      readonly notes: readonly string[];
    }
  | { readonly kind: 'unchanged'; readonly file: string; readonly values: ArnValues; readonly notes: readonly string[] }
  | { readonly kind: 'choose'; readonly candidates: readonly string[]; readonly message: string }
  | { readonly kind: 'refused'; readonly code: string; readonly message: string; readonly canForce: boolean; readonly file?: string };

/** The template an update will edit: the one named (it must be a file of the project), else the context's choice. */
export function templateFor(project: ProjectContext, named?: string): ReturnType<typeof chooseTemplate> | { kind: 'refused'; message: string } {
  if (named === undefined) return project.template;
  const full = path.resolve(project.root, named);
  const rel = path.relative(project.root, full).split(path.sep).join('/');
  if (rel.startsWith('../') || rel === '..' || path.isAbsolute(rel) || !project.files.includes(rel)) {
    return { kind: 'refused', message: `${named} is not a task-definition file of this project.` };
  }
  return chooseTemplate(project.version, project.files, project.ufoRole, rel);
}

/** Checks ARNs given by the user; a message for the first that is not a role ARN. */
export function invalidArn(values: ArnValues): string | undefined {
  for (const key of ['taskRoleArn', 'executionRoleArn'] as const) {
    const v = values[key];
    if (v !== undefined && (typeof v !== 'string' || !ROLE_ARN.test(v))) return `${key} must be an IAM role ARN like arn:aws:iam::123456789012:role/name.`;
  }
  return undefined;
}

/**
 * Why the template gets no ARNs with this project's target, or undefined: the ARNs are the pre-created model's; with the
 * stack target UFO sets them to its own roles (Fn::GetAtt). Asked before any AWS call.
 */
export function stackTargetRefusal(project: ProjectContext): string | undefined {
  if (project.target.target !== 'stack') return undefined;
  return (
    `The apply target is the stack (${project.target.how}): UFO sets taskRoleArn and executionRoleArn to the roles of its stack at \`ufo ship\`, ` +
    `so the template needs no ARNs. To use pre-created roles instead, move the role files to ${project.layout.precreatedDir ?? project.settings.precreatedFolder}/ ` +
    `("UFO: Move Roles to Pre-created") or set ufoIam.apply.target to precreated.`
  );
}

export function planArnUpdate(project: ProjectContext, values: ArnValues, options: { file?: string; force?: boolean } = {}): ArnUpdate {
  const refuse = (code: string, message: string, file?: string): ArnUpdate => ({ kind: 'refused', code, message, canForce: FORCEABLE.has(code), ...(file ? { file } : {}) });
  const bad = invalidArn(values);
  if (bad) return refuse('INVALID_ARN', bad);
  const choice = templateFor(project, options.file);
  if (choice.kind === 'refused' || choice.kind === 'none') return refuse('NO_TEMPLATE', choice.message);
  if (choice.kind === 'choose') return { kind: 'choose', candidates: choice.candidates.map((c) => c.path), message: `${choice.message} Which one gets the ARNs?` };
  const file = choice.file;

  const read = readProjectFile(project.root, file.path);
  if (!read.ok) return refuse('NO_TEMPLATE', `${file.path} is not read: ${read.reason}`);
  const stack = stackTargetRefusal(project);
  if (stack) return refuse('STACK_TARGET', stack);
  // UFO replaces the template's ARN by its own CloudFormation role whenever a role file builds one: writing it would be undone.
  const notes: string[] = [];
  for (const r of compileProject(project).roles) {
    const key = KEY_OF[r.logicalId];
    if (values[key] === undefined) continue;
    return refuse(
      'UFO_BUILDS_ROLE',
      `UFO also builds ${r.logicalId} from ${path.relative(project.root, r.file)} and sets ${key} to that CloudFormation role instead of this ARN. ` +
        `Move the file to ${project.layout.precreatedDir ?? project.settings.precreatedFolder}/ ("UFO: Move Roles to Pre-created") so that UFO uses the ARN.`,
    );
  }
  const bom = read.text.charCodeAt(0) === 0xfeff;
  const text = bom ? read.text.slice(1) : read.text;
  const result = editRoleArns(text, file.format, values, { force: options.force === true });
  if (!result.ok) return refuse(result.code, `${file.path}: ${result.reason}`, file.path);
  if (result.edits.length === 0) return { kind: 'unchanged', file: file.path, values, notes };
  return { kind: 'edit', file: file.path, text, bom, newText: result.text, edits: result.edits, values, notes };
}
