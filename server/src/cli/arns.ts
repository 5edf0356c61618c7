// `ufo-iam arns [DIR]`: writes `taskRoleArn` / `executionRoleArn` into the project's task-definition
// template (ERB kept intact, server/src/core/taskdef), by default the live ARNs of the roles this
// project names (IAM GetRole), or the ARNs given on the command line. Exit codes: 0 written or already
// set, 1 refused or failed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LogicalRoleId } from '../core/layout/roleName';
import { editRoleArns, pickTaskDefinitionFiles, type RoleArnKey, type TaskDefinitionFile } from '../core/taskdef';
import { openAwsSession } from '../aws/session';
import { readProjectFile } from '../project/readProjectFile';
import { listUfoFiles } from '../project/compileProjectDir';
import { parseArgs, relativeTo } from './args';
import { EXIT, UsageError, type Subcommand } from './io';
import { awsOptionsOf, COMMON_OPTIONS_USAGE, COMMON_SPEC, projectInputOf, reportError } from './plan';

export const USAGE = `usage: ufo-iam arns [DIR] [--task-role-arn ARN] [--execution-role-arn ARN] [--force] [--file PATH] ${COMMON_OPTIONS_USAGE}`;

const KEY_OF: Record<LogicalRoleId, RoleArnKey> = { TaskRole: 'taskRoleArn', ExecutionRole: 'executionRoleArn' };
const ROLE_ARN = /^arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

/** The template to edit: --file, else the one UFO renders (v6), else v5's `main.json.erb` or the only template. */
function chooseFile(root: string, ufoVersion: 5 | 6, role: string, explicit: string | undefined): TaskDefinitionFile {
  const rel = (p: string): string => path.relative(root, p).split(path.sep).join('/');
  if (explicit !== undefined) {
    const p = rel(path.resolve(root, explicit));
    return { path: p, format: /\.ya?ml$/.test(p) ? 'yaml' : 'json', status: 'used' };
  }
  const files = pickTaskDefinitionFiles(ufoVersion, listUfoFiles(root), role);
  if (files.length === 0) {
    throw new Error(
      ufoVersion === 6
        ? `no task definition found: UFO v6 reads .ufo/resources/task_definitions/{${role},web,default}.{json,yml}`
        : 'no task definition found: UFO v5 reads .ufo/templates/<name>.json.erb',
    );
  }
  if (ufoVersion === 6 || files.length === 1 || /\/main\.json\.erb$/.test(files[0].path)) return files[0];
  throw new UsageError(`several templates could be the task definition (${files.map((f) => f.path).join(', ')}); choose one with --file\n${USAGE}`);
}

export const run: Subcommand = async (argv, io) => {
  const args = parseArgs(
    argv,
    { ...COMMON_SPEC, 'task-role-arn': 'string', 'execution-role-arn': 'string', force: 'boolean', file: 'string' },
    USAGE,
  );
  const given: Partial<Record<RoleArnKey, string>> = {};
  for (const [flag, key] of [
    ['task-role-arn', 'taskRoleArn'],
    ['execution-role-arn', 'executionRoleArn'],
  ] as const) {
    const v = args.options[flag];
    if (v === undefined) continue;
    if (!ROLE_ARN.test(v)) throw new UsageError(`--${flag} must be an IAM role ARN like arn:aws:iam::123456789012:role/name\n${USAGE}`);
    given[key] = v;
  }
  try {
    const prepared = projectInputOf(args, io, USAGE);
    const root = prepared.root;
    const file = chooseFile(root, prepared.ufoVersion, io.env.UFO_ROLE || 'web', args.options.file);
    const values: Partial<Record<RoleArnKey, string>> = { ...given };

    if (Object.keys(given).length === 0) {
      // Default: the live ARNs of the roles this project names.
      const session = await openAwsSession(awsOptionsOf(args));
      try {
        for (const logicalId of ['TaskRole', 'ExecutionRole'] as const) {
          const name = prepared.names.names[logicalId];
          if (!name.ok) throw new Error(name.message);
          const live = await session.iam.getRole(name.name);
          if (live) values[KEY_OF[logicalId]] = live.arn;
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

    const full = path.join(root, file.path);
    const read = readProjectFile(root, file.path);
    const shown = relativeTo(io.cwd, full, true);
    if (!read.ok) {
      io.stderr(`ufo-iam arns: ${shown} is not read: ${read.reason}\n`);
      return EXIT.failure;
    }
    const text = read.text;
    const result = editRoleArns(text, file.format, values, { force: args.flags.force === true });
    if (!result.ok) {
      io.stderr(`ufo-iam arns: ${shown}: ${result.reason}\n`);
      return EXIT.failure;
    }
    if (result.edits.length === 0) {
      io.stdout(`${shown}: already set, nothing to change.\n`);
    } else {
      fs.writeFileSync(full, result.text);
      io.stdout(`${shown}: updated\n`);
      for (const [key, arn] of Object.entries(values)) io.stdout(`  ${key}: ${arn}\n`);
    }
    // UFO replaces the template's ARN by its own CloudFormation role whenever it builds one (ufo-dsl.md §3.3).
    for (const r of prepared.project.roles) {
      if (values[KEY_OF[r.logicalId]] !== undefined) {
        io.stderr(
          `note: UFO also builds ${r.logicalId} from ${path.relative(root, r.file)}, and then sets ${KEY_OF[r.logicalId]} to that ` +
            `CloudFormation role instead of this ARN; empty that file if the task should use the ARN.\n`,
        );
      }
    }
    return EXIT.ok;
  } catch (e) {
    return reportError(io, 'arns', e);
  }
};
