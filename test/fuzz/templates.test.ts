// Fuzzing the template checks: `ufo-iam check` (text, json, sarif) on mutated task-definition templates — v5
// `.json.erb`, v6 `.json` and `.yml`, ERB everywhere — beside role files that build both roles, never ends in an
// internal error or a stack trace: exit 0 or 1, located messages, parseable machine formats. The templates are user
// input from a cloned repository like the role files. Seeds, budgets and replays as in cli.test.ts (`npm test` runs
// every seed of seeds.ts with TEMPLATE_RUNS_PER_SEED inputs; `npm run fuzz` explores with UFO_IAM_FUZZ_CLI_SECONDS).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../server/src/cli/main';
import type { CliIo } from '../../server/src/cli/io';
import { ROOT } from '../support/core';
import { makeProject } from '../support/project';
import { mulberry32, randomEdit, UNICODE } from './inputs';
import { fuzzPlan, TEMPLATE_RUNS_PER_SEED } from './seeds';

const PLAN = fuzzPlan(process.env, 'UFO_IAM_FUZZ_CLI_SECONDS');
const STACK = /^\s+at .+(:\d+:\d+\)?|\(native\))$|Uncaught|node:internal/m;

/** What templates are made of: JSON and YAML punctuation, ERB tags, the keys and values the checks read. */
const TEMPLATE_TOKENS = [
  '{', '}', '[', ']', '"', "'", ',', ':', ': ', '\n', '\n  ', '- ', '  - ', '#', '|', '>', '&a', '*a', '---\n', '\\"', '\\u0041',
  '<%= @family %>', '<% if @x %>', '<% end %>', '<%= x.to_json %>', '<%- y -%>', '<%%', '%>', '<%# c %>',
  '"taskRoleArn": ', '"executionRoleArn": ', 'taskRoleArn: ', 'executionRoleArn: ', 'ExecutionRoleArn: ', '"arn:aws:iam::123456789012:role/x"',
  '"arn:aws:iam::12345:role/"', 'arn:aws-cn:iam::123456789012:role/a/b/c', '"secrets": [{"name": "A", "valueFrom": "x"}]', 'secrets:\n  - name: A\n',
  '"requiresCompatibilities": ["FARGATE"]', 'requiresCompatibilities: [FARGATE]', '"logDriver": "awslogs"', 'logDriver: awslogs',
  '"image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/a:1"', '"containerDefinitions": [', 'containerDefinitions:\n  - ', 'null', 'true', '1e400',
];

/** The templates of the examples and the check fixtures, with their format's file name. */
function templateCorpus(): Array<{ rel: string; text: string }> {
  const out: Array<{ rel: string; text: string }> = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\/\.ufo\/templates\/[^/]+\.json\.erb$/.test(p)) out.push({ rel: '.ufo/templates/main.json.erb', text: fs.readFileSync(p, 'utf8') });
      else if (/\/\.ufo\/resources\/task_definitions\/[^/]+\.(json|yml)$/.test(p)) out.push({ rel: `.ufo/resources/task_definitions/web.${p.endsWith('.yml') ? 'yml' : 'json'}`, text: fs.readFileSync(p, 'utf8') });
    }
  };
  for (const d of ['examples', 'test/fixtures/checks']) walk(path.join(ROOT, d));
  return out;
}

/** Mutated templates of a seed: a corpus template, then 1 to 20 edits of template tokens, generic edits or Unicode. */
export function* templateInputs(seed: number, corpus: ReturnType<typeof templateCorpus>): Generator<{ rel: string; text: string; format: string }> {
  const rand = mulberry32(seed);
  const int = (n: number) => Math.floor(rand() * n);
  for (;;) {
    const base = corpus[int(corpus.length)];
    let text = base.text;
    const steps = 1 + int(20);
    for (let s = 0; s < steps; s++) {
      const op = int(4);
      if (op === 0) text = randomEdit(text, rand).text;
      else {
        const at = int(text.length + 1);
        const insert = op === 3 ? UNICODE[int(UNICODE.length)] : TEMPLATE_TOKENS[int(TEMPLATE_TOKENS.length)];
        const cut = int(3) === 0 ? int(12) : 0;
        text = text.slice(0, at) + insert + text.slice(Math.min(text.length, at + cut));
      }
    }
    yield { rel: base.rel, text, format: ['text', 'json', 'sarif'][int(3)] };
  }
}

