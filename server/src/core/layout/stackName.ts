// The name of the CloudFormation stack UFO deploys, as UFO derives it (docs/ufo-semantics.md §9), so that the
// `stack` target can find the roles UFO built in it. Pure: the caller reads `.ufo/config.rb`, `.ufo/settings.yml`,
// the settings and the environment.
import type { UfoVersion } from '../compile/compileRoles';
import type { RoleNameParts } from './roleName';

/** v6's default `config.names.stack` (lib/ufo/config.rb). */
export const V6_DEFAULT_STACK_PATTERN = ':APP-:ROLE-:ENV-:EXTRA';

/** v5's `stack_naming` values and the parts each puts together (lib/ufo/stack/helper.rb `adjust_stack_name`). */
export const V5_STACK_NAMINGS = ['append_ufo_env', 'append_nothing', 'prepend_nothing', 'prepend_cluster', 'append_cluster', 'append_env'] as const;

export type StackNameResult =
  | { readonly ok: true; readonly name: string; /** How the name was found, for the plan: "config.names.stack default :APP-:ROLE-:ENV-:EXTRA". */ readonly how: string }
  | { readonly ok: false; readonly message: string };

/** Names whose values only AWS knows at deploy time (the AWS helpers `Ufo::Names` includes): a pattern using one is not guessed. */
const AWS_TIME_NAMES = new Set(['region', 'aws_region', 'current_region', 'account', 'aws_account']);

/**
 * v6 `Ufo::Names#expansion` (lib/ufo/names.rb): every `:word` (`/:\w+/`) in turn is replaced everywhere in the string by
 * the value of the method of that name, downcased (`app`, `role`, `env`/`ufo_env`, `extra`, `cluster`); a word with no
 * such method stays as written. Then leading and trailing dashes go, runs of dashes collapse, and underscores become
 * dashes (`dasherize`). Returns undefined when the pattern uses a name only AWS knows (`:REGION`, `:ACCOUNT`).
 */
export function expandV6Names(pattern: string, parts: Pick<RoleNameParts, 'app' | 'role' | 'env' | 'extra'>): string | undefined {
  const values: Record<string, string> = { app: parts.app, role: parts.role, env: parts.env, ufo_env: parts.env, extra: parts.extra, cluster: parts.env };
  let out = pattern;
  for (const v of pattern.match(/:\w+/g) ?? []) {
    const name = v.slice(1).toLowerCase();
    if (AWS_TIME_NAMES.has(name)) return undefined;
    // String#gsub! with a string pattern: every occurrence, including inside a longer word that comes later.
    if (name in values) out = out.split(v).join(values[name]);
  }
  return out.replace(/^-+/, '').replace(/-+$/, '').replace(/-+/g, '-').replace(/_/g, '-');
}

export interface StackNameInput {
  readonly version: UfoVersion;
  readonly parts: RoleNameParts;
  /** `ufoIam.stack` / `--stack`: wins over everything. */
  readonly explicit?: string;
  /** v6: `config.names.stack` read statically: a literal, or a note that it is computed. */
  readonly configPattern?: { readonly value?: string; readonly note?: string; readonly where: string };
  /** v5: `ufoIam.service` / `--service`. */
  readonly service?: string;
  /** v5: `stack_naming` and `cluster` as `.ufo/settings.yml` gives them for the env. */
  readonly v5Settings?: { readonly stackNaming?: string; readonly cluster?: string };
}

const joinParts = (parts: Array<string | undefined>): string => parts.filter((p): p is string => !!p).join('-');

export function resolveStackName(input: StackNameInput): StackNameResult {
  if (input.explicit) return { ok: true, name: input.explicit, how: 'ufoIam.stack / --stack' };
  const { parts } = input;
  if (input.version === 6) {
    const c = input.configPattern;
    if (c && c.value === undefined && c.note) {
      return { ok: false, message: `${c.note} (${c.where}), which ufo-iam cannot evaluate; set ufoIam.stack or pass --stack NAME.` };
    }
    const pattern = c?.value ?? V6_DEFAULT_STACK_PATTERN;
    const how = c?.value !== undefined ? `config.names.stack "${pattern}" (${c.where})` : `UFO's default config.names.stack ${V6_DEFAULT_STACK_PATTERN}`;
    const name = expandV6Names(pattern, parts);
    if (name === undefined) return { ok: false, message: `The stack name pattern "${pattern}" uses a value that only AWS knows when UFO runs (the region or account); set ufoIam.stack or pass --stack NAME.` };
    return { ok: true, name, how: `${how}, app "${parts.app}", role "${parts.role}", env "${parts.env}"${parts.extra ? `, extra "${parts.extra}"` : ''}` };
  }
  // v5: the service name is what `ufo ship SERVICE` was given; no project file holds it.
  if (!input.service) {
    return { ok: false, message: 'UFO v5 names the stack after the service given to `ufo ship SERVICE`, which no project file holds: set ufoIam.service (or pass --service NAME), or name the stack with ufoIam.stack / --stack NAME.' };
  }
  const naming = input.v5Settings?.stackNaming;
  const extra = parts.extra || undefined;
  const cluster = input.v5Settings?.cluster ?? parts.env;
  const how = `service "${input.service}", stack_naming ${naming ?? '(unset: append_ufo_env)'}, UFO_ENV "${parts.env}"`;
  switch (naming) {
    case 'append_nothing':
    case 'prepend_nothing':
      return { ok: true, name: joinParts([input.service, extra]), how };
    case 'prepend_cluster':
      return { ok: true, name: joinParts([cluster, input.service, extra]), how: `${how}, cluster "${cluster}"` };
    case 'append_cluster':
    case 'append_env':
      return { ok: true, name: joinParts([input.service, cluster, extra]), how: `${how}, cluster "${cluster}"` };
    default:
      return { ok: true, name: joinParts([input.service, parts.env, extra]), how };
  }
}
