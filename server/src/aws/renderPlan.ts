// Renders a plan as text (Terraform-like `+`/`~`/`-` lines) or JSON, and an apply result as text. Pure.
import type { ApplyResult } from './apply';
import type { Plan, PlanCounts, PlanModel, PlanStep, RolePlan } from './plan';
import { prettyJson } from './policyJson';

const INDENT = '    ';

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/**
 * A line diff (longest common subsequence) of two texts, in unified style with `context` lines around
 * changes; texts of up to `wholeUpTo` lines are shown whole, which reads best for typical policies.
 */
export function diffLines(before: string, after: string, context = 3, wholeUpTo = 40): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  if (Math.max(a.length, b.length) <= wholeUpTo) context = Number.MAX_SAFE_INTEGER;
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const ops: Array<{ op: ' ' | '-' | '+'; text: string }> = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      ops.push({ op: ' ', text: a[i++] });
      j++;
    } else if (i < n && (j >= m || lcs[i + 1][j] >= lcs[i][j + 1])) ops.push({ op: '-', text: a[i++] });
    else ops.push({ op: '+', text: b[j++] });
  }
  const keep = ops.map(() => false);
  ops.forEach((o, k) => {
    if (o.op !== ' ') for (let d = Math.max(0, k - context); d <= Math.min(ops.length - 1, k + context); d++) keep[d] = true;
    else if (context === Number.MAX_SAFE_INTEGER) keep[k] = true;
  });
  const out: string[] = [];
  let skipped = false;
  ops.forEach((o, k) => {
    if (!keep[k]) {
      skipped = true;
      return;
    }
    if (skipped) out.push('  ...');
    skipped = false;
    out.push(`${o.op} ${o.text}`);
  });
  if (skipped) out.push('  ...');
  return out;
}

const block = (json: unknown, marker: ' ' | '+' | '-'): string[] => prettyJson(json).split('\n').map((l) => `${marker} ${l}`);

function stepLines(s: PlanStep): string[] {
  const body = (lines: string[]): string[] => lines.map((l) => INDENT + INDENT + l);
  switch (s.kind) {
    case 'createRole':
      return [`${INDENT}+ trust policy`, ...body(block(s.trustPolicy, '+')), `${INDENT}+ tag ${s.tags.map((t) => `${t.Key}=${t.Value}`).join(', ')}`];
    case 'tagRole':
      return [`${INDENT}~ tag ${s.tags.map((t) => `${t.Key}=${t.Value}`).join(', ')} (adopt)`];
    case 'updateTrustPolicy':
      return [`${INDENT}~ trust policy`, ...body(diffLines(prettyJson(s.before), prettyJson(s.after)))];
    case 'putPolicy':
      return s.before === null
        ? [`${INDENT}+ inline policy "${s.policyName}"`, ...body(block(s.document, '+'))]
        : [`${INDENT}~ inline policy "${s.policyName}"`, ...body(diffLines(prettyJson(s.before), prettyJson(s.document)))];
    case 'attachPolicy':
      return [`${INDENT}+ managed policy ${s.policyArn}`];
    case 'detachPolicy':
      return [`${INDENT}- managed policy ${s.policyArn}`];
    case 'deletePolicy':
      return [`${INDENT}- inline policy "${s.policyName}"`, ...body(block(s.before, '-'))];
  }
}

/** The model in one line, as the plan, the preview and the Apply modal name it. */
export function describeModel(model: PlanModel): string {
  return model.kind === 'stack'
    ? `Target: the roles of UFO's CloudFormation stack ${model.stackName || '(unknown)'} (stack; ${model.how})`
    : `Target: pre-created roles named ${model.nameTemplate}, from ${model.folder}/ (precreated)`;
}

/** The roles a plan changes, named with their model, e.g. "the stack demo-web-dev's roles demo-web-dev-TaskRole-AB12". */
export function changedRoles(plan: Plan): string {
  const names = plan.roles.filter((r) => r.steps.length > 0).map((r) => r.roleName);
  const list = names.join(' and ');
  return plan.model.kind === 'stack' ? `stack ${plan.model.stackName}'s role${names.length === 1 ? '' : 's'} ${list}` : `the pre-created role${names.length === 1 ? '' : 's'} ${list}`;
}

/**
 * What the role's change grants and takes away (docs/apply.md, "What the change grants"), after its steps: the access
 * diff's summary lines, or that the steps change nothing the role allows (a trust policy, a tag, a reworded policy).
 */
export function accessLines(r: RolePlan): string[] {
  if (!r.access || r.status === 'unchanged' || r.status === 'invalid') return [];
  if (r.access.summary.length === 0) return [`${INDENT}= access: no change in what the role allows`];
  return [`${INDENT}access${r.status === 'create' ? '' : ' (live → desired)'}:`, ...r.access.summary.map((l) => INDENT + INDENT + l)];
}

