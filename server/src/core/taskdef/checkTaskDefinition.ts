// The checks of a task-definition template, pure: given its text and what the project's role files build, the
// findings about its two role ARNs (docs/checks.md, "Task-definition templates"):
//   - TEMPLATE_ARN_REPLACED: a literal `taskRoleArn` / `executionRoleArn` that UFO replaces with the role it builds
//     from a role file (docs/ufo-semantics.md §7);
//   - INVALID_ROLE_ARN: a literal that is not an IAM role ARN;
//   - MISSING_EXECUTION_ROLE: no execution role at all while a container needs one (secrets; on Fargate, an ECR image
//     or the awslogs driver).
// What ERB computes is never reported as wrong, and a check that cannot decide stays silent. Ranges and edits are
// UTF-16 offsets of `text` (see maskErb.ts); the project layer turns them into byte spans.

import type { LogicalId } from '../compile/compileRoles';
import type { Code } from '../checks/rules';
import { tagsIn, type TextRange } from './maskErb';
import { occurrenceOf, ROLE_ARN_KEYS, type RoleArnKey, type RoleArnOccurrence } from './readRoleArns';
import { camelizeKey, memberOf, readTaskDefinitionTree, type TreeNode } from './readTaskDefinitionTree';
import { scanTaskDefinition, type TaskDefinitionFormat, type TaskDefinitionScan, type TopLevelMember } from './scanTaskDefinition';
import type { Utf16Edit } from './editRoleArns';

/** What the project's role files do for one role: build it (from `file`), build none, or cannot be known statically. */
export type BuiltRole = { readonly kind: 'built'; readonly file: string } | { readonly kind: 'none' } | { readonly kind: 'unknown' };

export interface TaskDefinitionCheckInput {
  readonly text: string;
  readonly format: TaskDefinitionFormat;
  /** The template's project-relative path, for messages. */
  readonly path: string;
  readonly roles: Readonly<Record<LogicalId, BuiltRole>>;
}

export interface TemplateFinding {
  readonly code: Extract<Code, 'TEMPLATE_ARN_REPLACED' | 'INVALID_ROLE_ARN' | 'MISSING_EXECUTION_ROLE'>;
  readonly range: TextRange;
  readonly message: string;
  /** TEMPLATE_ARN_REPLACED: which role, and the edits that remove the member from the template (when safe). */
  readonly role?: { readonly logicalId: LogicalId; readonly key: RoleArnKey; readonly file: string; readonly removal?: readonly Utf16Edit[] };
}

export const LOGICAL_ID_OF: Readonly<Record<RoleArnKey, LogicalId>> = { taskRoleArn: 'TaskRole', executionRoleArn: 'ExecutionRole' };

const PARTITION = String.raw`aws(?:-[a-z]+)*`;
/** `arn:<partition>:iam::<12 digits>:role/<path/><name>`, the name by IAM's rule for role names. */
export const ROLE_ARN_PATTERN = new RegExp(String.raw`^arn:${PARTITION}:iam::\d{12}:role/(?:[\x21-\x7e]+/)*[\w+=,.@-]{1,64}$`);

/** Why a literal is not a role ARN, in a few words; undefined when it is one. */
export function roleArnProblem(value: string): string | undefined {
  if (ROLE_ARN_PATTERN.test(value)) return undefined;
  const parts = value.split(':');
  if (parts[0] !== 'arn' || parts.length < 6) return 'it does not have the six parts arn:partition:iam::account:role/name';
  if (!new RegExp(`^${PARTITION}$`).test(parts[1])) return `"${parts[1]}" is not an AWS partition (aws, aws-cn, aws-us-gov, …)`;
  if (parts[2] !== 'iam') return `the service is "${parts[2]}", not iam`;
  if (parts[3] !== '') return 'IAM ARNs have no region';
  if (!/^\d{12}$/.test(parts[4])) return `"${parts[4]}" is not a 12-digit account ID`;
  const resource = parts.slice(5).join(':');
  if (!resource.startsWith('role/')) return `"${resource}" is not role/<name>`;
  const name = resource.slice(resource.lastIndexOf('/') + 1);
  if (!/^[\w+=,.@-]{1,64}$/.test(name)) return `"${name}" is not a role name (1–64 letters, digits and +=,.@_-)`;
  return 'its path is not valid';
}

