// How every subcommand opens its project: the folder argument, `.vscode/settings.json` merged with the flags
// (project/settingsFile.ts: flags win; the AWS endpoint and profile come from the file only with
// --trust-workspace-settings), then the one project context (project/projectContext.ts) that the editor uses too.
import { findProjectRoot, openProject, type ProjectContext } from '../project/projectContext';
import { cliSettings } from '../project/settingsFile';
import { relativeTo, type OptionSpec, type ParsedArgs } from './args';
import { UsageError, type CliIo } from './io';
import { parseApplyTarget } from '../settings';

/** The flags that choose the project's settings, for every subcommand that opens a project. */
export const PROJECT_SPEC: OptionSpec = {
  app: 'string',
  env: 'string',
  'role-name-template': 'string',
  'ufo-version': 'string',
  'trust-workspace-settings': 'boolean',
};

export const PROJECT_OPTIONS_USAGE = '[--app NAME] [--env NAME] [--role-name-template TEMPLATE] [--ufo-version 5|6] [--trust-workspace-settings]';

/** The flags that reach AWS (plan, apply, arns, drift), and which roles they work on (docs/apply.md). */
export const AWS_SPEC: OptionSpec = { profile: 'string', region: 'string', endpoint: 'string', target: 'string', stack: 'string', service: 'string' };
export const AWS_OPTIONS_USAGE = '[--target stack|precreated] [--stack NAME] [--service NAME] [--profile NAME] [--region REGION] [--endpoint URL]';

/**
 * Opens the project of `dir` (a folder or a file in it) with the settings of its `.vscode/settings.json` and the
 * flags. Warnings (a settings file that is not used, ignored redirecting settings) go to stderr.
 */
export function openCliProject(dir: string, args: ParsedArgs, io: CliIo, usage: string, options: { template?: string; reachesAws?: boolean } = {}): ProjectContext {
  const v = args.options['ufo-version'];
  if (v !== undefined && v !== '5' && v !== '6') throw new UsageError(`--ufo-version must be 5 or 6\n${usage}`);
  const target = args.options.target;
  if (target !== undefined && !parseApplyTarget(target)) throw new UsageError(`--target must be stack or precreated\n${usage}`);
  const abs = relativeTo(io.cwd, dir);
  const root = findProjectRoot(abs);
  if (!root) throw new Error(`${dir}: not a UFO project (no .ufo folder here or above)`);
  const { settings, warnings, ignoredAwsSettings } = cliSettings(
    root,
    {
      app: args.options.app,
      env: args.options.env,
      roleNameTemplate: args.options['role-name-template'],
      ufoVersion: v as '5' | '6' | undefined,
      profile: args.options.profile,
      region: args.options.region,
      endpoint: args.options.endpoint,
      applyTarget: parseApplyTarget(target),
      stack: args.options.stack,
      service: args.options.service,
    },
    { trustWorkspaceSettings: args.flags['trust-workspace-settings'] === true },
  );
  for (const w of warnings) io.stderr(`warning: ${w}.\n`);
  // Only a command that reaches AWS needs to say that the file's endpoint or profile is not used.
  if (options.reachesAws && ignoredAwsSettings) io.stderr(`warning: ${ignoredAwsSettings}.\n`);
  return openProject(root, { settings, env: io.env, ...(options.template !== undefined ? { template: options.template } : {}) });
}
