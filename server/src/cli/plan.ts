// `ufo-iam plan [DIR]`: compares the roles a UFO project builds with the roles in IAM and prints the
// changes `ufo-iam apply` would make, with what each change grants and takes away (the access diff, docs/apply.md);
// `--format markdown` is a pull-request comment. Exit codes: 0 success (with --detailed-exitcode: 0 no changes,
// 2 changes), 1 an error or a plan that cannot be applied.
import type { Plan } from '../aws/plan';
import { renderPlanJson, renderPlanText } from '../aws/renderPlan';
import type { AwsSession } from '../aws/session';
import { loadAws } from '../project/awsLoader';
import { planInputFor, TargetChoiceError, type ProjectPlanInput } from '../project/planProject';
import { awsOptionsOf, type Settings } from '../settings';
import { parseArgs, type OptionSpec, type ParsedArgs } from './args';
import { EXIT, UsageError, type CliIo, type Subcommand } from './io';
import { AWS_OPTIONS_USAGE, AWS_SPEC, openCliProject, PROJECT_OPTIONS_USAGE, PROJECT_SPEC } from './project';
import { renderPlanMarkdown } from './format/planMarkdown';

/** Options shared by plan, apply and arns: the project's settings and how to reach AWS. */
export const COMMON_OPTIONS_USAGE = `${PROJECT_OPTIONS_USAGE} ${AWS_OPTIONS_USAGE}`;
export const COMMON_SPEC: OptionSpec = { ...PROJECT_SPEC, ...AWS_SPEC };

export const USAGE = `usage: ufo-iam plan [DIR] [--format text|json|markdown] [--detailed-exitcode] [--adopt] ${COMMON_OPTIONS_USAGE}`;

/** Opens, compiles and names the project's roles from the parsed command line. */
export function projectInputOf(args: ParsedArgs, io: CliIo, usage: string): ProjectPlanInput & { settings: Settings } {
  if (args.positionals.length > 1) throw new UsageError(usage);
  const project = openCliProject(args.positionals[0] ?? '.', args, io, usage, { reachesAws: true });
  try {
    return { ...planInputFor(project, { adopt: args.flags.adopt === true }), settings: project.settings };
  } catch (e) {
    // Never a silent choice between the stack's roles and pre-created ones: the user says which.
    if (e instanceof TargetChoiceError) throw new UsageError(`${e.message}\n${usage}`);
    throw e;
  }
}

/** Prints an error for people: AWS errors carry their explanation; nothing here contains credentials. */
export function reportError(io: CliIo, command: string, e: unknown): number {
  if (e instanceof UsageError) throw e;
  // An AwsOperationError (aws/awsErrors.ts) is an Error whose message is that explanation.
  const text = e instanceof Error ? e.message : String(e);
  io.stderr(`ufo-iam ${command}: ${text}\n`);
  return EXIT.failure;
}

/** Compiles, names, opens a session and plans. The caller closes the session. */
export async function makePlan(args: ParsedArgs, io: CliIo, usage: string): Promise<{ prepared: ProjectPlanInput & { settings: Settings }; plan: Plan; session: AwsSession }> {
  const prepared = projectInputOf(args, io, usage);
  for (const note of prepared.notes) io.stderr(`note: ${note}\n`);
  // The AWS path (and its SDK) is dist/aws.js, loaded here only: check, compile and the rest never compile it.
  const aws = loadAws();
  const session = await aws.openAwsSession(awsOptionsOf(prepared.settings));
  try {
    return { prepared, plan: await aws.planRoles(prepared.input, session), session };
  } catch (e) {
    session.close();
    throw e;
  }
}

/**
 * What `plan` and `drift` share: parse the flags (with `--format text|json`, and `markdown` where `formats` has it),
 * make the plan and close the session. Returns the exit code instead when the plan could not be made (the error is
 * printed).
 */
export async function readOnlyPlan<F extends string = 'text' | 'json'>(
  argv: string[],
  io: CliIo,
  command: string,
  usage: string,
  spec: OptionSpec = {},
  formats: readonly F[] = ['text', 'json'] as unknown as readonly F[],
): Promise<{ args: ParsedArgs; format: F; plan: Plan } | number> {
  const args = parseArgs(argv, { ...COMMON_SPEC, format: 'string', ...spec }, usage);
  const format = (args.options.format ?? 'text') as F;
  if (!formats.includes(format)) throw new UsageError(`--format must be ${formats.slice(0, -1).join(', ')} or ${formats[formats.length - 1]}\n${usage}`);
  try {
    const made = await makePlan(args, io, usage);
    made.session.close();
    return { args, format, plan: made.plan };
  } catch (e) {
    return reportError(io, command, e);
  }
}

export const run: Subcommand = async (argv, io) => {
  const made = await readOnlyPlan(argv, io, 'plan', USAGE, { 'detailed-exitcode': 'boolean', adopt: 'boolean' }, ['text', 'json', 'markdown'] as const);
  if (typeof made === 'number') return made;
  const { plan, format, args } = made;
  io.stdout(format === 'json' ? renderPlanJson(plan) : format === 'markdown' ? renderPlanMarkdown(plan) : renderPlanText(plan));
  if (!plan.canApply) return EXIT.failure;
  return plan.hasChanges && args.flags['detailed-exitcode'] ? 2 : EXIT.ok;
};
