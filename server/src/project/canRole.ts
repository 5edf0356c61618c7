// "Can the role do this?" (docs/evaluation.md), the one answer of `ufo-iam can` (cli/can.ts) and of the editor's
// "UFO: Can the Role…?" (features/can.ts): the question checked (one action as service:Action, the context lines
// `KEY=VALUE` / `!KEY`), the roles compiled from the apply target's role files (projectStatements.ts, from the
// editor's open texts when it passes them), the core's evaluator for each role asked, and each matched statement
// placed in its role file (1-based line, policy name, Sid) or named by its AWS managed policy.
import * as path from 'node:path';
import { evaluate, NOT_CONSIDERED, RAISING_CODES, type ContextEntry, type Decision, type EvalResult, type LogicalId, type StatementResult } from '../core';
import type { CompileOptions } from './compileProject';
import { getIam } from './iamInstance';
import type { Problem } from './problem';
import type { ProjectContext } from './projectContext';
import { projectStatements, statementLine, type ProjectStatements, type RoleStatementsOfProject } from './projectStatements';

export const CAN_ROLES: readonly LogicalId[] = ['TaskRole', 'ExecutionRole'];

/** A question that cannot be asked (a bad action, role or context line); the CLI makes it a usage error. */
export class CanQueryError extends Error {}

/** Why `action` is not one action as `service:Action`, or undefined when it is. */
export function actionProblem(action: string): string | undefined {
  return /^[A-Za-z0-9-]+:[A-Za-z0-9]+$/.test(action) ? undefined : `ACTION is one action as service:Action (s3:GetObject), not ${JSON.stringify(action)}`;
}

/** Context lines `KEY=VALUE` (repeated: several values, in order) and `!KEY` (absent), as `--context` takes them. */
export function parseCanContext(items: readonly string[]): Record<string, ContextEntry> {
  const out = new Map<string, { key: string; entry: string[] | 'absent' }>();
  for (const item of items) {
    if (item.startsWith('!')) {
      const key = item.slice(1);
      if (!key) throw new CanQueryError(`--context '!KEY' needs a key`);
      const known = out.get(key.toLowerCase());
      if (known && known.entry !== 'absent') throw new CanQueryError(`--context: ${key} is given values and marked absent`);
      out.set(key.toLowerCase(), { key, entry: 'absent' });
      continue;
    }
    const eq = item.indexOf('=');
    if (eq <= 0) throw new CanQueryError(`--context takes KEY=VALUE or '!KEY', not ${JSON.stringify(item)}`);
    const key = item.slice(0, eq);
    const known = out.get(key.toLowerCase());
    if (known?.entry === 'absent') throw new CanQueryError(`--context: ${key} is given values and marked absent`);
    if (known) (known.entry as string[]).push(item.slice(eq + 1));
    else out.set(key.toLowerCase(), { key, entry: [item.slice(eq + 1)] });
  }
  return Object.fromEntries([...out.values()].map((v) => [v.key, v.entry]));
}

export interface CanQuery {
  readonly action: string;
  readonly resource?: string;
  /** Undefined: every role the project builds. */
  readonly role?: LogicalId;
  readonly context: Readonly<Record<string, ContextEntry>>;
}

/** Where a matched statement is: the role file's inline statement (absolute file), or an attached policy. */
export type CanSource =
  | { readonly kind: 'inline'; readonly file: string; readonly line?: number; readonly policyName: string; readonly sid?: string }
  | { readonly kind: 'managed'; readonly policyName: string; readonly arn: string; readonly statementIndex: number; readonly sid?: string }
  | { readonly kind: 'unknownDocument'; readonly arn: string; readonly reason: string };

export interface CanStatement {
  readonly effect: StatementResult['effect'];
  readonly applies: StatementResult['applies'];
  readonly deciding: boolean;
  readonly source: CanSource;
  readonly reasons: readonly string[];
}

export interface CanRoleAnswer {
  readonly role: LogicalId;
  /** The role file (absolute). */
  readonly file: string;
  readonly decision: Decision;
  readonly action: string;
  readonly resource?: string;
  /** Every statement that applies or may apply, in the role's order. */
  readonly matched: readonly CanStatement[];
  readonly why: string;
  /** True when UFO may build the role but registers its policies only through deploy-time code: nothing to evaluate. */
  readonly deployTimeOnly?: true;
}

