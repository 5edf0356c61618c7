// The CLI as a user installs it: `npm pack` makes ufo-iam-<version>.tgz holding exactly what `ufo-iam` runs (its
// launcher and bundle, the AWS bundle, prism.wasm, the IAM data, the documents; no tests, fixtures, sources or maps), within 3 MB
// and with no dependencies; `npm install -g` of it with --offline, an empty cache and an unreachable registry into an
// empty prefix works, and the installed `ufo-iam` answers --version, check, compile, and plan against the local IAM
// endpoint, from a folder that is not this repository (nothing may come from the checkout). Needs `npm run build`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { ROOT } from '../support/core';
import { makeProject } from '../support/project';
import { startIamEndpoint } from '../support/iamEndpoint';
import { FAKE_CREDENTIALS, leakedSecrets } from '../support/iamTestEnv';

const MANIFEST = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const MAX_BYTES = 3 * 2 ** 20;

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ufo-iam-tarball-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** npm with nothing of an outer npm's configuration (`npm test` sets npm_config_* for its scripts), offline. */
function npm(args: string[], cwd: string) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  const r = spawnSync('npm', [...args, '--cache', path.join(scratch, 'cache'), '--registry', 'http://127.0.0.1:9/', '--no-audit', '--no-fund', '--no-update-notifier'], {
    cwd, encoding: 'utf8', env: { ...env, HOME: path.join(scratch, 'home') }, timeout: 180_000,
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}`, stdout: r.stdout };
}

let tarball: string;
let packed: { filename: string; size: number; files: { path: string }[] };
const prefix = path.join(scratch, 'prefix');
let bin: string;

before(() => {
  assert.ok(fs.existsSync(path.join(ROOT, 'dist/cli.js')), 'dist/cli.js is missing: run npm run build first');
  for (const d of ['cache', 'home', 'prefix', 'packs']) fs.mkdirSync(path.join(scratch, d));
  // --ignore-scripts: the tarball of what the build made; `prepack` would rebuild dist/ under the other tests' feet.
  const r = npm(['pack', '--ignore-scripts', '--json', '--pack-destination', path.join(scratch, 'packs')], ROOT);
  assert.equal(r.code, 0, r.out);
  packed = JSON.parse(r.stdout)[0];
  tarball = path.join(scratch, 'packs', packed.filename);
  const install = npm(['install', '-g', `./${packed.filename}`, '--offline', '--prefix', prefix], path.join(scratch, 'packs'));
  assert.equal(install.code, 0, install.out);
  bin = path.join(prefix, 'bin', 'ufo-iam');
});

test('the tarball is ufo-iam-<version>.tgz, at most 3 MB, and holds exactly what the CLI runs', () => {
  assert.equal(packed.filename, `ufo-iam-${MANIFEST.version}.tgz`);
  const size = fs.statSync(tarball).size;
  assert.ok(size <= MAX_BYTES, `${(size / 2 ** 20).toFixed(2)} MB`);
  const data: string[] = [];
  (function walk(dir: string) {
    for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      if (e.isDirectory()) walk(`${dir}/${e.name}`);
      else data.push(`${dir}/${e.name}`);
    }
  })('dist/data');
  const expected = ['package.json', 'README.md', 'LICENSE', 'THIRD_PARTY_NOTICES.md', 'dist/cli.js', 'dist/cliMain.js', 'dist/aws.js', 'dist/prism.wasm', ...data].sort();
  assert.deepEqual(packed.files.map((f) => f.path).sort(), expected);
});

test('the package has no dependencies, a bin, and builds itself before packing', () => {
  assert.equal(MANIFEST.dependencies, undefined);
  assert.equal(MANIFEST.private, undefined, 'npm publish would refuse a private package');
  assert.deepEqual(MANIFEST.bin, { 'ufo-iam': 'dist/cli.js' });
  // pre-commit's node hooks and `npm pack` on a fresh clone: dist/ is git-ignored, so packing builds it.
  assert.equal(MANIFEST.scripts.prepack, 'node scripts/build.mjs');
  assert.match(fs.readFileSync(path.join(ROOT, 'dist/cli.js'), 'utf8'), /^#!\/usr\/bin\/env node\n/);
  // Installed: the package alone, nothing fetched beside it.
  const installed = path.join(prefix, 'lib', 'node_modules');
  assert.deepEqual(fs.readdirSync(installed), ['ufo-iam']);
  assert.equal(fs.existsSync(path.join(installed, 'ufo-iam', 'node_modules')), false);
  assert.equal(fs.realpathSync(bin), path.join(installed, 'ufo-iam', 'dist', 'cli.js'));
});

/** Runs the installed ufo-iam in `cwd` with a clean AWS environment plus `env`. */
function ufoIam(args: string[], cwd: string, env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(AWS_|npm_|UFO_)/i.test(k)));
  return new Promise((resolve) => {
    const child = spawn(bin, args, {
      cwd,
      env: { ...base, HOME: path.join(scratch, 'home'), AWS_CONFIG_FILE: path.join(scratch, 'home', 'aws-config'), AWS_SHARED_CREDENTIALS_FILE: path.join(scratch, 'home', 'aws-credentials'), AWS_EC2_METADATA_DISABLED: 'true', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const project = () =>
  makeProject({
    '.ufo/config.rb': 'Ufo.configure do |config|\n  config.app = "shop"\nend\n',
    '.ufo/resources/iam_roles/task_role.rb': 'iam_policy("S3", Action: ["s3:GetObjekt"], Effect: "Allow", Resource: "arn:aws:s3:::shop/*")\n',
    '.ufo/resources/iam_roles/execution_role.rb': 'managed_iam_policy("service-role/AmazonECSTaskExecutionRolePolicy")\n',
  });

test('ufo-iam --version: the package version and the bundled IAM data', async () => {
  const r = await ufoIam(['--version'], scratch);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^ufo-iam ${MANIFEST.version.replace(/\./g, '\\.')}\\n`));
  assert.match(r.stdout, /iamData: \{"package":"@cloud-copilot\/iam-data"/);
});

