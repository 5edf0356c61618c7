// UFO's project layout (docs/ufo-semantics.md §1, checklist §8.7): which file feeds each role, and what UFO
// does with any other Ruby file under the IAM roles folders. Pure: the caller lists the files.
import type { RoleType, UfoVersion } from '../compile/compileRoles';

export const ROLE_TYPES: readonly RoleType[] = ['task_role', 'execution_role'];
export const V5_DIR = '.ufo/iam_roles';
export const V6_DIR = '.ufo/resources/iam_roles';

export interface LayoutInput {
  /** Project-relative POSIX paths of the files that exist under `.ufo/` (at least the `.rb` files and markers). */
  readonly files: readonly string[];
  /** UFO_APP (setting, environment, or `config.app`), selecting `.ufo/resources/iam_roles/<app>/` in v6. */
  readonly app?: string;
  /** Forced major version; otherwise detected. */
  readonly version?: UfoVersion;
  /**
   * The folder of the pre-created roles' files (`ufoIam.precreated.folder`), which UFO never reads: the same file
   * names and the same lookup as UFO's own folder (v6: `<app>/` first), for roles ufo-iam creates itself.
   */
  readonly precreatedDir?: string;
}

export type FileRole =
  /** `precreated`: the file is in the pre-created folder; it feeds the role ufo-iam creates, and UFO never reads it. */
  | { readonly kind: 'role'; readonly roleType: RoleType; readonly version: UfoVersion; readonly precreated?: true }
  | { readonly kind: 'ignored'; readonly reason: string; readonly version: UfoVersion }
  | { readonly kind: 'otherApp'; readonly roleType: RoleType; readonly app: string; readonly version: UfoVersion }
  | { readonly kind: 'outside' };

/** The role a file feeds, when UFO reads it. */
export function roleTypeOf(fileRole: FileRole): RoleType | undefined {
  return fileRole.kind === 'role' ? fileRole.roleType : undefined;
}

export interface ProjectLayout {
  readonly version: UfoVersion;
  /** The file UFO reads for each role (project-relative), when one exists. */
  readonly roleFiles: Partial<Record<RoleType, string>>;
  /** The task-definition templates folder for this version. */
  readonly rolesDir: string;
  /** The pre-created folder, when one is configured, and the file it holds for each role (the same lookup as UFO's). */
  readonly precreatedDir?: string;
  readonly precreatedFiles: Partial<Record<RoleType, string>>;
}

/** v6 when the v6 folders or config exist, v5 when only v5 markers exist; v6 by default (the current UFO). */
export function detectVersion(files: readonly string[]): UfoVersion {
  const has = (prefix: string) => files.some((f) => f === prefix || f.startsWith(prefix + '/'));
  if (has(V6_DIR) || has('.ufo/resources') || has('.ufo/config.rb') || has('.ufo/config')) return 6;
  if (has(V5_DIR) || has('.ufo/settings.yml') || has('.ufo/templates') || has('.ufo/task_definitions.rb') || has('.ufo/variables')) return 5;
  return 6;
}

export function resolveLayout(input: LayoutInput): ProjectLayout {
  const version = input.version ?? detectVersion(input.files);
  const set = new Set(input.files);
  const lookup = (dir: string, appFolders: boolean): Partial<Record<RoleType, string>> => {
    const found: Partial<Record<RoleType, string>> = {};
    for (const t of ROLE_TYPES) {
      const candidates = appFolders ? [...(input.app ? [`${dir}/${input.app}/${t}.rb`] : []), `${dir}/${t}.rb`] : [`${dir}/${t}.rb`];
      const file = candidates.find((c) => set.has(c));
      if (file) found[t] = file;
    }
    return found;
  };
  const precreatedDir = input.precreatedDir?.replace(/\/+$/, '');
  return {
    version,
    roleFiles: version === 5 ? lookup(V5_DIR, false) : lookup(V6_DIR, true),
    rolesDir: version === 5 ? V5_DIR : V6_DIR,
    ...(precreatedDir ? { precreatedDir } : {}),
    precreatedFiles: precreatedDir ? lookup(precreatedDir, version === 6) : {},
  };
}

