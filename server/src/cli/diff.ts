// `ufo-iam diff --base GITREF [DIR] [--role TaskRole|ExecutionRole] [--format text|json|markdown] [--target
// stack|precreated] [--detailed-exitcode]`: what the role files of the working tree allow that they did not at a git
// ref, and what they no longer allow (docs/evaluation.md, "Comparing with a git ref"), for review without AWS: the
// Markdown is a pull-request comment. The ref's `.ufo/` comes from git without touching the working tree
// (project/gitBase.ts) and is opened with the same settings; both sides go through projectStatements and
// effectivePermissions, and the core's accessDiff compares them, as the plan does live → desired.
// Exit codes: 0 it ran (with --detailed-exitcode: 0 no access change, 2 a change), 1 the ref cannot be read or UFO
// fails to build a side's roles, 2 usage.
import * as path from 'node:path';
import {
  EMPTY_ACCESS_REPORT,
  NOT_CONSIDERED,
  NO_PERMISSIONS,
  RAISING_CODES,
  accessDiff,
  accessNote,
  accessReport,
  effectivePermissions,
  toCompactJson,
  type AccessReport,
  type LogicalId,
} from '../core';
import { GitBaseError, openProjectAtRef } from '../project/gitBase';
import { getIam } from '../project/iamInstance';
import { projectStatements, type ProjectStatements } from '../project/projectStatements';
import { parseArgs, relativeTo } from './args';
import { accessMarkdown, code } from './format/accessMarkdown';
import { cell } from './format/markdown';
import { EXIT, UsageError, type CliIo, type Subcommand } from './io';
import { openCliProject, PROJECT_OPTIONS_USAGE, PROJECT_SPEC } from './project';

export const USAGE = `usage: ufo-iam diff --base GITREF [DIR] [--role TaskRole|ExecutionRole] [--format text|json|markdown] [--target stack|precreated] [--detailed-exitcode] ${PROJECT_OPTIONS_USAGE}`;

const ROLES: readonly LogicalId[] = ['TaskRole', 'ExecutionRole'];

/** How a role's files moved between the ref and the working tree. */
type RoleStatus = 'changed' | 'unchanged' | 'added' | 'removed' | 'unknown';

interface RoleDiff {
  readonly logicalId: LogicalId;
  /** The working tree's role file (relative to the current folder), absent when the role is gone. */
  readonly file?: string;
  /** The ref's role file as `REF:path`, absent when the role is new. */
  readonly baseFile?: string;
  readonly status: RoleStatus;
  /** Why the role cannot be compared (deploy-time code registers its policies on a side). */
  readonly unknownRole?: string;
  readonly access: AccessReport;
}

/** Whether a report changes what the role allows (a document unknown on both sides is no change by itself). */
const changesAccess = (a: AccessReport): boolean => a.added.length + a.removed.length + a.changed.length > 0 || a.unknown.some((u) => u.side !== 'both');

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

