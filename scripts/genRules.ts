// Generates, from the rule table (server/src/core/checks/rules.ts), the per-code settings block of package.json
// (`ufoIam.diagnostics.<CODE>`) and docs/rules.md, with each rule's example taken from its check fixture
// (test/fixtures/checks/<CODE>/fires.rb). test/core/checks/rulesDrift.test.ts fails when either file differs
// from what this script writes (the rust-analyzer pattern). It also writes server/src/core/checks/awsGranted.ts:
// the actions and services that AWS's managed policies name but the Service Authorization Reference lacks,
// from the built IAM data (dist/data), so the checks need not read the 3 MB of policy documents at run time.
//
//   node --import tsx scripts/genRules.ts          rewrite package.json, docs/rules.md and awsGranted.ts (needs npm run build)
//   node --import tsx scripts/genRules.ts --check  exit 1 if one is stale
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CODES, RULES, type Code, type RuleFamily, type RuleMeta } from '../server/src/core/checks/rules';
import { IamKnowledge } from '../server/src/core/iam/iamKnowledge';
import { hasWildcard } from '../server/src/core/iam/wildcard';

export const ROOT = path.resolve(__dirname, '..');
export const SETTING_PREFIX = 'ufoIam.diagnostics.';
export const SEVERITY_VALUES = ['error', 'warning', 'information', 'hint', 'off'];

const FAMILY_TITLES: Record<RuleFamily, string> = {
  syntax: 'Syntax',
  dsl: 'UFO DSL',
  layout: 'Project layout',
  actions: 'Actions',
  shape: 'Statement shape',
  resources: 'Resources',
  conditions: 'Conditions',
  security: 'Security',
  ufo: 'UFO roles: managed policies, names and quotas',
  template: 'Task-definition templates',
  suppression: 'Suppressions',
};

function rule(code: Code): RuleMeta {
  return RULES[code];
}

/** The `contributes.configuration.properties` entries for the codes, in table order. */
export function packageProperties(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const code of CODES) {
    const r = rule(code);
    out[`${SETTING_PREFIX}${code}`] = {
      type: 'string',
      enum: SEVERITY_VALUES,
      default: r.severity,
      scope: 'resource',
      markdownDescription: `${r.summary}${r.docs ? ` [Reference](${r.docs})` : ''} (\`${code}\`; \`off\` hides it.)`,
    };
  }
  return out;
}

/** package.json with its per-code block replaced by the generated one (other settings keep their place). */
export function updatePackageJson(text: string): string {
  const pkg = JSON.parse(text);
  const config = pkg.contributes?.configuration;
  if (!config || typeof config !== 'object' || !config.properties) throw new Error('package.json: contributes.configuration.properties missing');
  const kept = Object.entries(config.properties as Record<string, unknown>).filter(([k]) => !k.startsWith(SETTING_PREFIX));
  config.properties = Object.fromEntries([...kept, ...Object.entries(packageProperties())]);
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

const EXAMPLE_LINES = 24;

/** The fixture that fires, as an example: its test header said in words, long ones shortened. */
/** The files of a template check's fixture project (test/fixtures/checks/<CODE>/fires/), as fenced examples. */
function projectFixture(dir: string): string | undefined {
  let files: string[];
  try {
    files = (fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }) as string[]).map((f) => f.split(path.sep).join('/'));
  } catch {
    return undefined;
  }
  const blocks: string[] = [];
  for (const rel of files.filter((f) => fs.statSync(path.join(dir, f)).isFile()).sort()) {
    const lang = rel.endsWith('.rb') ? 'ruby' : rel.endsWith('.yml') ? 'yaml' : 'json';
    blocks.push(`\`${rel}\`:`, '', '```' + lang, fs.readFileSync(path.join(dir, rel), 'utf8').replace(/\n+$/, ''), '```', '');
  }
  return blocks.join('\n').replace(/\n+$/, '');
}

function fixture(code: Code, fixturesDir: string): string | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.join(fixturesDir, code, 'fires.rb'), 'utf8');
  } catch {
    return undefined;
  }
  const lines = text.replace(/\n+$/, '').split('\n');
  const header = /^#\s*ufo-iam-test:(.*)$/.exec(lines[0] ?? '');
  if (header) {
    const kv = Object.fromEntries(header[1].trim().split(/\s+/).map((p) => p.split('=')));
    const version = kv.version ?? '6';
    const file = kv.path ?? (version === '5' ? `.ufo/iam_roles/${kv.role ?? 'task_role'}.rb` : `.ufo/resources/iam_roles/${kv.role ?? 'task_role'}.rb`);
    lines[0] = `# In ${file} (UFO v${version})`;
  }
  if (lines.length > EXAMPLE_LINES) {
    const head = lines.slice(0, EXAMPLE_LINES / 2);
    const tail = lines.slice(-EXAMPLE_LINES / 2 + 2);
    return [...head, `# ... ${lines.length - head.length - tail.length} more lines ...`, ...tail].join('\n');
  }
  return lines.join('\n');
}

