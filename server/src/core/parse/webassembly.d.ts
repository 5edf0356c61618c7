// The subset of the WebAssembly JS API that the Prism loader uses. Node has it globally, but
// @types/node 20 declares it only in lib.dom, which this project does not include.
declare namespace WebAssembly {
  type ExportValue = unknown;
  type Exports = Record<string, ExportValue>;
  type ImportValue = unknown;
  type Imports = Record<string, Record<string, ImportValue>>;
  interface ModuleImportDescriptor {
    module: string;
    name: string;
    kind: string;
  }
  class Module {
    constructor(bytes: Uint8Array | ArrayBuffer);
    static imports(module: Module): ModuleImportDescriptor[];
  }
  class Instance {
    constructor(module: Module, imports?: Imports);
    readonly exports: Exports;
  }
  class Memory {
    readonly buffer: ArrayBuffer;
  }
}
