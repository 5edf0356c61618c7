// From an AccessDenied message to the role file and the edit that allows the request (docs/access-denied.md), for
// `ufo-iam explain-denied` and `ufoIam/explainDenied` alike. The role is found by the names of the two apply models
// (docs/apply.md): CloudFormation's `<stack>-TaskRole-<random>` (shortened when long) for the stack's roles, the
// `ufoIam.roleNameTemplate` names for the pre-created ones; the file is the one UFO (or ufo-iam) reads for that role.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeRoleFile, applyEdits, describeDenyReason, LOGICAL_IDS, parseAccessDenied, proposeAllowEdit, type AccessDenied, type ByteEdit, type LogicalId, type RoleType } from '../core';
import type { ApplyTarget } from '../settings';
import { getIam } from './iamInstance';
import { getPrism } from './prismInstance';
import type { ProjectContext } from './projectContext';
import { readProjectFile, type FileRead } from './readProjectFile';

export type DeniedRoleMatch =
  | {
      readonly ok: true;
      /** Which model's name it is. */
      readonly target: ApplyTarget;
      readonly logicalId: LogicalId;
      readonly roleType: RoleType;
      /** How the name matched, in words (exact, shortened by CloudFormation, case). */
      readonly how: string;
      /** The project-relative role file read for that role, when one exists. */
      readonly file?: string;
      /** Where that file would go, when none exists. */
      readonly expectedFile: string;
      readonly notes: readonly string[];
    }
  | { readonly ok: false; readonly message: string; readonly expected: readonly string[] };

const ROLE_TYPE_OF: Record<LogicalId, RoleType> = Object.fromEntries(Object.entries(LOGICAL_IDS).map(([t, id]) => [id, t])) as Record<LogicalId, RoleType>;
const IDS: readonly LogicalId[] = ['TaskRole', 'ExecutionRole'];
/** CloudFormation's random suffix of a physical name. */
const SUFFIX = /^[A-Za-z0-9]+$/;

/** Whether `roleName` is CloudFormation's physical name for `logicalId` of `stack`, and how. */
function stackMatch(roleName: string, stack: string, logicalId: LogicalId): string | undefined {
  const prefix = `${stack}-${logicalId}-`;
  if (roleName.startsWith(prefix) && SUFFIX.test(roleName.slice(prefix.length))) {
    return `${roleName} is CloudFormation's name for the ${logicalId} of stack ${stack} (${stack}-${logicalId}-<random suffix>)`;
  }
  if (roleName.toLowerCase().startsWith(prefix.toLowerCase()) && SUFFIX.test(roleName.slice(prefix.length))) {
    return `${roleName} is, ignoring case (IAM role names are unique regardless of case), CloudFormation's name for the ${logicalId} of stack ${stack}`;
  }
  // CloudFormation shortens the stack name and the logical id when the whole name would be too long for IAM.
  const last = roleName.lastIndexOf('-');
  if (last <= 0 || !SUFFIX.test(roleName.slice(last + 1))) return undefined;
  const head = roleName.slice(0, last);
  for (let i = head.indexOf('-'); i > 0; i = head.indexOf('-', i + 1)) {
    const s = head.slice(0, i);
    const l = head.slice(i + 1);
    if (l === '' || s === '') continue;
    if (stack.startsWith(s) && logicalId.startsWith(l) && (s !== stack || l !== logicalId)) {
      return `${roleName} matches CloudFormation's name for the ${logicalId} of stack ${stack} as shortened for IAM's length limit ("${s}" starts the stack name, "${l}" starts ${logicalId})`;
    }
  }
  return undefined;
}

