// The CLI's code cache (server/src/cli/codeCache.ts, launched by launch.ts as dist/cli.js): used only for the bundle
// it was made from, rewritten when the bundle changes, ignored when damaged, and never in the way of a run, whatever
// happens to the cache folder. In-process on small bundles, then the real dist/cli.js. Needs `npm run build`.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { cacheFileOf, loadWithCodeCache, type CodeCacheOptions } from '../../server/src/cli/codeCache';
import { ROOT } from '../support/core';
import { makeProject } from '../support/project';

const scratch = () => fs.mkdtempSync(path.join(os.tmpdir(), 'ufo-iam-code-cache-'));

/** A small CommonJS bundle with enough functions to cache; `value` changes what it exports. */
function bundleSource(value: string): string {
  const fns = Array.from({ length: 50 }, (_, i) => `function f${i}(x) { return x.map((y) => y * ${i} + ${JSON.stringify(value)}.length); }`).join('\n');
  return `"use strict";\n${fns}\nexports.value = ${JSON.stringify(value)};\nexports.sum = f49([1, 2]).concat(f1([3]));\nexports.file = __filename;\nexports.req = typeof require('node:path').join;\n`;
}

function setUp(value = 'one') {
  const dir = scratch();
  const file = path.join(dir, 'bundle.js');
  fs.writeFileSync(file, bundleSource(value));
  const options: CodeCacheOptions = { file, build: 'build-1', dir: path.join(dir, 'cache'), command: 'permissions' };
  return { dir, file, options, cacheFile: cacheFileOf(options.dir!, file, options.command) };
}

