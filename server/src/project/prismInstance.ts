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

/** The module that compilePrismInBackground() compiled, once it has. */
let compiled: WebAssembly.Module | undefined;
let compiling: Promise<void> | undefined;

/**
 * Starts compiling prism.wasm on V8's background threads, so that the first getPrism() only instantiates it (the
 * server starts it before it answers `initialize`). Resolves when the compilation has ended, whether it succeeded
 * or not: getPrism() compiles the module itself when no compiled one is there.
 */
export function compilePrismInBackground(): Promise<void> {
  if (!instance && !compiling) {
    try {
      compiling = (WebAssembly as unknown as { compile(bytes: Uint8Array): Promise<WebAssembly.Module> }).compile(fs.readFileSync(prismWasmPath())).then(
        (m) => void (compiled = m),
        () => undefined,
      );
    } catch {
      compiling = Promise.resolve();
    }
  }
  return compiling ?? Promise.resolve();
}

export function getPrism(): PrismParse {
  if (!instance) {
    instance = instantiatePrism(compiled ?? fs.readFileSync(prismWasmPath()));
    compiled = undefined;
  }
  return instance;
}

/**
 * What a role file is made of (calls with strings, symbols, arrays and hashes in both key styles, a comment), parsed
 * once so that the WebAssembly functions such a parse runs are compiled (V8 compiles each on its first call) before a
 * document waits for them.
 */
export const PRISM_WARM_UP_SOURCE = `# warm-up
managed_iam_policy("AmazonS3ReadOnlyAccess", :x)
iam_policy("Example", [{ Sid: "Read", Action: %w[s3:GetObject s3:ListBucket], Effect: "Allow", Resource: "arn:aws:s3:::b/\#{1}", Condition: { "StringEquals" => { "aws:RequestedRegion" => ["us-east-1", nil, true, 1.5] } } }])
`;

/** Parses PRISM_WARM_UP_SOURCE with the process's Prism (the server does it while the client handles `initialize`). */
export function warmUpPrism(): void {
  getPrism()(PRISM_WARM_UP_SOURCE);
}