/** The role of the project that `roleName` names, by both models' names; the target in force is preferred. */
export function matchDeniedRole(context: ProjectContext, roleName: string, asked?: ApplyTarget): DeniedRoleMatch {
  const { layout } = context;
  const found: Array<{ target: ApplyTarget; logicalId: LogicalId; how: string }> = [];
  const expected: string[] = [];
  if (context.stack.ok) {
    for (const id of IDS) {
      const how = stackMatch(roleName, context.stack.name, id);
      if (how) found.push({ target: 'stack', logicalId: id, how });
      expected.push(`${context.stack.name}-${id}-… (the stack's ${id})`);
    }
  } else expected.push(`<stack>-TaskRole-… / <stack>-ExecutionRole-… (the stack's name is not known: ${context.stack.message})`);
  for (const id of IDS) {
    const n = context.names.names[id];
    if (!n.ok) continue;
    expected.push(`${n.name} (the pre-created ${id}, ufoIam.roleNameTemplate ${context.names.template})`);
    if (n.name === roleName) found.push({ target: 'precreated', logicalId: id, how: `${roleName} is the pre-created ${id}'s name (ufoIam.roleNameTemplate ${context.names.template})` });
    else if (n.name.toLowerCase() === roleName.toLowerCase()) found.push({ target: 'precreated', logicalId: id, how: `${roleName} is, ignoring case, the pre-created ${id}'s name ${n.name}` });
  }
  if (found.length === 0) {
    return { ok: false, message: `The role ${roleName} is none of this project's roles. Expected one of: ${expected.join('; ')}.`, expected };
  }
  const inForce = asked ?? context.target.target;
  const pick = found.find((f) => f.target === inForce) ?? found[0];
  const notes: string[] = [];
  if (inForce && pick.target !== inForce) notes.push(`the role is named as a ${pick.target === 'stack' ? "stack's" : 'pre-created'} role, but the apply target in force is ${inForce} (${context.target.how})`);
  const roleType = ROLE_TYPE_OF[pick.logicalId];
  const file = pick.target === 'stack' ? layout.roleFiles[roleType] : layout.precreatedFiles[roleType];
  const expectedFile = `${pick.target === 'stack' ? layout.rolesDir : (layout.precreatedDir ?? context.settings.precreatedFolder)}/${roleType}.rb`;
  return { ok: true, target: pick.target, logicalId: pick.logicalId, roleType, how: pick.how, ...(file ? { file } : {}), expectedFile, notes };
}

/** The proposed edit of one role file: the text it was computed from and the text after it. */
export interface DeniedEdit {
  /** Project-relative. */
  readonly file: string;
  readonly absolutePath: string;
  readonly before: string;
  readonly after: string;
  /** SHA-256 (hex) of `before`: a write refuses when the file no longer has it. */
  readonly baseSha256: string;
  readonly edits: readonly ByteEdit[];
  readonly kind: 'appendAction' | 'newPolicy';
  readonly title: string;
  readonly policyName: string;
  readonly resource: string;
}

export type DeniedExplanation =
  /** The text is no AccessDenied message that names a principal and an action. */
  | { readonly kind: 'notDenied'; readonly code: 'NOT_ACCESS_DENIED' | 'NO_DETAILS'; readonly message: string }
  | {
      readonly kind: 'explained';
      readonly denied: AccessDenied;
      /** The reason in words. */
      readonly reason: string;
      readonly role?: DeniedRoleMatch;
      /** The edit, when one allows the request. */
      readonly edit?: DeniedEdit;
      /** Why there is no edit (an explicit deny, an SCP, no matching role, …). */
      readonly noEdit?: { readonly code: string; readonly message: string };
      readonly notes: readonly string[];
    };

export interface ExplainOptions {
  readonly wildcard?: boolean;
  readonly target?: ApplyTarget;
  /** How a role file is read (the editor passes its open documents); default the disk. */
  readonly read?: (rel: string) => FileRead;
}

export const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

