// Synchronous loader for Prism, the official Ruby parser, compiled to WebAssembly.
// `@ruby/prism`'s own `loadPrism()` goes through `node:wasi` and `import.meta.url`, which break in a
// CJS bundle; this loader instantiates `prism.wasm` itself and stubs the WASI imports.
// The only WASI call the module makes is `random_get`, once at init, for 4 bytes.
import { parsePrism } from '@ruby/prism/src/parsePrism.js';
import type { ParseResult } from '@ruby/prism/src/deserialize.js';
import { MAX_NESTING, maxNesting, NestingTooDeepError } from './nesting';

export type { ParseResult };
/**
 * What a parse may be told about the code around the source (Prism's own options): the local variables in scope, so
 * a name is read as a variable and not as a method call, as it would be in the whole file; and the line the source
 * starts on, which the warnings' messages name.
 */
export interface PrismParseOptions {
  readonly scopes?: readonly (readonly string[])[];
  readonly line?: number;
}
export type PrismParse = (source: string, options?: PrismParseOptions) => ParseResult;

const ENOSYS = 52;

/**
 * Instantiates prism.wasm from its bytes, or from the module compiled from them (the caller reads the file: the core
 * does no IO). A parse that fails inside the module (e.g. the WebAssembly stack overflows on absurdly deep nesting)
 * leaves the instance in an unknown state, so the instance is replaced before the error is rethrown.
 */
export function instantiatePrism(wasm: Uint8Array | WebAssembly.Module): PrismParse {
  const mod = wasm instanceof WebAssembly.Module ? wasm : new WebAssembly.Module(wasm);
  let instance = createInstance(mod);
  return (source: string, options?: PrismParseOptions) => {
    const depth = maxNesting(source);
    if (depth > MAX_NESTING) throw new NestingTooDeepError(depth);
    try {
      if (!options) return parsePrism(instance.exports, source);
      return parsePrism(instance.exports, source, { ...(options.scopes ? { scopes: options.scopes.map((s) => [...s]) } : {}), ...(options.line ? { line: options.line } : {}) });
    } catch (e) {
      instance = createInstance(mod);
      throw e;
    }
  };
}

function createInstance(mod: WebAssembly.Module): WebAssembly.Instance {
  let memory: WebAssembly.Memory | undefined;
  const wasi: Record<string, (...args: number[]) => number> = {};
  for (const imp of WebAssembly.Module.imports(mod)) {
    if (imp.module === 'wasi_snapshot_preview1') wasi[imp.name] = () => ENOSYS;
  }
  // Math.random, not node:crypto: loading that module cost every CLI run about 3 ms, and nothing these bytes seed
  // needs to be unpredictable (the parser reads the user's own files, and the output does not depend on them).
  wasi.random_get = (ptr: number, len: number) => {
    const bytes = new Uint8Array(memory!.buffer, ptr, len);
    for (let i = 0; i < len; i++) bytes[i] = Math.floor(Math.random() * 256);
    return 0;
  };
  wasi.proc_exit = (code: number) => {
    throw new Error(`prism wasm exited with code ${code}`);
  };
  const instance = new WebAssembly.Instance(mod, { wasi_snapshot_preview1: wasi });
  memory = instance.exports.memory as WebAssembly.Memory;
  (instance.exports._initialize as () => void)();
  return instance;
}
