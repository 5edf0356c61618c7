// The live preview document: a JSONC text whose JSON body is exactly what `ufo-iam compile` prints,
// headed by comments that say how the task definition references each role, the quota use, and
// what keeps the result partial or failing.
import { toCompactJson, toJsonText } from './serialize';
import { ROLE_ORDER, LOGICAL_IDS, type CompiledRole, type RoleType, type UfoVersion } from './compileRoles';
import type { CMap } from './cvalue';
import { INLINE_POLICY_QUOTA, MANAGED_POLICY_QUOTA } from '../iam/policyLanguage';
import { formatCount } from '../iam/describe';

export type TemplateRoleRef =
  | { kind: 'absent' }
  | { kind: 'literal'; value: string }
  | { kind: 'dynamic'; source: string };

export interface PreviewInput {
  readonly version: UfoVersion;
  readonly roles: readonly CompiledRole[];
  readonly resources: CMap;
  /** Role files per type (project-relative), for messages. */
  readonly files: Partial<Record<RoleType, string>>;
  /** What the task-definition template says for `taskRoleArn` / `executionRoleArn`, when known. */
  readonly template?: { file: string; taskRoleArn: TemplateRoleRef; executionRoleArn: TemplateRoleRef };
  /** Why the template's ARNs are not shown: it is not read (a FIFO, a link leaving the project, too large), or several could be it. */
  readonly templateNote?: string;
  /** Problems to show at the top (already formatted `file:line:col: message`). */
  readonly problems: readonly string[];
  /** True when the body is the last good result because the current text does not compile. */
  readonly stale?: boolean;
  /** Which roles Apply changes (the project's apply target), one line, as the project layer words it. */
  readonly target?: string;
}

/** Non-whitespace characters of a role's inline policy documents, as IAM counts them. */
export function inlinePolicySize(resource: CMap | undefined): number {
  const props = resource?.get('Properties');
  const policies = props instanceof Map ? props.get('Policies') : undefined;
  if (!Array.isArray(policies)) return 0;
  let total = 0;
  for (const p of policies) {
    if (!(p instanceof Map)) continue;
    const doc = p.get('PolicyDocument');
    total += toCompactJson(doc ?? null).replace(/\s/g, '').length;
  }
  return total;
}

export function managedPolicyCount(resource: CMap | undefined): number {
  const props = resource?.get('Properties');
  const arns = props instanceof Map ? props.get('ManagedPolicyArns') : undefined;
  return Array.isArray(arns) ? arns.length : 0;
}

function refText(role: CompiledRole, ref: TemplateRoleRef | undefined, key: string): string {
  if (role.resource) {
    const overrides = ref?.kind === 'literal' ? ` (replaces the template's ${ref.value})` : ref?.kind === 'dynamic' ? ` (replaces the template's ${ref.source})` : '';
    return `${key}: {"Fn::GetAtt": "${role.logicalId}.Arn"}${overrides}`;
  }
  if (!ref || ref.kind === 'absent') return `${key}: not set (UFO builds no ${role.logicalId} and the template has no ${key[0].toLowerCase() + key.slice(1)})`;
  if (ref.kind === 'literal') return `${key}: "${ref.value}" (from the template; UFO builds no ${role.logicalId})`;
  return `${key}: ${ref.source} (from the template, computed at deploy time)`;
}

export function buildPreview(input: PreviewInput): string {
  const lines: string[] = [`// UFO v${input.version} IAM roles, compiled exactly as UFO builds them. Read-only; follows your edits.`];
  if (input.target) lines.push(`// ${input.target}`);
  if (input.stale) lines.push('// The current text does not compile (see problems below): showing the last result that did.');
  for (const t of ROLE_ORDER) {
    const role = input.roles.find((r) => r.roleType === t);
    if (!role) continue;
    const file = input.files[t];
    if (!role.resource) {
      lines.push(`// ${LOGICAL_IDS[t]}: not built (${file ? `${file} registers no policy` : `no ${t}.rb`}).`);
    } else {
      const size = inlinePolicySize(role.resource);
      const managed = managedPolicyCount(role.resource);
      lines.push(
        `// ${role.logicalId}: ${file ?? ''}${role.partial ? ' (partial: has values computed at deploy time)' : ''}; inline policies ${formatCount(size)} of ${formatCount(INLINE_POLICY_QUOTA)} characters; managed policies ${managed} of ${MANAGED_POLICY_QUOTA}.`,
      );
    }
  }
  const tpl = input.template;
  const taskRole = input.roles.find((r) => r.roleType === 'task_role');
  const execRole = input.roles.find((r) => r.roleType === 'execution_role');
  lines.push(`// Task definition${tpl ? ` (${tpl.file})` : ''}:`);
  if (input.templateNote) lines.push(`//   ${input.templateNote}`);
  if (taskRole) lines.push(`//   ${refText(taskRole, tpl?.taskRoleArn, 'TaskRoleArn')}`);
  if (execRole) lines.push(`//   ${refText(execRole, tpl?.executionRoleArn, 'ExecutionRoleArn')}`);
  if (input.problems.length > 0) {
    lines.push('// Problems:');
    for (const p of input.problems) lines.push(`//   ${p.replace(/\n/g, ' ')}`);
  }
  return `${lines.join('\n')}\n${toJsonText(input.resources)}\n`;
}
