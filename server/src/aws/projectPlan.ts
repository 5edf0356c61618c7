// From a project folder to a PlanInput: compiles the role files (server/src/project/compileProjectDir),
// names the roles (the role name template), and turns everything that makes the compiled roles
// untrustworthy into blockers, so `applyPlan` refuses them. Used by the CLI (plan, apply, arns) and
// available to the VS Code client.
import * as path from 'node:path';
import { RAISING_CODES } from '../core/compile/compileRoles';
import { compileProjectDir, type CompiledProject } from '../project/compileProjectDir';
import type { Blocker, DesiredRoleInput, PlanInput } from './plan';
import { resolveProjectRoleNames, type ProjectRoleNames, type RoleNameOptions } from './projectRoleNames';

export interface ProjectPlanOptions extends RoleNameOptions {
  ufoVersion?: 5 | 6;
  adopt?: boolean;
}

export interface ProjectPlanInput {
  root: string;
  ufoVersion: 5 | 6;
  input: PlanInput;
  names: ProjectRoleNames;
  project: CompiledProject;
  /** Things to tell the user before the plan (e.g. how the app name was chosen). */
  notes: string[];
}

export function planInputForProject(dir: string, options: ProjectPlanOptions = {}): ProjectPlanInput {
  const processEnv = options.processEnv ?? process.env;
  // Names first: the same app must choose both the v6 role-file folder (`iam_roles/<app>/`) and the name.
  const root = path.resolve(dir);
  const preliminary = resolveProjectRoleNames(root, options.ufoVersion ?? 6, { ...options, processEnv });
  const app = preliminary.parts.sources.app === 'folder' ? undefined : preliminary.parts.app;
  const project = compileProjectDir(root, { ufoVersion: options.ufoVersion, app, env: processEnv });
  const names =
    project.ufoVersion === (options.ufoVersion ?? 6) ? preliminary : resolveProjectRoleNames(root, project.ufoVersion, { ...options, processEnv });

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
  // UFO orders resources ExecutionRole, TaskRole (ufo-dsl.md §3.1); the plan lists TaskRole first, as users read them.
  roles.sort((a, b) => (a.logicalId === b.logicalId ? 0 : a.logicalId === 'TaskRole' ? -1 : 1));
  return {
    root: project.root,
    ufoVersion: project.ufoVersion,
    input: { roles, blockers, adopt: options.adopt ?? false },
    names,
    project,
    notes: [...names.notes],
  };
}
