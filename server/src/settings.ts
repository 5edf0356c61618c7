// The `ufoIam.*` settings as the server sees them, with defaults. Pulled per document from the
// client (`workspace/configuration`), and read from `.vscode/settings.json` by the CLI.
import type { Severity } from './core/findings';
import type { UfoVersion } from './core/compile/compileRoles';

export type SeveritySetting = Severity | 'off';

export interface Settings {
  /** UFO_APP for v6 app-specific role files; empty → environment, then `.ufo/config.rb`. */
  readonly app: string;
  readonly ufoVersion: 'auto' | '5' | '6';
  /** Per-code severity overrides (`ufoIam.diagnostics.<CODE>`). */
  readonly diagnostics: Readonly<Record<string, SeveritySetting>>;
}

export const DEFAULT_SETTINGS: Settings = { app: '', ufoVersion: 'auto', diagnostics: {} };

const SEVERITIES = new Set(['error', 'warning', 'information', 'hint', 'off']);

/** Normalises whatever the client or a settings file sent; unknown or ill-typed values fall back to defaults. */
export function normalizeSettings(raw: unknown): Settings {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const diagnostics: Record<string, SeveritySetting> = {};
  const d = r.diagnostics;
  if (d && typeof d === 'object') {
    for (const [k, v] of Object.entries(d as Record<string, unknown>)) if (typeof v === 'string' && SEVERITIES.has(v)) diagnostics[k] = v as SeveritySetting;
  }
  return {
    app: typeof r.app === 'string' ? r.app : '',
    ufoVersion: r.ufoVersion === '5' || r.ufoVersion === '6' ? r.ufoVersion : 'auto',
    diagnostics,
  };
}

export function forcedVersion(s: Settings): UfoVersion | undefined {
  return s.ufoVersion === 'auto' ? undefined : (Number(s.ufoVersion) as UfoVersion);
}
