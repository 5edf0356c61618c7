// Fuzzing the CLI with the inputs of the server's fuzz test: `ufo-iam check` (text, json, sarif) and `compile`
// (json, yaml) on mutated role files never end in an internal error or a stack trace. A role file, however broken,
// is user input: exit 0 or 1 (the documented codes for "fine" and "UFO or IAM would reject it"), with a message that
// names the file and position, and machine formats that stay parseable. Exit 2 is for usage errors only, so an
// exception inside the core (which the CLI turns into exit 2) fails this test.
// In-process through the CLI's `main` for thousands of inputs, then the bundled dist/cli.js on the pathological
// shapes. `npm test` runs every seed of seeds.ts with a fixed number of inputs; `UFO_IAM_FUZZ_SEED` replays one seed,
// and `UFO_IAM_FUZZ_CLI_SECONDS` (as `npm run fuzz` sets it) runs that seed, or a random one, for that long instead.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { main } from '../../server/src/cli/main';
import type { CliIo } from '../../server/src/cli/io';
import { ROOT } from '../support/core';
import { makeProject } from '../support/project';
import { CLI_COMMANDS as COMMANDS, cliInputs, loadCorpus, regressionInputs, specialInputs } from './inputs';
import { CLI_RUNS_PER_SEED, fuzzPlan } from './seeds';

const PLAN = fuzzPlan(process.env, 'UFO_IAM_FUZZ_CLI_SECONDS');
const CLI = path.join(ROOT, 'dist/cli.js');
const ROLE = '.ufo/iam_roles/task_role.rb';

/** A JavaScript stack frame (`    at f (file.js:1:2)`) or a Node error banner. */
const STACK = /^\s+at .+(:\d+:\d+\)?|\(native\))$|Uncaught|node:internal/m;


interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** What is wrong with an outcome of `args` on a broken role file, or undefined. */
function problem(args: readonly string[], r: Outcome): string | undefined {
  if (r.code !== 0 && r.code !== 1) return `exit ${r.code}: ${r.stderr.slice(0, 500)}`;
  if (STACK.test(r.stdout) || STACK.test(r.stderr)) return `a stack trace: ${(r.stderr || r.stdout).slice(0, 500)}`;
  const format = args[3];
  if (args[0] === 'check') {
    if (format === 'json' || format === 'sarif') {
      try {
        JSON.parse(r.stdout);
      } catch {
        return `--format ${format} printed no JSON: ${r.stdout.slice(0, 200)}`;
      }
    } else if (r.code === 1 && !/task_role\.rb:\d+:\d+: error /.test(r.stdout)) return `exit 1 without a located error: ${r.stdout.slice(0, 300)}`;
  } else if (r.code === 1) {
    if (r.stdout !== '') return 'compile printed output although it failed';
    if (!/task_role\.rb:\d+:\d+: /.test(r.stderr)) return `compile failed without a located message: ${r.stderr.slice(0, 300)}`;
  } else if (format !== 'yaml') {
    try {
      JSON.parse(r.stdout);
    } catch {
      return `compile printed no JSON: ${r.stdout.slice(0, 200)}`;
    }
  }
  return undefined;
}

async function runInProcess(args: readonly string[], cwd: string): Promise<Outcome> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { cwd, env: { UFO_APP: '' }, stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) };
  const code = await main([...args], io);
  return { code, stdout, stderr };
}

for (const seed of PLAN.seeds) {
  const budget = PLAN.seconds !== undefined ? `${PLAN.seconds}s` : `${CLI_RUNS_PER_SEED} inputs`;
  test(`the CLI survives fuzzed role files (seed ${seed}, ${budget})`, { timeout: ((PLAN.seconds ?? 60) + 120) * 1000 }, async () => {
    console.log(`cli fuzz seed ${seed} (rerun with UFO_IAM_FUZZ_SEED=${seed}), ${budget}`);
    const corpus = loadCorpus();
    const root = makeProject({ '.ufo/settings.yml': 'default: {}\n', '.ufo/iam_roles/execution_role.rb': 'managed_iam_policy("AmazonSSMReadOnlyAccess")\n', [ROLE]: '' });
    const failures: string[] = [];
    let runs = 0;
    const check = async (text: string, args: readonly string[]) => {
      fs.writeFileSync(path.join(root, ROLE), text);
      runs++;
      const p = problem(args, await runInProcess(args, root));
      if (p) {
        failures.push(`ufo-iam ${args.join(' ')}: ${p} (input ${runs} of seed ${seed})`);
        if (process.env.UFO_IAM_FUZZ_DUMP) fs.writeFileSync(`${process.env.UFO_IAM_FUZZ_DUMP}.cli.${failures.length}.rb`, text);
      }
    };

    // Every command on each input that once failed; the pathological shapes in turn.
    for (const text of regressionInputs()) for (const args of COMMANDS) await check(text, args);
    let i = 0;
    for (const text of specialInputs()) await check(text, COMMANDS[i++ % COMMANDS.length]);
    const deadline = PLAN.seconds !== undefined ? Date.now() + PLAN.seconds * 1000 : Infinity;
    const count = PLAN.seconds !== undefined ? Infinity : CLI_RUNS_PER_SEED;
    let n = 0;
    for (const input of cliInputs(seed, corpus, COMMANDS.length)) {
      if (n++ >= count || Date.now() >= deadline || failures.length >= 5) break;
      await check(input.text, COMMANDS[input.command]);
    }
    console.log(`cli fuzz: seed ${seed}: ${runs} runs of check and compile on mutated role files`);
    assert.deepEqual(failures, []);
  });
}

test('the bundled CLI on the pathological shapes, raw bytes and unreadable paths', () => {
  const root = makeProject({ '.ufo/settings.yml': 'default: {}\n', [ROLE]: '' });
  const spawnCli = (args: readonly string[]): Outcome => {
    const r = spawnSync(process.execPath, [CLI, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, UFO_APP: '' }, maxBuffer: 64 * 2 ** 20 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const inputs: (string | Buffer)[] = [
    ...specialInputs(),
    Buffer.from([0xff, 0xfe, 0x00, 0x69, 0x61, 0x6d, 0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xf0, 0x28, 0x8c, 0xbc]), // invalid UTF-8
    Buffer.from('\ufeffiam_policy("P", Action: "s3:GetObject", Effect: "Allow", Resource: "*")\n'), // a byte-order mark
  ];
  for (const input of inputs) {
    fs.writeFileSync(path.join(root, ROLE), input);
    for (const args of [COMMANDS[0], COMMANDS[1], COMMANDS[3]]) {
      const p = problem(args, spawnCli(args));
      assert.equal(p, undefined, `ufo-iam ${args.join(' ')} on ${JSON.stringify(input.toString().slice(0, 40))}…: ${p}`);
    }
  }
  // A folder where the role file should be, and a path that does not exist: clear messages, documented codes.
  fs.rmSync(path.join(root, ROLE));
  fs.mkdirSync(path.join(root, ROLE));
  for (const args of [COMMANDS[0], COMMANDS[3]]) {
    const r = spawnCli(args);
    assert.ok(r.code === 0 || r.code === 1, `ufo-iam ${args.join(' ')} with a folder named task_role.rb: exit ${r.code} ${r.stderr}`);
    assert.doesNotMatch(r.stdout + r.stderr, STACK);
  }
  const missing = spawnCli(['check', 'no/such/dir']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no\/such\/dir/);
  assert.doesNotMatch(missing.stderr, STACK);
});
