// The one project context. Every use case, in the editor and in the CLI, opens a project here and reads from the
// result everything it needs: the files under `.ufo/`, the UFO version and layout, UFO_APP / UFO_ENV / UFO_ROLE as UFO
// resolves them, the role files, the settings, the IAM names of the roles, and the task-definition template that gets
// their ARNs. The editor passes the settings VS Code sends; the CLI passes `.vscode/settings.json` merged with its
// flags (project/settingsFile.ts). Since both go through `openProject`, they cannot disagree about a project with the
// same settings: the same app, the same role files, the same role names, the same template.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type UfoVersion, detectVersion, resolveLayout, type ProjectLayout, DEFAULT_ROLE_NAME_TEMPLATE, renderRoleName, resolveNameParts, type RoleNameParts, type RoleNameResult, type LogicalId, chooseTemplate, type TemplateChoice, precreatedDirProblem, resolveStackName, type StackNameResult } from '../core';
import { forcedVersion, type ApplyTarget, type Settings } from '../settings';
import { fileProblem, type Problem } from './problem';
import { readConfigApp, readV5StackSettings, type ConfigApp } from './ufoConfig';

export interface ProjectRoleNames {
  /** The role name template in force (`ufoIam.roleNameTemplate`, else the default). */
  readonly template: string;
  readonly parts: RoleNameParts;
  readonly names: Readonly<Record<LogicalId, RoleNameResult>>;
}

/**
 * Which roles plan, apply, drift and ARNs work on (docs/apply.md): the `stack` target applies the role files UFO reads to
 * the roles of UFO's deployed stack; the `precreated` target applies the pre-created folder's files to roles ufo-iam
 * creates, whose ARNs go into the template. `target` is undefined when nothing decides it: then `problem` says why.
 */
export interface TargetChoice {
  readonly target?: ApplyTarget;
  /** Why this target: "ufoIam.apply.target", or which files decided it. */
  readonly how: string;
  readonly problem?: string;
}

export interface ProjectContext {
  /** The folder that holds `.ufo/`. */
  readonly root: string;
  /** Project-relative POSIX paths of the files under `.ufo/`. */
  readonly files: readonly string[];
  readonly version: UfoVersion;
  /** Which file UFO reads for each role. */
  readonly layout: ProjectLayout;
  /** UFO_APP as UFO resolves it (setting or flag, the environment, `config.app`), undefined when UFO has none. */
  readonly app?: string;
  /** UFO_ROLE (the process role, `web` by default), which picks the v6 task definition. */
  readonly ufoRole: string;
  readonly settings: Settings;
  /** Where UFO_APP, UFO_ENV, UFO_ROLE and UFO_EXTRA come from. */
  readonly env: NodeJS.ProcessEnv;
  /** What `.ufo/config.rb` says, when it was consulted. */
  readonly config?: ConfigApp;
  readonly names: ProjectRoleNames;
  /** The task-definition template that gets the role ARNs (core/taskdef/chooseTemplate.ts). */
  readonly template: TemplateChoice;
  /** The apply target in force, or why there is none. */
  readonly target: TargetChoice;
  /** The name of the stack UFO deploys (the `stack` target's roles are found in it), or why it is not known. */
  readonly stack: StackNameResult;
  /** Problems of project files other than the role files (a `.ufo/config.rb` that is not read). */
  readonly problems: readonly Problem[];
  /** Things worth telling the user, e.g. that `config.app` could not be read and the folder name was used. */
  readonly notes: readonly string[];
}

export interface OpenProjectOptions {
  readonly settings: Settings;
  /** Default: process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** A listing of the files under `.ufo/` the caller already has (the server caches one per project). */
  readonly files?: readonly string[];
  /** `.ufo/config.rb` as the caller already read it (null: there is none); read here when needed otherwise. */
  readonly config?: ConfigApp | null;
  /** A template the user named (project-relative); otherwise the one chosen by UFO's rule. */
  readonly template?: string;
}

/** Project-relative POSIX paths of the files under `.ufo/` (bounded walk; links are listed, never followed). */
export function listUfoFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (rel: string, depth: number) => {
    if (depth > 6 || out.length > 5000) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(root, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (e.name === 'output' || e.name === 'node_modules' || e.name === '.git') continue;
        // A folder named like a Ruby file (`task_role.rb/`) is not a role file: listing it would make it one.
        if (!e.name.endsWith('.rb')) out.push(r);
        walk(r, depth + 1);
      } else out.push(r);
    }
  };
  walk('.ufo', 0);
  return out;
}

