// `ufo-iam check --format github`, `--format markdown` and `--format sarif` against golden files: the bundled CLI on a project whose
// findings hold non-ASCII text, a `|`, a colon and a comma (what the escapes of both formats are for). Set
// UFO_IAM_UPDATE_GOLDEN=1 to rewrite the golden files after an intended change, then review their diff.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT } from '../support/core';
import { makeProject } from '../support/project';

const CLI = path.join(ROOT, 'dist/cli.js');
const GOLDEN = path.join(ROOT, 'test/fixtures/formats');

const root = makeProject({
  '.ufo/config.rb': 'Ufo.configure do |config|\nend\n',
  '.ufo/resources/iam_roles/task_role.rb': [
    '# Rollen für 😀 Gäste',
    'iam_policy("S3", Resource: "arn:aws:s3:::bücher/*", Action: ["s3:GetObjekt"], Effect: "Allow")',
    'managed_iam_policy("AmazonS3ReadOnlyAcess")',
    'iam_policy("Pipe|Name", Action: "s3:GetObject", Effect: "Allow", Resource: "*")',
    '',
  ].join('\n'),
  '.ufo/resources/iam_roles/taskrole.rb': 'managed_iam_policy("AmazonS3ReadOnlyAccess")\n',
});

function check(format: string) {
  const r = spawnSync(process.execPath, [CLI, 'check', '.', '--format', format], { cwd: root, encoding: 'utf8', env: { ...process.env, UFO_APP: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function golden(name: string, actual: string): void {
  const file = path.join(GOLDEN, name);
  if (process.env.UFO_IAM_UPDATE_GOLDEN) fs.writeFileSync(file, actual);
  assert.equal(actual, fs.readFileSync(file, 'utf8'), `${name} differs (UFO_IAM_UPDATE_GOLDEN=1 rewrites it)`);
}

test('--format github: one workflow command per finding, properties and data escaped; the summary on stderr', () => {
  const r = check('github');
  assert.equal(r.code, 1, r.stderr);
  golden('check.github.txt', r.stdout);
  // Every line is a workflow command the runner reads; no raw newline, colon or comma inside a property.
  for (const line of r.stdout.trimEnd().split('\n')) assert.match(line, /^::(error|warning|notice) file=[^:,]+,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=ufo-iam [A-Z_]+::[^\r\n]+$/);
  assert.match(r.stderr, /\d+ errors?/);
});

test('--format markdown: a summary heading and a table a pull-request comment renders; cells escaped', () => {
  const r = check('markdown');
  assert.equal(r.code, 1, r.stderr);
  golden('check.md', r.stdout);
  const rows = r.stdout.split('\n').filter((l) => l.startsWith('| '));
  // Each row has exactly four cells: an escaped `|` never splits one.
  for (const row of rows) assert.equal(row.replace(/\\\|/g, '').split('|').length - 2, 4, row);
  const clean = makeProject({ '.ufo/config.rb': '', '.ufo/resources/iam_roles/task_role.rb': 'managed_iam_policy("AmazonS3ReadOnlyAccess")\n' });
  const ok = spawnSync(process.execPath, [CLI, 'check', '.', '--format', 'markdown'], { cwd: clean, encoding: 'utf8', env: { ...process.env, UFO_APP: '' } });
  assert.equal(ok.status, 0);
  assert.equal(ok.stdout, '### ufo-iam check: no problems in 1 file\n\n');
});

test('--format sarif: SARIF 2.1.0 with our stable codes as rule ids and UTF-16 columns, against a golden file', () => {
  const r = check('sarif');
  assert.equal(r.code, 1, r.stderr);
  const log = JSON.parse(r.stdout);
  assert.equal(log.version, '2.1.0');
  const rules = new Set(log.runs[0].tool.driver.rules.map((x: { id: string }) => x.id));
  for (const result of log.runs[0].results) assert.ok(rules.has(result.ruleId), result.ruleId);
  // The tool's version and the project's temporary folder are the only parts that vary between runs.
  const stable = r.stdout.split(root).join('<project>').replace(/"version": "[^"]*"/g, (m) => (m === '"version": "2.1.0"' ? m : '"version": "<version>"'));
  golden('check.sarif.json', stable);
});
