// `ufo-iam arns [DIR]`: writes `taskRoleArn` / `executionRoleArn` into the project's task-definition template (ERB
// kept intact), by default the live ARNs of the roles this project names (IAM GetRole), or the ARNs given on the
// command line. The template and the edit come from project/taskDefinitionArns.ts, as in the editor. Exit codes:
// 0 written or already set, 1 refused or failed, 2 usage (also: several v5 templates and no --file).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RoleArnKey } from '../core';
import { loadAws } from '../project/awsLoader';
import { invalidArn, KEY_OF, planArnUpdate, stackTargetRefusal, type ArnValues } from '../project/taskDefinitionArns';
import { awsOptionsOf } from '../settings';
import { parseArgs, relativeTo } from './args';
import { EXIT, UsageError, type Subcommand } from './io';
import { COMMON_OPTIONS_USAGE, COMMON_SPEC, reportError } from './plan';
import { openCliProject } from './project';

export const USAGE = `usage: ufo-iam arns [DIR] [--task-role-arn ARN] [--execution-role-arn ARN] [--force] [--file PATH] ${COMMON_OPTIONS_USAGE}`;

export const run: Subcommand = async (argv, io) => {
  const args = parseArgs(
    argv,
    { ...COMMON_SPEC, 'task-role-arn': 'string', 'execution-role-arn': 'string', force: 'boolean', file: 'string' },
    USAGE,
  );
  if (args.positionals.length > 1) throw new UsageError(USAGE);
  const given: ArnValues = {};
  for (const [flag, key] of [
    ['task-role-arn', 'taskRoleArn'],
    ['execution-role-arn', 'executionRoleArn'],
  ] as const) {
    const v = args.options[flag];
    if (v === undefined) continue;
    if (invalidArn({ [key]: v })) throw new UsageError(`--${flag} must be an IAM role ARN like arn:aws:iam::123456789012:role/name\n${USAGE}`);
    given[key] = v;
  }
  try {
    const project = openCliProject(args.positionals[0] ?? '.', args, io, USAGE, { reachesAws: Object.keys(given).length === 0 });
    const values: ArnValues = { ...given };
    const stack = stackTargetRefusal(project);
    if (stack) {
      io.stderr(`ufo-iam arns: ${stack}\n`);
      return EXIT.failure;
    }
    if (Object.keys(given).length === 0) {
      // Default: the live ARNs of the roles this project names.
      const session = await loadAws().openAwsSession(awsOptionsOf(project.settings));
      try {
        for (const logicalId of ['TaskRole', 'ExecutionRole'] as const) {
          const name = project.names.names[logicalId];
          if (!name.ok) throw new Error(name.message);
          const live = await session.iam.getRole(name.name);
          if (live) values[KEY_OF[logicalId] as RoleArnKey] = live.arn;
          else io.stderr(`note: role ${name.name} does not exist in IAM (run ufo-iam apply first); ${KEY_OF[logicalId]} is left as it is.\n`);
        }
      } finally {
        session.close();
      }
      if (Object.keys(values).length === 0) {
        io.stderr('ufo-iam arns: neither role exists in IAM, so there is nothing to write.\n');
        return EXIT.failure;
      }
    }

    const update = planArnUpdate(project, values, { file: args.options.file, force: args.flags.force === true });
    if (update.kind === 'choose') throw new UsageError(`${update.message} Choose one with --file (${update.candidates.join(', ')}).\n${USAGE}`);
    if (update.kind === 'refused') {
      io.stderr(`ufo-iam arns: ${update.message}${update.canForce ? ' (--force replaces it anyway)' : ''}\n`);
      return EXIT.failure;
    }
    const full = path.join(project.root, update.file);
    const shown = relativeTo(io.cwd, full, true);
    if (update.kind === 'unchanged') io.stdout(`${shown}: already set, nothing to change.\n`);
    else {
      fs.writeFileSync(full, (update.bom ? '\ufeff' : '') + update.newText);
      io.stdout(`${shown}: updated\n`);
      for (const [key, arn] of Object.entries(values)) io.stdout(`  ${key}: ${arn}\n`);
    }
    for (const note of update.notes) io.stderr(`note: ${note}\n`);
    return EXIT.ok;
  } catch (e) {
    return reportError(io, 'arns', e);
  }
};