export const run: Subcommand = async (argv, io) => {
  const args = parseArgs(argv, { ...PROJECT_SPEC, base: 'string', role: 'string', format: 'string', target: 'string', 'detailed-exitcode': 'boolean' }, USAGE);
  const ref = args.options.base;
  if (ref === undefined || ref === '') throw new UsageError(`--base GITREF is required (the branch, tag or commit to compare with)\n${USAGE}`);
  const format = args.options.format ?? 'text';
  if (format !== 'text' && format !== 'json' && format !== 'markdown') throw new UsageError(`--format must be text, json or markdown\n${USAGE}`);
  if (args.positionals.length > 1) throw new UsageError(USAGE);
  const role = args.options.role;
  if (role !== undefined && !ROLES.includes(role as LogicalId)) throw new UsageError(`--role must be TaskRole or ExecutionRole\n${USAGE}`);

  const working = openCliProject(args.positionals[0] ?? '.', args, io, USAGE);
  let opened: ReturnType<typeof openProjectAtRef>;
  try {
    opened = openProjectAtRef(working, ref);
  } catch (e) {
    if (e instanceof GitBaseError) {
      io.stderr(`ufo-iam diff: ${e.message}\n`);
      return EXIT.failure;
    }
    throw e;
  }
  const { base } = opened;
  try {
    const after = projectStatements(working);
    const before = projectStatements(opened.context);
    for (const s of base.skipped) io.stderr(`note: ${ref}:${s.path} is not read (${s.reason}).\n`);
    const atRef = (file: string) => `${ref}:${[base.projectPath, path.relative(base.root, file).split(path.sep).join('/')].filter(Boolean).join('/')}`;
    for (const [side, label, where] of [[after, 'the working tree', (f: string) => relativeTo(io.cwd, f, true)], [before, ref, atRef]] as const) {
      const raising = side.project.problems.filter((p) => RAISING_CODES.has(p.code));
      if (raising.length === 0) continue;
      for (const p of raising) io.stderr(`${where(p.file)}:${p.line}:${p.column}: ${p.message}\n`);
      io.stderr(`ufo-iam diff: UFO would fail to build the roles of ${label}, so there is nothing to compare.\n`);
      return EXIT.failure;
    }
    const iam = getIam();
    const roles = compare(before, after, iam, { file: (f) => relativeTo(io.cwd, f, true), baseFile: atRef, ref }).filter((r) => role === undefined || r.logicalId === role);
    const changed = roles.some((r) => changesAccess(r.access) || r.unknownRole !== undefined);
    const dates = { dataDate: iam.provenance.dataDate, managedPoliciesDate: iam.provenance.managedPoliciesDate };
    const note = accessNote(iam.provenance);
    if (format === 'json') {
      io.stdout(JSON.stringify({ base: { ref, commit: base.commit }, hasChanges: changed, roles, notConsidered: NOT_CONSIDERED, ...dates }, null, 2) + '\n');
    } else if (format === 'markdown') {
      io.stdout(markdown(roles, ref, base.commit, changed, note));
    } else {
      io.stdout(text(roles, ref, base.commit, note));
    }
    return changed && args.flags['detailed-exitcode'] ? 2 : EXIT.ok;
  } finally {
    base.dispose();
  }
};

function compare(
  before: ProjectStatements,
  after: ProjectStatements,
  iam: ReturnType<typeof getIam>,
  names: { file: (f: string) => string; baseFile: (f: string) => string; ref: string },
): RoleDiff[] {
  const out: RoleDiff[] = [];
  for (const logicalId of ROLES) {
    const was = before.roles.find((r) => r.logicalId === logicalId);
    const now = after.roles.find((r) => r.logicalId === logicalId);
    const wasUnknown = before.project.unknownRoles.find((r) => r.logicalId === logicalId);
    const nowUnknown = after.project.unknownRoles.find((r) => r.logicalId === logicalId);
    const fileOf = now?.file ?? nowUnknown?.file;
    const baseOf = was?.file ?? wasUnknown?.file;
    const where = { ...(fileOf ? { file: names.file(fileOf) } : {}), ...(baseOf ? { baseFile: names.baseFile(baseOf) } : {}) };
    if (!was && !now && !wasUnknown && !nowUnknown) continue;
    if (wasUnknown || nowUnknown) {
      const side = nowUnknown ? 'the working tree' : names.ref;
      out.push({ logicalId, ...where, status: 'unknown', unknownRole: `${logicalId} registers its policies only through deploy-time code in ${side}: what it allows is unknown, so it is not compared.`, access: EMPTY_ACCESS_REPORT });
      continue;
    }
    // The same compiled role on both sides allows the same: no evaluation.
    const resourceOf = (p: ProjectStatements) => p.project.roles.find((r) => r.logicalId === logicalId)?.resource;
    const wasResource = resourceOf(before);
    const nowResource = resourceOf(after);
    if (was && now && wasResource && nowResource && toCompactJson(wasResource) === toCompactJson(nowResource)) {
      out.push({ logicalId, ...where, status: 'unchanged', access: EMPTY_ACCESS_REPORT });
      continue;
    }
    const access = accessReport(
      accessDiff(was ? effectivePermissions(was.statements, iam) : NO_PERMISSIONS, now ? effectivePermissions(now.statements, iam) : NO_PERMISSIONS),
      { before: names.ref, after: 'working tree' },
    );
    out.push({ logicalId, ...where, status: !was ? 'added' : !now ? 'removed' : changesAccess(access) ? 'changed' : 'unchanged', access });
  }
  return out;
}

