// IO edge: the `ufoIam.*` settings of a project's `.vscode/settings.json`, for the CLI (the editor gets the
// same settings from VS Code). The file is JSONC: comments and trailing commas are allowed. Keys may be flat
// (`"ufoIam.diagnostics.INVALID_ACTION": "off"`, as VS Code writes them) or nested (`"ufoIam": { ... }`).
import { readProjectFile } from './readProjectFile';
import * as path from 'node:path';
import { normalizeSettings, type ApplyTarget, type Settings } from '../settings';

/** Strips `//` and `/* *\/` comments and trailing commas outside strings, leaving plain JSON. */
export function stripJsonc(text: string): string {
  let out = '';
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < n && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
    } else if (c === ',') {
      let j = i + 1;
      // A comma followed (past blanks and comments) by a closing bracket is a trailing comma.
      for (;;) {
        while (j < n && /\s/.test(text[j])) j++;
        if (text[j] === '/' && text[j + 1] === '/') {
          while (j < n && text[j] !== '\n') j++;
        } else if (text[j] === '/' && text[j + 1] === '*') {
          const end = text.indexOf('*/', j + 2);
          j = end < 0 ? n : end + 2;
        } else break;
      }
      if (text[j] !== '}' && text[j] !== ']') out += c;
      i++;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** The `ufoIam` section of a parsed settings object, flat keys folded into nested objects. */
export function ufoIamSection(json: unknown): Record<string, unknown> {
  const section: Record<string, unknown> = {};
  if (!json || typeof json !== 'object' || Array.isArray(json)) return section;
  const setPath = (parts: string[], value: unknown) => {
    let node = section;
    for (const p of parts.slice(0, -1)) {
      const next = node[p];
      node = (next && typeof next === 'object' && !Array.isArray(next) ? next : (node[p] = {})) as Record<string, unknown>;
    }
    node[parts[parts.length - 1]] = value;
  };
  const merge = (prefix: string[], value: unknown) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) for (const [k, v] of Object.entries(value)) merge([...prefix, ...k.split('.')], v);
    else setPath(prefix, value);
  };
  for (const [key, value] of Object.entries(json as Record<string, unknown>)) {
    if (key === 'ufoIam') merge([], value);
    else if (key.startsWith('ufoIam.')) merge(key.slice('ufoIam.'.length).split('.'), value);
  }
  return section;
}

export interface SettingsFileResult {
  readonly settings: Settings;
  /** The file read, when there was one. */
  readonly file?: string;
  /** Why the file could not be used (then the defaults apply). */
  readonly problem?: string;
}

/** Reads `<root>/.vscode/settings.json`; defaults when it is absent. */
export function readProjectSettings(root: string): SettingsFileResult {
  const file = path.join(root, '.vscode', 'settings.json');
  const read = readProjectFile(root, '.vscode/settings.json');
  if (!read.ok) {
    return read.missing ? { settings: normalizeSettings({}) } : { settings: normalizeSettings({}), file, problem: `${file} is not read: ${read.reason}` };
  }
  const text = read.text;
  try {
    return { settings: normalizeSettings(ufoIamSection(JSON.parse(stripJsonc(text)))), file };
  } catch (e) {
    return { settings: normalizeSettings({}), file, problem: `${file}: not valid JSON with comments (${e instanceof Error ? e.message : String(e)})` };
  }
}

/** Settings given on the command line; each one given wins over the settings file. */
export interface SettingFlags {
  readonly app?: string;
  readonly env?: string;
  readonly roleNameTemplate?: string;
  readonly ufoVersion?: '5' | '6';
  readonly profile?: string;
  readonly region?: string;
  readonly endpoint?: string;
  readonly applyTarget?: ApplyTarget;
  readonly stack?: string;
  readonly service?: string;
}

/**
 * The settings that send AWS calls elsewhere: where the signed requests go, and whose credentials sign them. A pull
 * request can edit `.vscode/settings.json`; CI runs the CLI on it with real credentials. So, as VS Code's Restricted
 * Mode does for the same keys, the CLI takes these from the file only when the user says the workspace is trusted
 * (`--trust-workspace-settings`); flags and the environment (`AWS_PROFILE`, `AWS_ENDPOINT_URL_IAM`) always apply.
 */
export const AWS_REDIRECTING_SETTINGS = ['aws.endpoint', 'aws.profile'] as const;

export interface CliSettingsResult {
  readonly settings: Settings;
  /** Warnings for the user: a settings file that is not used. */
  readonly warnings: readonly string[];
  /** Set when the file's AWS endpoint or profile were not taken (the workspace is not trusted): what to tell the user. */
  readonly ignoredAwsSettings?: string;
}

/** The CLI's settings: `.vscode/settings.json` of the project (redirecting AWS settings only when trusted), then flags. */
export function cliSettings(root: string, flags: SettingFlags, options: { trustWorkspaceSettings?: boolean } = {}): CliSettingsResult {
  const { settings: file, problem, file: fileName } = readProjectSettings(root);
  const warnings: string[] = [];
  if (problem) warnings.push(`${problem}; using the default settings`);
  let aws = file.aws;
  let ignoredAwsSettings: string | undefined;
  if (!options.trustWorkspaceSettings) {
    const ignored = AWS_REDIRECTING_SETTINGS.filter((k) => file.aws[k.slice('aws.'.length) as 'endpoint' | 'profile'] !== '');
    if (ignored.length > 0) {
      ignoredAwsSettings = (
        `${fileName ?? '.vscode/settings.json'} sets ${ignored.map((k) => `ufoIam.${k}`).join(' and ')}, which ufo-iam does not take from a repository ` +
          `unless it is trusted: pass --trust-workspace-settings to use ${ignored.length === 1 ? 'it' : 'them'}, or give --${ignored
            .map((k) => k.slice('aws.'.length))
            .join(' / --')} yourself`
      );
      aws = { ...aws, endpoint: '', profile: '' };
    }
  }
  const pick = (flag: string | undefined, fromFile: string) => (flag !== undefined && flag !== '' ? flag : fromFile);
  const settings: Settings = {
    ...file,
    app: pick(flags.app, file.app),
    env: pick(flags.env, file.env),
    roleNameTemplate: pick(flags.roleNameTemplate, file.roleNameTemplate),
    ufoVersion: flags.ufoVersion ?? file.ufoVersion,
    aws: { profile: pick(flags.profile, aws.profile), region: pick(flags.region, aws.region), endpoint: pick(flags.endpoint, aws.endpoint) },
    applyTarget: flags.applyTarget ?? file.applyTarget,
    stack: pick(flags.stack, file.stack),
    service: pick(flags.service, file.service),
  };
  return { settings, warnings, ...(ignoredAwsSettings ? { ignoredAwsSettings } : {}) };
}
