// `ufo-iam permissions [DIR] [--role TaskRole|ExecutionRole] [--format text|json|markdown] [--target stack|precreated]`:
// every action the project's roles allow, by role, service and access level, with the Resource patterns, whether it
// depends on conditions, and the statements that allow it (docs/evaluation.md, "Effective permissions"). The core's
// `effectivePermissions` over the roles of project/projectStatements.ts, as `ufo-iam can` reads them. Exit 0 when it
// ran, 2 usage error or no answer (UFO fails to build the roles, no such role).
import * as path from 'node:path';
import { effectivePermissions, NOT_CONSIDERED, RAISING_CODES, type EffectiveAction, type EffectivePermissions, type EvalStatement, type IamKnowledge, type LogicalId } from '../core';
import { getIam } from '../project/iamInstance';
import { projectStatements, statementLabel, type ProjectStatements, type RoleStatementsOfProject } from '../project/projectStatements';
import { EXIT, UsageError, type Subcommand } from './io';
import { parseArgs, relativeTo } from './args';
import { openCliProject, PROJECT_OPTIONS_USAGE, PROJECT_SPEC } from './project';

export const USAGE = `usage: ufo-iam permissions [DIR] [--role TaskRole|ExecutionRole] [--format text|json|markdown] [--target stack|precreated] ${PROJECT_OPTIONS_USAGE}`;

const ROLES: readonly LogicalId[] = ['TaskRole', 'ExecutionRole'];

interface RoleReport {
  readonly role: RoleStatementsOfProject;
  readonly permissions: EffectivePermissions;
}

export const run: Subcommand = async (argv, io) => {
  const args = parseArgs(argv, { ...PROJECT_SPEC, role: 'string', format: 'string', target: 'string' }, USAGE);
  const format = args.options.format ?? 'text';
  if (format !== 'text' && format !== 'json' && format !== 'markdown') throw new UsageError(`--format must be text, json or markdown\n${USAGE}`);
  if (args.positionals.length > 1) throw new UsageError(USAGE);
  const role = args.options.role;
  if (role !== undefined && !ROLES.includes(role as LogicalId)) throw new UsageError(`--role must be TaskRole or ExecutionRole\n${USAGE}`);

  const opened = projectStatements(openCliProject(args.positionals[0] ?? '.', args, io, USAGE));
  const { project } = opened;
  const raising = project.problems.filter((p) => RAISING_CODES.has(p.code));
  if (raising.length > 0) {
    for (const p of raising) io.stderr(`${relativeTo(io.cwd, p.file, true)}:${p.line}:${p.column}: ${p.message}\n`);
    io.stderr(`ufo-iam permissions: UFO would fail to build the roles, so there is nothing to evaluate.\n`);
    return EXIT.usage;
  }
  const asked = opened.roles.filter((r) => role === undefined || r.logicalId === role);
  const unknownRoles = project.unknownRoles.filter((r) => role === undefined || r.logicalId === role);
  if (asked.length === 0 && unknownRoles.length === 0) {
    const where = opened.source === 'precreated' ? 'the pre-created folder' : "UFO's role files";
    io.stderr(`ufo-iam permissions: ${role ? `the project builds no ${role}` : 'the project builds no role'} (from ${where}).\n`);
    return EXIT.usage;
  }
  const iam = getIam();
  const reports: RoleReport[] = asked.map((r) => ({ role: r, permissions: effectivePermissions(r.statements, iam) }));
  const label: Label = Object.assign((s: EvalStatement, r: RoleStatementsOfProject) => statementLabel(opened.project, r, s, io.cwd), {
    unknown: (s: EvalStatement, r: RoleStatementsOfProject) => unknownText(opened, r, s, io.cwd),
    // The actions of one outcome share their list of statements (effective.ts): its labels are made once.
    sources: memoSources((s: EvalStatement, r: RoleStatementsOfProject) => statementLabel(opened.project, r, s, io.cwd)),
  });
  const dates = { dataDate: iam.provenance.dataDate, managedPoliciesDate: iam.provenance.managedPoliciesDate };
  const unknownRoleText = (r: { logicalId: LogicalId; file: string }) =>
    `${r.logicalId}: ${relativeTo(io.cwd, r.file, true)} registers its policies only through deploy-time code: its permissions are unknown.`;

  if (format === 'json') {
    const out: Record<string, unknown> = {};
    for (const { role: r, permissions: p } of reports) {
      const entry = (a: EffectiveAction) => ({ action: a.action, accessLevel: a.accessLevel, resources: a.resources, conditional: a.conditional, sources: label.sources(a.statements, r).all });
      out[r.logicalId] = {
        file: path.relative(io.cwd, r.file) || r.file,
        allowed: p.allowed.map(entry),
        denied: p.denied.map(entry),
        unknownDocuments: p.unknown.map((s) => unknownEntry(opened, r, s, io.cwd)),
      };
    }
    for (const r of unknownRoles) out[r.logicalId] = { file: path.relative(io.cwd, r.file) || r.file, allowed: [], denied: [], unknownDocuments: [], unknownRole: unknownRoleText(r) };
    io.stdout(JSON.stringify({ ...out, notConsidered: NOT_CONSIDERED, ...dates }, null, 2) + '\n');
    return EXIT.ok;
  }
  const lines: string[] = [];
  for (const report of reports) lines.push(...(format === 'markdown' ? markdownReport(report, iam, io.cwd, label) : textReport(report, iam, io.cwd, label)));
  for (const r of unknownRoles) lines.push(format === 'markdown' ? `## ${r.logicalId}\n\n${unknownRoleText(r)}\n` : unknownRoleText(r));
  const footer = [`Not considered: ${NOT_CONSIDERED}`, `IAM data of ${dates.dataDate} (managed policies as of ${dates.managedPoliciesDate}).`];
  lines.push(...(format === 'markdown' ? footer.map((l) => `_${l}_\n`) : footer.map((l, i) => (i === 0 ? `note: ${NOT_CONSIDERED}` : l))));
  io.stdout(lines.join('\n') + '\n');
  return EXIT.ok;
};

