// The one way ufo-iam reads a file from disk. A cloned repository is untrusted input: git stores symbolic links,
// so a role file can be a link to /dev/zero (an endless read) or to a file elsewhere on the machine, and a project
// can hold a FIFO (opening it for reading blocks until some writer appears) or a file of gigabytes. Every read
// therefore
//   - resolves the path (every link, also those of the folders above it) and refuses a target outside the
//     project's own folder (for a file named on the command line: any target, but still a regular file);
//   - refuses anything but a regular file: FIFOs, sockets, character and block devices, folders;
//   - refuses a file over the size cap before reading it, and reads at most the cap from the open descriptor
//     (a file that grows while it is read is cut off and refused, never read on and on);
//   - opens without blocking (O_NONBLOCK) and checks the open descriptor again, so a path swapped for a FIFO
//     between the check and the open cannot hang the process either.
// What cannot be read comes back as a message that says why, for the caller to show (a finding at the file's
// first character, a CLI message, a line of the preview); it never throws.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Largest file read: far above any real role file, template or settings file (a role's policies are capped at 10 KB). */
export const MAX_PROJECT_FILE_BYTES = 1024 * 1024;

export type FileRead =
  | { readonly ok: true; readonly text: string }
  /** `missing`: there is no such file (not a problem to report where a file is optional). */
  | { readonly ok: false; readonly missing: boolean; readonly reason: string };

export interface ReadOptions {
  /** Size cap in bytes (default MAX_PROJECT_FILE_BYTES). */
  readonly maxBytes?: number;
}

/** What kind of file a stat describes, for messages ("a FIFO (named pipe)"). */
function kindOf(st: fs.Stats): string {
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  if (st.isDirectory()) return 'a folder';
  if (st.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

function isInside(dir: string, target: string): boolean {
  const rel = path.relative(dir, target);
  return rel === '' || (!rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel));
}

function errnoText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err?.code === 'ELOOP') return 'a loop of symbolic links';
  if (err?.code === 'EACCES' || err?.code === 'EPERM') return 'not readable (permission denied)';
  return err?.code ?? (e instanceof Error ? e.message : String(e));
}

/**
 * Reads `file` (absolute) as UTF-8 under the rules above. With `root`, the resolved file must lie inside the
 * resolved `root`; without it (a path the user named), it may lie anywhere.
 */
export function readFileSafely(file: string, root?: string, options: ReadOptions = {}): FileRead {
  const maxBytes = options.maxBytes ?? MAX_PROJECT_FILE_BYTES;
  let link: fs.Stats;
  try {
    link = fs.lstatSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException)?.code;
    return code === 'ENOENT' || code === 'ENOTDIR'
      ? { ok: false, missing: true, reason: 'no such file' }
      : { ok: false, missing: false, reason: errnoText(e) };
  }
  let real: string;
  try {
    real = fs.realpathSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException)?.code;
    if (code === 'ENOENT') {
      let target = 'a path';
      try {
        target = fs.readlinkSync(file);
      } catch {
        /* a link in a folder above it is the broken one */
      }
      return { ok: false, missing: false, reason: `a symbolic link to ${target}, which does not exist` };
    }
    return { ok: false, missing: false, reason: errnoText(e) };
  }
  if (root !== undefined) {
    let realRoot: string;
    try {
      realRoot = fs.realpathSync(root);
    } catch (e) {
      return { ok: false, missing: false, reason: `its project folder cannot be resolved (${errnoText(e)})` };
    }
    if (!isInside(realRoot, real)) {
      const what = link.isSymbolicLink() ? 'a symbolic link' : 'reached through a symbolic link';
      return { ok: false, missing: false, reason: `${what} to ${real}, outside the project: ufo-iam reads only files inside it` };
    }
  }
  let st: fs.Stats;
  try {
    st = fs.statSync(real);
  } catch (e) {
    return { ok: false, missing: false, reason: errnoText(e) };
  }
  const via = link.isSymbolicLink() ? `a symbolic link to ${real}, which is ` : '';
  if (!st.isFile()) return { ok: false, missing: false, reason: `${via}${kindOf(st)}, not a regular file` };
  if (st.size > maxBytes) return { ok: false, missing: false, reason: `${via}${sizeText(st.size)}, over the ${sizeText(maxBytes)} that ufo-iam reads` };

  let fd: number;
  try {
    fd = fs.openSync(real, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | fs.constants.O_NOFOLLOW);
  } catch (e) {
    return { ok: false, missing: false, reason: errnoText(e) };
  }
  try {
    const opened = fs.fstatSync(fd);
    if (!opened.isFile()) return { ok: false, missing: false, reason: `${kindOf(opened)}, not a regular file` };
    let chunk = Buffer.allocUnsafe(Math.min(maxBytes + 1, Math.max(opened.size + 1, 4096)));
    let length = 0;
    for (;;) {
      if (length === chunk.length) {
        if (chunk.length > maxBytes) break;
        const bigger = Buffer.allocUnsafe(Math.min(maxBytes + 1, chunk.length * 2));
        chunk.copy(bigger, 0, 0, length);
        chunk = bigger;
      }
      const n = fs.readSync(fd, chunk, length, chunk.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > maxBytes) return { ok: false, missing: false, reason: `grew past the ${sizeText(maxBytes)} that ufo-iam reads while it was read` };
    return { ok: true, text: chunk.toString('utf8', 0, length) };
  } catch (e) {
    return { ok: false, missing: false, reason: errnoText(e) };
  } finally {
    fs.closeSync(fd);
  }
}

/** Reads `rel` (project-relative, `/` separators) of the project at `root`, which the file may not leave. */
export function readProjectFile(root: string, rel: string, options: ReadOptions = {}): FileRead {
  return readFileSafely(path.join(root, ...rel.split('/')), root, options);
}