/** The project root: the nearest ancestor of `start` (a file or folder) holding a `.ufo` folder. */
export function findProjectRoot(start: string): string | undefined {
  let dir = path.resolve(start);
  try {
    if (!fs.statSync(dir).isDirectory()) dir = path.dirname(dir);
  } catch {
    return undefined;
  }
  for (;;) {
    if (fs.existsSync(path.join(dir, '.ufo'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The project root of a file path, also for a file not on disk: the folder above the `.ufo` folder it sits in. */
export function projectRootOfPath(fsPath: string): string | undefined {
  const parts = fsPath.split(path.sep);
  const i = parts.lastIndexOf('.ufo');
  if (i > 0) return parts.slice(0, i).join(path.sep) || path.sep;
  return findProjectRoot(path.dirname(fsPath));
}

/** The project root of a file or a folder (a `.ufo` folder itself means the folder above it). */
export function projectRootOf(fsPath: string): string | undefined {
  try {
    if (fs.statSync(fsPath).isDirectory()) return path.basename(fsPath) === '.ufo' ? path.dirname(fsPath) : findProjectRoot(fsPath);
  } catch {
    // A file that is not on disk (yet): its path still says where the project is.
  }
  return projectRootOfPath(fsPath);
}

export function openProject(root: string, options: OpenProjectOptions): ProjectContext {
  const { settings } = options;
  const env = options.env ?? process.env;
  const files = options.files ?? listUfoFiles(root);
  const version = forcedVersion(settings) ?? detectVersion(files);
  // config.rb decides the app only when neither the setting (or flag) nor UFO_APP does (UFO's own precedence); v6 also
  // reads the stack's name pattern there.
  const needConfig = !settings.app && !env.UFO_APP;
  const needStackConfig = version === 6 && !settings.stack;
  const config = needConfig || needStackConfig ? (options.config === undefined ? readConfigApp(root) : (options.config ?? undefined)) : undefined;
  const folderName = path.basename(path.resolve(root));
  const parts = resolveNameParts({ explicitApp: settings.app, explicitEnv: settings.env, environment: env, configApp: needConfig ? config?.app : undefined, folderName, ufoVersion: version });
  // The folder name names roles, but UFO itself has no app then: no `iam_roles/<app>/` lookup.
  const app = parts.sources.app === 'folder' ? undefined : parts.app;
  const notes: string[] = [];
  const problems: Problem[] = [];
  const folderProblem = precreatedDirProblem(settings.precreatedFolder);
  if (folderProblem) notes.push(`${folderProblem}; no pre-created role files are read.`);
  const layout = resolveLayout({ files, app, version, ...(folderProblem ? {} : { precreatedDir: settings.precreatedFolder }) });
  const ufoRole = parts.role;
  const template = settings.roleNameTemplate !== '' ? settings.roleNameTemplate : DEFAULT_ROLE_NAME_TEMPLATE;
  if (config?.unreadable && needConfig) problems.push(fileProblem(path.join(root, config.file), 'UNREADABLE_FILE', `${config.file} is not read: ${config.unreadable}.`));
  else if (config && config.app === undefined && config.line !== undefined) {
    notes.push(
      `${config.note} (${config.file}:${config.line}), which ufo-iam cannot evaluate; the app name is the folder name "${folderName}". ` +
        `Set ufoIam.app or UFO_APP to choose it.`,
    );
  }
  return {
    root,
    files,
    version,
    layout,
    app,
    ufoRole,
    settings,
    env,
    ...(config ? { config } : {}),
    names: {
      template,
      parts,
      names: { TaskRole: renderRoleName(template, parts, 'TaskRole'), ExecutionRole: renderRoleName(template, parts, 'ExecutionRole') },
    },
    template: chooseTemplate(version, files, ufoRole, options.template),
    target: chooseTarget(settings, layout),
    stack: resolveStackName({
      version,
      parts,
      explicit: settings.stack,
      ...(config?.namesStack ? { configPattern: { ...config.namesStack, where: `${config.file}:${config.namesStack.line}` } } : {}),
      service: settings.service,
      ...(version === 5 && !settings.stack ? { v5Settings: readV5StackSettings(root, parts.env) } : {}),
    }),
    problems,
    notes,
  };
}

/** The target in force: the setting (or `--target`), else the only kind of role files the project has; never a guess. */
export function chooseTarget(settings: Settings, layout: ProjectLayout): TargetChoice {
  if (settings.applyTarget) return { target: settings.applyTarget, how: 'ufoIam.apply.target / --target' };
  const ufoFiles = Object.values(layout.roleFiles);
  const preFiles = Object.values(layout.precreatedFiles);
  const choose = 'Choose with ufoIam.apply.target (or --target stack|precreated).';
  if (ufoFiles.length > 0 && preFiles.length > 0) {
    return {
      how: 'both kinds of role files exist',
      problem:
        `Both the role files UFO reads (${ufoFiles.join(', ')}) and pre-created role files (${preFiles.join(', ')}) exist, so it is not clear ` +
        `whether to change the roles of UFO's stack or the pre-created roles. ${choose}`,
    };
  }
  if (ufoFiles.length > 0) return { target: 'stack', how: `the role files UFO reads (${ufoFiles.join(', ')}); UFO builds these roles in its stack` };
  if (preFiles.length > 0) return { target: 'precreated', how: `the pre-created role files (${preFiles.join(', ')})` };
  return { how: 'no role files', problem: `The project has no role files: neither ${layout.rolesDir}/ (UFO's) nor ${layout.precreatedDir ?? 'a pre-created folder'}/ holds task_role.rb or execution_role.rb.` };
}
