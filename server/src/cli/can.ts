// `ufo-iam can ACTION [RESOURCE] [DIR] [--role TaskRole|ExecutionRole] [--context KEY=VALUE]... [--context '!KEY']
// [--format text|json]`: can the project's role do this? The core's evaluator (core/eval, docs/evaluation.md) over
// the roles compiled from the apply target's role files (project/projectStatements.ts). Exit 0 allowed, 1 explicitly
// denied or not allowed, 3 depends on conditions, 2 usage error or no answer (UFO fails to build the roles, no such
// role). Without --role, every role the project builds is asked: 0 only if every one allows, else 1 if any is denied
// or not allowed, else 3.
import * as path from 'node:path';
import { evaluate, NOT_CONSIDERED, RAISING_CODES, type ContextEntry, type EvalResult, type LogicalId, type StatementResult } from '../core';
import { getIam } from '../project/iamInstance';
import { projectStatements, statementLine, type ProjectStatements, type RoleStatementsOfProject } from '../project/projectStatements';
import { EXIT, UsageError, type Subcommand } from './io';
import { parseArgs, relativeTo } from './args';
import { openCliProject, PROJECT_OPTIONS_USAGE, PROJECT_SPEC } from './project';

export const USAGE =
  `usage: ufo-iam can ACTION [RESOURCE] [DIR] [--role TaskRole|ExecutionRole] [--context KEY=VALUE]... [--context '!KEY'] [--format text|json] [--target stack|precreated] ${PROJECT_OPTIONS_USAGE}`;

/** Exit code for "depends on conditions". */
export const EXIT_CONDITIONAL = 3;

const ROLES: readonly LogicalId[] = ['TaskRole', 'ExecutionRole'];

/** `--context KEY=VALUE` (repeated: several values, in order) and `--context '!KEY'` (absent). */
export function parseContext(items: readonly string[]): Record<string, ContextEntry> {
  const out = new Map<string, { key: string; entry: string[] | 'absent' }>();
  for (const item of items) {
    if (item.startsWith('!')) {
      const key = item.slice(1);
      if (!key) throw new UsageError(`--context '!KEY' needs a key\n${USAGE}`);
      const known = out.get(key.toLowerCase());
      if (known && known.entry !== 'absent') throw new UsageError(`--context: ${key} is given values and marked absent\n${USAGE}`);
      out.set(key.toLowerCase(), { key, entry: 'absent' });
      continue;
    }
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`--context takes KEY=VALUE or '!KEY', not ${JSON.stringify(item)}\n${USAGE}`);
    const key = item.slice(0, eq);
    const known = out.get(key.toLowerCase());
    if (known?.entry === 'absent') throw new UsageError(`--context: ${key} is given values and marked absent\n${USAGE}`);
    if (known) (known.entry as string[]).push(item.slice(eq + 1));
    else out.set(key.toLowerCase(), { key, entry: [item.slice(eq + 1)] });
  }
  return Object.fromEntries([...out.values()].map((v) => [v.key, v.entry]));
}

const isResource = (s: string) => s === '*' || s.startsWith('arn:');

