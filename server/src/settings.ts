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
}

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
  };
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
