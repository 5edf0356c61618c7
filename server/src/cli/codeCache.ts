// A V8 code cache for the CLI's bundle on Node versions without `module.enableCompileCache` (Node 20 and 22.0): the
// launcher (launch.ts) compiles the bundle itself with `vm.Script` and the bytecode that an earlier run of the same
// command stored, instead of compiling the bundle's functions again as they run (about 40 ms of a 300 ms run). The
// language server's launcher (server/src/launch.ts) loads the server's bundle the same way, under the command `server`;
// both go through launchBundle, which leaves it to Node where Node has a compile cache of its own.
//
// One cache file per command (`permissions`, `check`, …; V8 deserializes a whole cache when it compiles, so a file
// holds only what its command's first run compiled). Its header line gives the key of the bundle it was made from
// (the build's SHA-256 of the bundle, the bundle's size and modification time, Node's and V8's versions, the
// platform, the command) and the payload's length. The payload is used only when the key is this bundle's and the
// length is right; V8 then checks its own version, flags and the source length, and the payload's checksum (V8 skips
// that check in release builds unless `--verify-snapshot-checksum` is on, so loadWithCodeCache turns it on before it
// compiles or creates a cache: a changed byte is then a payload V8 refuses, found in native code in well under a
// millisecond, where our own checksum in JavaScript cost about 4 ms of every start). Anything else (no file, another
// bundle's, a truncated file, a payload V8 refuses) compiles the bundle without a cache, exactly as Node would, and
// writes a new cache at exit, unless the run ended in a usage error (exit 2: a misspelt command gets no file).
// Writing goes to a temporary file that is renamed into place, so a reader never sees half a file, and every failure
// (no home folder, a read-only or full disk) is ignored: the cache can make a run faster, never break it. A cache
// folder that another user owns or may write to (an XDG_CACHE_HOME in a shared place) is not used: its files would be
// code this user runs.
import * as fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import * as path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import * as vm from 'node:vm';
import { textOfBytes } from '../project/bytesText';

const MAGIC = 'ufo-iam code cache 3 ';
/** V8 verifies a code cache's checksum only with this flag (in its flag hash: a cache made without it is refused). */
const VERIFY_FLAG = '--verify-snapshot-checksum';
/** Header lines are padded to a multiple of this, so the payload is aligned as V8 reads it (it copies a payload that is not). */
const ALIGN = 8;
const MAX_HEADER = 64 * 1024;
/** Cache files not written for this long are removed when another one is written (old installs, old Node versions). */
const MAX_AGE_MS = 30 * 86_400_000;
/** The exit code of a usage error (cli/io.ts). */
const USAGE_EXIT = 2;

export interface CodeCacheOptions {
  /** The CommonJS bundle to load (absolute). */
  readonly file: string;
  /** What identifies the bundle's content: the SHA-256 that the build computed of it. */
  readonly build: string;
  /** The folder of the cache files; undefined: no cache. */
  readonly dir: string | undefined;
  /** The subcommand of this run: letters and hyphens, '' for none (`--version`, `--help`). */
  readonly command: string;
  /**
   * Called once the cache file is read and checked, before the bundle is compiled (the launchers set their V8 flags
   * there, so the bundle's code is compiled with them).
   */
  readonly beforeCompile?: () => void;
}

/** What the run found: `used` the cache, or why it compiled without one. */
export type CodeCacheStatus = 'used' | 'off' | 'missing' | 'stale' | 'corrupt' | 'rejected';

export interface LoadedBundle {
  /** The bundle's `module.exports`. */
  readonly exports: unknown;
  readonly status: CodeCacheStatus;
  /** Writes the cache when this run should (call it at exit with the exit code, once the command has run). */
  save(exitCode?: number): 'written' | 'unchanged' | 'failed';
}

interface Header {
  readonly key: Readonly<Record<string, string | number>>;
  readonly length: number;
}

/** The cache file of a bundle's command: one per bundle path, Node version, architecture and command. */
export function cacheFileOf(dir: string, file: string, command: string): string {
  const name = /^[a-z][a-z-]{0,31}$/.test(command) ? command : 'none';
  return path.join(dir, `cli-${shortHash(`${file}\0${process.version}\0${process.arch}`)}-${name}.bin`);
}

