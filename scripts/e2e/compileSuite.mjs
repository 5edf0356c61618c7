// Compiles the real-VS-Code suite (test/vscode/suite/*.ts) with esbuild into .e2e/suite/ (gitignored),
// one CommonJS file per source so that index.js can hand mocha every `*.test.js` beside it.
// `vscode` is provided by the extension host and mocha is loaded from the repo's node_modules.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const suiteSourceDir = path.join(repoRoot, 'test', 'vscode', 'suite');
export const suiteOutDir = path.join(repoRoot, '.e2e', 'suite');

/** Compiles the suite and returns the path of the tests module (`index.js`, exporting `run()`). */
export async function compileSuite() {
  const entryPoints = fs.readdirSync(suiteSourceDir)
    .filter((f) => f === 'index.ts' || f.endsWith('.test.ts'))
    .map((f) => path.join(suiteSourceDir, f));
  // Stale outputs of deleted or renamed test files would still be picked up by index.js.
  fs.rmSync(suiteOutDir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints,
    outdir: suiteOutDir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
    absWorkingDir: repoRoot,
  });
  return path.join(suiteOutDir, 'index.js');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(await compileSuite());
}
