// V8 settings for the long-running language server, applied before anything is compiled or allocated in bulk.
// Measured with `npm run bench` (README "Speed"): together they take the server's peak RSS from about 95, 140 and
// 170 MB to about 78, 91 and 112 MB on role files of 100, 1,000 and 5,000 lines, with no measurable cost in latency.
// - `--liftoff-only`: Prism's WebAssembly stays on V8's baseline compiler. Dynamic tier-up to TurboFan costs about
//   15 MB of compiler memory and code for a parser whose runs take a few milliseconds on role files.
// - `--semi-space-growth-factor=1`: the young generation keeps its initial size instead of growing to 16 MB per
//   semi-space under the bursts of short-lived objects that each keystroke produces (a scavenge of a small young
//   generation takes well under a millisecond).
// - `--heap-growing-percent=20`: after a full GC the old generation may grow by 20% before the next one, instead of
//   up to 4x: a large file's analyses are garbage as soon as the next version is analysed.
// Node reads these flags when it compiles a module or grows the heap, so setting them at start-up takes effect
// (`v8.setFlagsFromString`); the server is the only code in its process.
import { setFlagsFromString } from 'node:v8';

export const SERVER_V8_FLAGS = ['--liftoff-only', '--semi-space-growth-factor=1', '--heap-growing-percent=20'] as const;

export function tuneV8ForServer(): void {
  for (const flag of SERVER_V8_FLAGS) setFlagsFromString(flag);
}