/** Loads the bundle as Node loads a CommonJS module, compiled with the cache when there is a valid one. */
export function loadWithCodeCache(options: CodeCacheOptions): LoadedBundle {
  const { file } = options;
  const source = textOfBytes(fs.readFileSync(file));
  let key: Header['key'] | undefined;
  let payload: Buffer | undefined;
  let status: CodeCacheStatus = 'off';
  const cacheFile = options.dir !== undefined && ownCacheFolder(options.dir) ? cacheFileOf(options.dir, file, options.command) : undefined;
  if (cacheFile !== undefined) {
    key = keyOf(file, options.build, options.command);
    const read = readCacheFile(cacheFile, key);
    status = read.status;
    if (read.status === 'used') payload = read.payload;
  }
  if (cacheFile !== undefined) setFlagsFromString(VERIFY_FLAG);
  options.beforeCompile?.();
  const wrapper = `${WRAPPER_HEAD}${source}${WRAPPER_TAIL}`;
  let script: vm.Script | undefined;
  if (payload) {
    try {
      script = new vm.Script(wrapper, { filename: file, cachedData: payload });
    } catch {
      // Compiled again below without the cache (a syntax error then shows as Node would show it).
    }
    if (!script || script.cachedDataRejected) {
      script = undefined;
      status = 'rejected';
    }
  }
  const compiled = script ?? new vm.Script(wrapper, { filename: file });
  const mod = new Module(file, module);
  mod.filename = file;
  const run = compiled.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
  run.call(mod.exports, mod.exports, createRequire(file), mod, file, path.dirname(file));
  mod.loaded = true;
  let saved = false;
  return {
    exports: mod.exports,
    status,
    save(exitCode) {
      if (saved || cacheFile === undefined || key === undefined || status === 'used' || exitCode === USAGE_EXIT) return 'unchanged';
      saved = true;
      try {
        writeCacheFile(cacheFile, key, compiled.createCachedData());
        return 'written';
      } catch {
        return 'failed';
      }
    },
  };
}

/** What a launcher gives launchBundle: its bundle, the build's SHA-256 of it, its cache folder and command, its V8 flags. */
export interface LaunchOptions {
  readonly file: string;
  /** Undefined when the launcher was built without it: no cache of ours. */
  readonly build: string | undefined;
  readonly dir: string | undefined;
  readonly command: string;
  /**
   * Node's modules that the bundle requires as it starts, loaded before the flags are set. V8's flags are part of the
   * hash that Node's own compiled code of its modules is checked against: a module of Node loaded after any flag is
   * set is compiled from its source (`node:net`, which the server needs, and the modules it loads: about 2 ms more).
   */
  readonly builtins?: readonly string[];
  /** Sets the process's V8 flags; called once, before the bundle is compiled. */
  readonly tune: () => void;
}

/** A launched bundle: its exports, what it found of a cache (`used`, `missing`, … or `node:<status>`), and how to store it. */
export interface LaunchedBundle {
  readonly exports: unknown;
  readonly status: string;
  /** Stores the compiled code, once (later calls do nothing): Node's cache flushed, or ours written (loadWithCodeCache). */
  save(exitCode?: number): void;
}

type NodeCompileCache = {
  enableCompileCache?: (dir?: string) => { status?: number } | undefined;
  flushCompileCache?: () => void;
  constants?: { compileCacheStatus?: Record<string, number> };
};

/**
 * Loads a launcher's bundle with compiled code of an earlier run: where Node has `module.enableCompileCache` (22.1 and
 * later) Node's own cache in the same folder, elsewhere ours (loadWithCodeCache). NODE_DISABLE_COMPILE_CACHE=1 turns
 * both off. The two launchers (cli/launch.ts, launch.ts) differ only in their bundle, flags and when they store.
 */
