// Architecture invariants (ARCHITECTURE.md), checked by reading every import.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './support/core';

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(p));
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out;
}

function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const specs: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]/g)) specs.push(m[1]);
  for (const m of text.matchAll(/\b(?:require|import)\(\s*['"]([^'"]+)['"]\s*\)/g)) specs.push(m[1]);
  return specs;
}

test('core/ is pure: no vscode, no LSP, no file system or network, no AWS SDK, no outer layers', () => {
  const core = path.join(ROOT, 'server/src/core');
  const forbidden = /^(vscode|vscode-languageserver.*|vscode-languageclient.*|node:fs|fs|node:net|net|node:http|http|node:https|https|node:child_process|child_process|@aws-sdk\/.*)$/;
  const violations: string[] = [];
  for (const file of sources(core)) {
    for (const spec of importsOf(file)) {
      const resolved = spec.startsWith('.') ? path.resolve(path.dirname(file), spec) : spec;
      const outside = spec.startsWith('.') && !resolved.startsWith(core + path.sep);
      if (forbidden.test(spec) || outside) violations.push(`${path.relative(ROOT, file)} imports ${spec}`);
    }
  }
  assert.deepEqual(violations, []);
});

test('only lsp/convert.ts turns byte spans into LSP positions', () => {
  const server = path.join(ROOT, 'server/src');
  const offenders = sources(server)
    .filter((f) => !f.endsWith(path.join('lsp', 'convert.ts')) && !f.includes(`${path.sep}core${path.sep}`))
    .filter((f) => /\bpositionOfByte\(/.test(fs.readFileSync(f, 'utf8')))
    .map((f) => path.relative(ROOT, f));
  // The CLI and project edge format 1-based problem positions for text output; the editor path goes through convert.ts.
  const allowed = new Set(['server/src/features/preview.ts', 'server/src/project/problem.ts']);
  assert.deepEqual(offenders.filter((f) => !allowed.has(f)), []);
});

test('the language server and the CLI never load the AWS SDK at start: their launchers and bundles hold no SDK code', () => {
  for (const bundle of ['dist/server.js', 'dist/serverMain.js', 'dist/cli.js', 'dist/cliMain.js']) {
    // The CLI reaches the AWS path through project/awsLoader.ts (dist/aws.js) for plan, apply, drift and arns only.
    assert.doesNotMatch(fs.readFileSync(path.join(ROOT, bundle), 'utf8'), /@aws-sdk\/client-iam|IAMServiceException|@smithy/, bundle);
  }
  assert.match(fs.readFileSync(path.join(ROOT, 'dist/aws.js'), 'utf8'), /IAMServiceException/);
});

test('only project/readProjectFile.ts reads files of a project; the others read files shipped beside the bundle', () => {
  const server = path.join(ROOT, 'server/src');
  const reads = /\bfs\.(?:readFileSync|readFile|createReadStream|openSync|readSync|promises)\b|import\s*\{[^}]*\b(?:readFileSync|readFile|createReadStream|openSync|readSync)\b[^}]*\}\s*from\s*'(?:node:)?fs(?:\/promises)?'/;
  // Each reads what the build put beside the bundle (prism.wasm, the IAM data, package.json), never a project's file.
  const shipped = new Set([
    'server/src/project/prismInstance.ts',
    'server/src/project/iamInstance.ts',
    'server/src/project/ufoConfig.ts',
    'server/src/cli/version.ts',
    'server/src/cli/check.ts',
  ]);
  // The CLI's code cache reads the bundle beside the launcher and its cache file in the user's cache folder.
  const codeCache = 'server/src/cli/codeCache.ts';
  // The forwarded NODE_EXTRA_CA_CERTS reads the certificates file the user's environment names, and nothing else.
  const extraCaCerts = 'server/src/project/extraCaCerts.ts';
  const offenders = sources(server)
    .map((f) => path.relative(ROOT, f).split(path.sep).join('/'))
    .filter((f) => f !== 'server/src/project/readProjectFile.ts' && !shipped.has(f) && f !== codeCache && f !== extraCaCerts)
    .filter((f) => reads.test(fs.readFileSync(path.join(ROOT, f), 'utf8')));
  assert.deepEqual(offenders, []);
  assert.deepEqual([...fs.readFileSync(path.join(ROOT, extraCaCerts), 'utf8').matchAll(/\bfs\.\w+\(([^)]*)\)/g)].map((m) => m[0]), ["fs.readFileSync(file, 'latin1')"]);
  for (const m of fs.readFileSync(path.join(ROOT, codeCache), 'utf8').matchAll(/\breadFileSync\(([^)]*)\)/g)) {
    assert.match(m[1], /^(file|cacheFile)$/, `${codeCache}: readFileSync(${m[1]}) reads something other than the bundle or its cache`);
  }
  for (const f of shipped) {
    const text = fs.readFileSync(path.join(ROOT, f), 'utf8');
    for (const m of text.matchAll(/\breadFileSync\(([^)]*)\)/g)) {
      assert.match(m[1], /wasm|__dirname|dir, rel|\bp, 'utf8'/i, `${f}: readFileSync(${m[1]}) reads something other than a shipped file`);
    }
  }
});

