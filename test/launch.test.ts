// The server's launcher (server/src/launch.ts, dist/server.js) and its code cache, over stdio as an editor starts
// it: the first start stores the cache once the first diagnostics are out, the next one uses it and checks the same,
// a damaged cache or a changed bundle is never used, and nothing that happens to the cache folder stops the server.
// Each test has its own cache folder (XDG_CACHE_HOME). Needs `npm run build`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cacheFileOf } from '../server/src/cli/codeCache';
import { fileUri, LspClient } from './support/lspClient';
import { makeProject } from './support/project';
import { ROOT } from './support/core';

const DIST = path.join(ROOT, 'dist');
const ROLE = 'iam_policy("Bad", Action: ["s3:GetObjekt"], Effect: "Allow", Resource: "*")\n';

function scratch(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'ufo-iam-launch-'));
}

/** A copy of the server's files (launcher, bundle, prism.wasm, the IAM data), to change without touching dist/. */
function copyOfDist(): { dir: string; launcher: string; bundle: string } {
  const dir = scratch();
  for (const f of ['server.js', 'serverMain.js', 'prism.wasm']) fs.copyFileSync(path.join(DIST, f), path.join(dir, f));
  fs.symlinkSync(path.join(DIST, 'data'), path.join(dir, 'data'));
  return { dir, launcher: path.join(dir, 'server.js'), bundle: path.join(dir, 'serverMain.js') };
}

interface Start {
  /** What the start-up log line says of the code cache. */
  readonly status: string | undefined;
  readonly diagnostics: readonly { code?: unknown; message: unknown }[];
  readonly log: string;
}

/** Starts the server, checks one role file, waits until the warm-up is over, and stops it. */
async function start(cacheRoot: string, options: { server?: string; env?: NodeJS.ProcessEnv; nodeArgs?: string[]; cacheFile?: string } = {}): Promise<Start> {
  const project = makeProject({ '.ufo/iam_roles/task_role.rb': ROLE });
  const client = await LspClient.start({ server: options.server, nodeArgs: options.nodeArgs, env: { XDG_CACHE_HOME: cacheRoot, NODE_DISABLE_COMPILE_CACHE: '', ...options.env } });
  try {
    const uri = fileUri(path.join(project, '.ufo/iam_roles/task_role.rb'));
    client.open(uri, ROLE);
    const diagnostics = (await client.waitForDiagnostics(uri)).map((d) => ({ code: d.code, message: d.message }));
    // The warm-up and the cache's writing follow the first diagnostics; a request after them has waited for both.
    await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } });
    if (options.cacheFile) await waitFor(() => fs.existsSync(options.cacheFile!));
    const log = client.logs.find((l) => /language server started/i.test(l)) ?? '';
    return { status: /code cache: (.*)\)$/.exec(log)?.[1], diagnostics, log };
  } finally {
    await client.stop();
    fs.rmSync(project, { recursive: true, force: true });
  }
}

