// The .vsix as the Marketplace and Open VSX get it: the real `vsce package`, with the package script's own arguments
// (no escape flag), holds exactly what runs (the bundles the extension loads, prism.wasm, the IAM data, the grammar,
// the icon and the documents; no tests, fixtures, sources, source maps or CLI), stays within 3 MB, carries the gallery
// fields, and its README renders there (every link and image absolute, each image a file of the repository).
// scripts/e2e/run.mjs installs the same package into code-server (its Restricted Mode part). Needs `npm run build`.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT } from '../support/core';
import { readZip, type Zip } from '../support/zip';

const MANIFEST = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const MAX_BYTES = 3 * 2 ** 20;
const REPO = 'https://github.com/ufo-iam/ufo-iam';
/** vsce's flags that switch off one of its publishing checks or rewrites. */
const ESCAPE_FLAGS = /--(no-dependencies|allow-[\w-]+|no-rewrite-relative-links|skip-license|no-update-package-json|base(Content|Images)Url|ignoreFile|no-gitHubIssueLinking|no-gitLabIssueLinking)\b/;

/** The arguments the `package` script gives vsce. */
function packageScriptArgs(): string[] {
  const script: string = MANIFEST.scripts.package;
  const m = /(?:^|&&\s*)vsce ([^&]+)$/.exec(script);
  assert.ok(m, `the package script runs vsce: ${script}`);
  return m[1].trim().split(/\s+/);
}

let vsix: Buffer;
let zip: Zip;
let vsceOutput: string;
before(() => {
  for (const f of ['dist/extension.js', 'dist/server.js', 'dist/serverMain.js', 'dist/data/iam-index.json', 'images/icon.png']) {
    assert.ok(fs.existsSync(path.join(ROOT, f)), `${f} is missing: run npm run build first`);
  }
  const args = packageScriptArgs();
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ufo-iam-vsix-')), 'ufo-iam.vsix');
  const outAt = args.indexOf('--out');
  assert.ok(outAt >= 0, 'the package script names its --out');
  args.splice(outAt, 2, '--out', out);
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('npm_')));
  const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/@vscode/vsce/vsce'), ...args], { cwd: ROOT, encoding: 'utf8', env, timeout: 120_000 });
  vsceOutput = `${r.stdout}${r.stderr}`;
  assert.equal(r.status, 0, vsceOutput);
  vsix = fs.readFileSync(out);
  zip = readZip(vsix);
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
});

test('npm run package is vsce package with no escape flag; the e2e run packages the same way', () => {
  assert.deepEqual(packageScriptArgs(), ['package', '--out', 'ufo-iam.vsix']);
  assert.doesNotMatch(MANIFEST.scripts.package, ESCAPE_FLAGS);
  const e2e = fs.readFileSync(path.join(ROOT, 'scripts/e2e/run.mjs'), 'utf8');
  assert.match(e2e, /'package', '--out', vsix\]/);
  assert.match(e2e, /'--install-extension', vsix\]/, 'an e2e part installs the packaged .vsix');
  assert.doesNotMatch(e2e, ESCAPE_FLAGS);
  // Bundled: vsce must not collect node_modules, and says so in the manifest instead of a flag.
  assert.deepEqual(MANIFEST.vsce, { dependencies: false });
  assert.equal(MANIFEST.dependencies, undefined, 'the bundles hold every runtime dependency');
  assert.doesNotMatch(vsceOutput, /WARNING/, 'vsce packages without a warning');
});

