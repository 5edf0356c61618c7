// `ufo-iam import ROLE_NAME [DIR] --as task|execution [--force]`: reads a live role from IAM and writes the role
// file UFO reads for that role (project/importRole.ts): inline policies as `iam_policy`, AWS managed ones as
// `managed_iam_policy("path/Name")`. An existing file is replaced only with --force. Exit 0 written, 1 AWS failed or
// the role cannot be written as the DSL, 2 usage (an existing file without --force included).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadAws } from '../project/awsLoader';
import { IMPORT_ROLE_TYPES, importTarget, importText } from '../project/importRole';
import { awsOptionsOf } from '../settings';
import { parseArgs, relativeTo } from './args';
import { EXIT, UsageError, type Subcommand } from './io';
import { AWS_OPTIONS_USAGE, AWS_SPEC, openCliProject, PROJECT_OPTIONS_USAGE, PROJECT_SPEC } from './project';

export const USAGE = `usage: ufo-iam import ROLE_NAME [DIR] --as task|execution [--force] ${PROJECT_OPTIONS_USAGE} ${AWS_OPTIONS_USAGE}`;

export const run: Subcommand = async (argv, io) => {
  const args = parseArgs(argv, { ...PROJECT_SPEC, ...AWS_SPEC, as: 'string', force: 'boolean' }, USAGE);
  const [roleName, dir, ...extra] = args.positionals;
  if (!roleName || extra.length > 0) throw new UsageError(USAGE);
  const as = args.options.as;
  if (as === undefined) throw new UsageError(`--as is required\n${USAGE}`);
  const roleType = IMPORT_ROLE_TYPES[as];
  if (!roleType) throw new UsageError(`--as must be task or execution\n${USAGE}`);
  const project = openCliProject(dir ?? '.', args, io, USAGE, { reachesAws: true });
  const target = importTarget(project, roleType);
  const shown = relativeTo(io.cwd, target.file, true);
  if (target.exists && !args.flags.force) {
    io.stderr(`ufo-iam import: ${shown} exists (UFO reads it for the ${as} role); nothing was written. Use --force to replace it.\n`);
    return EXIT.usage;
  }
  let read;
  try {
    read = await loadAws().readRoleForImport(awsOptionsOf(project.settings), roleName);
  } catch (e) {
    io.stderr(`ufo-iam import: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT.failure;
  }
  if (!read.role) {
    io.stderr(`ufo-iam import: IAM has no role named ${roleName}; nothing was written.\n`);
    return EXIT.failure;
  }
  const out = importText(read.role, target, project);
  if (!out.ok) {
    io.stderr(`ufo-iam import: ${roleName} cannot be written as UFO's DSL: ${out.message}; nothing was written.\n`);
    return EXIT.failure;
  }
  fs.mkdirSync(path.dirname(target.file), { recursive: true });
  fs.writeFileSync(target.file, out.text);
  for (const n of out.notes) io.stderr(`note: ${n}.\n`);
  io.stdout(`Wrote ${shown} from the IAM role ${roleName} (${read.role.inlinePolicies.length} inline, ${read.role.managedPolicies.length} managed ${read.role.managedPolicies.length === 1 ? 'policy' : 'policies'}).\n`);
  return EXIT.ok;
};