async function waitFor(done: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const cacheFileIn = (cacheRoot: string, bundle = path.join(DIST, 'serverMain.js')) => cacheFileOf(path.join(cacheRoot, 'ufo-iam', 'code-cache'), bundle, 'server');

test('dist/server.js is only the launcher: the server is in dist/serverMain.js, compiled through the cache', () => {
  const launcher = fs.readFileSync(path.join(DIST, 'server.js'), 'utf8');
  assert.ok(launcher.length < 20_000, `${launcher.length} bytes`);
  assert.doesNotMatch(launcher, /vscode-languageserver|createConnection|IamKnowledge/);
  assert.match(launcher, /serverMain\.js/);
  assert.match(launcher, /"[0-9a-f]{64}"/, 'the build wrote the bundle\'s SHA-256 into it');
  assert.match(fs.readFileSync(path.join(DIST, 'serverMain.js'), 'utf8'), /language server started/);
});

test('the first start stores the cache after its first diagnostics; the next start uses it and checks the same', async () => {
  const cacheRoot = scratch();
  const cacheFile = cacheFileIn(cacheRoot);
  const first = await start(cacheRoot, { cacheFile });
  assert.equal(first.status, 'missing');
  assert.ok(first.diagnostics.some((d) => d.code === 'INVALID_ACTION'), JSON.stringify(first.diagnostics));
  const bytes = fs.readFileSync(cacheFile);
  assert.ok(bytes.length > 100_000, `a cache of the server's code: ${bytes.length} bytes`);
  const second = await start(cacheRoot);
  assert.equal(second.status, 'used');
  assert.deepEqual(second.diagnostics, first.diagnostics);
  assert.ok(fs.readFileSync(cacheFile).equals(bytes), 'a start that used the cache does not write it again');
});

test('a damaged cache is ignored and replaced: a changed byte, a truncated file, garbage', async () => {
  const cacheRoot = scratch();
  const cacheFile = cacheFileIn(cacheRoot);
  const reference = await start(cacheRoot, { cacheFile });
  const good = fs.readFileSync(cacheFile);
  const damages: [string, (b: Buffer) => Buffer][] = [
    ['a changed byte', (b) => {
      const c = Buffer.from(b);
      c[Math.floor(c.length * 0.6)] ^= 0x5a;
      return c;
    }],
    ['truncated', (b) => b.subarray(0, Math.floor(b.length / 2))],
    ['garbage', () => Buffer.from('not a code cache\n'.repeat(100))],
  ];
  for (const [what, damage] of damages) {
    fs.writeFileSync(cacheFile, damage(good));
    const damaged = await start(cacheRoot, { cacheFile });
    // A changed byte of the payload is refused by V8 (it verifies the checksum, codeCache.ts); the others by the header.
    assert.equal(damaged.status, what === 'a changed byte' ? 'rejected' : 'corrupt', what);
    assert.deepEqual(damaged.diagnostics, reference.diagnostics, what);
    assert.equal((await start(cacheRoot)).status, 'used', `${what}: the cache was written again`);
  }
});

test('a changed bundle never gets the old code: another build, or the bundle edited in place', async () => {
  const cacheRoot = scratch();
  const copy = copyOfDist();
  const cacheFile = cacheFileIn(cacheRoot, copy.bundle);
  assert.equal((await start(cacheRoot, { server: copy.launcher, cacheFile })).status, 'missing');
  assert.equal((await start(cacheRoot, { server: copy.launcher })).status, 'used');
  // Another build: the launcher carries another SHA-256 (the bundle is the same bytes here).
  const launcher = fs.readFileSync(copy.launcher, 'utf8');
  const sha = /"([0-9a-f]{64})"/.exec(launcher)![1]!;
  fs.writeFileSync(copy.launcher, launcher.replace(sha, sha.replace(/^./, (c) => (c === '0' ? '1' : '0'))));
  const rebuilt = await start(cacheRoot, { server: copy.launcher, cacheFile });
  assert.equal(rebuilt.status, 'stale');
  // Edited in place, the same length: the edited code runs, not the cached one.
  fs.writeFileSync(copy.bundle, fs.readFileSync(copy.bundle, 'utf8').replace('language server started', 'language server STARTED'));
  const edited = await start(cacheRoot, { server: copy.launcher });
  assert.match(edited.log, /language server STARTED/);
  assert.equal(edited.status, 'stale');
  assert.equal(edited.diagnostics.length, rebuilt.diagnostics.length);
});

test('a cache folder that cannot be written, or NODE_DISABLE_COMPILE_CACHE=1: the server runs as without a cache', async () => {
  const root = scratch();
  const file = path.join(root, 'a-file');
  fs.writeFileSync(file, '');
  const unwritable = await start(file);
  assert.equal(unwritable.status, 'off');
  assert.ok(unwritable.diagnostics.some((d) => d.code === 'INVALID_ACTION'));
  const cacheRoot = scratch();
  const off = await start(cacheRoot, { env: { NODE_DISABLE_COMPILE_CACHE: '1' } });
  assert.equal(off.status, 'off');
  assert.deepEqual(off.diagnostics, unwritable.diagnostics);
  assert.equal(fs.existsSync(path.join(cacheRoot, 'ufo-iam')), false);
});

test("where Node has module.enableCompileCache, Node's cache is enabled in the same folder and flushed after the warm-up", async () => {
  const cacheRoot = scratch();
  const record = path.join(scratch(), 'calls.txt');
  const fake = path.join(scratch(), 'fake-enable.js');
  fs.writeFileSync(
    fake,
    `const Module = require('node:module'); const fs = require('node:fs');
Module.constants = { ...(Module.constants ?? {}), compileCacheStatus: { FAILED: 0, ENABLED: 1, ALREADY_ENABLED: 2, DISABLED: 3 } };
Module.enableCompileCache = (dir) => { fs.appendFileSync(${JSON.stringify(record)}, 'enable ' + dir + '\\n'); return { status: 1, directory: dir }; };
Module.flushCompileCache = () => fs.appendFileSync(${JSON.stringify(record)}, 'flush\\n');
`,
  );
  const run = await start(cacheRoot, { nodeArgs: ['--require', fake] });
  assert.equal(run.status, 'node:enabled');
  await waitFor(() => fs.existsSync(record) && fs.readFileSync(record, 'utf8').includes('flush'));
  assert.deepEqual(fs.readFileSync(record, 'utf8').trim().split('\n'), [`enable ${path.join(cacheRoot, 'ufo-iam', 'code-cache')}`, 'flush']);
  assert.equal(fs.existsSync(cacheFileIn(cacheRoot)), false, 'no cache file of its own');
});