export const run: Subcommand = async (argv, io) => {
  const args = parseArgs(argv, { ...PROJECT_SPEC, role: 'string', context: 'multi', format: 'string', target: 'string' }, USAGE);
  const format = args.options.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json\n${USAGE}`);
  const [action, ...rest] = args.positionals;
  if (action === undefined) throw new UsageError(`ACTION is missing\n${USAGE}`);
  if (!/^[A-Za-z0-9-]+:[A-Za-z0-9]+$/.test(action)) throw new UsageError(`ACTION is one action as service:Action (s3:GetObject), not ${JSON.stringify(action)}\n${USAGE}`);
  let resource: string | undefined;
  let dir = '.';
  if (rest.length === 2) [resource, dir] = rest;
  else if (rest.length === 1) {
    if (isResource(rest[0])) resource = rest[0];
    else dir = rest[0];
  } else if (rest.length > 2) throw new UsageError(USAGE);
  const role = args.options.role;
  if (role !== undefined && !ROLES.includes(role as LogicalId)) throw new UsageError(`--role must be TaskRole or ExecutionRole\n${USAGE}`);
  const context = parseContext(args.multi.context ?? []);

  const opened = projectStatements(openCliProject(dir, args, io, USAGE));
  const { project } = opened;
  const raising = project.problems.filter((p) => RAISING_CODES.has(p.code));
  if (raising.length > 0) {
    for (const p of raising) io.stderr(`${relativeTo(io.cwd, p.file, true)}:${p.line}:${p.column}: ${p.message}\n`);
    io.stderr(`ufo-iam can: UFO would fail to build the roles, so there is nothing to evaluate.\n`);
    return EXIT.usage;
  }
  const asked = opened.roles.filter((r) => role === undefined || r.logicalId === role);
  // A role UFO may build although its only calls depend on deploy time: unknown, never guessed.
  const unknownRoles = project.unknownRoles.filter((r) => role === undefined || r.logicalId === role);
  if (asked.length === 0 && unknownRoles.length === 0) {
    const where = opened.source === 'precreated' ? 'the pre-created folder' : "UFO's role files";
    io.stderr(`ufo-iam can: ${role ? `the project builds no ${role}` : 'the project builds no role'} (from ${where}).\n`);
    return EXIT.usage;
  }
  const request = { action, ...(resource !== undefined ? { resource } : {}), context };
  const answers = asked.map((r) => ({ role: r, result: evaluate(r.statements, request) }));
  const iam = getIam();
  const dataDate = iam.provenance.dataDate;

  if (format === 'json') {
    const objects = [
      ...answers.map(({ role: r, result }) => jsonAnswer(opened, r, result, io.cwd, dataDate)),
      ...unknownRoles.map((r) => ({ decision: 'conditional', role: r.logicalId, action, resource: resource ?? null, matched: [], why: `${r.logicalId}'s policies are registered only by deploy-time code`, notConsidered: NOT_CONSIDERED, dataDate })),
    ];
    io.stdout(JSON.stringify(role !== undefined ? objects[0] : objects, null, 2) + '\n');
  } else {
    const lines: string[] = [];
    for (const { role: r, result } of answers) lines.push(...textAnswer(opened, r, result, io.cwd));
    for (const r of unknownRoles) lines.push(`${r.logicalId}: depends on conditions: ${relativeTo(io.cwd, r.file, true)} registers its policies only through deploy-time code.`);
    lines.push(`note: ${NOT_CONSIDERED}`, `IAM data of ${dataDate} (managed policies as of ${iam.provenance.managedPoliciesDate}).`);
    io.stdout(lines.join('\n') + '\n');
  }
  const decisions = [...answers.map((a) => a.result.decision), ...unknownRoles.map(() => 'conditional' as const)];
  if (decisions.some((d) => d === 'explicitDeny' || d === 'implicitDeny')) return EXIT.failure;
  if (decisions.some((d) => d === 'conditional')) return EXIT_CONDITIONAL;
  return EXIT.ok;
};

const DECISION_TEXT = { allowed: 'allowed', explicitDeny: 'explicitly denied', implicitDeny: 'not allowed', conditional: 'depends on conditions' } as const;

function where(opened: ProjectStatements, r: RoleStatementsOfProject, m: StatementResult, cwd: string): string {
  const s = m.statement.source;
  if (s.kind === 'inline') {
    const line = statementLine(opened.project, r.roleType, s);
    return `${relativeTo(cwd, r.file, true)}${line ? `:${line}` : ''} (policy ${JSON.stringify(s.policyName)}${s.sid ? `, Sid ${JSON.stringify(s.sid)}` : ''})`;
  }
  if (s.kind === 'managed') return `AWS managed policy ${s.policyName} (statement ${s.statementIndex + 1}${s.sid ? `, Sid ${JSON.stringify(s.sid)}` : ''})`;
  return `attached policy ${s.arn} (document unknown)`;
}

function textAnswer(opened: ProjectStatements, r: RoleStatementsOfProject, result: EvalResult, cwd: string): string[] {
  const { action, resource } = result.request;
  const lines = [`${r.logicalId}: ${DECISION_TEXT[result.decision]}: ${action}${resource !== undefined ? ` on ${resource}` : ' (on some resource)'}; ${result.why}.`];
  const shown = result.deciding.length > 0 ? result.deciding : result.matched;
  for (const m of shown) {
    const state = m.applies === true ? 'applies' : 'may apply';
    lines.push(`  ${m.effect === 'unknown' ? 'Allow or Deny' : m.effect} ${state}: ${where(opened, r, m, cwd)}`);
    for (const reason of m.reasons) lines.push(`    ${reason}`);
  }
  return lines;
}

function jsonAnswer(opened: ProjectStatements, r: RoleStatementsOfProject, result: EvalResult, cwd: string, dataDate: string) {
  return {
    decision: result.decision,
    role: r.logicalId,
    action: result.request.action,
    resource: result.request.resource ?? null,
    matched: result.matched.map((m) => {
      const s = m.statement.source;
      const source =
        s.kind === 'inline'
          ? { kind: s.kind, file: path.relative(cwd, r.file) || r.file, line: statementLine(opened.project, r.roleType, s) ?? null, policyName: s.policyName, sid: s.sid ?? null }
          : s.kind === 'managed'
            ? { kind: s.kind, policyName: s.policyName, arn: s.arn, statementIndex: s.statementIndex, sid: s.sid ?? null }
            : { kind: s.kind, arn: s.arn, reason: s.reason };
      return { effect: m.effect, applies: m.applies, deciding: result.deciding.includes(m), source, reasons: m.reasons };
    }),
    why: result.why,
    notConsidered: NOT_CONSIDERED,
    dataDate,
  };
}
