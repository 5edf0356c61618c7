// From an opened project to a PlanInput: compiles the role files (compileProject), takes the roles' IAM names from
// the project context, and turns everything that makes the compiled roles untrustworthy into blockers, so that
// `applyPlan` refuses them. The one preparation of plan and apply, for the editor (features/planRoles.ts) and the CLI
// (cli/plan.ts, cli/apply.ts); it loads no AWS SDK.
import { type UfoVersion, RAISING_CODES } from '../core';
import * as path from 'node:path';
import type { Blocker, DesiredRoleInput, PlanInput } from '../aws/plan';
import { compileProject, type CompiledProject } from './compileProject';
import type { ProjectContext, ProjectRoleNames } from './projectContext';

export interface ProjectPlanInput {
  readonly root: string;
  readonly ufoVersion: UfoVersion;
  readonly input: PlanInput;
  readonly names: ProjectRoleNames;
  readonly project: CompiledProject;
  /** Things to tell the user before the plan (e.g. how the app name was chosen). */
  readonly notes: readonly string[];
}

export function planInputFor(context: ProjectContext, options: { adopt?: boolean } = {}): ProjectPlanInput {
  const project = compileProject(context);
  const names = context.names;
  const rel = (file: string): string => path.relative(project.root, file) || file;
  const blockers: Blocker[] = [];
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
    input: { roles, blockers, adopt: options.adopt ?? false },
    names,
    project,
    notes: context.notes,
  };
}
