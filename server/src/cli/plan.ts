// `ufo-iam plan [DIR]`: compares the roles a UFO project builds with the roles in IAM and prints the
// changes `ufo-iam apply` would make. Exit codes: 0 success (with --detailed-exitcode: 0 no changes,
// 2 changes), 1 an error or a plan that cannot be applied.
import { AwsOperationError } from '../aws/awsErrors';
import { planRoles, type Plan } from '../aws/plan';
import { planInputForProject, type ProjectPlanInput } from '../aws/projectPlan';
import { renderPlanJson, renderPlanText } from '../aws/renderPlan';
import { openAwsSession, type AwsOptions, type AwsSession } from '../aws/session';
import { parseArgs, relativeTo, type OptionSpec, type ParsedArgs } from './args';
import { EXIT, UsageError, type CliIo, type Subcommand } from './io';

/** Options shared by plan, apply and arns: how to name the roles and how to reach AWS. */
export const COMMON_OPTIONS_USAGE =
  '[--app NAME] [--env NAME] [--role-name-template TEMPLATE] [--ufo-version 5|6] [--profile NAME] [--region REGION] [--endpoint URL]';

export const COMMON_SPEC: OptionSpec = {
  app: 'string',
  env: 'string',
  'role-name-template': 'string',
  'ufo-version': 'string',
  profile: 'string',
  region: 'string',
  endpoint: 'string',
};

export const USAGE = `usage: ufo-iam plan [DIR] [--format text|json] [--detailed-exitcode] [--adopt] ${COMMON_OPTIONS_USAGE}`;

export function awsOptionsOf(args: ParsedArgs): AwsOptions {
  return {
    ...(args.options.profile ? { profile: args.options.profile } : {}),
    ...(args.options.region ? { region: args.options.region } : {}),
    ...(args.options.endpoint ? { endpoint: args.options.endpoint } : {}),
  };
}

/** Compiles and names the project's roles from the parsed command line. */
export function projectInputOf(args: ParsedArgs, io: CliIo, usage: string): ProjectPlanInput {
  if (args.positionals.length > 1) throw new UsageError(usage);
  const v = args.options['ufo-version'];
  if (v !== undefined && v !== '5' && v !== '6') throw new UsageError(`--ufo-version must be 5 or 6\n${usage}`);
  return planInputForProject(relativeTo(io.cwd, args.positionals[0] ?? '.'), {
    ufoVersion: v ? (Number(v) as 5 | 6) : undefined,
    app: args.options.app,
    env: args.options.env,
    template: args.options['role-name-template'],
    processEnv: io.env,
    adopt: args.flags.adopt === true,
  });
}

/** Prints an error for people: AWS errors carry their explanation; nothing here contains credentials. */
export function reportError(io: CliIo, command: string, e: unknown): number {
  if (e instanceof UsageError) throw e;
  const text = e instanceof AwsOperationError ? e.message : e instanceof Error ? e.message : String(e);
  io.stderr(`ufo-iam ${command}: ${text}\n`);
  return EXIT.failure;
}

/** Compiles, names, opens a session and plans. The caller closes the session. */
export async function makePlan(args: ParsedArgs, io: CliIo, usage: string): Promise<{ prepared: ProjectPlanInput; plan: Plan; session: AwsSession }> {
  const prepared = projectInputOf(args, io, usage);
  for (const note of prepared.notes) io.stderr(`note: ${note}\n`);
  const session = await openAwsSession(awsOptionsOf(args));
  try {
    return { prepared, plan: await planRoles(prepared.input, session), session };
  } catch (e) {
    session.close();
    throw e;
  }
}

export const run: Subcommand = async (argv, io) => {
  const args = parseArgs(argv, { ...COMMON_SPEC, format: 'string', 'detailed-exitcode': 'boolean', adopt: 'boolean' }, USAGE);
  const format = args.options.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json\n${USAGE}`);
  let made: Awaited<ReturnType<typeof makePlan>>;
  try {
    made = await makePlan(args, io, USAGE);
  } catch (e) {
    return reportError(io, 'plan', e);
  }
  made.session.close();
  const { plan } = made;
  io.stdout(format === 'json' ? renderPlanJson(plan) : renderPlanText(plan));
  if (!plan.canApply) return EXIT.failure;
  return plan.hasChanges && args.flags['detailed-exitcode'] ? 2 : EXIT.ok;
};
