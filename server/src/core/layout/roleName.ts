// Names of the IAM roles that `ufo-iam apply` manages. UFO itself never names the roles (CloudFormation
// generates `<stack>-TaskRole-<RANDOM>`, docs/ufo-semantics.md §6), so ufo-iam derives a stable name from a
// template whose parts follow UFO's own naming (`:APP-:ROLE-:ENV`, docs/ufo-semantics.md §11). Pure: the caller
// reads the environment, the settings and `.ufo/config.rb`.

import type { LogicalId, UfoVersion } from '../compile/compileRoles';

export const DEFAULT_ROLE_NAME_TEMPLATE = '{app}-{role}-{env}-{logicalId}';


/** The placeholders a template may use. */
export const ROLE_NAME_PLACEHOLDERS = ['app', 'role', 'env', 'extra', 'logicalId'] as const;
export type RoleNamePlaceholder = (typeof ROLE_NAME_PLACEHOLDERS)[number];

/** Where a part of the name came from, so errors and the plan can say why a name is what it is. */
export type NamePartSource = 'option' | 'environment' | 'config.rb' | 'folder' | 'default';

export interface RoleNameParts {
  app: string;
  role: string;
  env: string;
  extra: string;
  sources: { app: NamePartSource; role: NamePartSource; env: NamePartSource };
}

export interface NamePartInputs {
  /** The `ufoIam.app` setting or `--app`; empty counts as unset. */
  explicitApp?: string;
  /** The `ufoIam.env` setting or `--env`; empty counts as unset. */
  explicitEnv?: string;
  /** `UFO_APP`, `UFO_ENV`, `UFO_ROLE`, `UFO_EXTRA` from the process environment. */
  environment: Readonly<Record<string, string | undefined>>;
  /** `config.app` read statically from `.ufo/config.rb`, if it is a literal. */
  configApp?: string;
  /** The project folder's base name, UFO's last resort for the app. */
  folderName: string;
  ufoVersion: UfoVersion;
}

const nonEmpty = (s: string | undefined): s is string => s !== undefined && s !== '';

/** UFO's default environment: v6 `Ufo.env` is `ENV['UFO_ENV'] || 'dev'`; v5 used `development` (docs/ufo-semantics.md §11). */
export function defaultUfoEnv(ufoVersion: UfoVersion): string {
  return ufoVersion === 5 ? 'development' : 'dev';
}

/** Picks each part by precedence: explicit option, then environment, then config/folder or UFO's default. */
export function resolveNameParts(input: NamePartInputs): RoleNameParts {
  const env = input.environment;
  let app: string;
  let appSource: NamePartSource;
  if (nonEmpty(input.explicitApp)) [app, appSource] = [input.explicitApp, 'option'];
  else if (nonEmpty(env.UFO_APP)) [app, appSource] = [env.UFO_APP, 'environment'];
  else if (nonEmpty(input.configApp)) [app, appSource] = [input.configApp, 'config.rb'];
  else [app, appSource] = [input.folderName, 'folder'];

  let ufoEnv: string;
  let envSource: NamePartSource;
  if (nonEmpty(input.explicitEnv)) [ufoEnv, envSource] = [input.explicitEnv, 'option'];
  else if (nonEmpty(env.UFO_ENV)) [ufoEnv, envSource] = [env.UFO_ENV, 'environment'];
  else [ufoEnv, envSource] = [defaultUfoEnv(input.ufoVersion), 'default'];

  // UFO_ROLE is the process role (web, worker), not an IAM role (docs/ufo-semantics.md §11).
  const role = nonEmpty(env.UFO_ROLE) ? env.UFO_ROLE : 'web';
  return {
    app,
    role,
    env: ufoEnv,
    extra: env.UFO_EXTRA ?? '',
    sources: { app: appSource, role: nonEmpty(env.UFO_ROLE) ? 'environment' : 'default', env: envSource },
  };
}

export type RoleNameResult = { ok: true; name: string } | { ok: false; message: string };

/**
 * Renders a template such as `{app}-{role}-{env}-{logicalId}`. An empty part takes one neighbouring
 * hyphen with it, as UFO's `:APP-:ROLE-:ENV-:EXTRA` does for an empty `:EXTRA`.
 */
export function renderRoleName(template: string, parts: RoleNameParts, logicalId: LogicalId): RoleNameResult {
  const values: Record<RoleNamePlaceholder, string> = { app: parts.app, role: parts.role, env: parts.env, extra: parts.extra, logicalId };
  const unknown = [...template.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1]).filter((n) => !(ROLE_NAME_PLACEHOLDERS as readonly string[]).includes(n));
  if (unknown.length > 0) {
    return {
      ok: false,
      message: `The role name template "${template}" uses unknown placeholder${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `{${u}}`).join(', ')}; the known ones are ${ROLE_NAME_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}.`,
    };
  }
  // Mark empty parts first, then drop each mark with one neighbouring hyphen.
  let name = template.replace(/\{(\w+)\}/g, (_m, key: RoleNamePlaceholder) => values[key] || '\u0000');
  name = name.replace(/-?\u0000-?/g, (m) => (m.startsWith('-') && m.endsWith('-') ? '-' : ''));
  const problem = checkRoleName(name);
  if (problem) return { ok: false, message: `${problem} It comes from the template "${template}" with ${describeParts(parts)}.` };
  return { ok: true, name };
}

function describeParts(parts: RoleNameParts): string {
  return `app "${parts.app}" (${parts.sources.app}), role "${parts.role}" (${parts.sources.role}), env "${parts.env}" (${parts.sources.env})`;
}

const ROLE_NAME_MAX = 64;
const ALLOWED = /[\w+=,.@-]/;

/** IAM's rule for role names: 1 to 64 characters of `[\w+=,.@-]`. Returns a message, or undefined if valid. */
export function checkRoleName(name: string): string | undefined {
  if (name.length === 0) return 'The role name is empty.';
  const bad = [...new Set([...name].filter((c) => !ALLOWED.test(c) || c.length > 1 || c.charCodeAt(0) > 0x7f))];
  if (bad.length > 0) {
    const shown = bad.map((c) => (c === ' ' ? '" " (space)' : JSON.stringify(c))).join(', ');
    return `The role name "${name}" contains ${shown}, which IAM does not allow; role names may use only ASCII letters, digits and + = , . @ _ -.`;
  }
  if (name.length > ROLE_NAME_MAX) {
    return `The role name "${name}" is ${name.length} characters long; IAM allows at most ${ROLE_NAME_MAX}. Shorten the app or env, or set a shorter role name template.`;
  }
  return undefined;
}
