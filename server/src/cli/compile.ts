// `ufo-iam compile [DIR] [--format json|yaml] [--ufo-version 5|6]`: prints the role resources
// exactly as UFO builds them, one object mapping logical id → resource.
import { compileProjectDir } from '../project/compileProjectDir';
import { toJsonText, toYamlText } from '../core/compile/serialize';
import { EXIT, UsageError, type Subcommand } from './io';
import { parseArgs, relativeTo } from './args';
import { RAISING_CODES } from '../core/compile/compileRoles';

export const USAGE = 'usage: ufo-iam compile [DIR] [--format json|yaml] [--ufo-version 5|6] [--app NAME]';

export const run: Subcommand = async (argv, io) => {
  const args = parseArgs(argv, { format: 'string', 'ufo-version': 'string', app: 'string' }, USAGE);
  if (args.positionals.length > 1) throw new UsageError(USAGE);
  const format = args.options.format ?? 'json';
  if (format !== 'json' && format !== 'yaml') throw new UsageError(`--format must be json or yaml\n${USAGE}`);
  const v = args.options['ufo-version'];
  if (v !== undefined && v !== '5' && v !== '6') throw new UsageError(`--ufo-version must be 5 or 6\n${USAGE}`);
  const dir = args.positionals[0] ?? '.';
  const project = compileProjectDir(relativeTo(io.cwd, dir), { ufoVersion: v ? (Number(v) as 5 | 6) : undefined, app: args.options.app, env: io.env });
  const raising = project.problems.filter((p) => RAISING_CODES.has(p.code));
  if (raising.length > 0) {
    for (const p of raising) io.stderr(`${relativeTo(io.cwd, p.file, true)}:${p.line}:${p.column}: ${p.message}\n`);
    io.stderr(`ufo-iam: UFO would fail to build the roles (${raising.length} error${raising.length === 1 ? '' : 's'}).\n`);
    return EXIT.failure;
  }
  for (const r of project.roles) {
    if (r.partial) io.stderr(`note: ${r.logicalId} is partial: ${relativeTo(io.cwd, r.file, true)} has values computed at deploy time (shown as "<dynamic: …>").\n`);
  }
  io.stdout(format === 'json' ? toJsonText(project.resources) + '\n' : toYamlText(project.resources));
  return EXIT.ok;
};