describe('loadWithCodeCache', () => {
  test('the first run compiles without a cache and writes one; the next uses it; the bundle sees what require gives', () => {
    const { file, options, cacheFile } = setUp();
    const first = loadWithCodeCache(options);
    assert.equal(first.status, 'missing');
    assert.deepEqual(first.exports, { value: 'one', sum: [52, 101, 6], file, req: 'function' });
    assert.equal(first.save(), 'written');
    assert.equal(first.save(), 'unchanged', 'once per run');
    const second = loadWithCodeCache(options);
    assert.equal(second.status, 'used');
    assert.deepEqual(second.exports, first.exports);
    const bytes = fs.readFileSync(cacheFile);
    assert.equal(second.save(), 'unchanged', 'a command the cache has seen does not write it again');
    assert.ok(fs.readFileSync(cacheFile).equals(bytes));
  });

  test('each command has its own cache file; a run that ends in a usage error writes none', () => {
    const { options, cacheFile } = setUp();
    loadWithCodeCache(options).save(0);
    const other = loadWithCodeCache({ ...options, command: 'check' });
    assert.equal(other.status, 'missing');
    assert.equal(other.save(1), 'written', 'exit 1 (problems found) is a run like any other');
    assert.notEqual(cacheFileOf(options.dir!, options.file, 'check'), cacheFile);
    assert.equal(loadWithCodeCache({ ...options, command: 'check' }).status, 'used');
    assert.equal(loadWithCodeCache(options).status, 'used');
    const misspelt = loadWithCodeCache({ ...options, command: 'permisions' });
    assert.equal(misspelt.save(2), 'unchanged');
    assert.equal(fs.existsSync(cacheFileOf(options.dir!, options.file, 'permisions')), false);
    assert.equal(path.basename(cacheFileOf(options.dir!, options.file, '')), path.basename(cacheFileOf(options.dir!, options.file, 'none')));
  });

  test('the flags hook runs after the cache file is read and before the bundle is compiled', () => {
    const { options, cacheFile } = setUp();
    const seen: string[] = [];
    const loaded = loadWithCodeCache({ ...options, beforeCompile: () => seen.push(fs.existsSync(cacheFile) ? 'cache' : 'none') });
    assert.deepEqual(seen, ['none']);
    loaded.save();
    loadWithCodeCache({ ...options, beforeCompile: () => seen.push(fs.existsSync(cacheFile) ? 'cache' : 'none') });
    assert.deepEqual(seen, ['none', 'cache']);
  });

  test('a changed bundle never gets the old code: another build, or the same size with another modification time', () => {
    const { file, options } = setUp('one');
    loadWithCodeCache(options).save();
    // Same length, same modification time, other content: only the build's hash tells them apart.
    const stat = fs.statSync(file);
    fs.writeFileSync(file, bundleSource('two'));
    fs.utimesSync(file, stat.atime, stat.mtime);
    assert.equal(fs.statSync(file).size, stat.size);
    const other = loadWithCodeCache({ ...options, build: 'build-2' });
    assert.equal(other.status, 'stale');
    assert.equal((other.exports as { value: string }).value, 'two');
    assert.equal(other.save(), 'written');
    assert.equal(loadWithCodeCache({ ...options, build: 'build-2' }).status, 'used');
    // Edited in place without a build: the modification time changes the key.
    fs.writeFileSync(file, bundleSource('six'));
    const edited = loadWithCodeCache({ ...options, build: 'build-2' });
    assert.equal(edited.status, 'stale');
    assert.equal((edited.exports as { value: string }).value, 'six');
  });

  test('a damaged cache file is ignored and replaced: truncated, garbage, an empty file, a broken header', () => {
    for (const damage of [
      (b: Buffer) => b.subarray(0, b.length - 100),
      () => Buffer.from('not a cache at all\n'),
      () => Buffer.alloc(0),
      (b: Buffer) => Buffer.concat([b.subarray(0, b.indexOf(123) + 1), Buffer.from('"key":'), b.subarray(b.indexOf(10))]),
    ]) {
      const { options, cacheFile } = setUp();
      loadWithCodeCache(options).save();
      fs.writeFileSync(cacheFile, damage(fs.readFileSync(cacheFile)));
      const loaded = loadWithCodeCache(options);
      assert.equal(loaded.status, 'corrupt', String(damage));
      assert.equal((loaded.exports as { value: string }).value, 'one');
      assert.equal(loaded.save(), 'written');
      assert.equal(loadWithCodeCache(options).status, 'used');
    }
  });

  /** Loads `options`'s bundle in a fresh process (this one's V8 compiled the source already and would not look at a cache for it). */
  const loadInChild = (options: CodeCacheOptions) => {
    const script = `const { loadWithCodeCache } = require(${JSON.stringify(path.join(ROOT, 'server/src/cli/codeCache.ts'))});
      const l = loadWithCodeCache(${JSON.stringify(options)}); console.log(JSON.stringify([l.status, l.exports.value, l.save()]));`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout);
  };

  test('a payload V8 refuses (made from another source, with a right header) is not used and is replaced', () => {
    const a = setUp('one');
    loadWithCodeCache(a.options).save();
    const b = setUp('a longer value, so the source length differs');
    loadWithCodeCache(b.options).save();
    // a's header (its key) over b's payload, with the length made right for it.
    const aBytes = fs.readFileSync(a.cacheFile);
    const bBytes = fs.readFileSync(b.cacheFile);
    const payload = bBytes.subarray(bBytes.indexOf(10) + 1);
    const header = aBytes.toString('latin1', 0, aBytes.indexOf(10)).replace(/"length":\d+/, `"length":${payload.length}`);
    fs.writeFileSync(a.cacheFile, Buffer.concat([Buffer.from(`${header}\n`, 'latin1'), payload]));
    assert.deepEqual(loadInChild(a.options), ['rejected', 'one', 'written']);
    assert.deepEqual(loadInChild(a.options), ['used', 'one', 'unchanged']);
  });

  test("a changed byte anywhere in the payload is refused: V8 verifies the payload's checksum, which it skips unless told", () => {
    const { options, cacheFile } = setUp();
    assert.deepEqual(loadInChild(options), ['missing', 'one', 'written']);
    const good = fs.readFileSync(cacheFile);
    const start = good.indexOf(10) + 1;
    // Where V8's own checks (its version, flags, the source's length, the payload's length) see nothing wrong.
    for (const at of [start + 64, Math.floor((start + good.length) / 2), good.length - 8]) {
      const bad = Buffer.from(good);
      bad[at] ^= 0x01;
      fs.writeFileSync(cacheFile, bad);
      assert.deepEqual(loadInChild(options), ['rejected', 'one', 'written'], `byte ${at - start} of ${good.length - start}`);
      assert.equal(loadInChild(options)[0], 'used', 'written again, and used');
    }
  });

  test('no cache folder, or one that cannot be written: the bundle runs all the same', () => {
    const { dir, options } = setUp();
    const off = loadWithCodeCache({ ...options, dir: undefined });
    assert.equal(off.status, 'off');
    assert.equal(off.save(), 'unchanged');
    fs.writeFileSync(path.join(dir, 'blocked'), 'a file where the folder would be');
    const blocked = loadWithCodeCache({ ...options, dir: path.join(dir, 'blocked', 'cache') });
    assert.equal(blocked.status, 'off');
    assert.equal((blocked.exports as { value: string }).value, 'one');
    assert.equal(blocked.save(), 'unchanged');
    // The folder exists, the file cannot be written there (a folder in its place).
    fs.mkdirSync(options.dir!, { recursive: true, mode: 0o700 });
    fs.mkdirSync(cacheFileOf(options.dir!, options.file, options.command));
    const unwritable = loadWithCodeCache(options);
    assert.equal(unwritable.status, 'missing');
    assert.equal(unwritable.save(), 'failed');
  });

  test('a cache folder that others may write to is not used, not even read', { skip: process.platform === 'win32' }, () => {
    const { options, cacheFile } = setUp();
    loadWithCodeCache(options).save();
    fs.chmodSync(options.dir!, 0o777);
    const shared = loadWithCodeCache(options);
    assert.equal(shared.status, 'off');
    assert.equal(shared.save(), 'unchanged');
    fs.chmodSync(options.dir!, 0o700);
    assert.equal(loadWithCodeCache(options).status, 'used');
    assert.ok(fs.existsSync(cacheFile));
  });
});