/** docs/rules.md. */
export function renderRulesDoc(fixturesDir = path.join(ROOT, 'test/fixtures/checks')): string {
  const lines: string[] = [
    '<!-- Generated by scripts/genRules.ts from server/src/core/checks/rules.ts and test/fixtures/checks/. Do not edit. -->',
    '',
    '# ufo-iam checks',
    '',
    `Every finding has a stable code. ${CODES.length} codes in ${new Set(CODES.map((c) => rule(c).family)).size} families; Access Analyzer's name is used where it has one.`,
    'Severities follow what AWS does: errors for what it rejects, warnings for what will not work as meant and for security findings (their messages start with "Security:"), information for suggestions.',
    '',
    '## Configuration',
    '',
    'Each code has a setting `ufoIam.diagnostics.<CODE>` with the value `error`, `warning`, `information`, `hint` or `off`.',
    '`ufo-iam check` reads the same keys from the project\'s `.vscode/settings.json` (comments and trailing commas allowed).',
    'A setting that differs from the default below wins; a few codes raise their own severity by degree (MANAGED_POLICY_QUOTA is an error above 20).',
    '',
    '```jsonc',
    '{',
    '  "ufoIam.diagnostics.ROLE_TYPE_HINT": "off",',
    '  "ufoIam.diagnostics.INVALID_ACTION": "error",',
    '}',
    '```',
    '',
    '## Suppressions',
    '',
    '- `# ufo-iam:disable-next-line CODE[, CODE]` silences those codes on the next line.',
    '- `# ufo-iam:disable CODE[, CODE]` silences them in the whole file.',
    '- Without codes, a comment silences every code. Text after ` -- ` is a reason.',
    '- A suppression that silences nothing is reported as UNUSED_SUPPRESSION.',
    '- The quick fix "Disable CODE for this line" writes the comment.',
    '',
    '## Command line',
    '',
    '`ufo-iam check [DIR|FILE...] [--format text|json|sarif] [--ufo-version 5|6] [--app NAME]` reports the same findings as the editor.',
    '',
    '- `text`: `path:line:col: severity CODE message`, one per line (a summary goes to stderr).',
    '- `json`: an array of `{file, line, column, endLine, endColumn, severity, code, message}`; lines and columns are 1-based, columns in UTF-16 units, paths relative to the working directory.',
    '- `sarif`: SARIF 2.1.0 for code scanning, with every code as a rule and its reference as `helpUri`.',
    '- Exit status: 0 without errors, 1 with errors, 2 on a usage or internal failure.',
    '',
    '## Code actions',
    '',
    '- Quick fixes come with the findings (the "Quick fix" column below); every finding also offers "Disable CODE for this line".',
    '- On any action with `*` or `?`, the refactoring "Expand … into its N actions" lists the actions it matches today (up to 200).',
    '',
    '## Codes',
    '',
    '| Code | Default | Family | Quick fix |',
    '|---|---|---|---|',
    ...CODES.map((c) => `| [${c}](#${c.toLowerCase()}) | ${rule(c).severity} | ${rule(c).family} | ${rule(c).fix ? 'yes' : ''} |`),
    '',
  ];
  const families = [...new Set(CODES.map((c) => rule(c).family))];
  for (const family of families) {
    lines.push(`## ${FAMILY_TITLES[family]}`, '');
    for (const code of CODES.filter((c) => rule(c).family === family)) {
      const r = rule(code);
      lines.push(`### ${code}`, '', r.summary, '');
      lines.push(`- Default severity: ${r.severity}${r.tag ? ` (shown as ${r.tag})` : ''}`);
      if (r.docs) lines.push(`- Reference: ${r.docs}`);
      if (r.fix) lines.push(`- Quick fix: ${r.fix}`);
      lines.push(`- Setting: \`${SETTING_PREFIX}${code}\``, '');
      const example = fixture(code, fixturesDir);
      if (example) lines.push('Example (the carets mark what is reported):', '', '```ruby', example, '```', '');
      const project = example ? undefined : projectFixture(path.join(fixturesDir, code, 'fires'));
      if (project) lines.push('Example project (the carets mark what is reported):', '', project, '');
    }
  }
  return `${lines.join('\n').replace(/\n+$/, '')}\n`;
}

