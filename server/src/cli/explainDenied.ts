// `ufo-iam explain-denied MESSAGE [DIR] [--fix] [--wildcard] [--format text|json]`: reads an AccessDenied message
// (MESSAGE `-`: stdin), says who was denied what and why, finds the project's role file for the denied role, and prints
// the smallest edit that allows the request as a diff (project/deniedRole.ts); `--fix` writes it, refusing a file that
// changed meanwhile. Exit 0 an edit proposed or written, 1 none possible (the reason is printed), 2 usage or not an
// AccessDenied message.
import { diffOfEdit, explainDenied, explanationLines, writeDeniedEdit } from '../project/deniedRole';
import { parseArgs, relativeTo } from './args';
import { EXIT, UsageError, type CliIo, type Subcommand } from './io';
import { openCliProject, PROJECT_OPTIONS_USAGE, PROJECT_SPEC } from './project';

export const USAGE = `usage: ufo-iam explain-denied MESSAGE|- [DIR] [--fix] [--wildcard] [--format text|json] [--target stack|precreated] [--stack NAME] [--service NAME] ${PROJECT_OPTIONS_USAGE}`;

const MAX_STDIN = 1024 * 1024;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_STDIN) throw new UsageError('the message on stdin is larger than 1 MB');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export const run: Subcommand = async (argv, io: CliIo) => {
  const args = parseArgs(argv, { ...PROJECT_SPEC, target: 'string', stack: 'string', service: 'string', fix: 'boolean', wildcard: 'boolean', format: 'string' }, USAGE);
  const [messageArg, dir, ...extra] = args.positionals;
  if (messageArg === undefined || extra.length > 0) throw new UsageError(USAGE);
  const format = args.options.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json\n${USAGE}`);
  const message = messageArg === '-' ? await readStdin() : messageArg;
  const project = openCliProject(dir ?? '.', args, io, USAGE);
  const ex = explainDenied(project, message, { ...(args.flags.wildcard ? { wildcard: true } : {}), ...(project.settings.applyTarget ? { target: project.settings.applyTarget } : {}) });
  if (ex.kind === 'notDenied') {
    if (format === 'json') io.stdout(JSON.stringify({ accessDenied: false, code: ex.code, message: ex.message }, null, 2) + '\n');
    io.stderr(`ufo-iam explain-denied: ${ex.message}\n`);
    return EXIT.usage;
  }
  let written: boolean | undefined;
  let writeProblem: string | undefined;
  if (ex.edit && args.flags.fix) {
    const w = writeDeniedEdit(project, ex.edit);
    written = w.ok;
    if (!w.ok) writeProblem = w.message;
  }
  const shown = (rel: string) => relativeTo(io.cwd, relativeTo(project.root, rel), true);
  const diff = ex.edit ? diffOfEdit(ex.edit) : undefined;
  if (format === 'json') {
    const { edits: _edits, before: _before, absolutePath: _abs, ...edit } = ex.edit ?? ({} as Record<string, unknown>);
    io.stdout(
      JSON.stringify(
        {
          accessDenied: true,
          denied: ex.denied,
          reason: ex.reason,
          role: ex.role ?? null,
          edit: ex.edit ? { ...edit, diff } : null,
          ...(written !== undefined ? { written } : {}),
          noEdit: writeProblem ? { code: 'FILE_CHANGED', message: writeProblem } : (ex.noEdit ?? null),
          notes: ex.notes,
        },
        null,
        2,
      ) + '\n',
    );
  } else {
    const lines = explanationLines(ex, shown);
    if (diff) lines.push('', diff.trimEnd());
    io.stdout(lines.join('\n') + '\n');
    if (ex.edit) {
      if (written) io.stdout(`Wrote ${shown(ex.edit.file)}. Apply the role (ufo-iam apply, or ufo ship) for the change to reach AWS.\n`);
      else if (!args.flags.fix) io.stdout('Run again with --fix to write it.\n');
    }
  }
  if (writeProblem) {
    io.stderr(`ufo-iam explain-denied: ${writeProblem}\n`);
    return EXIT.failure;
  }
  if (!ex.edit) {
    io.stderr(`ufo-iam explain-denied: no edit: ${ex.noEdit?.message ?? 'none possible'}\n`);
    return EXIT.failure;
  }
  return EXIT.ok;
};
