// The language server as editors and tests start it (`dist/server.js`, which the VS Code client forks): sets the
// server's V8 flags (v8Tuning.ts), then loads the server's bundle (`dist/serverMain.js`, built from server.ts) with
// compiled code that an earlier start stored, and runs it. Where Node has `module.enableCompileCache` (22.1 and
// later), Node keeps that cache itself; elsewhere cli/codeCache.ts does, with V8's code cache, as for the CLI. The
// cache is stored once the first role file's diagnostics are out and completion is prepared, so it holds the code of
// a start up to there, not only of the bundle's top level. It lives in the user's cache folder (`code-cache/` of
// project/userCache.ts); NODE_DISABLE_COMPILE_CACHE=1 turns it off. Whatever happens to the cache, the server runs:
// it only changes how fast it starts.
//
// Nothing else is imported here: every module this file loads is compiled without the cache, at each start.
import * as path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { launchBundle } from './cli/codeCache';
import { codeCacheDir } from './project/userCache';
import { tuneV8ForServer } from './v8Tuning';

/** The SHA-256 of dist/serverMain.js, written in by scripts/build.mjs; undefined when built otherwise (no cache). */
declare const __UFO_IAM_SERVER_MAIN_SHA256__: string | undefined;

interface ServerMain {
  runServer(hooks: { afterWarmUp?: () => void; codeCache?: string }): void;
}

const launched = launchBundle({
  file: path.join(__dirname, 'serverMain.js'),
  build: typeof __UFO_IAM_SERVER_MAIN_SHA256__ === 'string' ? __UFO_IAM_SERVER_MAIN_SHA256__ : undefined,
  dir: codeCacheDir(process.env),
  command: 'server',
  // vscode-jsonrpc's sockets and pipes, and the stdin of a connection over pipes: see LaunchOptions.builtins.
  builtins: ['node:net'],
  // Before anything of the bundle is compiled: the flags shape its code, and V8's code cache records them.
  tune: () => tuneV8ForServer(setFlagsFromString, process.execArgv),
});
// Stored once: after the warm-up, else at exit for a server that never checked a role file.
process.once('exit', () => launched.save());
(launched.exports as ServerMain).runServer({ afterWarmUp: () => launched.save(), codeCache: launched.status });