/** Why a folder cannot hold the pre-created roles' files, or undefined: it must be inside `.ufo/` and not one UFO reads. */
export function precreatedDirProblem(dir: string): string | undefined {
  const d = dir.replace(/\/+$/, '');
  if (!d.startsWith('.ufo/') || d.split('/').some((p) => p === '..' || p === '.' || p === '')) {
    return `ufoIam.precreated.folder must be a folder inside .ufo/ (project-relative, without ".."), not "${dir}"`;
  }
  for (const ufoDir of [V5_DIR, V6_DIR, '.ufo/resources', '.ufo/config', '.ufo/helpers', '.ufo/output']) {
    if (d === ufoDir || d.startsWith(ufoDir + '/') || ufoDir.startsWith(d + '/')) return `ufoIam.precreated.folder "${dir}" overlaps ${ufoDir}/, which UFO reads itself`;
  }
  return undefined;
}

/** What UFO does with a project-relative `.rb` path. */
export function classifyFile(relPath: string, layout: ProjectLayout, app?: string): FileRole {
  const version = layout.version;
  const pre = layout.precreatedDir;
  if (pre && relPath.startsWith(pre + '/')) {
    for (const [t, file] of Object.entries(layout.precreatedFiles)) if (file === relPath) return { kind: 'role', roleType: t as RoleType, version, precreated: true };
    const base = relPath.slice(relPath.lastIndexOf('/') + 1);
    const inApp = relPath.slice(pre.length + 1).includes('/');
    if (!ROLE_TYPES.some((t) => base === `${t}.rb`)) return { kind: 'ignored', version, reason: `ufo-iam reads only task_role.rb and execution_role.rb in ${pre}/.${suggestRoleFile(base)}` };
    if (inApp && version === 6) return { kind: 'ignored', version, reason: `ufo-iam reads ${pre}/<app>/ only for the project's app${app ? ` (${app})` : ''}, as UFO does for its own folder.` };
    return { kind: 'ignored', version, reason: `ufo-iam reads ${layout.precreatedFiles[ROLE_TYPES.find((t) => base === `${t}.rb`)!] ?? `${pre}/${base}`} for this role.` };
  }
  const inV5 = relPath.startsWith(V5_DIR + '/');
  const inV6 = relPath.startsWith(V6_DIR + '/');
  if (!inV5 && !inV6) return { kind: 'outside' };
  if ((inV5 && version === 6) || (inV6 && version === 5)) {
    return {
      kind: 'ignored',
      version,
      reason:
        version === 6
          ? `UFO v6 reads role files from ${V6_DIR}/, not ${V5_DIR}/ (the v5 location). Move this file.`
          : `UFO v5 reads role files from ${V5_DIR}/, not ${V6_DIR}/ (the v6 location).`,
    };
  }
  const rest = relPath.slice((inV5 ? V5_DIR : V6_DIR).length + 1);
  const parts = rest.split('/');
  const base = parts[parts.length - 1];
  const roleType = ROLE_TYPES.find((t) => base === `${t}.rb`);
  for (const [t, file] of Object.entries(layout.roleFiles)) if (file === relPath) return { kind: 'role', roleType: t as RoleType, version };
  if (!roleType) {
    return {
      kind: 'ignored',
      version,
      reason: `UFO reads only task_role.rb and execution_role.rb; it never loads ${base}.${suggestRoleFile(base)}`,
    };
  }
  if (inV5) return { kind: 'ignored', version, reason: `UFO v5 reads only ${V5_DIR}/${base}; subfolders are not searched.` };
  if (parts.length === 2) {
    const dirApp = parts[0];
    if (!app) return { kind: 'otherApp', roleType, app: dirApp, version };
    if (dirApp !== app) return { kind: 'otherApp', roleType, app: dirApp, version };
    return { kind: 'role', roleType, version };
  }
  if (parts.length === 1) {
    // The generic file is shadowed by the app-specific one (docs/ufo-semantics.md §1: first match wins).
    const shadow = layout.roleFiles[roleType];
    return {
      kind: 'ignored',
      version,
      reason: `UFO reads ${shadow} instead: the app-specific file takes precedence and files are not merged.`,
    };
  }
  return { kind: 'ignored', version, reason: `UFO searches only ${V6_DIR}/<app>/ and ${V6_DIR}/; deeper folders are ignored.` };
}

function suggestRoleFile(base: string): string {
  const squashed = base.replace(/\.rb$/, '').replace(/[^a-z]/gi, '').toLowerCase();
  if (squashed.includes('exec')) return ' Rename it to execution_role.rb.';
  if (squashed.includes('task')) return ' Rename it to task_role.rb.';
  return '';
}