for (const seed of PLAN.seeds) {
  const budget = PLAN.seconds !== undefined ? `${PLAN.seconds}s` : `${TEMPLATE_RUNS_PER_SEED} inputs`;
  test(`ufo-iam check survives fuzzed task-definition templates (seed ${seed}, ${budget})`, { timeout: ((PLAN.seconds ?? 60) + 120) * 1000 }, async () => {
    console.log(`template fuzz seed ${seed} (rerun with UFO_IAM_FUZZ_SEED=${seed}), ${budget}`);
    const corpus = templateCorpus();
    assert.ok(corpus.length >= 4, `template corpus: ${corpus.length}`);
    // Both layouts, role files that build both roles (so the checks compare the template with them).
    const roots = {
      5: makeProject({ '.ufo/settings.yml': 'default: {}\n', '.ufo/iam_roles/task_role.rb': 'managed_iam_policy("AmazonS3ReadOnlyAccess")\n', '.ufo/iam_roles/execution_role.rb': 'managed_iam_policy("service-role/AmazonECSTaskExecutionRolePolicy")\n' }),
      6: makeProject({ '.ufo/config.rb': 'Ufo.configure do |config|\n  config.app = "demo"\nend\n', '.ufo/resources/iam_roles/task_role.rb': 'managed_iam_policy("AmazonS3ReadOnlyAccess")\n' }),
    };
    const failures: string[] = [];
    const deadline = PLAN.seconds !== undefined ? Date.now() + PLAN.seconds * 1000 : Infinity;
    const count = PLAN.seconds !== undefined ? Infinity : TEMPLATE_RUNS_PER_SEED;
    let runs = 0;
    // The checks really ran on the templates (not only a parse failure): some outputs carry their codes.
    let templateFindings = 0;
    for (const input of templateInputs(seed, corpus)) {
      if (runs >= count || Date.now() >= deadline || failures.length >= 5) break;
      runs++;
      const root = input.rel.startsWith('.ufo/templates/') ? roots[5] : roots[6];
      const file = path.join(root, input.rel);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, input.text);
      let stdout = '';
      let stderr = '';
      const io: CliIo = { cwd: root, env: { UFO_APP: '' }, stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) };
      const code = await main(['check', '.', '--format', input.format], io);
      fs.rmSync(file);
      if (/TEMPLATE_ARN_REPLACED|INVALID_ROLE_ARN|MISSING_EXECUTION_ROLE/.test(stdout)) templateFindings++;
      let p: string | undefined;
      if (code !== 0 && code !== 1) p = `exit ${code}: ${stderr.slice(0, 400)}`;
      else if (STACK.test(stdout) || STACK.test(stderr)) p = `a stack trace: ${(stderr || stdout).slice(0, 400)}`;
      else if (input.format !== 'text') {
        try {
          JSON.parse(stdout);
        } catch {
          p = `--format ${input.format} printed no JSON: ${stdout.slice(0, 200)}`;
        }
      } else if (code === 1 && !/^[^\n]+:\d+:\d+: error /m.test(stdout)) p = `exit 1 without a located error: ${stdout.slice(0, 300)}`;
      if (p) {
        failures.push(`check ${input.rel} --format ${input.format}: ${p} (input ${runs} of seed ${seed})`);
        if (process.env.UFO_IAM_FUZZ_DUMP) fs.writeFileSync(`${process.env.UFO_IAM_FUZZ_DUMP}.template.${failures.length}${path.extname(input.rel)}`, input.text);
      }
    }
    console.log(`template fuzz: seed ${seed}: ${runs} runs of check on mutated templates, ${templateFindings} with template findings`);
    assert.deepEqual(failures, []);
    assert.ok(templateFindings > runs / 20, `only ${templateFindings} of ${runs} runs had template findings`);
  });
}
