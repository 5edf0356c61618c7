// From an opened project to a PlanInput: compiles the role files (compileProject), takes the roles' IAM names from
// the project context, and turns everything that makes the compiled roles untrustworthy into blockers, so that
// `applyPlan` refuses them. The one preparation of plan and apply, for the editor (features/planRoles.ts) and the CLI
// (cli/plan.ts, cli/apply.ts); it loads no AWS SDK. It hands the plan the process's IAM data, so the access diff of
// every role (aws/plan.ts) is computed in one place with the same data for both.
import { type UfoVersion, RAISING_CODES } from '../core';
import * as path from 'node:path';
import type { Blocker, DesiredRoleInput, PlanInput, PlanModel } from '../aws/plan';
import type { ApplyTarget } from '../settings';
import { compileProject, type CompiledProject } from './compileProject';
import { getIam } from './iamInstance';
import type { ProjectContext, ProjectRoleNames } from './projectContext';

/** No apply target is set and the files do not decide one: the editor asks, the CLI exits 2 with the reason. */
export class TargetChoiceError extends Error {
  override readonly name = 'TargetChoiceError';
}

export interface ProjectPlanInput {
  readonly root: string;
  readonly ufoVersion: UfoVersion;
  readonly input: PlanInput;
  readonly names: ProjectRoleNames;
  readonly target: ApplyTarget;
  /** The roles this target applies (the stack's: the role files UFO reads; pre-created: the pre-created folder's). */
  readonly project: CompiledProject;
  /** Things to tell the user before the plan (e.g. how the app name was chosen). */
  readonly notes: readonly string[];
}

/** The target in force: the one asked for (`--target`, or the editor's answer), else the project's (setting or files). */
export function targetOf(context: ProjectContext, asked?: ApplyTarget): ApplyTarget {
  const target = asked ?? context.target.target;
  if (!target) throw new TargetChoiceError(context.target.problem ?? 'No apply target. Choose with ufoIam.apply.target (or --target stack|precreated).');
  return target;
}

/**
 * The apply target in one line, offline (the preview's header): which roles Apply, drift and ARNs work on. The stack's
 * physical role names are CloudFormation's (`<stack>-TaskRole-<random>`) and known only to AWS; the plan names them.
 */
export function describeTarget(context: ProjectContext): string {
  const t = context.target;
  if (!t.target) return `Apply target: not chosen. ${t.problem ?? ''}`.trim();
  if (t.target === 'stack') {
    const stack = context.stack.ok ? `stack ${context.stack.name}` : 'UFO\'s stack (its name is unknown: set ufoIam.stack)';
    return `Apply target: stack. "UFO: Apply IAM Roles" changes the TaskRole and ExecutionRole of ${stack} (CloudFormation names them ${context.stack.ok ? context.stack.name : '<stack>'}-TaskRole-…); chosen by ${t.how}.`;
  }
  const names = (['TaskRole', 'ExecutionRole'] as const).map((id) => context.names.names[id]).filter((n) => n.ok).map((n) => (n as { name: string }).name);
  return `Apply target: pre-created roles ${names.join(' and ')}, from ${context.layout.precreatedDir ?? context.settings.precreatedFolder}/ (UFO never reads it: the template's ARNs are used); chosen by ${t.how}.`;
}

export function planInputFor(context: ProjectContext, options: { adopt?: boolean; target?: ApplyTarget } = {}): ProjectPlanInput {
  const target = targetOf(context, options.target);
  const project = compileProject(context, { source: target === 'stack' ? 'ufo' : 'precreated' });
  const names = context.names;
  const rel = (file: string): string => path.relative(project.root, file) || file;
  const blockers: Blocker[] = [];
  let model: PlanModel;
  if (target === 'stack') {
    const stack = context.stack;
    if (!stack.ok) blockers.push({ code: 'STACK_NAME_UNKNOWN', message: stack.message });
    model = { kind: 'stack', stackName: stack.ok ? stack.name : '', how: stack.ok ? stack.how : stack.message };
  } else {
    const folder = context.layout.precreatedDir ?? context.settings.precreatedFolder;
    model = { kind: 'precreated', folder, nameTemplate: names.template };
    // UFO builds a role from its own file and sets the task's ARN to it: the pre-created ARN would never be used.
    for (const r of compileProject(context).roles) {
      blockers.push({
        code: 'UFO_BUILDS_ROLE',
        message:
          `UFO also builds ${r.logicalId} from ${rel(r.file)} and sets the task definition's ${r.logicalId === 'TaskRole' ? 'taskRoleArn' : 'executionRoleArn'} ` +
          `to that role, so a pre-created ${r.logicalId} would never be used. Move the file to ${folder}/ ("UFO: Move Roles to Pre-created"), or use the stack target.`,
        file: rel(r.file),
      });
    }
  }
  for (const p of project.problems) {
    if (p.severity === 'error' || RAISING_CODES.has(p.code)) {
      blockers.push({ code: p.code, message: p.message, file: rel(p.file), line: p.line, column: p.column });
    }
  }
  const roles: DesiredRoleInput[] = [];
  for (const r of project.roles) {
    if (r.partial) {
      blockers.push({
        code: 'PARTIAL_ROLE',
        message:
          `${r.logicalId} depends on values known only when UFO runs (ENV, helpers, variables or conditional calls), ` +
          `so ufo-iam cannot know what to apply. Make those values literal, or let UFO deploy this role.`,
        file: rel(r.file),
      });
    }
    if (target === 'stack') {
      // The stack's physical name is read from CloudFormation when planning.
      roles.push({ logicalId: r.logicalId, roleName: '', resource: r.resource, file: rel(r.file) });
      continue;
    }
    const name = names.names[r.logicalId];
    if (!name.ok) {
      blockers.push({ code: 'INVALID_ROLE_NAME', message: name.message, file: rel(r.file) });
      continue;
    }
    roles.push({ logicalId: r.logicalId, roleName: name.name, resource: r.resource, file: rel(r.file) });
  }
  // UFO orders resources ExecutionRole, TaskRole; the plan lists TaskRole first, as users read them.
  roles.sort((a, b) => (a.logicalId === b.logicalId ? 0 : a.logicalId === 'TaskRole' ? -1 : 1));
  return {
    root: project.root,
    ufoVersion: project.ufoVersion,
    input: { model, roles, blockers, adopt: options.adopt ?? false, iam: getIam() },
    names,
    target,
    project,
    notes: context.notes,
  };
}