export type CanAnswer =
  | {
      readonly kind: 'answered';
      readonly source: ProjectStatements['source'];
      readonly roles: readonly CanRoleAnswer[];
      /** allowed only if every role asked is; else explicitDeny/implicitDeny if any is; else conditional. */
      readonly overall: Decision;
      readonly notConsidered: string;
      readonly dataDate: string;
      readonly managedPoliciesDate: string;
    }
  /** BUILD_FAILS: UFO would fail to build the roles (`problems`); NO_ROLE: the project builds no (such) role. */
  | { readonly kind: 'noAnswer'; readonly code: 'BUILD_FAILS' | 'NO_ROLE'; readonly message: string; readonly problems: readonly Problem[] };

/** The roles the project builds, from the apply target's role files (the editor's role picker). */
export function rolesToAsk(context: ProjectContext, options: Pick<CompileOptions, 'read' | 'analyze'> = {}): { source: ProjectStatements['source']; roles: LogicalId[] } {
  const opened = projectStatements(context, options);
  const roles = new Set<LogicalId>([...opened.roles.map((r) => r.logicalId), ...opened.project.unknownRoles.map((r) => r.logicalId)]);
  return { source: opened.source, roles: CAN_ROLES.filter((r) => roles.has(r)) };
}

export function canRole(context: ProjectContext, query: CanQuery, options: Pick<CompileOptions, 'read' | 'analyze'> = {}): CanAnswer {
  const problem = actionProblem(query.action);
  if (problem) throw new CanQueryError(problem);
  if (query.role !== undefined && !CAN_ROLES.includes(query.role)) throw new CanQueryError('--role must be TaskRole or ExecutionRole');
  const opened = projectStatements(context, options);
  const { project } = opened;
  const raising = project.problems.filter((p) => RAISING_CODES.has(p.code));
  if (raising.length > 0) return { kind: 'noAnswer', code: 'BUILD_FAILS', message: 'UFO would fail to build the roles, so there is nothing to evaluate.', problems: raising };
  const asked = opened.roles.filter((r) => query.role === undefined || r.logicalId === query.role);
  // A role UFO may build although its only calls depend on deploy time: unknown, never guessed.
  const unknownRoles = project.unknownRoles.filter((r) => query.role === undefined || r.logicalId === query.role);
  if (asked.length === 0 && unknownRoles.length === 0) {
    const where = opened.source === 'precreated' ? 'the pre-created folder' : "UFO's role files";
    return { kind: 'noAnswer', code: 'NO_ROLE', message: `${query.role ? `the project builds no ${query.role}` : 'the project builds no role'} (from ${where}).`, problems: [] };
  }
  const request = { action: query.action, ...(query.resource !== undefined ? { resource: query.resource } : {}), context: query.context };
  const roles: CanRoleAnswer[] = [
    ...asked.map((r) => roleAnswer(opened, r, evaluate(r.statements, request))),
    ...unknownRoles.map((r) => ({
      role: r.logicalId,
      file: r.file,
      decision: 'conditional' as const,
      action: query.action,
      ...(query.resource !== undefined ? { resource: query.resource } : {}),
      matched: [],
      why: `${r.logicalId}'s policies are registered only by deploy-time code`,
      deployTimeOnly: true as const,
    })),
  ];
  const decisions = roles.map((r) => r.decision);
  const overall: Decision = decisions.includes('explicitDeny') ? 'explicitDeny' : decisions.includes('implicitDeny') ? 'implicitDeny' : decisions.includes('conditional') ? 'conditional' : 'allowed';
  const { provenance } = getIam();
  return { kind: 'answered', source: opened.source, roles, overall, notConsidered: NOT_CONSIDERED, dataDate: provenance.dataDate, managedPoliciesDate: provenance.managedPoliciesDate };
}

