// `ufo-iam` as installed (`dist/cli.js`, the package's bin): sets the CLI's V8 flags (v8Tuning.ts), loads the
// command line's bundle (`dist/cliMain.js`, built from main.ts) with compiled code that an earlier run stored, and
// runs it. Where Node has
// `module.enableCompileCache` (22.1 and later), Node keeps that cache itself; elsewhere codeCache.ts does, with V8's
// code cache. The cache lives in the user's cache folder (`code-cache/` of project/userCache.ts);
// NODE_DISABLE_COMPILE_CACHE=1 turns both off. Whatever happens to the cache, the bundle runs: it only changes how
// fast it starts.
import * as path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { launchBundle } from './codeCache';
import { codeCacheDir } from '../project/userCache';
import { tuneV8ForCli } from '../v8Tuning';

/** The SHA-256 of dist/cliMain.js, written in by scripts/build.mjs; undefined when built otherwise (no cache). */
declare const __UFO_IAM_CLI_MAIN_SHA256__: string | undefined;

interface CliMain {
  cliProcess(): void;
}

const launched = launchBundle({
  file: path.join(__dirname, 'cliMain.js'),
  build: typeof __UFO_IAM_CLI_MAIN_SHA256__ === 'string' ? __UFO_IAM_CLI_MAIN_SHA256__ : undefined,
  dir: codeCacheDir(process.env),
  command: /^[a-z][a-z-]{0,31}$/.test(process.argv[2] ?? '') ? process.argv[2]! : '',
  // Before anything of the bundle is compiled: the flags shape its code, and V8's code cache records them.
  tune: () => tuneV8ForCli(setFlagsFromString, process.execArgv),
});
// Once the command has run (a usage error stores nothing).
process.once('exit', (code) => launched.save(code));
(launched.exports as CliMain).cliProcess();