export function launchBundle(options: LaunchOptions): LaunchedBundle {
  for (const name of options.builtins ?? []) require(name);
  const node = Module as unknown as NodeCompileCache;
  const disabled = !!process.env.NODE_DISABLE_COMPILE_CACHE;
  if (typeof node.enableCompileCache === 'function' || disabled || options.build === undefined) {
    options.tune();
    let status = 'off';
    if (typeof node.enableCompileCache === 'function' && !disabled) {
      try {
        const result = options.dir !== undefined && ownCacheFolder(options.dir) ? node.enableCompileCache(options.dir) : undefined;
        const statuses = node.constants?.compileCacheStatus ?? {};
        status = `node:${Object.keys(statuses).find((k) => statuses[k] === result?.status)?.toLowerCase() ?? 'off'}`;
      } catch {
        // Runs without.
      }
    }
    let flushed = false;
    // Node writes its cache at exit; where it can, sooner, as an editor may end the server without an exit.
    return {
      exports: require(options.file),
      status,
      save() {
        if (flushed) return;
        flushed = true;
        node.flushCompileCache?.();
      },
    };
  }
  const loaded = loadWithCodeCache({ file: options.file, build: options.build, dir: options.dir, command: options.command, beforeCompile: options.tune });
  return { exports: loaded.exports, status: loaded.status, save: (exitCode) => void loaded.save(exitCode) };
}

// Node's own CommonJS wrapper (`Module.wrap`), so the bundle sees what `require` would give it.
const WRAPPER_HEAD = '(function (exports, require, module, __filename, __dirname) { ';
const WRAPPER_TAIL = '\n});';

/**
 * Makes the cache folder (only the user may enter it) and tells whether it is the user's own and nobody else may
 * write to it; on Windows, where modes say nothing about that, whether it is a folder.
 */
export function ownCacheFolder(dir: string): boolean {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stat = fs.statSync(dir);
    if (!stat.isDirectory()) return false;
    if (process.platform === 'win32' || typeof process.getuid !== 'function') return true;
    return stat.uid === process.getuid() && (stat.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

function keyOf(file: string, build: string, command: string): Header['key'] {
  const stat = fs.statSync(file);
  return { build, size: stat.size, mtimeMs: stat.mtimeMs, node: process.version, v8: process.versions.v8, platform: process.platform, arch: process.arch, command };
}

function readCacheFile(cacheFile: string, key: Header['key']): { status: 'used'; payload: Buffer } | { status: 'missing' | 'stale' | 'corrupt' } {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(cacheFile);
  } catch {
    return { status: 'missing' };
  }
  try {
    const end = bytes.indexOf(10);
    if (end < 0 || end > MAX_HEADER || bytes.toString('latin1', 0, MAGIC.length) !== MAGIC) return { status: 'corrupt' };
    const header = JSON.parse(bytes.toString('latin1', MAGIC.length, end)) as Header;
    if (!header || typeof header !== 'object' || !header.key || typeof header.key !== 'object') return { status: 'corrupt' };
    if (!sameKey(header.key, key)) return { status: 'stale' };
    const payload = bytes.subarray(end + 1);
    if (payload.length !== header.length) return { status: 'corrupt' };
    return { status: 'used', payload };
  } catch {
    return { status: 'corrupt' };
  }
}

function sameKey(a: Header['key'], b: Header['key']): boolean {
  const names = Object.keys(b);
  return Object.keys(a).length === names.length && names.every((n) => a[n] === b[n]);
}

function writeCacheFile(cacheFile: string, key: Header['key'], payload: Buffer): void {
  const dir = path.dirname(cacheFile);
  const header: Header = { key, length: payload.length };
  let line = MAGIC + JSON.stringify(header);
  line += ' '.repeat((ALIGN - ((line.length + 1) % ALIGN)) % ALIGN);
  const tmp = `${cacheFile}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, Buffer.concat([Buffer.from(`${line}\n`, 'latin1'), payload]), { mode: 0o600 });
    fs.renameSync(tmp, cacheFile);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  removeOldFiles(dir, cacheFile);
}

function removeOldFiles(dir: string, keep: string): void {
  const now = Date.now();
  for (const name of fs.readdirSync(dir)) {
    const p = path.join(dir, name);
    if (p === keep || !/^cli-[0-9a-f]+(-[a-z-]+)?\.bin(\.\d+\.tmp)?$/.test(name)) continue;
    try {
      if (now - fs.statSync(p).mtimeMs > MAX_AGE_MS) fs.rmSync(p, { force: true });
    } catch {
      // Another process removed or replaced it.
    }
  }
}

function shortHash(s: string): string {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return (h >>> 0).toString(16).padStart(8, '0');
}
