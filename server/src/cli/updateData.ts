// `ufo-iam update-data [--from URL] [--dry-run]`: downloads AWS's service reference, validates and compacts it, and
// stores it where the CLI and the editor both read it first (project/iamDataUpdate.ts, docs/data.md "Updating the data
// without a release"); prints the services and actions added and removed against the data in use, and where it went.
// Exit 0 stored (or would store), 1 the download or a file failed (the data in use stays), 2 usage.
import { describeUpdate, updateIamData } from '../project/iamDataUpdate';
import { parseArgs } from './args';
import { EXIT, UsageError, type Subcommand } from './io';

export const USAGE = 'usage: ufo-iam update-data [--from URL] [--dry-run]';

export const run: Subcommand = async (argv, io) => {
  const args = parseArgs(argv, { from: 'string', 'dry-run': 'boolean' }, USAGE);
  if (args.positionals.length > 0) throw new UsageError(USAGE);
  const result = await updateIamData({
    ...(args.options.from !== undefined ? { from: args.options.from } : {}),
    dryRun: !!args.flags['dry-run'],
    onProgress: (done, total) => {
      if (done === total || done % 50 === 0) io.stderr(`downloaded ${done}/${total} services\n`);
    },
  });
  const text = describeUpdate(result).join('\n') + '\n';
  if (!result.ok) {
    io.stderr(text);
    return EXIT.failure;
  }
  io.stdout(text);
  return EXIT.ok;
};
