// `npm test` decides by code, not by chance: the fuzz tests run the seeds of seeds.ts with a fixed amount of work, and
// what they feed the server and the CLI is a function of the seed and the tree alone. Computed here twice, in this
// process and in a fresh one (another Math.random state, other timings, another listing order of the same folders),
// the inputs of every seed are the same.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { ROOT } from '../support/lspClient';
import { CLI_COMMANDS, fuzzInputsDigest } from './inputs';
import { CLI_RUNS_PER_SEED, FUZZ_SEEDS, SERVER_DOCUMENTS_PER_SEED, fuzzPlan } from './seeds';

const COMMANDS = CLI_COMMANDS.length;

test('npm test runs the listed seeds with a fixed amount of work, whatever the clock says', () => {
  assert.deepEqual(fuzzPlan({}, 'UFO_IAM_FUZZ_SECONDS'), { seeds: FUZZ_SEEDS.map((s) => s.seed) });
  assert.deepEqual(fuzzPlan({ UFO_IAM_FUZZ_SEED: '7' }, 'UFO_IAM_FUZZ_SECONDS'), { seeds: [7], seconds: undefined });
  assert.equal(new Set(FUZZ_SEEDS.map((s) => s.seed)).size, FUZZ_SEEDS.length, 'no seed twice');
  assert.ok(FUZZ_SEEDS.some((s) => s.seed === 1428273706), 'the seed of the BigInt crash stays');
});

test('the same tree gives the same fuzz inputs twice, in two processes', () => {
  const seeds = FUZZ_SEEDS.map((s) => s.seed);
  const here = fuzzInputsDigest(seeds, SERVER_DOCUMENTS_PER_SEED, CLI_RUNS_PER_SEED, COMMANDS);
  assert.equal(fuzzInputsDigest(seeds, SERVER_DOCUMENTS_PER_SEED, CLI_RUNS_PER_SEED, COMMANDS), here);
  const script = `const { fuzzInputsDigest } = require(${JSON.stringify(path.join(__dirname, 'inputs.ts'))});
Math.random(); process.stdout.write(fuzzInputsDigest(${JSON.stringify(seeds)}, ${SERVER_DOCUMENTS_PER_SEED}, ${CLI_RUNS_PER_SEED}, ${COMMANDS}));`;
  const there = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(there, here);
  // And the digest does depend on the seed: a different list gives different inputs.
  assert.notEqual(fuzzInputsDigest([...seeds.slice(1), 6], SERVER_DOCUMENTS_PER_SEED, CLI_RUNS_PER_SEED, COMMANDS), here);
});
