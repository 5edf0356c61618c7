// dist/prism.wasm (scripts/prismWasm.mjs): @ruby/prism's module with only the exports ufo-iam calls. The build wrote
// exactly those; the module parses every fixture role file as the original does; the rewriting keeps every other
// section byte for byte and refuses a name the module does not export. Needs `npm run build`.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyzeRoleFile, instantiatePrism } from '../../server/src/core';
import { ROOT } from '../support/core';

let usedPrismExports: (root: string) => Set<string>;
let keepExports: (wasm: Buffer, keep: Set<string>) => Buffer;
before(async () => {
  ({ usedPrismExports, keepExports } = await import(pathToFileURL(path.join(ROOT, 'scripts/prismWasm.mjs')).href));
});

const ORIGINAL = fs.readFileSync(path.join(ROOT, 'node_modules/@ruby/prism/src/prism.wasm'));
// WebAssembly.Module.exports, which server/src/core/parse/webassembly.d.ts (the loader's subset of the API) leaves out.
const moduleExports = (WebAssembly.Module as unknown as { exports(m: WebAssembly.Module): { name: string }[] }).exports;
const exportsOf = (wasm: Buffer) => moduleExports(new WebAssembly.Module(wasm)).map((e) => e.name).sort();

/** The module's sections as [id, body]. */
function sections(wasm: Buffer): [number, Buffer][] {
  const out: [number, Buffer][] = [];
  let at = 8;
  while (at < wasm.length) {
    const id = wasm[at]!;
    let size = 0;
    let shift = 0;
    let p = at + 1;
    for (;;) {
      const b = wasm[p++]!;
      size += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if (!(b & 0x80)) break;
    }
    out.push([id, wasm.subarray(p, p + size)]);
    at = p + size;
  }
  return out;
}

test('dist/prism.wasm exports what parsePrism and prism.ts call, and nothing else', () => {
  const used = usedPrismExports(ROOT);
  for (const name of ['memory', '_initialize', 'calloc', 'free', 'pm_serialize_parse', 'pm_buffer_value', 'pm_buffer_length']) assert.ok(used.has(name), name);
  assert.deepEqual(exportsOf(fs.readFileSync(path.join(ROOT, 'dist/prism.wasm'))), [...used].sort());
  assert.ok(exportsOf(ORIGINAL).length > 10 * used.size, 'the original exports Prism’s whole API');
});

test('only the export section changes; a name the module does not export is refused', () => {
  const pruned = keepExports(ORIGINAL, usedPrismExports(ROOT));
  const before = sections(ORIGINAL);
  const after = sections(pruned);
  assert.deepEqual(after.map(([id]) => id), before.map(([id]) => id));
  after.forEach(([id, body], i) => {
    if (id !== 7) assert.ok(body.equals(before[i]![1]), `section ${i} (id ${id})`);
  });
  assert.ok(pruned.subarray(0, 8).equals(ORIGINAL.subarray(0, 8)));
  assert.throws(() => keepExports(ORIGINAL, new Set(['memory', 'pm_no_such_function'])), /does not export pm_no_such_function/);
  assert.throws(() => keepExports(Buffer.from('not wasm at all'), new Set()), /not a WebAssembly module/);
});

test('the pruned module parses every fixture role file as the original does', () => {
  const original = instantiatePrism(ORIGINAL);
  const pruned = instantiatePrism(fs.readFileSync(path.join(ROOT, 'dist/prism.wasm')));
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.rb')) files.push(p);
    }
  };
  walk(path.join(ROOT, 'test/fixtures'));
  assert.ok(files.length > 50, `${files.length} fixture role files`);
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const a = analyzeRoleFile(original, text);
    const b = analyzeRoleFile(pruned, text);
    assert.deepEqual(b.model, a.model, file);
    assert.deepEqual(b.findings, a.findings, file);
  }
});
