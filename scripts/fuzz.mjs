#!/usr/bin/env node
// `npm run fuzz`: random exploration with the fuzzers, for when you want to find new failures (`npm test` runs only
// the fixed seeds of test/fuzz/seeds.ts, so that its result never depends on chance). Each round draws a fresh seed
// for the server fuzz (test/fuzz/server.test.ts) and one for the CLI side, which takes turns between role files
// (test/fuzz/cli.test.ts) and task-definition templates (test/fuzz/templates.test.ts), and runs the two side by side
// (one core each) for --round seconds, until --minutes have passed. Every seed is printed; a failing one is
// printed with the command that replays it, and its inputs are kept in test-results/fuzz/.
// A finding is fixed in the code, and the seed goes into test/fuzz/seeds.ts (the dumped input, when a seed reaches it
// only after long exploration, into test/fixtures/fuzz/).
//
// usage: node scripts/fuzz.mjs [--minutes N (default 5)] [--round SECONDS (default 60)]   (run `npm run build` first)
import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const i = argv.indexOf(name);
  const v = i >= 0 ? Number(argv[i + 1]) : fallback;
  if (!Number.isFinite(v) || v <= 0) {
    console.error(`${name} takes a positive number`);
    process.exit(2);
  }
  return v;
};
const minutes = option('--minutes', 5);
const round = option('--round', 60);
const dumps = path.join(root, 'test-results', 'fuzz');
fs.mkdirSync(dumps, { recursive: true });
if (!fs.existsSync(path.join(root, 'dist', 'server.js'))) {
  console.error('dist/server.js is missing: run `npm run build` first (npm run fuzz does).');
  process.exit(2);
}

/** Runs one fuzz test file with a seed and a time budget; resolves with its outcome and the lines worth showing. */
function runFuzzer(name, file, secondsVar, seed, seconds) {
  return new Promise((resolve) => {
    const env = { ...process.env, UFO_IAM_FUZZ_SEED: String(seed), [secondsVar]: String(seconds), UFO_IAM_FUZZ_DUMP: path.join(dumps, `${name}-${seed}`) };
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', file], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => {
      const summary = out.split('\n').filter((l) => /fuzz: seed/.test(l)).map((l) => l.replace(/^#\s*/, '')).join('; ');
      if (code !== 0) fs.writeFileSync(path.join(dumps, `${name}-${seed}.log`), out);
      resolve({ name, seed, ok: code === 0, summary, log: out });
    });
  });
}

const started = Date.now();
const deadline = started + minutes * 60_000;
const failures = [];
let rounds = 0;
console.log(`fuzz: ${minutes} min in rounds of ${round} s (server beside role files or templates through the CLI); inputs of failures go to ${path.relative(root, dumps)}/`);
while (Date.now() + 5_000 < deadline) {
  rounds++;
  const seconds = Math.max(5, Math.min(round, Math.round((deadline - Date.now()) / 1000) - 10));
  const seeds = { server: randomInt(2 ** 31), cli: randomInt(2 ** 31) };
  const cliSide = rounds % 2 === 1 ? 'cli' : 'templates';
  console.log(`round ${rounds}: server seed ${seeds.server}, ${cliSide} seed ${seeds.cli}, ${seconds} s`);
  const results = await Promise.all([
    runFuzzer('server', 'test/fuzz/server.test.ts', 'UFO_IAM_FUZZ_SECONDS', seeds.server, seconds),
    runFuzzer(cliSide, `test/fuzz/${cliSide}.test.ts`, 'UFO_IAM_FUZZ_CLI_SECONDS', seeds.cli, Math.max(5, seconds - 10)),
  ]);
  for (const r of results) {
    console.log(`  ${r.ok ? 'ok  ' : 'FAIL'} ${r.name} seed ${r.seed}${r.summary ? `: ${r.summary}` : ''}`);
    if (!r.ok) {
      failures.push(r);
      const lines = r.log.split('\n').filter((l) => /not ok|took \d+ ms|ufo-iam |Error|expected|actual/.test(l)).slice(0, 12);
      for (const l of lines) console.log(`       ${l.trim()}`);
      console.log(`       replay: UFO_IAM_FUZZ_SEED=${r.seed} ${r.name === 'server' ? 'UFO_IAM_FUZZ_SECONDS' : 'UFO_IAM_FUZZ_CLI_SECONDS'}=${seconds} node scripts/runTests.mjs test/fuzz/${r.name}.test`);
    }
  }
}
const total = ((Date.now() - started) / 60_000).toFixed(1);
if (failures.length === 0) console.log(`fuzz: ${rounds} rounds in ${total} min, no failure`);
else {
  console.log(`fuzz: ${rounds} rounds in ${total} min, ${failures.length} failing seed(s): ${failures.map((f) => `${f.name} ${f.seed}`).join(', ')}`);
  console.log('add each to test/fuzz/seeds.ts once fixed (its log and inputs are in test-results/fuzz/)');
}
process.exit(failures.length === 0 ? 0 : 1);