test(`the .vsix is at most 3 MB and holds exactly what runs`, () => {
  assert.ok(vsix.length <= MAX_BYTES, `${(vsix.length / 2 ** 20).toFixed(2)} MB`);
  const data: string[] = [];
  (function walk(dir: string) {
    for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      if (e.isDirectory()) walk(`${dir}/${e.name}`);
      else data.push(`extension/${dir}/${e.name}`);
    }
  })('dist/data');
  assert.ok(data.length > 400, 'the IAM data: index, managed policies, one file per service');
  const expected = [
    '[Content_Types].xml',
    'extension.vsixmanifest',
    'extension/package.json',
    'extension/readme.md',
    'extension/changelog.md',
    'extension/LICENSE.txt',
    'extension/THIRD_PARTY_NOTICES.md',
    'extension/images/icon.png',
    'extension/syntaxes/ufo-iam.injection.tmLanguage.json',
    'extension/dist/extension.js', // main
    'extension/dist/server.js', // the language server the client starts: its launcher (server/src/launch.ts)
    'extension/dist/serverMain.js', // the server's bundle, which the launcher loads with its code cache
    'extension/dist/aws.js', // the AWS SDK the server loads for plan and apply (project/awsLoader.ts)
    'extension/dist/prism.wasm',
    ...data,
  ].sort();
  assert.deepEqual(zip.entries.map((e) => e.name).sort(), expected);
  // Each bundle the package holds is one the extension reaches: main, the server's launcher and bundle, its AWS bundle.
  assert.equal(MANIFEST.main, './dist/extension.js');
  assert.match(fs.readFileSync(path.join(ROOT, 'dist/extension.js'), 'utf8'), /server\.js/);
  assert.match(fs.readFileSync(path.join(ROOT, 'dist/server.js'), 'utf8'), /serverMain\.js/);
  assert.match(fs.readFileSync(path.join(ROOT, 'dist/serverMain.js'), 'utf8'), /\.\/aws\.js/);
});

test('the manifest carries what the galleries show: repository, bugs, homepage, icon, banner, categories, keywords', () => {
  const m = JSON.parse(zip.read('extension/package.json').toString('utf8'));
  assert.equal(m.repository.url, `${REPO}.git`);
  assert.equal(m.bugs.url, `${REPO}/issues`);
  assert.equal(m.homepage, `${REPO}#readme`);
  assert.equal(m.icon, 'images/icon.png');
  const png = zip.read('extension/images/icon.png');
  assert.equal(png.toString('latin1', 1, 4), 'PNG');
  assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128], 'a 128×128 icon');
  assert.match(m.galleryBanner.color, /^#[0-9a-f]{6}$/i);
  assert.ok(['dark', 'light'].includes(m.galleryBanner.theme));
  assert.ok(m.categories.includes('Programming Languages') && m.categories.includes('Linters'));
  assert.ok(m.keywords.length >= 5 && m.keywords.length <= 30, 'the Marketplace takes at most 30 keywords');
  assert.equal(m.private, undefined);
  const manifest = zip.read('extension.vsixmanifest').toString('utf8');
  assert.match(manifest, /<Icon>extension\/images\/icon\.png<\/Icon>/);
  assert.match(manifest, /Links\.Source" Value="https:\/\/github\.com\/ufo-iam\/ufo-iam\.git"/);
  assert.match(manifest, /Content\.Changelog" Path="extension\/changelog\.md"/);
});

test('engines.vscode is as low as the APIs allow: vscode-languageclient\'s own floor, with @types/vscode at it', () => {
  const client = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/vscode-languageclient/package.json'), 'utf8'));
  assert.equal(MANIFEST.engines.vscode, client.engines.vscode, 'the language client needs this VS Code; the extension needs no newer API');
  assert.equal(`^${MANIFEST.devDependencies['@types/vscode']}`, MANIFEST.engines.vscode, 'typed against the oldest VS Code it runs on');
});

test('the packaged README renders on the Marketplace and Open VSX: absolute links, images from the repository', () => {
  const readme = zip.read('extension/readme.md').toString('utf8');
  const targets = [...readme.matchAll(/!?\[[^\]]*\]\(([^)\s]+)[^)]*\)/g)].map((m) => m[1]);
  assert.ok(targets.length > 5);
  for (const t of targets) assert.match(t, /^(https:\/\/|#)/, `a relative link would break in the gallery: ${t}`);
  const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)/g)].map((m) => m[1]);
  assert.ok(images.length >= 3);
  for (const url of images) {
    const rel = url.startsWith(`${REPO}/raw/HEAD/`) ? url.slice(`${REPO}/raw/HEAD/`.length) : undefined;
    assert.ok(rel, `${url} is served from the repository`);
    assert.ok(fs.existsSync(path.join(ROOT, rel)), `${rel} exists`);
    assert.doesNotMatch(rel, /\.svg$/, 'the Marketplace refuses SVG images in a README');
  }
  const changelog = zip.read('extension/changelog.md').toString('utf8');
  assert.match(changelog, /^## \[Unreleased\]$/m);
  assert.match(changelog, new RegExp(`^## \\[${MANIFEST.version.replace(/\./g, '\\.')}\\]$`, 'm'), 'the changelog has a section for this version');
});
