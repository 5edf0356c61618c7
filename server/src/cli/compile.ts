// `ufo-iam compile [DIR] [--format json|yaml]`: prints the role resources exactly as UFO builds them, one object
// mapping logical id → resource.
import { compileProject } from '../project/compileProject';
import { toJsonText, toYamlText, RAISING_CODES } from '../core';
import { EXIT, UsageError, type Subcommand } from './io';
import { parseArgs, relativeTo } from './args';
import { openCliProject, PROJECT_OPTIONS_USAGE, PROJECT_SPEC } from './project';

export const USAGE = `usage: ufo-iam compile [DIR] [--format json|yaml] ${PROJECT_OPTIONS_USAGE}`;

export const run: Subcommand = async (argv, io) => {
  const args = parseArgs(argv, { ...PROJECT_SPEC, format: 'string' }, USAGE);
  if (args.positionals.length > 1) throw new UsageError(USAGE);
  const format = args.options.format ?? 'json';
  if (format !== 'json' && format !== 'yaml') throw new UsageError(`--format must be json or yaml\n${USAGE}`);
  const project = compileProject(openCliProject(args.positionals[0] ?? '.', args, io, USAGE));
  const raising = project.problems.filter((p) => RAISING_CODES.has(p.code));
  if (raising.length > 0) {
    for (const p of raising) io.stderr(`${relativeTo(io.cwd, p.file, true)}:${p.line}:${p.column}: ${p.message}\n`);
    io.stderr(`ufo-iam: UFO would fail to build the roles (${raising.length} error${raising.length === 1 ? '' : 's'}).\n`);
    return EXIT.failure;
  }
  for (const r of project.roles) {
    if (r.partial) io.stderr(`note: ${r.logicalId} is partial: ${relativeTo(io.cwd, r.file, true)} has values computed at deploy time (shown as "<dynamic: …>").\n`);
  }
  for (const r of project.unknownRoles) {
    io.stderr(`note: ${r.logicalId} is not shown: ${relativeTo(io.cwd, r.file, true)} registers its policies only through values computed at deploy time, so UFO may build it.\n`);
  }
  io.stdout(format === 'json' ? toJsonText(project.resources) + '\n' : toYamlText(project.resources));
  return EXIT.ok;
};
