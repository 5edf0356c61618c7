// Builds the extension: bundles client, server and CLI with esbuild into dist/ (the server and the CLI each as its
// bundle, serverMain.js and cliMain.js, and its launcher, server.js that editors start and cli.js that the package's bin
// runs, which carries the bundle's SHA-256 for its code cache), writes prism.wasm beside them with only the exports
// it uses (scripts/prismWasm.mjs), compacts the IAM data into dist/data/ (scripts/buildIamData.mjs), and draws images/icon.png
// from images/icon.svg (scripts/icon.mjs), so a fresh clone packages with its icon.
// Usage: node scripts/build.mjs [--watch] [--no-data]
import * as esbuild from 'esbuild';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const watch = process.argv.includes('--watch');
const production = !watch;

fs.mkdirSync(dist, { recursive: true });
const { buildPrismWasm } = await import('./prismWasm.mjs');
buildPrismWasm(root, dist);
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

/**
 * node:crypto and node:child_process in the server's bundle, loaded on first use instead of at start: the language
 * server's libraries require both at their top level (random pipe names, UUIDs, a global npm folder lookup) and our
 * features use a hash or a UUID when a request asks, while loading them cost about 8 ms of every start over stdio.
 * Each becomes a module of getters, one per export of the builtin as this Node has it, that require the builtin when
 * one is read; esbuild's interop copies getters, so an import reads nothing until the code uses it.
 */
const LAZY_BUILTINS = ['crypto', 'child_process'];
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(build) {
    const filter = new RegExp(`^(node:)?(${LAZY_BUILTINS.join('|')})$`);
    build.onResolve({ filter }, (args) =>
      args.namespace === 'lazy-builtin' ? { path: `node:${args.path.replace(/^node:/, '')}`, external: true } : { path: args.path.replace(/^node:/, ''), namespace: 'lazy-builtin' },
    );
    build.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, async (args) => {
      const names = Object.keys(await import(`node:${args.path}`)).filter((n) => n !== 'default');
      return {
        loader: 'js',
        contents: `let loaded;
const load = () => (loaded ??= require(${JSON.stringify(`node:${args.path}`)}));
for (const name of ${JSON.stringify(names)}) Object.defineProperty(exports, name, { enumerable: true, get: () => load()[name] });
`,
      };
    });
  },
};

/**
 * A launcher (server/src/launch.ts for dist/server.js, server/src/cli/launch.ts for dist/cli.js), built after each
 * build of its bundle with that bundle's SHA-256: the key of the code cache, so a cache can never serve another build's
 * code (npm and a .vsix give every file of a package the same modification time, and two versions' bundles can have
 * the same size).
 */
function launcher({ bundle, entry, out, shaName, banner }) {
  return {
    name: `${out}-launcher`,
    setup(build) {
      build.onEnd(async (result) => {
        if (result.errors.length > 0) return;
        const sha256 = crypto.createHash('sha256').update(fs.readFileSync(path.join(dist, bundle))).digest('hex');
        await esbuild.build({
          ...common,
          entryPoints: { [out]: entry },
          outdir: dist,
          ...(banner ? { banner: { js: banner } } : {}),
          define: { ...common.define, [shaName]: JSON.stringify(sha256) },
        });
        if (banner) fs.chmodSync(path.join(dist, `${out}.js`), 0o755);
      });
    },
  };
}
const serverLauncher = launcher({ bundle: 'serverMain.js', entry: 'server/src/launch.ts', out: 'server', shaName: '__UFO_IAM_SERVER_MAIN_SHA256__' });
const cliLauncher = launcher({ bundle: 'cliMain.js', entry: 'server/src/cli/launch.ts', out: 'cli', shaName: '__UFO_IAM_CLI_MAIN_SHA256__', banner: '#!/usr/bin/env node' });

const builds = [
  { entryPoints: { extension: 'client/src/extension.ts' }, external: ['vscode'] },
  { entryPoints: { serverMain: 'server/src/server.ts' }, plugins: [awsExternal, lazyBuiltins, serverLauncher] },
  { entryPoints: { cliMain: 'server/src/cli/main.ts' }, plugins: [awsExternal, cliLauncher] },
  { entryPoints: { aws: 'server/src/aws/index.ts' } },
].filter((b) => fs.existsSync(path.join(root, Object.values(b.entryPoints)[0])));

const contexts = await Promise.all(builds.map((b) => esbuild.context({ ...common, ...b, outdir: dist })));
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('esbuild: watching for changes');
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}
