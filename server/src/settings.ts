// The `ufoIam.*` settings as the server sees them, with defaults. Pulled per document from the
// client (`workspace/configuration`), and read from `.vscode/settings.json` by the CLI.
import type { Severity, UfoVersion } from './core';

export type SeveritySetting = Severity | 'off';

export interface Settings {
  /** UFO_APP for v6 app-specific role files; empty → environment, then `.ufo/config.rb`. */
  readonly app: string;
  readonly ufoVersion: 'auto' | '5' | '6';
  /**
   * Per-code severity overrides (`ufoIam.diagnostics.<CODE>`, generated into package.json from the rule table).
   * VS Code sends every default too; runChecks treats a value equal to the default as "not configured"
   * (core/checks/index.ts resolveSeverity).
   */
  readonly diagnostics: Readonly<Record<string, SeveritySetting>>;
  /** UFO_ENV for role names (`{env}`); empty → UFO_ENV, then UFO's default for the layout. */
  readonly env: string;
  /** `ufoIam.roleNameTemplate`; empty → the default `{app}-{role}-{env}-{logicalId}`. */
  readonly roleNameTemplate: string;
  /** How plan and apply reach AWS (`ufoIam.aws.*`); empty strings leave the choice to the SDK's default chain. */
  readonly aws: AwsSettings;
  /**
   * `ufoIam.apply.target`: which roles plan, apply, drift and ARNs work on (docs/apply.md): `stack` = the role files UFO
   * reads, applied to the roles of UFO's deployed stack; `precreated` = the role files of the pre-created folder, applied
   * to roles ufo-iam creates and names, whose ARNs go into the template. Empty: chosen from the files when only one kind
   * exists, otherwise asked.
   */
  readonly applyTarget: '' | ApplyTarget;
  /** `ufoIam.stack`: the deployed stack's name; empty → as UFO names it. */
  readonly stack: string;
  /** `ufoIam.service`: UFO v5's service name (`ufo ship SERVICE`), from which v5 names the stack. */
  readonly service: string;
  /** `ufoIam.precreated.folder`: where the role files of pre-created roles live (project-relative, inside `.ufo/`). */
  readonly precreatedFolder: string;
}

export type ApplyTarget = 'stack' | 'precreated';
export const APPLY_TARGETS: readonly ApplyTarget[] = ['stack', 'precreated'];
/** The folder UFO never reads where pre-created roles' files live by default (docs/apply.md). */
export const DEFAULT_PRECREATED_FOLDER = '.ufo/precreated_iam_roles';

export interface AwsSettings {
  readonly profile: string;
  readonly region: string;
  readonly endpoint: string;
}

export const DEFAULT_SETTINGS: Settings = {
  app: '',
  ufoVersion: 'auto',
  diagnostics: {},
  env: '',
  roleNameTemplate: '',
  aws: { profile: '', region: '', endpoint: '' },
  applyTarget: '',
  stack: '',
  service: '',
  precreatedFolder: DEFAULT_PRECREATED_FOLDER,
};

const SEVERITIES = new Set(['error', 'warning', 'information', 'hint', 'off']);

/** Normalises whatever the client or a settings file sent; unknown or ill-typed values fall back to defaults. */
export function normalizeSettings(raw: unknown): Settings {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const diagnostics: Record<string, SeveritySetting> = {};
  const d = r.diagnostics;
  if (d && typeof d === 'object') {
    for (const [k, v] of Object.entries(d as Record<string, unknown>)) if (typeof v === 'string' && SEVERITIES.has(v)) diagnostics[k] = v as SeveritySetting;
  }
  const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');
  const aws = (r.aws && typeof r.aws === 'object' ? r.aws : {}) as Record<string, unknown>;
  return {
    app: typeof r.app === 'string' ? r.app : '',
    ufoVersion: r.ufoVersion === '5' || r.ufoVersion === '6' ? r.ufoVersion : 'auto',
    diagnostics,
    env: str(r.env),
    roleNameTemplate: str(r.roleNameTemplate),
    aws: { profile: str(aws.profile), region: str(aws.region), endpoint: str(aws.endpoint) },
    applyTarget: parseApplyTarget(str((r.apply as Record<string, unknown> | undefined)?.target)) ?? '',
    stack: str(r.stack),
    service: str(r.service),
    precreatedFolder: str((r.precreated as Record<string, unknown> | undefined)?.folder) || DEFAULT_PRECREATED_FOLDER,
  };
}

export function parseApplyTarget(v: string | undefined): ApplyTarget | undefined {
  return (APPLY_TARGETS as readonly string[]).includes(v ?? '') ? (v as ApplyTarget) : undefined;
}

export function forcedVersion(s: Settings): UfoVersion | undefined {
  return s.ufoVersion === 'auto' ? undefined : (Number(s.ufoVersion) as UfoVersion);
}

/** How plan and apply reach AWS (the session's options): empty settings leave the choice to the SDK's default chain. */
export function awsOptionsOf(settings: Settings): { profile?: string; region?: string; endpoint?: string } {
  return {
    ...(settings.aws.profile ? { profile: settings.aws.profile } : {}),
    ...(settings.aws.region ? { region: settings.aws.region } : {}),
    ...(settings.aws.endpoint ? { endpoint: settings.aws.endpoint } : {}),
  };
}
