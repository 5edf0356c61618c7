// `ufo-iam can ACTION [RESOURCE] [DIR] [--role TaskRole|ExecutionRole] [--context KEY=VALUE]... [--context '!KEY']
// [--format text|json]`: can the project's role do this? The core's evaluator (core/eval, docs/evaluation.md) over
// the roles compiled from the apply target's role files, asked and placed by project/canRole.ts, which the editor's
// "UFO: Can the Role…?" shares (features/can.ts). Exit 0 allowed, 1 explicitly
// denied or not allowed, 3 depends on conditions, 2 usage error or no answer (UFO fails to build the roles, no such
// role). Without --role, every role the project builds is asked: 0 only if every one allows, else 1 if any is denied
// or not allowed, else 3.
import type { LogicalId } from '../core';
import { actionProblem, CAN_ROLES, CanQueryError, canAnswerJson, canAnswerLines, canRole, parseCanContext } from '../project/canRole';
import { EXIT, UsageError, type Subcommand } from './io';
import { parseArgs, relativeTo } from './args';
import { openCliProject, PROJECT_OPTIONS_USAGE, PROJECT_SPEC } from './project';

export const USAGE =
  `usage: ufo-iam can ACTION [RESOURCE] [DIR] [--role TaskRole|ExecutionRole] [--context KEY=VALUE]... [--context '!KEY'] [--format text|json] [--target stack|precreated] ${PROJECT_OPTIONS_USAGE}`;

/** Exit code for "depends on conditions". */
export const EXIT_CONDITIONAL = 3;

/** `--context KEY=VALUE` (repeated: several values, in order) and `--context '!KEY'` (absent): project/canRole.ts. */
export function parseContext(items: readonly string[]) {
  try {
    return parseCanContext(items);
  } catch (e) {
    if (e instanceof CanQueryError) throw new UsageError(`${e.message}\n${USAGE}`);
    throw e;
  }
}

const isResource = (s: string) => s === '*' || s.startsWith('arn:');

export const run: Subcommand = async (argv, io) => {
  const args = parseArgs(argv, { ...PROJECT_SPEC, role: 'string', context: 'multi', format: 'string', target: 'string' }, USAGE);
  const format = args.options.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json\n${USAGE}`);
  const [action, ...rest] = args.positionals;
  if (action === undefined) throw new UsageError(`ACTION is missing\n${USAGE}`);
  const bad = actionProblem(action);
  if (bad) throw new UsageError(`${bad}\n${USAGE}`);
  let resource: string | undefined;
  let dir = '.';
  if (rest.length === 2) [resource, dir] = rest;
  else if (rest.length === 1) {
    if (isResource(rest[0])) resource = rest[0];
    else dir = rest[0];
  } else if (rest.length > 2) throw new UsageError(USAGE);
  const role = args.options.role;
  if (role !== undefined && !CAN_ROLES.includes(role as LogicalId)) throw new UsageError(`--role must be TaskRole or ExecutionRole\n${USAGE}`);
  const context = parseContext(args.multi.context ?? []);

  const answer = canRole(openCliProject(dir, args, io, USAGE), { action, ...(resource !== undefined ? { resource } : {}), ...(role !== undefined ? { role: role as LogicalId } : {}), context });
  if (answer.kind === 'noAnswer') {
    for (const p of answer.problems) io.stderr(`${relativeTo(io.cwd, p.file, true)}:${p.line}:${p.column}: ${p.message}\n`);
    io.stderr(`ufo-iam can: ${answer.message}\n`);
    return EXIT.usage;
  }
  if (format === 'json') {
    const objects = answer.roles.map((r) => canAnswerJson(r, io.cwd, answer.notConsidered, answer.dataDate));
    io.stdout(JSON.stringify(role !== undefined ? objects[0] : objects, null, 2) + '\n');
  } else {
    io.stdout(canAnswerLines(answer, (f) => relativeTo(io.cwd, f, true)).join('\n') + '\n');
  }
  if (answer.overall === 'explicitDeny' || answer.overall === 'implicitDeny') return EXIT.failure;
  if (answer.overall === 'conditional') return EXIT_CONDITIONAL;
  return EXIT.ok;
};