export function explainDenied(context: ProjectContext, message: string, options: ExplainOptions = {}): DeniedExplanation {
  const parsed = parseAccessDenied(message);
  if (!parsed.ok) return { kind: 'notDenied', code: parsed.code, message: parsed.message };
  const { denied } = parsed;
  const reason = describeDenyReason(denied);
  const base = { kind: 'explained' as const, denied, reason: reason.text };
  if (!denied.roleName) {
    return { ...base, noEdit: { code: 'NOT_A_ROLE', message: `The denied principal ${denied.principalArn} is ${denied.principalKind === 'user' ? 'an IAM user' : `not a role (${denied.principalKind})`}, so no role file of this project is involved.` }, notes: [] };
  }
  const role = matchDeniedRole(context, denied.roleName, options.target);
  if (!role.ok) return { ...base, role, noEdit: { code: 'ROLE_NOT_FOUND', message: role.message }, notes: [] };
  const notes = [...role.notes];
  if (!reason.allowHelps) return { ...base, role, noEdit: { code: 'ALLOW_CANNOT_HELP', message: reason.text }, notes };
  if (!role.file) {
    return { ...base, role, noEdit: { code: 'NO_ROLE_FILE', message: `No role file feeds the ${role.logicalId}: create ${role.expectedFile} with the statement.` }, notes };
  }
  const read = (options.read ?? ((rel: string) => readProjectFile(context.root, rel)))(role.file);
  if (!read.ok) return { ...base, role, noEdit: { code: 'UNREADABLE_FILE', message: `${role.file} is not read: ${read.reason}.` }, notes };
  const analysis = analyzeRoleFile(getPrism(), read.text);
  const fix = proposeAllowEdit(analysis, denied.action, denied.resource, { ufoVersion: context.version, iam: getIam(), ...(options.wildcard ? { wildcard: true } : {}) });
  if (!fix.ok) return { ...base, role, noEdit: { code: fix.code, message: fix.message }, notes };
  notes.push(...fix.notes);
  const after = applyEdits(analysis.bytes, fix.edits);
  // A safety net, never expected to fire: an edit that would leave the file unparsable is not offered.
  if (analyzeRoleFile(getPrism(), after).model.hasSyntaxErrors) {
    return { ...base, role, noEdit: { code: 'EDIT_BREAKS_FILE', message: `The edit of ${role.file} would leave it with a syntax error, so none is offered; add the statement by hand.` }, notes };
  }
  const edit: DeniedEdit = {
    file: role.file,
    absolutePath: path.join(context.root, role.file),
    before: read.text,
    after,
    baseSha256: sha256(read.text),
    edits: fix.edits,
    kind: fix.kind,
    title: fix.title,
    policyName: fix.policyName,
    resource: fix.resource,
  };
  return { ...base, role, edit, notes };
}

/** Writes a proposed edit, refusing when the file changed since it was computed (or is no longer a readable project file). */
export function writeDeniedEdit(context: ProjectContext, edit: DeniedEdit): { ok: true } | { ok: false; message: string } {
  const now = readProjectFile(context.root, edit.file);
  if (!now.ok) return { ok: false, message: `${edit.file} is not read: ${now.reason}; nothing was written.` };
  if (sha256(now.text) !== edit.baseSha256) return { ok: false, message: `${edit.file} changed since the edit was computed; nothing was written.` };
  fs.writeFileSync(edit.absolutePath, edit.after);
  return { ok: true };
}

/** A unified diff of the edit (a few lines of context), for the CLI and the editor's explanation. */
export function diffOfEdit(edit: DeniedEdit, context = 3): string {
  // Lines without the text's final line break, so that it is no line of its own.
  const lines0 = (t: string) => (t === '' ? [] : t.replace(/\n$/, '').split('\n'));
  const a = lines0(edit.before);
  const b = lines0(edit.after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const from = Math.max(0, start - context);
  const toA = Math.min(a.length, endA + context);
  const toB = Math.min(b.length, endB + context);
  const lines = [`--- a/${edit.file}`, `+++ b/${edit.file}`, `@@ -${from + 1},${toA - from} +${from + 1},${toB - from} @@`];
  for (let i = from; i < start; i++) lines.push(` ${a[i]}`);
  for (let i = start; i < endA; i++) lines.push(`-${a[i]}`);
  for (let i = start; i < endB; i++) lines.push(`+${b[i]}`);
  for (let i = endA; i < toA; i++) lines.push(` ${a[i]}`);
  return lines.join('\n') + '\n';
}

/** The explanation as lines of text (the CLI prints them; the editor shows them before asking): parse, role, file, reason, notes. */
export function explanationLines(ex: Extract<DeniedExplanation, { kind: 'explained' }>, showFile: (rel: string) => string = (rel) => rel): string[] {
  const d = ex.denied;
  const lines = [
    `Denied: ${d.action}${d.resource !== undefined ? ` on ${d.resource}` : ' (no resource named)'}`,
    `Principal: ${d.principalArn} (${d.principalKind}${d.account ? `, account ${d.account}` : ''})`,
    `Reason: ${ex.reason}`,
  ];
  if (ex.role?.ok) {
    lines.push(`Role: the ${ex.role.target === 'stack' ? "stack's" : 'pre-created'} ${ex.role.logicalId}: ${ex.role.how}.`, `Role file: ${ex.role.file ? showFile(ex.role.file) : `none (${ex.role.expectedFile} would feed it)`}`);
  }
  for (const n of ex.notes) lines.push(`Note: ${n}.`);
  if (ex.edit) lines.push(`Edit: ${ex.edit.title}`);
  else if (ex.noEdit && ex.noEdit.message !== ex.reason) lines.push(`No edit: ${ex.noEdit.message}`);
  return lines;
}
