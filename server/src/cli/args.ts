// A small argument parser for the subcommands: `--name value`, `--name=value`, boolean flags and
// positionals; unknown options are usage errors.
import * as path from 'node:path';
import { UsageError } from './io';

export type OptionSpec = Record<string, 'string' | 'boolean' | 'multi'>;

export interface ParsedArgs {
  positionals: string[];
  options: Record<string, string | undefined>;
  flags: Record<string, boolean>;
  multi: Record<string, string[]>;
}

export function parseArgs(argv: string[], spec: OptionSpec, usage: string): ParsedArgs {
  const out: ParsedArgs = { positionals: [], options: {}, flags: {}, multi: {} };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      out.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('--') || a === '-') {
      if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${a}\n${usage}`);
      out.positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    const kind = spec[name];
    if (!kind) throw new UsageError(`unknown option --${name}\n${usage}`);
    if (kind === 'boolean') {
      if (eq >= 0) throw new UsageError(`--${name} takes no value\n${usage}`);
      out.flags[name] = true;
      continue;
    }
    const value = eq >= 0 ? a.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new UsageError(`--${name} needs a value\n${usage}`);
    if (kind === 'multi') (out.multi[name] ??= []).push(value);
    else out.options[name] = value;
  }
  return out;
}

/** Resolves `p` against `cwd`; with `display`, returns the path relative to cwd for messages. */
export function relativeTo(cwd: string, p: string, display = false): string {
  if (!display) return path.resolve(cwd, p);
  const rel = path.relative(cwd, p);
  return rel === '' ? '.' : rel.startsWith('..') ? p : rel;
}