function occurrencesOf(scan: Extract<TaskDefinitionScan, { ok: true }>, key: RoleArnKey): Array<{ member: TopLevelMember; occurrence: RoleArnOccurrence }> {
  // `TaskRoleArn` and `task_role_arn` reach CloudFormation as the same property (readTaskDefinitionTree.ts, camelizeKey).
  const wanted = camelizeKey(key);
  return scan.members.filter((m) => camelizeKey(m.key) === wanted).map((member) => ({ member, occurrence: occurrenceOf(scan.text, member) }));
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Offset after the line break that ends the line of `offset` (or the text's end). */
function afterLineBreak(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl === -1 ? text.length : nl + 1;
}

const onlyBlanks = (s: string) => /^[ \t]*$/.test(s);

/** The edit that removes a top-level member, or undefined when ERB sits in what it would remove. */
function removalOf(scan: Extract<TaskDefinitionScan, { ok: true }>, member: TopLevelMember): Utf16Edit[] | undefined {
  const { text } = scan;
  let range: TextRange;
  if (scan.style === 'yaml') {
    // The entry's lines, from its key's line to its last one.
    range = { start: scan.lines[lineIndexOf(scan, member.keyRange.start)].start, end: scan.lines[member.lastLine].next };
  } else {
    const members = scan.members;
    const raw = scan.object.members;
    const i = members.indexOf(member);
    const keyLine = lineStart(text, member.keyRange.start);
    const ownLine = keyLine > scan.object.open && onlyBlanks(text.slice(keyLine, member.keyRange.start));
    if (member.comma !== -1) {
      const lineEnd = afterLineBreak(text, member.comma);
      const rest = text.slice(member.comma + 1, lineEnd).replace(/\r?\n$/, '');
      if (ownLine && onlyBlanks(rest)) range = { start: keyLine, end: lineEnd };
      else {
        let end = member.comma + 1;
        while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
        range = { start: member.keyRange.start, end };
      }
    } else {
      // The last member: the comma before it goes too.
      const before = raw.filter((m) => m.keyRange.start < member.keyRange.start && m.comma !== -1 && m.comma < member.keyRange.start);
      const prevComma = before.length > 0 ? Math.max(...before.map((m) => m.comma)) : -1;
      if (prevComma === -1 && i > 0) return undefined;
      range = { start: prevComma === -1 ? (ownLine ? keyLine : member.keyRange.start) : prevComma, end: member.valueRange.end };
      if (prevComma === -1 && ownLine) range = { start: keyLine, end: afterLineBreak(text, member.valueRange.end) };
    }
  }
  if (tagsIn(scan.tags, range).length > 0) return undefined;
  return [{ range, newText: '' }];
}

function lineIndexOf(scan: Extract<TaskDefinitionScan, { ok: true; style: 'yaml' }>, offset: number): number {
  let lo = 0;
  let hi = scan.lines.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (scan.lines[mid].start <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The first reason the task definition needs an execution role, where the template says so for certain. */
function executionRoleNeed(root: TreeNode): { range: TextRange; reason: string } | undefined {
  const definite = (m: { conditional: boolean } | undefined) => m !== undefined && !m.conditional;
  const compat = memberOf(root, 'requiresCompatibilities');
  const fargate =
    definite(compat) &&
    compat!.value.kind === 'array' &&
    compat!.value.items.some((it) => !it.conditional && it.value.kind === 'string' && !it.value.dynamic && it.value.value === 'FARGATE');
  const containers = memberOf(root, 'containerDefinitions');
  if (!definite(containers) || containers!.value.kind !== 'array') return undefined;
  for (const item of containers!.value.items) {
    if (item.conditional || item.value.kind !== 'object') continue;
    const c = item.value;
    const secrets = memberOf(c, 'secrets');
    if (definite(secrets) && secrets!.value.kind === 'array' && secrets!.value.items.some((s) => !s.conditional)) {
      return { range: secrets!.keyRange, reason: 'a container has secrets, which ECS fetches with the execution role' };
    }
    if (!fargate) continue;
    const image = memberOf(c, 'image');
    if (definite(image) && image!.value.kind === 'string' && !image!.value.dynamic && /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?\//.test(image!.value.value)) {
      return { range: image!.value.range, reason: 'on Fargate, an image in ECR is pulled with the execution role' };
    }
    const logs = memberOf(c, 'logConfiguration');
    const driver = definite(logs) ? memberOf(logs!.value, 'logDriver') : undefined;
    if (definite(driver) && driver!.value.kind === 'string' && !driver!.value.dynamic && driver!.value.value === 'awslogs') {
      return { range: driver!.value.range, reason: 'on Fargate, the awslogs log driver writes with the execution role' };
    }
  }
  return undefined;
}

/** Whether the template certainly has no `executionRoleArn`: no such key, and nothing ERB prints could add one. */
function certainlyNoExecutionRoleArn(root: TreeNode): boolean {
  return root.kind === 'object' && root.complete && memberOf(root, 'executionRoleArn') === undefined;
}

export function checkTaskDefinition(input: TaskDefinitionCheckInput): TemplateFinding[] {
  const { text, format, roles } = input;
  const scan = scanTaskDefinition(text, format);
  if (!scan.ok) return [];
  const findings: TemplateFinding[] = [];
  for (const key of ROLE_ARN_KEYS) {
    const logicalId = LOGICAL_ID_OF[key];
    const role = roles[logicalId];
    const found = occurrencesOf(scan, key);
    for (const { member, occurrence } of found) {
      if (occurrence.kind !== 'literal') continue;
      if (occurrence.value !== '') {
        const problem = roleArnProblem(occurrence.value);
        if (problem) {
          findings.push({
            code: 'INVALID_ROLE_ARN',
            range: occurrence.range,
            message: `${member.key} "${occurrence.value}" is not an IAM role ARN: ${problem}. ECS rejects the task definition; expected arn:aws:iam::123456789012:role/name.`,
          });
        }
      }
      if (role.kind === 'built') {
        const removal = found.length === 1 ? removalOf(scan, member) : undefined;
        findings.push({
          code: 'TEMPLATE_ARN_REPLACED',
          range: { start: member.keyRange.start, end: occurrence.range.end },
          message:
            `UFO builds ${logicalId} from ${role.file} and sets ${member.key} to that CloudFormation role instead of this ARN. ` +
            `Remove the ARN from the template, or empty ${role.file} to keep the pre-created role.`,
          role: { logicalId, key, file: role.file, ...(removal ? { removal } : {}) },
        });
      }
    }
  }
  if (roles.ExecutionRole.kind === 'none') {
    const tree = readTaskDefinitionTree(text, format);
    if (certainlyNoExecutionRoleArn(tree.root)) {
      const need = executionRoleNeed(tree.root);
      if (need) {
        findings.push({
          code: 'MISSING_EXECUTION_ROLE',
          range: need.range,
          message: `The task definition needs an execution role: ${need.reason}. It has no executionRoleArn and no role file builds ExecutionRole; add executionRoleArn or an execution_role.rb with a policy (e.g. managed_iam_policy("service-role/AmazonECSTaskExecutionRolePolicy")).`,
        });
      }
    }
  }
  return findings.sort((a, b) => a.range.start - b.range.start);
}
