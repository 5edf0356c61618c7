// The one Prism instance of a process, loaded synchronously from the prism.wasm that ships beside
// the bundle (dist/prism.wasm), or from node_modules when running from source (tests).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { instantiatePrism, type PrismParse } from '../core';

let instance: PrismParse | undefined;

export function prismWasmPath(): string {
  const candidates = [
    path.join(__dirname, 'prism.wasm'),
    path.join(__dirname, '..', '..', '..', 'node_modules', '@ruby', 'prism', 'src', 'prism.wasm'),
    path.join(process.cwd(), 'node_modules', '@ruby', 'prism', 'src', 'prism.wasm'),
  ];
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found) throw new Error(`prism.wasm not found (looked in ${candidates.join(', ')})`);
  return found;
}

export function getPrism(): PrismParse {
  if (!instance) instance = instantiatePrism(fs.readFileSync(prismWasmPath()));
  return instance;
}
