// `ufo-iam apply [DIR] [--yes] [--adopt]`: plans, shows the plan, asks (or takes --yes), then applies it
// step by step. Without --yes and without a terminal to ask on, it refuses. Exit codes: 0 applied or
// nothing to do, 1 anything else (refused, cancelled, failed part-way, AWS error).
import * as readline from 'node:readline';
import { loadAws } from '../project/awsLoader';
import { changedRoles, describeCounts, renderPlanText } from '../aws/renderPlan';
import { parseArgs } from './args';
import { EXIT, UsageError, type CliIo, type Subcommand } from './io';
import { COMMON_OPTIONS_USAGE, COMMON_SPEC, makePlan, reportError } from './plan';

export const USAGE = `usage: ufo-iam apply [DIR] [--yes] [--adopt] ${COMMON_OPTIONS_USAGE}`;

/** Where the confirmation comes from. */
export interface Prompt {
  /** Whether someone can answer (stdin is a terminal). */
  readonly interactive: boolean;
  ask(question: string): Promise<string>;
}

/** The process terminal: stdin for answers, stderr for the question (stdout stays the plan). */
export function terminalPrompt(): Prompt {
  return {
    interactive: process.stdin.isTTY === true,
    ask: (question) =>
      new Promise((resolve) => {
        const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
        rl.question(question, (answer) => {
          rl.close();
          resolve(answer);
        });
      }),
  };
}

export async function runApply(argv: string[], io: CliIo, prompt: Prompt): Promise<number> {
  const args = parseArgs(argv, { ...COMMON_SPEC, yes: 'boolean', adopt: 'boolean' }, USAGE);
  if (args.positionals.length > 1) throw new UsageError(USAGE);
  let made: Awaited<ReturnType<typeof makePlan>>;
  try {
    made = await makePlan(args, io, USAGE);
  } catch (e) {
    return reportError(io, 'apply', e);
  }
  const { plan, session } = made;
  try {
    io.stdout(renderPlanText(plan));
    if (!plan.canApply) {
      io.stderr('ufo-iam apply: nothing was applied; fix the problems above first.\n');
      return EXIT.failure;
    }
    if (!plan.hasChanges) return EXIT.ok;
    if (args.flags.yes !== true) {
      if (!prompt.interactive) {
        io.stderr('ufo-iam apply: refusing to apply without confirmation: there is no terminal to ask on. Re-run with --yes to apply the plan above.\n');
        return EXIT.failure;
      }
      const where = `account ${plan.account ?? 'unknown'}, region ${plan.region}`;
      const answer = await prompt.ask(`\nApply ${describeCounts(plan.counts)} to ${changedRoles(plan)} in ${where}?\nOnly "yes" is accepted: `);
      if (answer.trim() !== 'yes') {
        io.stderr('Apply cancelled; nothing was changed.\n');
        return EXIT.failure;
      }
    }
    io.stdout('\n');
    const result = await loadAws().applyPlan(plan, session, {
      onProgress: (p) => {
        if (p.state !== 'started') io.stdout(`${p.message} ... ${p.state === 'succeeded' ? 'done' : 'FAILED'}\n`);
      },
    });
    if (result.status === 'applied' || result.status === 'noChanges') {
      io.stdout(`\n${result.message}\n`);
      return EXIT.ok;
    }
    io.stderr(`\n${result.message}\n`);
    return EXIT.failure;
  } catch (e) {
    return reportError(io, 'apply', e);
  } finally {
    session.close();
  }
}

export const run: Subcommand = (argv, io) => runApply(argv, io, terminalPrompt());