function unknownEntry(opened: ProjectStatements, r: RoleStatementsOfProject, s: EvalStatement, cwd: string) {
  const src = s.source;
  if (src.kind === 'unknownDocument') return { arn: src.arn, reason: src.reason };
  return { source: statementLabel(opened.project, r, s, cwd), reason: "an iam_policy call whose arguments a splat supplies: only deploy time knows its statements" };
}

function unknownText(opened: ProjectStatements, r: RoleStatementsOfProject, s: EvalStatement, cwd: string): string {
  const u = unknownEntry(opened, r, s, cwd);
  return 'arn' in u ? `${u.arn}: ${u.reason}` : `${u.source}: ${u.reason}`;
}

/** Actions grouped by service, then access level, in the order `effectivePermissions` gives them. */
function grouped(list: readonly EffectiveAction[]): Map<string, Map<string, EffectiveAction[]>> {
  const out = new Map<string, Map<string, EffectiveAction[]>>();
  for (const a of list) {
    let service = out.get(a.service);
    if (!service) out.set(a.service, (service = new Map()));
    let level = service.get(a.accessLevel);
    if (!level) service.set(a.accessLevel, (level = []));
    level.push(a);
  }
  return out;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function headline(report: RoleReport, cwd: string): string {
  const p = report.permissions;
  const services = new Set(p.allowed.map((a) => a.service)).size;
  const conditional = p.allowed.filter((a) => a.conditional).length;
  return `${report.role.logicalId} (${relativeTo(cwd, report.role.file, true)}): ${plural(p.allowed.length, 'action')} allowed in ${plural(services, 'service')}${conditional ? ` (${conditional} depending on conditions)` : ''}, ${plural(p.denied.length, 'action')} explicitly denied${p.unknown.length ? `, ${plural(p.unknown.length, 'policy', 'policies')} unknown` : ''}`;
}

type Label = ((s: EvalStatement, r: RoleStatementsOfProject) => string) & {
  unknown: (s: EvalStatement, r: RoleStatementsOfProject) => string;
  /** The labels of a list of statements (`all`) and the same without repeats (`unique`), made once per list. */
  sources: (list: readonly EvalStatement[], r: RoleStatementsOfProject) => { readonly all: readonly string[]; readonly unique: readonly string[] };
};

function memoSources(label: (s: EvalStatement, r: RoleStatementsOfProject) => string): Label['sources'] {
  const made = new WeakMap<readonly EvalStatement[], Map<RoleStatementsOfProject, { all: string[]; unique: string[] }>>();
  return (list, r) => {
    let byRole = made.get(list);
    if (!byRole) made.set(list, (byRole = new Map()));
    let labels = byRole.get(r);
    if (!labels) {
      const all = list.map((s) => label(s, r));
      byRole.set(r, (labels = { all, unique: [...new Set(all)] }));
    }
    return labels;
  };
}

function textReport(report: RoleReport, iam: IamKnowledge, cwd: string, label: Label): string[] {
  const { role: r, permissions: p } = report;
  const lines = [headline(report, cwd)];
  const section = (list: readonly EffectiveAction[]) => {
    for (const [service, levels] of grouped(list)) {
      lines.push(`  ${service} (${iam.findService(service)?.name ?? service})`);
      for (const [level, actions] of levels) {
        lines.push(`    ${level}`);
        for (const a of actions) {
          const sources = label.sources(a.statements, r).unique;
          lines.push(`      ${a.action} on ${a.resources.join(', ') || '(no resource)'}${a.conditional ? ' [conditional]' : ''} (${sources.join('; ')})`);
        }
      }
    }
  };
  section(p.allowed);
  if (p.denied.length > 0) {
    lines.push(`  explicitly denied:`);
    section(p.denied);
  }
  if (p.unknown.length > 0) {
    lines.push(`  not evaluated (document unknown; it may allow or deny more):`);
    for (const s of p.unknown) lines.push(`    ${label.unknown(s, r)}`);
  }
  lines.push('');
  return lines;
}

const cell = (s: string) => s.replace(/\|/g, '\\|');

function markdownReport(report: RoleReport, iam: IamKnowledge, cwd: string, label: Label): string[] {
  const { role: r, permissions: p } = report;
  const lines = [`## ${r.logicalId}`, '', `${headline(report, cwd).slice(r.logicalId.length + 1).trim()}.`, ''];
  const section = (title: string, list: readonly EffectiveAction[]) => {
    if (list.length === 0) return;
    lines.push(`### ${title}`, '');
    for (const [service, levels] of grouped(list)) {
      const count = [...levels.values()].reduce((n, l) => n + l.length, 0);
      lines.push(`<details><summary><code>${service}</code> ${cell(iam.findService(service)?.name ?? service)}: ${plural(count, 'action')} (${[...levels].map(([l, a]) => `${l} ${a.length}`).join(', ')})</summary>`, '');
      lines.push('| Access level | Action | Resources | Conditional | Sources |', '|---|---|---|---|---|');
      for (const [level, actions] of levels) {
        for (const a of actions) {
          const sources = label.sources(a.statements, r).unique;
          lines.push(`| ${level} | \`${a.action}\` | ${a.resources.map((x) => `\`${cell(x)}\``).join(', ')} | ${a.conditional ? 'yes' : ''} | ${sources.map(cell).join('; ')} |`);
        }
      }
      lines.push('', '</details>', '');
    }
  };
  section('Allowed', p.allowed);
  section('Explicitly denied', p.denied);
  if (p.unknown.length > 0) {
    lines.push('### Not evaluated', '', 'Their documents are unknown: they may allow or deny more.', '');
    for (const s of p.unknown) lines.push(`- ${cell(label.unknown(s, r))}`);
    lines.push('');
  }
  return lines;
}