export const AWS_GRANTED_FILE = path.join(ROOT, 'server/src/core/checks/awsGranted.ts');

/** server/src/core/checks/awsGranted.ts from the IAM data. */
export function renderAwsGranted(iam: IamKnowledge): string {
  const actions = new Map<string, string>();
  const services = new Map<string, string>();
  for (const p of iam.listManagedPolicies()) {
    const statements = (iam.managedPolicyDocument(p.name)?.document as { Statement?: unknown } | undefined)?.Statement;
    for (const st of Array.isArray(statements) ? statements : [statements]) {
      if (!st || typeof st !== 'object') continue;
      for (const key of ['Action', 'NotAction']) {
        const list = (st as Record<string, unknown>)[key];
        for (const x of Array.isArray(list) ? list : [list]) {
          if (typeof x !== 'string') continue;
          const colon = x.indexOf(':');
          if (colon <= 0) continue;
          const service = x.slice(0, colon).toLowerCase();
          if (hasWildcard(service)) continue;
          if (!iam.serviceExists(service)) {
            if (!services.has(service)) services.set(service, p.name);
          } else if (!hasWildcard(x) && !iam.findAction(x) && !actions.has(x.toLowerCase())) actions.set(x.toLowerCase(), p.name);
        }
      }
    }
  }
  const sorted = (m: Map<string, string>) => [...m].sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const p = iam.provenance;
  return [
    `// Generated by scripts/genRules.ts from ${p.iamData.package} ${p.iamData.version} (data ${p.dataDate}) and ${p.managedPolicies.package} ${p.managedPolicies.version}. Do not edit.`,
    "// Actions and services that AWS's own managed policies name but the Service Authorization Reference lacks",
    '// (retired services, undocumented actions), each with the first policy that names it, keyed in lower case.',
    '',
    'export const AWS_GRANTED_UNKNOWN_ACTIONS: ReadonlyMap<string, string> = new Map([',
    ...sorted(actions).map(([k, v]) => `  [${JSON.stringify(k)}, ${JSON.stringify(v)}],`),
    ']);',
    '',
    'export const AWS_GRANTED_UNKNOWN_SERVICES: ReadonlyMap<string, string> = new Map([',
    ...sorted(services).map(([k, v]) => `  [${JSON.stringify(k)}, ${JSON.stringify(v)}],`),
    ']);',
    '',
  ].join('\n');
}

/** The IamKnowledge of the built data (dist/data). */
export function builtIam(): IamKnowledge {
  const dir = path.join(ROOT, 'dist/data');
  return new IamKnowledge((rel) => JSON.parse(fs.readFileSync(path.join(dir, rel), 'utf8')));
}

function main(): number {
  const check = process.argv.includes('--check');
  const pkgFile = path.join(ROOT, 'package.json');
  const docFile = path.join(ROOT, 'docs/rules.md');
  const pkgText = fs.readFileSync(pkgFile, 'utf8');
  const pkgNew = updatePackageJson(pkgText);
  const docOld = fs.existsSync(docFile) ? fs.readFileSync(docFile, 'utf8') : '';
  const docNew = renderRulesDoc();
  const grantedOld = fs.existsSync(AWS_GRANTED_FILE) ? fs.readFileSync(AWS_GRANTED_FILE, 'utf8') : '';
  const grantedNew = renderAwsGranted(builtIam());
  const stale = [pkgText !== pkgNew ? 'package.json' : '', docOld !== docNew ? 'docs/rules.md' : '', grantedOld !== grantedNew ? 'awsGranted.ts' : ''].filter(Boolean);
  if (check) {
    if (stale.length > 0) console.error(`stale: ${stale.join(', ')}; run node --import tsx scripts/genRules.ts`);
    return stale.length > 0 ? 1 : 0;
  }
  if (pkgText !== pkgNew) fs.writeFileSync(pkgFile, pkgNew);
  fs.mkdirSync(path.dirname(docFile), { recursive: true });
  if (docOld !== docNew) fs.writeFileSync(docFile, docNew);
  if (grantedOld !== grantedNew) fs.writeFileSync(AWS_GRANTED_FILE, grantedNew);
  console.log(stale.length > 0 ? `wrote ${stale.join(', ')}` : 'up to date');
  return 0;
}

if (require.main === module) process.exitCode = main();
