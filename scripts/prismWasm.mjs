// dist/prism.wasm: @ruby/prism's prism.wasm with only the exports that ufo-iam calls. The module exports 566
// functions (Prism's whole C API), and V8 makes a JavaScript wrapper for each export when it instantiates a module:
// about 5 ms of every start of the server and of every CLI run, against about 1.5 ms with the ten that are used.
// The functions that lose their export stay in the module (the parser calls them); only their names go.
// What is kept is read from the code that calls the module: the `prism.<name>` calls of @ruby/prism's parsePrism.js
// (its parse function, which server/src/core/parse/prism.ts uses) and what prism.ts reads itself (`memory`,
// `_initialize`). A wasm file is a header and a sequence of sections (an id byte, a LEB128 size, the body); only the
// export section (id 7) is rewritten. https://webassembly.github.io/spec/core/binary/modules.html#export-section
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The names of the module's exports that ufo-iam uses. */
export function usedPrismExports(root) {
  const parse = fs.readFileSync(path.join(root, 'node_modules/@ruby/prism/src/parsePrism.js'), 'utf8');
  const names = new Set(['memory', '_initialize']);
  for (const m of parse.matchAll(/\bprism\.([A-Za-z_$][\w$]*)/g)) names.add(m[1]);
  return names;
}

function readLeb(bytes, at) {
  let value = 0;
  let shift = 0;
  let byte;
  do {
    byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return [value, at];
}

function leb(value) {
  const out = [];
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    out.push(byte);
  } while (value > 0);
  return Buffer.from(out);
}

/** The module with only the exports named in `keep`; throws when one of them is not exported by it. */
export function keepExports(wasm, keep) {
  if (wasm.readUInt32LE(0) !== 0x6d736100) throw new Error('not a WebAssembly module');
  const parts = [wasm.subarray(0, 8)];
  const found = new Set();
  let at = 8;
  while (at < wasm.length) {
    const id = wasm[at];
    const [size, start] = readLeb(wasm, at + 1);
    const end = start + size;
    if (id !== 7) {
      parts.push(wasm.subarray(at, end));
    } else {
      const body = wasm.subarray(start, end);
      let [count, p] = readLeb(body, 0);
      const kept = [];
      for (let i = 0; i < count; i++) {
        const entry = p;
        const [length, nameStart] = readLeb(body, p);
        const name = body.toString('utf8', nameStart, nameStart + length);
        // The export's kind (one byte) and its index.
        [, p] = readLeb(body, nameStart + length + 1);
        if (keep.has(name)) {
          kept.push(body.subarray(entry, p));
          found.add(name);
        }
      }
      const section = Buffer.concat([leb(kept.length), ...kept]);
      parts.push(Buffer.from([7]), leb(section.length), section);
    }
    at = end;
  }
  const missing = [...keep].filter((n) => !found.has(n));
  if (missing.length > 0) throw new Error(`prism.wasm does not export ${missing.join(', ')}`);
  return Buffer.concat(parts);
}

/** Writes dist/prism.wasm from @ruby/prism's. */
export function buildPrismWasm(root, dist) {
  const wasm = fs.readFileSync(path.join(root, 'node_modules/@ruby/prism/src/prism.wasm'));
  fs.writeFileSync(path.join(dist, 'prism.wasm'), keepExports(wasm, usedPrismExports(root)));
}