function roleAnswer(opened: ProjectStatements, r: RoleStatementsOfProject, result: EvalResult): CanRoleAnswer {
  const matched = result.matched.map((m): CanStatement => {
    const s = m.statement.source;
    let source: CanSource;
    if (s.kind === 'inline') {
      const line = statementLine(opened.project, r.roleType, s);
      source = { kind: 'inline', file: r.file, ...(line !== undefined ? { line } : {}), policyName: s.policyName, ...(s.sid !== undefined ? { sid: s.sid } : {}) };
    } else if (s.kind === 'managed') source = { kind: 'managed', policyName: s.policyName, arn: s.arn, statementIndex: s.statementIndex, ...(s.sid !== undefined ? { sid: s.sid } : {}) };
    else source = { kind: 'unknownDocument', arn: s.arn, reason: s.reason };
    return { effect: m.effect, applies: m.applies, deciding: result.deciding.includes(m), source, reasons: m.reasons };
  });
  return {
    role: r.logicalId,
    file: r.file,
    decision: result.decision,
    action: result.request.action,
    ...(result.request.resource !== undefined ? { resource: result.request.resource } : {}),
    matched,
    why: result.why,
  };
}

export const DECISION_TEXT: Readonly<Record<Decision, string>> = { allowed: 'allowed', explicitDeny: 'explicitly denied', implicitDeny: 'not allowed', conditional: 'depends on conditions' };

/** The statements an answer shows: the deciding ones, else every matched one. */
export function shownStatements(answer: CanRoleAnswer): readonly CanStatement[] {
  const deciding = answer.matched.filter((m) => m.deciding);
  return deciding.length > 0 ? deciding : answer.matched;
}

/** A statement's place in words; `display` shows an absolute file path as the reader wants it. */
export function describeSource(source: CanSource, display: (file: string) => string): string {
  if (source.kind === 'inline') return `${display(source.file)}${source.line ? `:${source.line}` : ''} (policy ${JSON.stringify(source.policyName)}${source.sid ? `, Sid ${JSON.stringify(source.sid)}` : ''})`;
  if (source.kind === 'managed') return `AWS managed policy ${source.policyName} (statement ${source.statementIndex + 1}${source.sid ? `, Sid ${JSON.stringify(source.sid)}` : ''})`;
  return `attached policy ${source.arn} (document unknown)`;
}

/** The answer as `ufo-iam can` prints it: per role the decision, the statements shown, then the notes. */
export function canAnswerLines(answer: Extract<CanAnswer, { kind: 'answered' }>, display: (file: string) => string): string[] {
  const lines: string[] = [];
  for (const r of answer.roles.filter((x) => !x.deployTimeOnly)) {
    lines.push(`${r.role}: ${DECISION_TEXT[r.decision]}: ${r.action}${r.resource !== undefined ? ` on ${r.resource}` : ' (on some resource)'}; ${r.why}.`);
    for (const m of shownStatements(r)) {
      const state = m.applies === true ? 'applies' : 'may apply';
      lines.push(`  ${m.effect === 'unknown' ? 'Allow or Deny' : m.effect} ${state}: ${describeSource(m.source, display)}`);
      for (const reason of m.reasons) lines.push(`    ${reason}`);
    }
  }
  for (const r of answer.roles.filter((x) => x.deployTimeOnly)) lines.push(`${r.role}: depends on conditions: ${display(r.file)} registers its policies only through deploy-time code.`);
  lines.push(`note: ${answer.notConsidered}`, `IAM data of ${answer.dataDate} (managed policies as of ${answer.managedPoliciesDate}).`);
  return lines;
}

/** One role's answer in the JSON of docs/evaluation.md (files relative to the working folder). */
export function canAnswerJson(r: CanRoleAnswer, cwd: string, notConsidered: string, dataDate: string) {
  return {
    decision: r.decision,
    role: r.role,
    action: r.action,
    resource: r.resource ?? null,
    matched: r.matched.map((m) => {
      const s = m.source;
      const source =
        s.kind === 'inline'
          ? { kind: s.kind, file: path.relative(cwd, s.file) || s.file, line: s.line ?? null, policyName: s.policyName, sid: s.sid ?? null }
          : s.kind === 'managed'
            ? { kind: s.kind, policyName: s.policyName, arn: s.arn, statementIndex: s.statementIndex, sid: s.sid ?? null }
            : { kind: s.kind, arn: s.arn, reason: s.reason };
      return { effect: m.effect, applies: m.applies, deciding: m.deciding, source, reasons: m.reasons };
    }),
    why: r.why,
    notConsidered,
    dataDate,
  };
}