test('ufo-iam check: the IAM data of the install finds the misspelt action and managed policy (exit 1), and --format sarif', async () => {
  const root = project();
  fs.writeFileSync(path.join(root, '.ufo/resources/iam_roles/execution_role.rb'), 'managed_iam_policy("AmazonS3ReadOnlyAcess")\n');
  const r = await ufoIam(['check'], root);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /\.ufo\/resources\/iam_roles\/task_role\.rb:1:\d+: warning INVALID_ACTION s3:GetObjekt .*Did you mean s3:GetObject\?/);
  assert.match(r.stdout, /\.ufo\/resources\/iam_roles\/execution_role\.rb:1:\d+: error UNKNOWN_MANAGED_POLICY /);
  const sarif = await ufoIam(['check', '--format', 'sarif'], root);
  assert.deepEqual(JSON.parse(sarif.stdout).runs[0].results.map((x: { ruleId: string }) => x.ruleId).sort(), ['INVALID_ACTION', 'UNKNOWN_MANAGED_POLICY']);
});

test('ufo-iam compile: both roles exactly as UFO builds them', async () => {
  const r = await ufoIam(['compile'], project());
  assert.equal(r.code, 0, r.stderr);
  const roles = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(roles), ['ExecutionRole', 'TaskRole']);
  assert.deepEqual(roles.ExecutionRole.Properties.ManagedPolicyArns, ['arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy']);
  assert.equal(roles.TaskRole.Properties.Policies[0].PolicyName, 'S3');
});

test('ufo-iam permissions: a managed policy document from the installed data; the second run from the code cache, the same', async () => {
  const root = project();
  const cacheDir = path.join(scratch, 'home', '.cache', 'ufo-iam', 'code-cache');
  const first = await ufoIam(['permissions', '--format', 'json'], root);
  assert.equal(first.code, 0, first.stderr);
  const actions = JSON.parse(first.stdout).ExecutionRole.allowed.map((a: { action: string }) => a.action);
  assert.ok(actions.includes('ecr:GetAuthorizationToken'), actions.join(', '));
  const files = fs.readdirSync(cacheDir).filter((f) => f.endsWith('-permissions.bin'));
  assert.equal(files.length, 1, 'the installed launcher keeps its code cache in the user\'s cache folder, a file per command');
  const cached = fs.readFileSync(path.join(cacheDir, files[0]!));
  const second = await ufoIam(['permissions', '--format', 'json'], root);
  assert.deepEqual(second, first);
  assert.ok(fs.readFileSync(path.join(cacheDir, files[0]!)).equals(cached), 'used, not made again');
});

test('ufo-iam plan against the local IAM endpoint: the pre-created roles it would create, nothing written', async () => {
  const endpoint = await startIamEndpoint();
  try {
    const root = makeProject({
      '.ufo/config.rb': 'Ufo.configure do |config|\n  config.app = "shop"\nend\n',
      '.ufo/precreated_iam_roles/task_role.rb': 'iam_policy("S3", Action: ["s3:GetObject"], Effect: "Allow", Resource: "arn:aws:s3:::shop/*")\n',
    });
    const r = await ufoIam(['plan', '--endpoint', endpoint.url, '--region', 'us-east-1', '--detailed-exitcode'], root, {
      AWS_ACCESS_KEY_ID: FAKE_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: FAKE_CREDENTIALS.secretAccessKey,
      AWS_SESSION_TOKEN: FAKE_CREDENTIALS.sessionToken,
    });
    assert.equal(r.code, 2, `changes under --detailed-exitcode\n${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /\+ role shop-web-dev-TaskRole \(TaskRole, \.ufo\/precreated_iam_roles\/task_role\.rb\) will be created/);
    assert.match(r.stdout, /Plan: \d+ to add, 0 to change, 0 to remove/);
    assert.ok(endpoint.requests.some((q) => q.action === 'GetRole'), 'the plan read the live role from the endpoint');
    assert.deepEqual(leakedSecrets(r.stdout + r.stderr), []);
  } finally {
    await endpoint.close();
  }
});
