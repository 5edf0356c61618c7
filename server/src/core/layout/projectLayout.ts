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
}

export type FileRole =
  | { readonly kind: 'role'; readonly roleType: RoleType; readonly version: UfoVersion }
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
  const roleFiles: Partial<Record<RoleType, string>> = {};
  for (const t of ROLE_TYPES) {
    const candidates = version === 5 ? [`${V5_DIR}/${t}.rb`] : [...(input.app ? [`${V6_DIR}/${input.app}/${t}.rb`] : []), `${V6_DIR}/${t}.rb`];
    const found = candidates.find((c) => set.has(c));
    if (found) roleFiles[t] = found;
  }
  return { version, roleFiles, rolesDir: version === 5 ? V5_DIR : V6_DIR };
}

/** What UFO does with a project-relative `.rb` path. */
export function classifyFile(relPath: string, layout: ProjectLayout, app?: string): FileRole {
  const version = layout.version;
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