function roleLines(r: RolePlan): string[] {
  const name = `${r.owner === 'cloudformation' ? 'stack role' : 'role'} ${r.roleName} (${r.logicalId}${r.file ? `, ${r.file}` : ''})`;
  switch (r.status) {
    case 'create':
      return [`+ ${name} will be created`, ...r.steps.flatMap(stepLines), ...accessLines(r)];
    case 'update':
      return [`~ ${name} will be updated in place`, ...r.steps.flatMap(stepLines), ...accessLines(r)];
    case 'unchanged':
      return [`  ${name}: no changes`];
    case 'blocked':
      return [
        `! ${name} exists without the managed-by=ufo-iam tag and is left alone; adopting it would:`,
        ...r.blockedSteps.flatMap(stepLines),
        ...accessLines(r),
      ];
    case 'invalid':
      return [`! ${name} cannot be planned (see the errors below)`];
  }
}

/** The change counts in words, e.g. "1 role to create, 2 inline policies to add; 1 managed policy to attach". */
export function describeCounts(c: PlanCounts): string {
  const parts: string[] = [];
  if (c.createRole) parts.push(`${plural(c.createRole, 'role')} to create`);
  if (c.tagRole) parts.push(`${plural(c.tagRole, 'role')} to adopt`);
  if (c.updateTrustPolicy) parts.push(`${plural(c.updateTrustPolicy, 'trust policy', 'trust policies')} to update`);
  if (c.putPolicy) parts.push(`${plural(c.putPolicy, 'inline policy', 'inline policies')} to put`);
  if (c.deletePolicy) parts.push(`${plural(c.deletePolicy, 'inline policy', 'inline policies')} to delete`);
  if (c.attachPolicy) parts.push(`${plural(c.attachPolicy, 'managed policy', 'managed policies')} to attach`);
  if (c.detachPolicy) parts.push(`${plural(c.detachPolicy, 'managed policy', 'managed policies')} to detach`);
  return parts.join(', ');
}

/** The plan for people. */
export function renderPlanText(plan: Plan): string {
  const lines: string[] = [];
  const where = [
    plan.account ? `account ${plan.account}` : undefined,
    plan.region ? `region ${plan.region}` : undefined,
    plan.endpoint ? `endpoint ${plan.endpoint}` : undefined,
  ].filter(Boolean);
  lines.push(`ufo-iam plan${where.length ? ` for ${where.join(', ')}` : ''}`, describeModel(plan.model), '');
  for (const n of plan.notes) lines.push(`Note: ${n}`);
  if (plan.notes.length > 0) lines.push('');
  for (const r of plan.roles) lines.push(...roleLines(r), '');
  if (plan.roles.length === 0) lines.push('No roles are built by this project (no iam_policy or managed_iam_policy calls).', '');
  if (plan.access && plan.roles.some((r) => accessLines(r).length > 0)) lines.push(`Access: ${plan.access.note}`, '');
  if (plan.blockers.length > 0) {
    lines.push('Blocking problems in the role files (fix them before applying):');
    for (const b of plan.blockers) {
      const at = b.file ? `${b.file}${b.line ? `:${b.line}${b.column ? `:${b.column}` : ''}` : ''}: ` : '';
      lines.push(`  - ${at}${b.message}${b.code ? ` [${b.code}]` : ''}`);
    }
    lines.push('');
  }
  if (plan.errors.length > 0) {
    lines.push('Errors:');
    for (const e of plan.errors) lines.push(`  - ${e.message} [${e.code}]`);
    lines.push('');
  }
  if (plan.warnings.length > 0) {
    lines.push('Warnings:');
    for (const w of plan.warnings) lines.push(`  - ${w.message} [${w.code}]`);
    lines.push('');
  }
  const c = plan.counts;
  if (!plan.hasChanges) lines.push('No changes. The IAM roles match the configuration.');
  else lines.push(`Plan: ${c.add} to add, ${c.change} to change, ${c.remove} to remove (${describeCounts(c)}).`);
  if (!plan.canApply) lines.push('This plan cannot be applied until the problems above are fixed.');
  return lines.join('\n') + '\n';
}

/** The plan for machines: everything except the echoed input (the desired roles are in `roles[].desired`). */
export function renderPlanJson(plan: Plan): string {
  const { input: _input, ...rest } = plan;
  // The one JSON printer: documents inside print exactly as they are sent (10.0 stays 10.0).
  return prettyJson(rest) + '\n';
}

/** An apply result for people. */
export function renderApplyText(result: ApplyResult): string {
  return result.message + '\n';
}
