// The `ufo-iam` command line: the same core as the language server, for CI and scripts. Bundled as dist/cliMain.js,
// which the package's bin, dist/cli.js (launch.ts), loads with a compile cache.
// Exit codes: 0 success, 1 failure (what UFO or AWS would reject), 2 usage or internal error.
import { EXIT, UsageError, type CliIo, type Subcommand } from './io';
import { VERSION_TEXT } from './version';

const COMMANDS: Record<string, { summary: string; load: () => Subcommand }> = {
  compile: { summary: 'print the IAM role resources exactly as UFO builds them', load: () => require('./compile').run },
  plan: { summary: 'show the changes apply would make to the IAM roles in AWS', load: () => require('./plan').run },
  apply: { summary: 'apply the compiled roles to AWS IAM (plan, confirm, apply)', load: () => require('./apply').run },
  drift: { summary: 'compare the live roles with the role files; exit 0 in sync, 2 drifted, 1 error', load: () => require('./drift').run },
  arns: { summary: "write the roles' ARNs into the task-definition template", load: () => require('./arns').run },
  convert: { summary: 'print the iam_policy call for a JSON policy document', load: () => require('./convert').run },
  import: { summary: 'write a role file from a live IAM role (inline and managed policies)', load: () => require('./import').run },
  can: { summary: "can a role do ACTION (on RESOURCE)? exit 0 allowed, 1 denied or not allowed, 3 depends on conditions", load: () => require('./can').run },
  permissions: { summary: 'list every action the roles allow, by service and access level (text, json or markdown)', load: () => require('./permissions').run },
  diff: { summary: 'what the role files allow that they did not at a git ref (--base), and what they no longer allow, offline', load: () => require('./diff').run },
  'explain-denied': { summary: 'explain an AccessDenied message and propose (--fix: write) the role file edit that allows it', load: () => require('./explainDenied').run },
  'update-data': { summary: "download AWS's service reference and use it as the IAM data (--from URL, --dry-run)", load: () => require('./updateData').run },
  check: { summary: 'report the problems of the role files (text, json or sarif); exit 1 on errors', load: () => require('./check').run },
};

export function helpText(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return [
    'usage: ufo-iam <command> [options]',
    '',
    'commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'options: --help, --version. Run `ufo-iam <command> --help` for a command\'s options.',
  ].join('\n');
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--version' || command === '-v') {
    io.stdout(VERSION_TEXT() + '\n');
    return EXIT.ok;
  }
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    (command === undefined ? io.stderr : io.stdout)(helpText() + '\n');
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  const entry = COMMANDS[command];
  if (!entry) {
    io.stderr(`ufo-iam: unknown command '${command}'\n\n${helpText()}\n`);
    return EXIT.usage;
  }
  let sub: Subcommand;
  try {
    sub = entry.load();
  } catch {
    io.stderr(`ufo-iam: the '${command}' command is not available in this build\n`);
    return EXIT.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    try {
      await sub(['--help'], io);
    } catch (e) {
      if (e instanceof UsageError) io.stdout(e.message.split('\n').filter((l) => l.startsWith('usage:')).join('\n') + '\n');
    }
    return EXIT.ok;
  }
  try {
    return await sub(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`ufo-iam ${command}: ${e.message}\n`);
      return EXIT.usage;
    }
    const msg = e instanceof Error ? e.message : String(e);
    io.stderr(`ufo-iam ${command}: ${msg}\n`);
    return EXIT.usage;
  }
}

/** Runs the command line of this process (`process.argv`), setting `process.exitCode`; launch.ts calls it. */
export function cliProcess(): void {
  // A reader that stops early (`ufo-iam permissions | head`) closes the pipe: the rest is not wanted, so end quietly.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  const io: CliIo = {
    cwd: process.cwd(),
    env: process.env,
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`ufo-iam: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = EXIT.usage;
    },
  );
}

if (require.main === module) cliProcess();
