// The `.ufo` folder of a project as it is at a git ref, for `ufo-iam diff --base REF` (docs/evaluation.md, "Comparing
// with a git ref"): materialised into a temporary folder that is then opened as a project like any other, so both
// sides go through the same reader, compiler and evaluator. Git is asked with plumbing only (rev-parse, ls-tree,
// cat-file) and never touches the working tree, the index or a lock (GIT_OPTIONAL_LOCKS=0); pathspecs are literal,
// so a project folder named with `*` or `:` is not a pattern.
//
// A repository is untrusted input, as on disk (project/readProjectFile.ts): symbolic links (mode 120000) and
// submodules are skipped, a blob over the project file cap is not written (the reader would refuse it anyway), and
// the whole folder is capped in files and bytes, so a hostile history cannot fill the disk or the memory.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openProject, type ProjectContext } from './projectContext';
import { evaluationSource } from './projectStatements';
import { MAX_PROJECT_FILE_BYTES } from './readProjectFile';

/** At most this many files of the ref's `.ufo` folder are materialised (the disk listing stops at 5000 too). */
export const MAX_BASE_FILES = 5000;
/** At most this many bytes in all. */
export const MAX_BASE_BYTES = 64 * 1024 * 1024;

/** Why the base cannot be read, in one line for the user. */
export class GitBaseError extends Error {
  override readonly name = 'GitBaseError';
}

export interface GitBase {
  /** The ref as given, and the commit it names. */
  readonly ref: string;
  readonly commit: string;
  /** The project's folder inside the repository (POSIX, "" at the top), for `REF:path` labels. */
  readonly projectPath: string;
  /** The materialised project: a folder holding the ref's `.ufo/`, named like the project's folder. */
  readonly root: string;
  /** Files of the ref's `.ufo/` that were not materialised, with the reason (project-relative POSIX paths). */
  readonly skipped: ReadonlyArray<{ readonly path: string; readonly reason: string }>;
  /** Removes the temporary folder. */
  dispose(): void;
}

export interface GitBaseOptions {
  /** The git executable (default `git` from PATH). */
  readonly git?: string;
}

interface Run {
  readonly status: number | null;
  readonly stdout: Buffer;
  readonly stderr: string;
}

function runGit(git: string, cwd: string, args: string[], input?: Buffer): Run {
  const r = spawnSync(git, args, {
    cwd,
    input,
    maxBuffer: MAX_BASE_BYTES + 16 * 1024 * 1024,
    env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', GIT_LITERAL_PATHSPECS: '1', GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' },
    windowsHide: true,
  });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new GitBaseError(`git is not installed (or not on PATH): --base needs it to read the ref`);
    throw new GitBaseError(`git could not run: ${r.error.message}`);
  }
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.toString('utf8').trim() };
}

const firstLine = (s: string): string => s.split('\n')[0] ?? '';

/** One entry of `git ls-tree -r -l -z`: `<mode> <type> <object> <size>\t<path>`. */
interface TreeEntry {
  readonly mode: string;
  readonly type: string;
  readonly object: string;
  readonly size: number;
  readonly path: string;
}

function parseTree(out: Buffer): TreeEntry[] {
  const entries: TreeEntry[] = [];
  for (const record of out.toString('utf8').split('\0')) {
    if (record === '') continue;
    const tab = record.indexOf('\t');
    const [mode, type, object, size] = record.slice(0, tab).split(/ +/);
    entries.push({ mode, type, object, size: size === '-' ? 0 : Number(size), path: record.slice(tab + 1) });
  }
  return entries;
}

/** The blobs of `git cat-file --batch` in the order asked: `<object> <type> <size>\n<content>\n` each. */
function parseBatch(out: Buffer, count: number): Buffer[] {
  const blobs: Buffer[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    const nl = out.indexOf(0x0a, at);
    if (nl < 0) throw new GitBaseError('git cat-file ended early');
    const header = out.subarray(at, nl).toString('utf8').split(' ');
    if (header[1] === 'missing' || header.length < 3) throw new GitBaseError(`git has no object ${header[0]}`);
    const size = Number(header[2]);
    blobs.push(out.subarray(nl + 1, nl + 1 + size));
    at = nl + 1 + size + 1;
  }
  return blobs;
}

/**
 * Materialises the `.ufo/` folder of the project at `projectRoot` as it is at `ref`. Throws GitBaseError (one line)
 * when git is missing, the project is not in a git repository, or the ref names no commit.
 */
