// The fuzz seeds that `npm test` runs, each with a fixed amount of work, so that a submission's result depends on its
// code and never on chance. The fuzz tests (server, CLI, templates) run every seed. Every seed that has ever failed stays in
// this list, with what it found; an input that a seed reaches only after long exploration is also kept as a file in
// test/fixtures/fuzz/ (replayed first). Random exploration is `npm run fuzz` (scripts/fuzz.mjs): it prints each seed,
// and `UFO_IAM_FUZZ_SEED=N` replays one.

export interface FuzzSeed {
  readonly seed: number;
  /** What the seed found, or why it is here. */
  readonly found: string;
}

export const FUZZ_SEEDS: readonly FuzzSeed[] = [
  { seed: 1428273706, found: 'compile: "Do not know how to serialize a BigInt" (an Array with an Integer used as a hash key)' },
  {
    seed: 2043147075,
    found:
      'ufoIam/preview took 1.1 s on the 400 KB pathological input while the machine was busy with other tests (0.5 s when idle): a cold analysis of a file just under the parse limit',
  },
  {
    seed: 1453977871,
    found:
      'ufoIam/preview took 1.44 s on its first document, the 400 KB pathological input, while two other suites loaded the machine: the budget of a request grows with the document (1 s + 2.5 ms per KB)',
  },
  {
    seed: 25570964,
    found:
      "the new comparison of published diagnostics with a full check took a publish for the previous document of the same URI (sent before the server handled that document's close) for the reopened one's at the same version: LspClient.waitForVersion now ignores what comes before the close's clearing publish. Looking into it found a real race too: a request that awaited its settings while its document was closed and opened again cached the old analysis under a version the new one reached (Workspace.analyze checks the text now; test/project/workspace.test.ts)",
  },
  { seed: 1209432355, found: 'the same as 25570964 (the comparison with a full check), after about 3,500 and 16,000 edits of two 60 s explorations' },
  {
    seed: 171772760,
    found:
      'an edit in a first-line comment (now holding a NUL) was re-analysed as a comment edit, but Prism reads the encoding there and found "unknown or invalid encoding in the magic comment": comments on the first two lines are parsed with the file',
  },
  {
    seed: 1118034000,
    found:
      'ufoIam/permissions without overview took 1.3-2.3 s on a role allowing every action but one with a 2 KB resource (document 439 of a 60 s exploration; its text is test/fixtures/fuzz/permissions_every_action_long_resource.rb): a full answer of more than 8 MB now comes as the overview',
  },
  {
    seed: 1311345277,
    found:
      'ufoIam/permissions without overview took 2.5-3.7 s and answered 146 MB on a role denying every action through one statement with a 6,000-character policy name, repeated in each action\'s source (document 179 of a 43 s exploration; its text is test/fixtures/fuzz/permissions_every_action_long_policy_name.rb): the size that decides on the overview now counts the sources\' policy names and Sids',
  },
  { seed: 1, found: 'baseline' },
  { seed: 2, found: 'baseline' },
  { seed: 3, found: 'baseline' },
  { seed: 4, found: 'baseline' },
  { seed: 5, found: 'baseline' },
];

/** Documents (edit sequences) per seed in the server fuzz, and mutated files per seed in the CLI fuzz. */
export const SERVER_DOCUMENTS_PER_SEED = 200;
export const CLI_RUNS_PER_SEED = 1500;
/** Mutated task-definition templates per seed in the template fuzz (templates.test.ts). */
export const TEMPLATE_RUNS_PER_SEED = 300;

/**
 * What to run: `UFO_IAM_FUZZ_SEED` alone replays that seed with the fixed amount of work; with a time budget (the
 * exploration of `npm run fuzz`) that seed, or a random one, runs until the budget is spent; otherwise every seed
 * of the list runs its fixed amount.
 */
export function fuzzPlan(env: NodeJS.ProcessEnv, secondsVar: string): { seeds: number[]; seconds?: number } {
  const seconds = env[secondsVar] ? Number(env[secondsVar]) : undefined;
  if (env.UFO_IAM_FUZZ_SEED) return { seeds: [Number(env.UFO_IAM_FUZZ_SEED)], seconds };
  if (seconds !== undefined) return { seeds: [Math.floor(Math.random() * 2 ** 31)], seconds };
  return { seeds: FUZZ_SEEDS.map((s) => s.seed) };
}
