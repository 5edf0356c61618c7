// `ufo-iam plan --format markdown`: the plan as a pull-request comment. A headline with the counts, the target and
// where, then per role its change, its access diff (what the change grants and takes away, aws/plan.ts) and its
// steps collapsed, then what blocks the plan; the access note (what is not considered, the IAM data date) last.
// The endpoint is left out: a comment names the account and region, not a local address.
import { describeCounts, describeModel } from '../../aws/renderPlan';
import type { Plan, RolePlan } from '../../aws/plan';
import { accessMarkdown, code } from './accessMarkdown';
import { cell } from './markdown';

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

const STATUS: Record<RolePlan['status'], string> = {
  create: '➕ will be created',
  update: '✏️ will be updated in place',
  unchanged: 'no changes',
  blocked: '⛔ exists without the managed-by=ufo-iam tag and is left alone',
  invalid: '⛔ cannot be planned',
};

function roleSection(r: RolePlan): string[] {
  const lines = [`#### ${code(r.roleName)} (${r.logicalId}${r.file ? `, ${cell(r.file)}` : ''}): ${STATUS[r.status]}`, ''];
  const steps = r.status === 'blocked' ? r.blockedSteps : r.steps;
  if (r.access && r.status !== 'unchanged' && r.status !== 'invalid') {
    const access = accessMarkdown(r.access);
    lines.push(...(access.length > 0 ? access : ['No change in what the role allows.', '']));
  }
  if (steps.length > 0) {
    lines.push(`<details><summary>${plural(steps.length, 'step')}${r.status === 'blocked' ? ' with adoption' : ''}</summary>`, '');
    for (const s of steps) lines.push(`- ${cell(s.description)}`);
    lines.push('', '</details>', '');
  }
  return lines;
}

export function renderPlanMarkdown(plan: Plan): string {
  const c = plan.counts;
  const head = plan.hasChanges ? `${c.add} to add, ${c.change} to change, ${c.remove} to remove` : 'no changes';
  const where = [plan.account ? `account ${plan.account}` : undefined, plan.region ? `region ${plan.region}` : undefined].filter(Boolean).join(', ');
  const lines = [`### ufo-iam plan: ${head}${plan.canApply ? '' : ' (cannot be applied)'}`, ''];
  if (plan.hasChanges) lines.push(`${cell(describeCounts(c))}.`, '');
  lines.push(`${cell(describeModel(plan.model))}${where ? `; ${where}` : ''}.`, '');
  for (const r of plan.roles) lines.push(...roleSection(r));
  if (plan.roles.length === 0) lines.push('No roles are built by this project (no iam_policy or managed_iam_policy calls).', '');
  const list = (title: string, items: string[]) => {
    if (items.length === 0) return;
    lines.push(`**${title}**`, '', ...items.map((i) => `- ${cell(i)}`), '');
  };
  list(
    'Blocking problems in the role files',
    plan.blockers.map((b) => `${b.file ? `${b.file}${b.line ? `:${b.line}${b.column ? `:${b.column}` : ''}` : ''}: ` : ''}${b.message} [${b.code}]`),
  );
  list('Errors', plan.errors.map((e) => `${e.message} [${e.code}]`));
  list('Warnings', plan.warnings.map((w) => `${w.message} [${w.code}]`));
  if (plan.access) lines.push(`_${cell(plan.access.note)}_`, '');
  return lines.join('\n');
}
