// `ufo-iam convert POLICY.json --name NAME [--key-style symbol|string]`: prints the `iam_policy` call that UFO
// compiles into exactly that policy document (core/convert/policyToDsl.ts). Bad JSON, or JSON that is not a policy
// UFO can write, is exit 2 with one line naming the file (and the line and column of a JSON error).
import { fromJsonText, policyToDsl, type KeyStyle } from '../core';
import { readFileSafely } from '../project/readProjectFile';
import { parseArgs, relativeTo } from './args';
import { EXIT, UsageError, type Subcommand } from './io';

export const USAGE = 'usage: ufo-iam convert POLICY.json --name NAME [--key-style symbol|string] [--ufo-version 5|6]';

/** 1-based line and column of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - (before.lastIndexOf('\n') + 1) + 1 };
}

export const run: Subcommand = async (argv, io) => {
  const args = parseArgs(argv, { name: 'string', 'key-style': 'string', 'ufo-version': 'string' }, USAGE);
  if (args.positionals.length !== 1) throw new UsageError(USAGE);
  const name = args.options.name;
  if (name === undefined || name === '') throw new UsageError(`--name is required\n${USAGE}`);
  const keyStyle = args.options['key-style'] ?? 'symbol';
  if (keyStyle !== 'symbol' && keyStyle !== 'string') throw new UsageError(`--key-style must be symbol or string\n${USAGE}`);
  const v = args.options['ufo-version'] ?? '6';
  if (v !== '5' && v !== '6') throw new UsageError(`--ufo-version must be 5 or 6\n${USAGE}`);
  const file = args.positionals[0];
  const shown = relativeTo(io.cwd, relativeTo(io.cwd, file), true);
  const read = readFileSafely(relativeTo(io.cwd, file));
  if (!read.ok) {
    io.stderr(`ufo-iam convert: ${shown}: ${read.reason}\n`);
    return EXIT.usage;
  }
  const text = read.text.replace(/^\uFEFF/, '');
  let document;
  try {
    document = fromJsonText(text);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const at = /^(.*) at position (\d+)$/.exec(message);
    const place = at ? lineColumn(text, Number(at[2])) : undefined;
    io.stderr(`ufo-iam convert: ${shown}${place ? `:${place.line}:${place.column}` : ''}: not JSON: ${at ? at[1] : message}\n`);
    return EXIT.usage;
  }
  const r = policyToDsl(document, name, { keyStyle: keyStyle as KeyStyle, ufoVersion: v === '5' ? 5 : 6 });
  if (!r.ok) {
    io.stderr(`ufo-iam convert: ${shown}: not a policy UFO can write: ${r.message}\n`);
    return EXIT.usage;
  }
  for (const n of r.notes) io.stderr(`note: ${n}.\n`);
  io.stdout(r.text);
  return EXIT.ok;
};
