// Builds the extension: bundles client, server and CLI with esbuild into dist/, copies prism.wasm
// beside them, compacts the IAM data into dist/data/ (scripts/buildIamData.mjs), and draws images/icon.png
// from images/icon.svg (scripts/icon.mjs), so a fresh clone packages with its icon.
// Usage: node scripts/build.mjs [--watch] [--no-data]
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const watch = process.argv.includes('--watch');
const production = !watch;

fs.mkdirSync(dist, { recursive: true });
fs.copyFileSync(path.join(root, 'node_modules/@ruby/prism/src/prism.wasm'), path.join(dist, 'prism.wasm'));
const { buildIcon } = await import('./icon.mjs');
buildIcon(root);

if (!process.argv.includes('--no-data')) {
  const dataScript = path.join(root, 'scripts/buildIamData.mjs');
  if (fs.existsSync(dataScript)) {
    const { buildIamData } = await import(dataScript);
    await buildIamData({ root, outDir: path.join(dist, 'data') });
  }
}

/** @type {esbuild.BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  minify: production,
  keepNames: true,
  logLevel: 'warning',
  absWorkingDir: root,
  define: { __UFO_IAM_VERSION__: JSON.stringify(JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).version) },
};

/** `server/src/project/awsLoader.ts` requires `../aws`: in the bundles that is the separate dist/aws.js. */
const awsExternal = {
  name: 'aws-external',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/aws$/ }, (args) =>
      args.importer.endsWith(path.join('project', 'awsLoader.ts')) ? { path: './aws.js', external: true } : undefined,
    );
  },
};

const builds = [
  { entryPoints: { extension: 'client/src/extension.ts' }, external: ['vscode'] },
  { entryPoints: { server: 'server/src/server.ts' }, plugins: [awsExternal] },
  { entryPoints: { cli: 'server/src/cli/main.ts' }, banner: { js: '#!/usr/bin/env node' }, plugins: [awsExternal] },
  { entryPoints: { aws: 'server/src/aws/index.ts' } },
].filter((b) => fs.existsSync(path.join(root, Object.values(b.entryPoints)[0])));

const contexts = await Promise.all(builds.map((b) => esbuild.context({ ...common, ...b, outdir: dist })));
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('esbuild: watching for changes');
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  const cli = path.join(dist, 'cli.js');
  if (fs.existsSync(cli)) fs.chmodSync(cli, 0o755);
}
