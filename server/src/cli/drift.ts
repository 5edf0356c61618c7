// `ufo-iam drift [DIR]`: compares the live roles of the apply target (the stack's, or the pre-created ones) with what
// the role files build, and prints each difference as a line diff of the role's JSON (live → role files). Read-only:
// the same plan as `ufo-iam plan`, never a change. Exit codes: 0 in sync, 2 drifted, 1 error (AWS, or a plan that
// cannot be made, e.g. a stack that is not deployed).
import { prettyJson } from '../aws/policyJson';
import { diffLines, describeModel } from '../aws/renderPlan';
import { EXIT, type Subcommand } from './io';
import { COMMON_OPTIONS_USAGE, readOnlyPlan } from './plan';

export const USAGE = `usage: ufo-iam drift [DIR] [--format text|json] ${COMMON_OPTIONS_USAGE}`;
/** The exit code for live roles that differ from the role files. */
export const DRIFTED = 2;

export const run: Subcommand = async (argv, io) => {
  const made = await readOnlyPlan(argv, io, 'drift', USAGE);
  if (typeof made === 'number') return made;
  const { plan, format } = made;
  const problems = [...plan.blockers.map((b) => `${b.file ? `${b.file}: ` : ''}${b.message} [${b.code}]`), ...plan.errors.map((e) => `${e.message} [${e.code}]`)];
  const drifted = plan.roles.filter((r) => r.steps.length > 0 || r.blockedSteps.length > 0);
  if (format === 'json') {
    io.stdout(
      prettyJson(
        {
          model: plan.model,
          inSync: problems.length === 0 && drifted.length === 0,
          roles: plan.roles.map((r) => ({ logicalId: r.logicalId, roleName: r.roleName, drifted: drifted.includes(r), changes: [...r.steps, ...r.blockedSteps].map((s) => s.description) })),
          problems,
        },
      ) + '\n',
    );
  } else {
    io.stdout(`${describeModel(plan.model)}\n\n`);
    for (const r of plan.roles) {
      if (!drifted.includes(r)) {
        if (r.status !== 'invalid') io.stdout(`  ${r.roleName} (${r.logicalId}): in sync\n`);
        continue;
      }
      io.stdout(`~ ${r.roleName} (${r.logicalId}${r.file ? `, ${r.file}` : ''}) differs from the role files:\n`);
      io.stdout(`--- live ${r.roleName}\n+++ ${r.file ?? 'role files'}\n`);
      for (const line of diffLines(r.diff.live, r.diff.desired)) io.stdout(`${line}\n`);
      io.stdout('\n');
    }
  }
  if (problems.length > 0) {
    io.stderr(`ufo-iam drift: the comparison could not be made:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
    return EXIT.failure;
  }
  if (drifted.length === 0) {
    if (format === 'text') io.stdout('In sync: the live roles match the role files.\n');
    return EXIT.ok;
  }
  if (format === 'text') io.stdout(`Drifted: ${drifted.length} of ${plan.roles.length} role${plan.roles.length === 1 ? '' : 's'} differ; \`ufo-iam apply\` makes them match${plan.model.kind === 'stack' ? ', and so does the next `ufo ship`' : ''}.\n`);
  return DRIFTED;
};