function heading(r: RoleDiff, ref: string): string {
  switch (r.status) {
    case 'added':
      return `${r.logicalId} (${r.file}): new since ${ref}`;
    case 'removed':
      return `${r.logicalId} (${r.baseFile}): no longer built`;
    default:
      return `${r.logicalId} (${r.file ?? r.baseFile})`;
  }
}

function detailLine(sign: string, e: AccessReport['added'][number]): string {
  const on = e.resources.length ? ` on ${e.resources.join(', ')}` : '';
  const was = e.before ? ` (was ${e.before.resources.join(', ') || 'none'}${e.before.conditional ? ' [conditional]' : ''})` : '';
  return `    ${sign} ${e.action}${on}${e.conditional ? ' [conditional]' : ''}${was} (${e.accessLevel}${e.escalation ? '; privilege escalation' : ''})`;
}

function text(roles: readonly RoleDiff[], ref: string, commit: string, note: string): string {
  const lines = [`ufo-iam diff: the roles' access at ${ref} (${commit.slice(0, 12)}) → the working tree`, ''];
  for (const r of roles) {
    if (r.unknownRole) {
      lines.push(`? ${r.unknownRole}`, '');
      continue;
    }
    if (r.access.summary.length === 0) {
      lines.push(`  ${heading(r, ref)}: no change in what the role allows`, '');
      continue;
    }
    lines.push(`${changesAccess(r.access) ? '~' : ' '} ${heading(r, ref)}:`, ...r.access.summary.map((l) => `  ${l}`));
    lines.push(...r.access.added.map((e) => detailLine('+', e)), ...r.access.removed.map((e) => detailLine('-', e)), ...r.access.changed.map((e) => detailLine('~', e)), '');
  }
  if (roles.length === 0) lines.push('Neither side builds a role.', '');
  lines.push(`note: ${note}`);
  return lines.join('\n') + '\n';
}

function markdown(roles: readonly RoleDiff[], ref: string, commit: string, changed: boolean, note: string): string {
  const moving = roles.filter((r) => changesAccess(r.access) || r.unknownRole);
  const head = changed ? `${plural(moving.length, 'role')} ${moving.length === 1 ? 'changes' : 'change'} what ${moving.length === 1 ? 'it allows' : 'they allow'}` : 'no change in what the roles allow';
  const lines = [`### ufo-iam diff against ${code(ref)}: ${head}`, '', `The role files of the working tree compared with ${code(ref)} (${code(commit.slice(0, 12))}), offline.`, ''];
  for (const r of roles) {
    const title = r.status === 'added' ? `new since ${code(ref)}` : r.status === 'removed' ? 'no longer built' : r.status === 'unknown' ? 'unknown' : r.access.summary.length ? 'changed' : 'no change';
    lines.push(`#### ${r.logicalId} (${cell(r.file ?? r.baseFile ?? '')}): ${title}`, '');
    if (r.unknownRole) lines.push(cell(r.unknownRole), '');
    else {
      const access = accessMarkdown(r.access);
      lines.push(...(access.length > 0 ? access : ['No change in what the role allows.', '']));
    }
  }
  if (roles.length === 0) lines.push('Neither side builds a role.', '');
  lines.push(`_${cell(note)}_`, '');
  return lines.join('\n');
}