export function readGitBase(projectRoot: string, ref: string, options: GitBaseOptions = {}): GitBase {
  const git = options.git ?? 'git';
  if (ref === '' || ref.startsWith('-')) throw new GitBaseError(`--base needs a git ref (a branch, tag or commit), not "${ref}"`);
  const top = runGit(git, projectRoot, ['rev-parse', '--show-toplevel']);
  if (top.status !== 0) throw new GitBaseError(`${projectRoot} is not inside a git repository (${firstLine(top.stderr) || 'git rev-parse failed'})`);
  const toplevel = top.stdout.toString('utf8').trim();
  const verified = runGit(git, toplevel, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]);
  if (verified.status !== 0) throw new GitBaseError(`unknown git ref "${ref}": it names no commit of ${toplevel}`);
  const commit = verified.stdout.toString('utf8').trim();
  const projectPath = path.relative(fs.realpathSync(toplevel), fs.realpathSync(projectRoot)).split(path.sep).join('/');
  if (projectPath.startsWith('..')) throw new GitBaseError(`${projectRoot} is outside its git repository ${toplevel}`);
  const ufo = projectPath ? `${projectPath}/.ufo` : '.ufo';

  const listed = runGit(git, toplevel, ['ls-tree', '-r', '-l', '-z', '--full-tree', commit, '--', ufo]);
  if (listed.status !== 0) throw new GitBaseError(`git ls-tree failed: ${firstLine(listed.stderr)}`);
  const skipped: Array<{ path: string; reason: string }> = [];
  const wanted: Array<{ entry: TreeEntry; rel: string }> = [];
  let bytes = 0;
  for (const entry of parseTree(listed.stdout)) {
    const rel = projectPath ? entry.path.slice(projectPath.length + 1) : entry.path;
    if (!rel.startsWith('.ufo/') || rel.split('/').some((s) => s === '..' || s === '.' || s === '')) continue;
    if (entry.type !== 'blob') skipped.push({ path: rel, reason: 'a submodule' });
    else if (entry.mode === '120000') skipped.push({ path: rel, reason: 'a symbolic link' });
    else if (entry.size > MAX_PROJECT_FILE_BYTES) skipped.push({ path: rel, reason: `larger than ${MAX_PROJECT_FILE_BYTES / (1024 * 1024)} MB` });
    else if (wanted.length >= MAX_BASE_FILES || bytes + entry.size > MAX_BASE_BYTES) skipped.push({ path: rel, reason: 'past the limit of files read from a ref' });
    else {
      wanted.push({ entry, rel });
      bytes += entry.size;
    }
  }
  const blobs: Buffer[] = [];
  if (wanted.length > 0) {
    const batch = runGit(git, toplevel, ['cat-file', '--batch'], Buffer.from(wanted.map((w) => `${w.entry.object}\n`).join('')));
    if (batch.status !== 0) throw new GitBaseError(`git cat-file failed: ${firstLine(batch.stderr)}`);
    blobs.push(...parseBatch(batch.stdout, wanted.length));
  }

  // Named like the project's folder: a role name taken from the folder name is the same on both sides.
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'ufo-iam-base-'));
  const root = path.join(temp, path.basename(fs.realpathSync(projectRoot)) || 'project');
  try {
    fs.mkdirSync(path.join(root, '.ufo'), { recursive: true });
    wanted.forEach((w, i) => {
      const file = path.join(root, ...w.rel.split('/'));
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, blobs[i], { flag: 'wx' });
    });
  } catch (e) {
    fs.rmSync(temp, { recursive: true, force: true });
    throw new GitBaseError(`could not write the files of ${ref} to a temporary folder: ${(e as Error).message}`);
  }
  return { ref, commit, projectPath, root, skipped, dispose: () => fs.rmSync(temp, { recursive: true, force: true }) };
}

/**
 * The project as it is at `ref`, opened with the working tree's settings, environment and app, and reading the same
 * role files (UFO's or the pre-created folder's) as the working tree's project: so the two sides differ only in
 * what the ref's files say. The caller disposes of `base`.
 */
export function openProjectAtRef(context: ProjectContext, ref: string, options: GitBaseOptions = {}): { base: GitBase; context: ProjectContext } {
  const base = readGitBase(context.root, ref, options);
  try {
    const settings = {
      ...context.settings,
      ...(context.app !== undefined ? { app: context.app } : {}),
      applyTarget: evaluationSource(context) === 'precreated' ? ('precreated' as const) : ('stack' as const),
    };
    return { base, context: openProject(base.root, { settings, env: context.env }) };
  } catch (e) {
    base.dispose();
    throw e;
  }
}
