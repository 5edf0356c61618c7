// IO edge: the `ufoIam.*` settings of a project's `.vscode/settings.json`, for the CLI (the editor gets the
// same settings from VS Code). The file is JSONC: comments and trailing commas are allowed. Keys may be flat
// (`"ufoIam.diagnostics.INVALID_ACTION": "off"`, as VS Code writes them) or nested (`"ufoIam": { ... }`).
import { readProjectFile } from './readProjectFile';
import * as path from 'node:path';
import { normalizeSettings, type Settings } from '../settings';

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
