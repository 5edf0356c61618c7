// The CI integrations cannot rot: action.yml, .pre-commit-hooks.yaml and the YAML examples of docs/ci.md parse (js-yaml,
// which vsce and mocha bring), have the shape GitHub, pre-commit and GitLab read, and every `ufo-iam …` command line in
// them names a subcommand of the CLI's help and passes the CLI's own argument parser (server/src/cli/args.ts) with the
// options and values that subcommand's usage line declares.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './support/core';
import { parseArgs, type OptionSpec } from '../server/src/cli/args';
import { helpText } from '../server/src/cli/main';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const yaml = require('js-yaml') as { load(text: string): unknown };

const read = (rel: string) => fs.readFileSync(path.join(ROOT, rel), 'utf8');
const MANIFEST = JSON.parse(read('package.json'));

/** The subcommands `ufo-iam --help` lists. */
function subcommands(): string[] {
  return [...helpText().matchAll(/^ {2}([a-z][a-z-]*) {2,}/gm)].map((m) => m[1]);
}

interface Usage {
  usage: string;
  spec: OptionSpec;
  /** Option → the values it takes, for options whose usage spells them (`--format text|json`). */
  values: Record<string, string[]>;
}

/** A subcommand's option spec, read from the USAGE its module exports (what `ufo-iam <command> --help` prints). */
function usageOf(command: string): Usage {
  const file = command.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const usage: string = require(`../server/src/cli/${file}`).USAGE;
  assert.ok(usage, `server/src/cli/${file}.ts exports USAGE`);
  const spec: OptionSpec = {};
  const values: Record<string, string[]> = {};
  for (const m of usage.matchAll(/--([a-z][\w-]*)(?: ('[^']*'|[^\s\]]+))?(\])?(\.\.\.)?/g)) {
    const [, name, placeholder, , repeated] = m;
    if (!placeholder || placeholder.startsWith('[')) {
      spec[name] ??= 'boolean';
      continue;
    }
    spec[name] = repeated || spec[name] === 'multi' || usage.split(`--${name} `).length > 2 ? 'multi' : 'string';
    if (placeholder.includes('|')) values[name] = [...(values[name] ?? []), ...placeholder.split('|')];
  }
  return { usage, spec, values };
}

/** Shell words of a command line up to the first operator (`>`, `|`, `;`, `&&`, `||`, `#`), quotes removed. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "'" || c === '"') {
      const end = line.indexOf(c, i + 1);
      assert.ok(end > i, `unterminated quote in: ${line}`);
      word = (word ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (/[>|;&#<)]/.test(c) || (c === '2' && line[i + 1] === '>' && word === undefined)) {
      break;
    } else if (c === '\\' && i === line.length - 1) {
      break;
    } else word = (word ?? '') + c;
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** Every `ufo-iam <args>` in a text, as shell words after `ufo-iam` (not `ufo-iam@…`, `ufo-iam/…` or `ufo-iam-check`). */
function ufoIamCommands(text: string): string[][] {
  const out: string[][] = [];
  for (const line of text.split('\n')) {
    for (const m of line.matchAll(/(?:^|[\s"'`(;&|$])ufo-iam[ \t]+(.*)$/g)) out.push(shellWords(m[1]));
  }
  return out;
}

/** Why `ufo-iam <words>` would not parse, or undefined when it does. */
function commandProblem(words: string[]): string | undefined {
  const [command, ...rest] = words;
  if (command === '--version' || command === '--help') return rest.length ? `${command} takes nothing after it` : undefined;
  if (!subcommands().includes(command)) return `unknown subcommand '${command}'`;
  const { usage, spec, values } = usageOf(command);
  let parsed;
  try {
    parsed = parseArgs(rest, spec, usage);
  } catch (e) {
    return (e as Error).message.split('\n')[0];
  }
  for (const [option, allowed] of Object.entries(values)) {
    const given = [parsed.options[option], ...(parsed.multi[option] ?? [])].filter((v): v is string => v !== undefined);
    // A shell variable is the workflow's input, decided at run time.
    for (const v of given) if (!v.startsWith('$') && !allowed.includes(v)) return `--${option} ${v}: not one of ${allowed.join('|')}`;
  }
  return undefined;
}

/** The fenced code blocks of a Markdown text, with their info string. */
function codeBlocks(md: string): { lang: string; body: string }[] {
  return [...md.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1], body: m[2] }));
}

test('the validator itself: known commands pass, a wrong subcommand, option or value does not', () => {
  assert.ok(subcommands().includes('check') && subcommands().includes('plan') && subcommands().includes('explain-denied'));
  assert.equal(commandProblem(['check', '.', '--format', 'sarif']), undefined);
  assert.equal(commandProblem(['can', 's3:GetObject', '--context', 'aws:SourceIp=10.0.0.1', '--context', '!aws:MultiFactorAuthPresent']), undefined);
  assert.equal(commandProblem(['plan', '--detailed-exitcode', '--target', 'stack', '--region', 'us-east-1']), undefined);
  assert.equal(commandProblem(['--version']), undefined);
  assert.match(commandProblem(['chek', '.']) ?? '', /unknown subcommand 'chek'/);
  assert.match(commandProblem(['check', '--formt', 'sarif']) ?? '', /unknown option --formt/);
  assert.match(commandProblem(['check', '--format', 'sarf']) ?? '', /--format sarf: not one of text\|json\|sarif\|github\|markdown/);
  assert.match(commandProblem(['plan', '--target', 'cluster']) ?? '', /--target cluster: not one of stack\|precreated/);
  assert.match(commandProblem(['plan', '--detailed-exitcode=yes']) ?? '', /takes no value/);
  assert.match(commandProblem(['check', '--format']) ?? '', /needs a value/);
  assert.deepEqual(shellWords(`check "$UFO_IAM_DIR" --format sarif > "$sarif"`), ['check', '$UFO_IAM_DIR', '--format', 'sarif']);
  assert.deepEqual(ufoIamCommands('npm install -g ufo-iam@0.1.0\n- id: ufo-iam-check\nentry: ufo-iam check\n  uses: ufo-iam/ufo-iam@v0.1.0'), [['check']]);
});

test('action.yml: a composite action GitHub can run, every input it uses declared, every output from a step it has', () => {
  const text = read('action.yml');
  const action = yaml.load(text) as {
    name: string; description: string; inputs: Record<string, { description: string; default?: string }>;
    outputs: Record<string, { value: string }>; runs: { using: string; steps: { id?: string; uses?: string; run?: string; shell?: string; with?: Record<string, string>; env?: Record<string, string> }[] };
  };
  assert.ok(action.name && action.description);
  assert.equal(action.runs.using, 'composite');
  const steps = action.runs.steps;
  for (const s of steps) {
    assert.ok((s.run === undefined) !== (s.uses === undefined), 'each step runs or uses, not both');
    if (s.run !== undefined) assert.equal(s.shell, 'bash', 'a composite run step must name its shell');
    // Inputs reach scripts through env: `${{ }}` inside a script is an injection.
    if (s.run !== undefined) assert.doesNotMatch(s.run, /\$\{\{/, `expression inside a script: ${s.run.slice(0, 60)}`);
  }
  for (const [, name] of text.matchAll(/inputs\.([\w-]+)/g)) assert.ok(action.inputs[name], `inputs.${name} is declared`);
  for (const [name, input] of Object.entries(action.inputs)) {
    assert.ok(input.description, `${name} has a description`);
    assert.ok(text.includes(`inputs.${name}`), `input ${name} is used`);
  }
  const ids = new Set(steps.map((s) => s.id).filter(Boolean));
  for (const [, id] of text.matchAll(/steps\.([\w-]+)\.outputs/g)) assert.ok(ids.has(id), `step ${id} exists`);
  assert.ok(steps.some((s) => s.uses?.startsWith('actions/setup-node@')));
  const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
  assert.equal(upload?.with?.sarif_file, '${{ steps.check.outputs.sarif-file }}');
  const runs = steps.map((s) => s.run ?? '').join('\n');
  const commands = ufoIamCommands(runs);
  assert.ok(commands.some((c) => c[0] === 'check' && c.includes('sarif')), 'check --format sarif');
  assert.ok(commands.some((c) => c[0] === 'plan' && c.join(' ').includes('--format markdown')), 'plan --format markdown');
  assert.match(runs, /gh pr comment "\$PR_NUMBER" .*--body-file "\$PLAN_FILE"/);
  // The action installs the version of its own package.json: the CLI of the same revision.
  assert.match(runs, /require\(process\.env\.GITHUB_ACTION_PATH \+ '\/package\.json'\)\.version/);
  for (const c of commands) assert.equal(commandProblem(c), undefined, `action.yml: ufo-iam ${c.join(' ')}`);
});

test('.pre-commit-hooks.yaml: the ufo-iam-check hook, a node hook on role files and templates only', () => {
  const hooks = yaml.load(read('.pre-commit-hooks.yaml')) as { id: string; name: string; entry: string; language: string; files: string; pass_filenames?: boolean }[];
  assert.ok(Array.isArray(hooks));
  const hook = hooks.find((h) => h.id === 'ufo-iam-check');
  assert.ok(hook);
  assert.equal(hook.language, 'node');
  assert.equal(hook.entry, 'ufo-iam check');
  assert.equal(commandProblem(ufoIamCommands(hook.entry)[0]), undefined);
  assert.notEqual(hook.pass_filenames, false, 'the changed files are the arguments');
  // pre-commit matches `files` with Python's re.search; this pattern uses nothing JavaScript reads otherwise.
  const files = new RegExp(hook.files);
  for (const p of [
    '.ufo/iam_roles/task_role.rb',
    '.ufo/resources/iam_roles/execution_role.rb',
    '.ufo/resources/iam_roles/shop/task_role.rb',
    '.ufo/precreated_iam_roles/task_role.rb',
    'services/web/.ufo/resources/iam_roles/task_role.rb',
    '.ufo/templates/main.json.erb',
    '.ufo/resources/task_definitions/web.yml',
    '.ufo/resources/task_definitions/web.json',
  ]) assert.match(p, files, p);
  for (const p of ['.ufo/config.rb', 'app/models/user.rb', '.ufo/resources/iam_roles/README.md', 'x.ufo/iam_roles/task_role.rb', '.ufo/iam_roles/task_role.rb.bak']) {
    assert.doesNotMatch(p, files, p);
  }
  // A node hook installs the repository's package: it must provide the `ufo-iam` binary and build it when packed.
  assert.deepEqual(MANIFEST.bin, { 'ufo-iam': 'dist/cli.js' });
  assert.ok(MANIFEST.scripts.prepack);
});

test('docs/ci.md: its YAML examples parse, with the shapes GitHub and GitLab read; every ufo-iam command line parses', () => {
  const md = read('docs/ci.md');
  const blocks = codeBlocks(md);
  const yamls = blocks.filter((b) => b.lang === 'yaml').map((b) => ({ body: b.body, doc: yaml.load(b.body) as Record<string, any> }));
  const workflows = yamls.filter((y) => y.body.startsWith('# .github/workflows/'));
  assert.equal(workflows.length, 2, 'the action example and the plain-steps example');
  for (const { doc } of workflows) {
    assert.ok(doc.on && doc.jobs && doc.permissions?.['security-events'] === 'write');
    for (const job of Object.values(doc.jobs) as { 'runs-on': string; steps: Record<string, unknown>[] }[]) {
      assert.ok(job['runs-on'] && Array.isArray(job.steps));
      for (const s of job.steps) assert.ok((s.run === undefined) !== (s.uses === undefined));
    }
  }
  const withAction = workflows[0].doc.jobs['ufo-iam'] ?? Object.values(workflows[0].doc.jobs)[0];
  const step = (withAction as { steps: { uses?: string; with?: Record<string, unknown> }[] }).steps.find((s) => s.uses?.startsWith('ufo-iam/ufo-iam@'));
  assert.ok(step, 'the first example uses the action');
  const inputs = (yaml.load(read('action.yml')) as { inputs: Record<string, unknown> }).inputs;
  for (const k of Object.keys(step.with ?? {})) assert.ok(inputs[k], `the example's input ${k} is one of action.yml's`);
  assert.equal(step.uses, `ufo-iam/ufo-iam@v${MANIFEST.version}`);

  const gitlab = yamls.find((y) => y.body.startsWith('# .gitlab-ci.yml'));
  assert.ok(gitlab);
  const jobs = Object.entries(gitlab.doc).filter(([k]) => !k.startsWith('.') && k !== 'default' && k !== 'stages');
  assert.deepEqual(jobs.map(([k]) => k), ['ufo-iam-check', 'ufo-iam-plan']);
  for (const [, job] of jobs) {
    // GitLab flattens nested script arrays (the `*note` anchor): every entry a string.
    const script = (job.script as unknown[]).flat(10);
    assert.ok(script.length > 0 && script.every((l) => typeof l === 'string'));
  }
  const precommit = yamls.find((y) => y.body.startsWith('# .pre-commit-config.yaml'));
  assert.equal(precommit?.doc.repos[0].hooks[0].id, 'ufo-iam-check');
  assert.equal(precommit?.doc.repos[0].rev, `v${MANIFEST.version}`);

  const commands = blocks.flatMap((b) => ufoIamCommands(b.body));
  assert.ok(commands.length >= 8, `${commands.length} command lines`);
  for (const c of commands) assert.equal(commandProblem(c), undefined, `docs/ci.md: ufo-iam ${c.join(' ')}`);
  for (const [, inline] of md.matchAll(/`(ufo-iam [^`]+)`/g)) {
    const words = shellWords(inline.slice('ufo-iam '.length));
    if (words[0] === 'check' || words[0] === 'plan' || words[0] === '--version') assert.equal(commandProblem(words), undefined, `docs/ci.md: \`${inline}\``);
  }
  // The versions the examples pin are this package's.
  for (const [, v] of md.matchAll(/ufo-iam@(\d+\.\d+\.\d+)/g)) assert.equal(v, MANIFEST.version);
});
