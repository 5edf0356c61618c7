// V8 settings for the long-running language server, applied before anything is compiled or allocated in bulk.
// Measured with `npm run bench` (README "Speed"): together they take the server's peak RSS from about 95, 140 and
// 170 MB to about 78, 90 and 110 MB on role files of 100, 1,000 and 5,000 lines, with no measurable cost in latency.
// - `--liftoff-only`: Prism's WebAssembly stays on V8's baseline compiler. Dynamic tier-up to TurboFan costs about
//   15 MB of compiler memory and code for a parser whose runs take a few milliseconds on role files.
// - `--semi-space-growth-factor=1`: the young generation keeps its initial size instead of growing to 16 MB per
//   semi-space under the bursts of short-lived objects that each keystroke produces (a scavenge of a small young
//   generation takes about a millisecond).
// - `--heap-growing-percent=20`: after a full GC the old generation may grow by 20% before the next one, instead of
//   up to 4x: a large file's analyses are garbage as soon as the next version is analysed.
// The server sets them itself at start-up (`v8.setFlagsFromString`; V8 reads them when it compiles a module or sizes
// the heap after a GC), so they apply however it is started: by VS Code, by another editor, or by the bench. They are
// not passed on the command line on purpose: Node refuses to start on a flag its V8 does not know, while
// `setFlagsFromString` ignores one, so a future runtime without one of these flags still runs the server.

export const SERVER_V8_FLAGS: readonly string[] = ['--liftoff-only', '--semi-space-growth-factor=1', '--heap-growing-percent=20'];

/** Sets the flags that the process was not started with. */
export function tuneV8ForServer(setFlags: (flag: string) => void, execArgv: readonly string[]): string[] {
  const missing = SERVER_V8_FLAGS.filter((f) => !execArgv.includes(f));
  for (const flag of missing) setFlags(flag);
  return missing;
}

// V8 settings for the short-lived CLI, applied by its launcher (cli/launch.ts) before the bundle is compiled, for
// the same reasons and in the same way as the server's.
// - `--no-opt`: no TurboFan. A CLI run lasts a few hundred milliseconds, in which TurboFan's compiles, on a
//   background thread, cost more CPU than the code they optimize saves: `ufo-iam permissions` of ten large managed
//   policies took about 0.6 times the CPU time and 0.8 times the wall time without it, and `ufo-iam check` of two
//   5,000-line role files no longer. Code still gets Sparkplug's baseline compilation.
// - `--liftoff-only`: as for the server, Prism's WebAssembly is not compiled again by TurboFan.
export const CLI_V8_FLAGS: readonly string[] = ['--no-opt', '--liftoff-only'];

/** Sets the CLI's flags that the process was not started with (a flag on the command line wins). */
export function tuneV8ForCli(setFlags: (flag: string) => void, execArgv: readonly string[]): string[] {
  const given = (flag: string) => execArgv.some((a) => a === flag || a === flag.replace(/^--no-/, '--') || a === flag.replace(/^--/, '--no-'));
  const missing = CLI_V8_FLAGS.filter((f) => !given(f));
  for (const flag of missing) setFlags(flag);
  return missing;
}