test('the adapters open projects only through the project context: no layout, naming or template rule of their own', () => {
  const server = path.join(ROOT, 'server/src');
  const rules = /\b(resolveLayout|detectVersion|pickTaskDefinitionFiles|chooseTemplate|readConfigApp|resolveNameParts|renderRoleName|listUfoFiles|readProjectSettings|classifyFile)\b/;
  const offenders: string[] = [];
  for (const file of [...sources(path.join(server, 'features')), ...sources(path.join(server, 'cli')), path.join(server, 'workspace.ts'), path.join(server, 'server.ts')]) {
    const rel = path.relative(ROOT, file).split(path.sep).join('/');
    const text = fs.readFileSync(file, 'utf8');
    // The workspace keeps the server's cache of the listing and of config.rb, and hands them to openProject.
    const allowed = rel === 'server/src/workspace.ts' ? /\b(listUfoFiles|readConfigApp)\b/g : undefined;
    const rest = allowed ? text.replace(allowed, '') : text;
    const m = rules.exec(rest);
    if (m) offenders.push(`${rel} uses ${m[1]}`);
  }
  assert.deepEqual(offenders, []);
});

test("the repository's comments and docs cite its own docs/ or UFO's source, never documents a reader does not have", () => {
  const offenders: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (['node_modules', 'dist', '.git', '.e2e', 'test-results'].includes(e.name)) continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ts|mjs|js|md|json|yml|yaml)$/.test(e.name) || e.name === 'run') {
        const text = fs.readFileSync(p, 'utf8');
        const m = /\b(?:ufo-dsl|iam-checks|deps|vscode-e2e|style)\.md\b|\.\.\/shared\/reference/.exec(text);
        if (m && !p.endsWith(path.join('test', 'architecture.test.ts'))) offenders.push(`${path.relative(ROOT, p)}: ${m[0]}`);
      }
    }
  };
  walk(ROOT);
  assert.deepEqual(offenders, []);
});

test('the code map of ARCHITECTURE.md names every source file', () => {
  const doc = fs.readFileSync(path.join(ROOT, 'ARCHITECTURE.md'), 'utf8');
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ts|mjs)$/.test(e.name) && !e.name.endsWith('.d.ts')) files.push(path.relative(ROOT, p).split(path.sep).join('/'));
    }
  };
  for (const d of ['server/src', 'client/src', 'scripts', 'bench']) walk(path.join(ROOT, d));
  // A file is named by its path, or by its name in backticks in the section of its folder (`compileRoles.ts`).
  const missing = files.filter((f) => !doc.includes(f) && !doc.includes(`\`${path.posix.basename(f)}\``) && !doc.includes(`\`${f.split('/').slice(-2).join('/')}\``));
  assert.deepEqual(missing, []);
});

test('the adapters reach the core only through its façade, core/index.ts', () => {
  const server = path.join(ROOT, 'server/src');
  const core = path.join(server, 'core');
  const offenders: string[] = [];
  for (const file of [...sources(server).filter((f) => !f.startsWith(core + path.sep)), ...sources(path.join(ROOT, 'client/src'))]) {
    for (const spec of importsOf(file)) {
      if (!spec.startsWith('.')) continue;
      const target = path.resolve(path.dirname(file), spec);
      if (target.startsWith(core + path.sep) && target !== path.join(core, 'index')) offenders.push(`${path.relative(ROOT, file)} imports ${spec}`);
    }
  }
  assert.deepEqual(offenders, []);
});

test('completion and hover do not import each other: what both need (cursor placement, IAM docs) lives below them', () => {
  const core = path.join(ROOT, 'server/src/core');
  const reaches = (from: string, to: string) =>
    sources(path.join(core, from)).some((f) => importsOf(f).some((s) => s.startsWith('.') && path.resolve(path.dirname(f), s).startsWith(path.join(core, to) + path.sep)));
  assert.equal(reaches('complete', 'hover'), false, 'complete imports hover');
  assert.equal(reaches('hover', 'complete'), false, 'hover imports complete');
});

test('the server and the CLI never format with the locale: the first toLocaleString, localeCompare or Intl call maps ICU data, about 5 MB of a process', () => {
  const offenders: string[] = [];
  for (const file of sources(path.join(ROOT, 'server/src'))) {
    const text = fs.readFileSync(file, 'utf8').replace(/^\s*(\/\/|\*).*$/gm, '');
    const m = /\.toLocale\w*\(|\.localeCompare\(|\bIntl\./.exec(text);
    if (m) offenders.push(`${path.relative(ROOT, file)}: ${m[0]}`);
  }
  assert.deepEqual(offenders, []);
});
