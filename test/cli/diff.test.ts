// `ufo-iam diff --base GITREF` as a user runs it: the bundled CLI on a git repository made here (a project in a
// subfolder, a committed role file changed in the working tree, a role file added since), in its three formats
// (Markdown against a golden file; UFO_IAM_UPDATE_GOLDEN=1 rewrites it), its errors, and git never touching the
// working tree or the index. project/gitBase.ts directly for what the CLI cannot provoke (git missing, links).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT } from '../support/core';
import { GitBaseError, readGitBase } from '../../server/src/project/gitBase';

const CLI = path.join(ROOT, 'dist/cli.js');
const GOLDEN = path.join(ROOT, 'test/fixtures/formats');

// A fixed identity and clock, and no user or system configuration: the commits (and their ids) are the same on every run.
const GIT_ENV = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: os.devNull,
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  GIT_AUTHOR_DATE: '2026-01-02T03:04:05Z',
  GIT_COMMITTER_DATE: '2026-01-02T03:04:05Z',
};

// Every folder a test makes, removed at the end.
const made: string[] = [];
after(() => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
});
const tempDir = (prefix: string): string => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(d);
  return d;
};

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: GIT_ENV });
  assert.equal(r.status, 0, `git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

function write(root: string, rel: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), text);
}

function diff(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [CLI, 'diff', ...args], { cwd, encoding: 'utf8', env: { ...GIT_ENV, UFO_APP: '', UFO_ENV: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function golden(name: string, actual: string): void {
  const file = path.join(GOLDEN, name);
  if (process.env.UFO_IAM_UPDATE_GOLDEN) fs.writeFileSync(file, actual);
  assert.equal(actual, fs.readFileSync(file, 'utf8'), `${name} differs (UFO_IAM_UPDATE_GOLDEN=1 rewrites it)`);
}

const BASE_TASK_ROLE = 'iam_policy("App", Action: ["s3:GetObject", "s3:GetObjectTagging", "sqs:SendMessage"], Effect: "Allow", Resource: "*")\n';
const TASK_ROLE = 'iam_policy("App", Action: ["s3:GetObject", "sqs:SendMessage", "iam:PassRole"], Effect: "Allow", Resource: "*")\n';
const EXECUTION_ROLE = 'managed_iam_policy("service-role/AmazonECSTaskExecutionRolePolicy")\n';

/** repo/ with the project in repo/app: the task role committed on main, then changed and an execution role added, uncommitted. */
function repository(): { repo: string; status: () => string; index: () => number } {
  const repo = tempDir('ufo-iam-diff-');
  git(repo, 'init', '-q', '-b', 'main');
  write(repo, 'app/.ufo/settings.yml', 'development:\n  aws_profile: default\n');
  write(repo, 'app/.ufo/iam_roles/task_role.rb', BASE_TASK_ROLE);
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'base');
  write(repo, 'app/.ufo/iam_roles/task_role.rb', TASK_ROLE);
  write(repo, 'app/.ufo/iam_roles/execution_role.rb', EXECUTION_ROLE);
  // `git status` may refresh the index itself unless told not to take optional locks.
  const status = () => spawnSync('git', ['status', '--porcelain'], { cwd: repo, encoding: 'utf8', env: { ...GIT_ENV, GIT_OPTIONAL_LOCKS: '0' } }).stdout;
  return { repo, status, index: () => fs.statSync(path.join(repo, '.git/index')).mtimeMs };
}

describe('ufo-iam diff --base', () => {
  let r: ReturnType<typeof repository>;
  before(() => {
    r = repository();
  });

  test('text: the escalation action added, the Read action removed, the new role file all added; the tree and index untouched', () => {
    const status = r.status();
    const index = r.index();
    const out = diff(['--base', 'main', 'app'], r.repo);
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /^ufo-iam diff: the roles' access at main \([0-9a-f]{12}\) → the working tree\n/);
    assert.match(out.stdout, /\n~ TaskRole \(app\/\.ufo\/iam_roles\/task_role\.rb\):\n {2}\+ 1 action: 1 privilege escalation \(iam:PassRole on \*\)\n {2}- 1 action: 1 Read\n {4}\+ iam:PassRole on \* \(Write; privilege escalation\)\n {4}- s3:GetObjectTagging on \* \(Read\)\n/);
    assert.match(out.stdout, /\n~ ExecutionRole \(app\/\.ufo\/iam_roles\/execution_role\.rb\): new since main:\n {2}\+ 6 actions: 4 Read, 2 Write\n/);
    assert.match(out.stdout, /\nnote: Only the role's identity-based policies are evaluated: .* IAM data of \d{4}-\d{2}-\d{2} \(managed policies as of \d{4}-\d{2}-\d{2}\)\.\n$/);
    assert.equal(r.index(), index, 'the index was not rewritten');
    assert.equal(r.status(), status, 'git status is the same');
    // --role picks one; --detailed-exitcode says there is a change.
    const one = diff(['--base', 'main', 'app', '--role', 'ExecutionRole', '--detailed-exitcode'], r.repo);
    assert.equal(one.code, 2, one.stderr);
    assert.doesNotMatch(one.stdout, /TaskRole/);
  });

  test('json: per role its status, files and access entries; the base commit; what is not considered', () => {
    const out = diff(['--base', 'main', 'app', '--format', 'json'], r.repo);
    assert.equal(out.code, 0, out.stderr);
    const j = JSON.parse(out.stdout);
    assert.equal(j.base.ref, 'main');
    assert.equal(j.base.commit, git(r.repo, 'rev-parse', 'main').trim());
    assert.equal(j.hasChanges, true);
    assert.match(j.notConsidered, /permissions boundaries/);
    const [task, exec] = j.roles;
    assert.deepEqual([task.logicalId, task.status, task.file, task.baseFile], ['TaskRole', 'changed', 'app/.ufo/iam_roles/task_role.rb', 'main:app/.ufo/iam_roles/task_role.rb']);
    assert.deepEqual(task.access.added, [{ action: 'iam:PassRole', accessLevel: 'Write', resources: ['*'], conditional: false, escalation: true }]);
    assert.deepEqual(task.access.removed, [{ action: 's3:GetObjectTagging', accessLevel: 'Read', resources: ['*'], conditional: false }]);
    assert.deepEqual(task.access.changed, []);
    assert.deepEqual([exec.logicalId, exec.status, exec.baseFile], ['ExecutionRole', 'added', undefined]);
    assert.ok(exec.access.added.some((a: { action: string }) => a.action === 'ecr:GetAuthorizationToken'));
  });

  test('markdown: a pull-request comment (golden file)', () => {
    const out = diff(['--base', 'main', 'app', '--format', 'markdown'], r.repo);
    assert.equal(out.code, 0, out.stderr);
    golden('diff.md', out.stdout);
  });

  test('the same role files as the ref: no change, exit 0 with --detailed-exitcode; a role file removed since', () => {
    const repo = tempDir('ufo-iam-diff-');
    git(repo, 'init', '-q', '-b', 'main');
    write(repo, '.ufo/settings.yml', '');
    write(repo, '.ufo/iam_roles/task_role.rb', TASK_ROLE);
    write(repo, '.ufo/iam_roles/execution_role.rb', EXECUTION_ROLE);
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'base');
    const same = diff(['--base', 'HEAD', '--detailed-exitcode'], repo);
    assert.equal(same.code, 0, same.stderr);
    assert.match(same.stdout, /\n {2}TaskRole \(\.ufo\/iam_roles\/task_role\.rb\): no change in what the role allows\n/);
    fs.rmSync(path.join(repo, '.ufo/iam_roles/execution_role.rb'));
    const gone = diff(['--base', 'HEAD', '--format', 'json', '--detailed-exitcode'], repo);
    assert.equal(gone.code, 2, gone.stderr);
    const exec = JSON.parse(gone.stdout).roles.find((x: { logicalId: string }) => x.logicalId === 'ExecutionRole');
    assert.equal(exec.status, 'removed');
    assert.equal(exec.baseFile, 'HEAD:.ufo/iam_roles/execution_role.rb');
    assert.match(exec.access.summary[0], /^- 6 actions: 4 Read, 2 Write$/);
  });

  test('errors: one line each; an unknown ref or a folder outside git exits 1, a missing --base or a bad format 2', () => {
    const unknown = diff(['--base', 'no-such-branch', 'app'], r.repo);
    assert.equal(unknown.code, 1);
    assert.equal(unknown.stderr, `ufo-iam diff: unknown git ref "no-such-branch": it names no commit of ${fs.realpathSync(r.repo)}\n`);
    const loose = tempDir('ufo-iam-nogit-');
    write(loose, '.ufo/iam_roles/task_role.rb', TASK_ROLE);
    const outside = diff(['--base', 'main'], loose);
    assert.equal(outside.code, 1);
    assert.match(outside.stderr, /^ufo-iam diff: \S+ is not inside a git repository \(.*\)\n$/);
    const option = diff(['--base', '--output=x', 'app'], r.repo);
    assert.equal(option.code, 1);
    assert.match(option.stderr, /^ufo-iam diff: --base needs a git ref/);
    const missing = diff(['app'], r.repo);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--base GITREF is required/);
    assert.equal(diff(['--base', 'main', 'app', '--format', 'sarif'], r.repo).code, 2);
  });
});

describe('project/gitBase.ts', () => {
  test('git missing is one clear line', () => {
    const { repo } = repository();
    assert.throws(() => readGitBase(path.join(repo, 'app'), 'main', { git: path.join(repo, 'no-git-here') }), (e: unknown) => e instanceof GitBaseError && /^git is not installed/.test(e.message));
  });

  test('symbolic links and files over the cap at the ref are skipped, not written; the rest is materialised', () => {
    const repo = tempDir('ufo-iam-diff-');
    git(repo, 'init', '-q', '-b', 'main');
    write(repo, '.ufo/iam_roles/task_role.rb', TASK_ROLE);
    write(repo, '.ufo/templates/huge.json.erb', 'x'.repeat(1024 * 1024 + 1));
    fs.symlinkSync('/etc/passwd', path.join(repo, '.ufo/iam_roles/execution_role.rb'));
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'base');
    const base = readGitBase(repo, 'main');
    try {
      assert.deepEqual(base.skipped.map((s) => [s.path, s.reason]).sort(), [
        ['.ufo/iam_roles/execution_role.rb', 'a symbolic link'],
        ['.ufo/templates/huge.json.erb', 'larger than 1 MB'],
      ]);
      assert.equal(base.projectPath, '');
      assert.equal(base.commit, git(repo, 'rev-parse', 'HEAD').trim());
      assert.equal(fs.readFileSync(path.join(base.root, '.ufo/iam_roles/task_role.rb'), 'utf8'), TASK_ROLE);
      assert.equal(fs.existsSync(path.join(base.root, '.ufo/iam_roles/execution_role.rb')), false);
      assert.equal(path.basename(base.root), path.basename(fs.realpathSync(repo)));
    } finally {
      base.dispose();
    }
    assert.equal(fs.existsSync(base.root), false);
  });
});