describe('dist/cli.js', () => {
  const CLI = path.join(ROOT, 'dist/cli.js');
  const role = 'managed_iam_policy("AmazonSQSReadOnlyAccess", "ReadOnlyAccess")\niam_policy("S3", Effect: "Allow", Action: ["s3:Get*"], Resource: "*")\n';
  const project = makeProject({ '.ufo/settings.yml': '', '.ufo/iam_roles/task_role.rb': role });
  const run = (cli: string, env: Record<string, string>, args = ['permissions', '--format', 'json']) => {
    const r = spawnSync(process.execPath, [cli, ...args], { cwd: project, encoding: 'utf8', maxBuffer: 64 * 2 ** 20, env: { ...process.env, UFO_APP: '', NODE_DISABLE_COMPILE_CACHE: '', ...env } });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const expected = run(CLI, { NODE_DISABLE_COMPILE_CACHE: '1' });
  const cacheFiles = (xdg: string) => {
    const d = path.join(xdg, 'ufo-iam', 'code-cache');
    return fs.existsSync(d) ? fs.readdirSync(d).map((f) => path.join(d, f)) : [];
  };

  test('carries the SHA-256 of the bundle it loads, dist/cliMain.js, and loads nothing else', () => {
    const sha256 = crypto.createHash('sha256').update(fs.readFileSync(path.join(ROOT, 'dist/cliMain.js'))).digest('hex');
    const launcher = fs.readFileSync(CLI, 'utf8');
    assert.ok(launcher.includes(JSON.stringify(sha256)), 'dist/cli.js was built with the hash of another dist/cliMain.js');
    assert.ok(launcher.length < 20_000, 'the launcher is small: the command line is in dist/cliMain.js');
    // vm.Script has no loader for import(): the bundle must not use it.
    assert.doesNotMatch(fs.readFileSync(path.join(ROOT, 'dist/cliMain.js'), 'utf8'), /[^\w$.]import\(/);
  });

  test('the answer is the same with the cache as without, on the first run and the next; the next writes nothing', () => {
    assert.equal(expected.code, 0, expected.stderr);
    const xdg = scratch();
    const first = run(CLI, { XDG_CACHE_HOME: xdg });
    assert.deepEqual(first, expected);
    const [file, ...more] = cacheFiles(xdg);
    assert.ok(file && more.length === 0, 'one cache file');
    const bytes = fs.readFileSync(file);
    const mtime = fs.statSync(file).mtimeMs;
    assert.deepEqual(run(CLI, { XDG_CACHE_HOME: xdg }), expected);
    assert.ok(fs.readFileSync(file).equals(bytes) && fs.statSync(file).mtimeMs === mtime, 'a valid cache is used, not written again');
    assert.deepEqual(run(CLI, { XDG_CACHE_HOME: xdg }, ['--version']).code, 0);
    assert.deepEqual(cacheFiles(xdg).map((f) => path.basename(f).replace(/^cli-[0-9a-f]+-/, '')).sort(), ['none.bin', 'permissions.bin'], 'one file per command');
    assert.ok(fs.readFileSync(file).equals(bytes), 'the other command left it alone');
  });

  test('a damaged cache file changes nothing but is replaced; an unusable cache folder changes nothing', () => {
    const xdg = scratch();
    run(CLI, { XDG_CACHE_HOME: xdg });
    const [file] = cacheFiles(xdg);
    const damaged = fs.readFileSync(file!);
    for (let i = damaged.indexOf(10) + 1000; i < damaged.length; i += 997) damaged[i] ^= 0x5a;
    fs.writeFileSync(file!, damaged);
    assert.deepEqual(run(CLI, { XDG_CACHE_HOME: xdg }), expected);
    assert.ok(!fs.readFileSync(file!).equals(damaged), 'replaced');
    assert.deepEqual(run(CLI, { XDG_CACHE_HOME: xdg }), expected);
    fs.writeFileSync(file!, 'garbage');
    assert.deepEqual(run(CLI, { XDG_CACHE_HOME: xdg }), expected);
    // XDG_CACHE_HOME is a file: no folder can be made there.
    const blocked = path.join(scratch(), 'file');
    fs.writeFileSync(blocked, '');
    assert.deepEqual(run(CLI, { XDG_CACHE_HOME: blocked }), expected);
    // A cache folder that others may write to: not used.
    const shared = scratch();
    fs.mkdirSync(path.join(shared, 'ufo-iam', 'code-cache'), { recursive: true });
    fs.chmodSync(path.join(shared, 'ufo-iam', 'code-cache'), 0o777);
    assert.deepEqual(run(CLI, { XDG_CACHE_HOME: shared }), expected);
    assert.deepEqual(cacheFiles(shared), []);
    // A read-only cache folder.
    const readOnly = scratch();
    fs.mkdirSync(path.join(readOnly, 'ufo-iam', 'code-cache'), { recursive: true });
    fs.chmodSync(path.join(readOnly, 'ufo-iam', 'code-cache'), 0o500);
    assert.deepEqual(run(CLI, { XDG_CACHE_HOME: readOnly }), expected);
    fs.chmodSync(path.join(readOnly, 'ufo-iam', 'code-cache'), 0o700);
  });

  test('a changed bundle invalidates the cache: the changed code runs, and the cache is made again for it', () => {
    const copy = scratch();
    for (const f of ['cli.js', 'cliMain.js', 'prism.wasm']) fs.copyFileSync(path.join(ROOT, 'dist', f), path.join(copy, f));
    fs.symlinkSync(path.join(ROOT, 'dist', 'data'), path.join(copy, 'data'));
    const cli = path.join(copy, 'cli.js');
    const xdg = scratch();
    assert.match(run(cli, { XDG_CACHE_HOME: xdg }, ['--help']).stdout, /^usage: ufo-iam <command> \[options\]/);
    const [file] = cacheFiles(xdg);
    const before = fs.readFileSync(file!);
    // The bundle edited in place without a build, to the same length (so V8's own check of the source's length
    // passes), printing something else: the modification time tells the cache it is another bundle.
    const main = path.join(copy, 'cliMain.js');
    const size = fs.statSync(main).size;
    fs.writeFileSync(main, fs.readFileSync(main, 'utf8').replace('usage: ufo-iam <command> [options]', 'usage: ufo-iam CHANGED!! [options]'));
    assert.equal(fs.statSync(main).size, size);
    const help = run(cli, { XDG_CACHE_HOME: xdg }, ['--help']);
    assert.match(help.stdout, /^usage: ufo-iam CHANGED!!/);
    const after = fs.readFileSync(file!);
    assert.ok(!after.equals(before), 'the cache was made again');
    assert.equal(JSON.parse(after.toString('latin1', after.indexOf(123), after.indexOf(10))).key.mtimeMs, fs.statSync(main).mtimeMs);
    assert.match(run(cli, { XDG_CACHE_HOME: xdg }, ['--help']).stdout, /^usage: ufo-iam CHANGED!!/);
  });

  test('where Node has module.enableCompileCache, Node keeps the cache in the same folder and ours stays unused', () => {
    const xdg = scratch();
    const calls = path.join(xdg, 'calls.txt');
    const preload = path.join(xdg, 'fake-enable.js');
    fs.writeFileSync(preload, `require('node:module').enableCompileCache = (dir) => { require('node:fs').appendFileSync(${JSON.stringify(calls)}, dir + '\\n'); return { status: 0 }; };\n`);
    const r = spawnSync(process.execPath, ['--require', preload, CLI, 'permissions', '--format', 'json'], { cwd: project, encoding: 'utf8', maxBuffer: 64 * 2 ** 20, env: { ...process.env, UFO_APP: '', NODE_DISABLE_COMPILE_CACHE: '', XDG_CACHE_HOME: xdg } });
    assert.deepEqual({ code: r.status, stdout: r.stdout, stderr: r.stderr }, expected);
    assert.equal(fs.readFileSync(calls, 'utf8'), `${path.join(xdg, 'ufo-iam', 'code-cache')}\n`);
    assert.deepEqual(cacheFiles(xdg).filter((f) => f.endsWith('.bin')), []);
  });

  test('NODE_DISABLE_COMPILE_CACHE=1 turns the cache off', () => {
    const xdg = scratch();
    assert.deepEqual(run(CLI, { XDG_CACHE_HOME: xdg, NODE_DISABLE_COMPILE_CACHE: '1' }), expected);
    assert.deepEqual(cacheFiles(xdg), []);
  });
});
