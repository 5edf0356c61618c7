// Reads `config.app` from a project's `.ufo/config.rb` without running it: Prism parses the file and we
// look for `<receiver>.app = "literal"`, typically inside `Ufo.configure do |config| … end`
// (docs/ufo-semantics.md §1: `Ufo.app` is `ENV['UFO_APP']` or `config.app`). Anything that needs Ruby to run
// (interpolation, a method call, a conditional assignment) is reported as dynamic, never guessed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CallNode, IfNode, UnlessNode, CaseNode, StringNode, SymbolNode, LocalVariableReadNode, type Node } from '@ruby/prism/src/nodes.js';
import { instantiatePrism, type PrismParse } from '../core';
import { getPrism } from './prismInstance';
import { readProjectFile } from './readProjectFile';

export interface ConfigApp {
  /** The config file, relative to the project root. */
  file: string;
  /** The literal app name, when there is one. */
  app?: string;
  /** 1-based line of the assignment that decided the outcome. */
  line?: number;
  /** Why no literal could be read, e.g. "config.app is assigned a dynamic value". */
  note?: string;
  /** Set when the file exists but is not read (readProjectFile's reason: a FIFO, a link leaving the project, too large). */
  unreadable?: string;
  /** `config.names.stack` (v6's stack name pattern): the literal, or why it cannot be read; absent when not assigned. */
  namesStack?: { value?: string; line: number; note?: string };
}

const parsers = new Map<string, PrismParse>();

/** The process's shared Prism instance (beside the bundle, or from node_modules), or one for an explicit wasm path. */
function parserFor(wasmPath: string | undefined): PrismParse {
  if (wasmPath === undefined) return getPrism();
  let parse = parsers.get(wasmPath);
  if (!parse) {
    parse = instantiatePrism(fs.readFileSync(wasmPath));
    parsers.set(wasmPath, parse);
  }
  return parse;
}

function lineOf(bytes: Buffer, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < bytes.length; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/** Is this `x.app = …` with `x` a block parameter / local (as in `do |config|`) or a bare `config` call? */
function isAppAssignment(node: CallNode): boolean {
  if (node.name !== 'app=') return false;
  const r = node.receiver;
  return r instanceof LocalVariableReadNode || (r instanceof CallNode && r.receiver === null && r.name === 'config');
}

/** Reads `config.app` statically from `<root>/.ufo/config.rb`. Undefined when the file does not exist. */
export function readConfigApp(root: string, options: { prismWasmPath?: string } = {}): ConfigApp | undefined {
  const rel = path.join('.ufo', 'config.rb');
  const read = readProjectFile(root, '.ufo/config.rb');
  if (!read.ok) return read.missing ? undefined : { file: rel, note: `${rel} is not read: ${read.reason}`, unreadable: read.reason };
  const bytes = Buffer.from(read.text, 'utf8');
  let result: ReturnType<PrismParse>;
  try {
    result = parserFor(options.prismWasmPath)(bytes.toString('utf8'));
  } catch (e) {
    return { file: rel, note: `config.rb could not be parsed (${e instanceof Error ? e.message : String(e)})` };
  }
  const found: Array<{ node: CallNode; conditional: boolean }> = [];
  const stackFound: Array<{ node: CallNode; conditional: boolean }> = [];
  const walk = (node: Node | null, conditional: boolean): void => {
    if (!node) return;
    if (node instanceof CallNode && isAppAssignment(node)) found.push({ node, conditional });
    if (node instanceof CallNode && isNamesStackAssignment(node)) stackFound.push({ node, conditional });
    const inside = conditional || node instanceof IfNode || node instanceof UnlessNode || node instanceof CaseNode;
    for (const child of node.compactChildNodes()) walk(child, inside);
  };
  walk(result.value, false);
  const namesStack = literalOf(stackFound, bytes, 'config.names.stack');
  const withStack = <T extends ConfigApp>(c: T): T => (namesStack ? { ...c, namesStack } : c);
  if (found.length === 0) return withStack({ file: rel, note: 'no config.app assignment' });
  // The last assignment wins when Ruby runs the file.
  const last = found[found.length - 1];
  const line = lineOf(bytes, last.node.location.startOffset);
  const args = last.node.arguments_?.arguments_ ?? [];
  if (last.conditional) return withStack({ file: rel, line, note: 'config.app is assigned inside a condition' });
  // A Symbol works too: UFO interpolates Ufo.app into names, and `:demo` prints as "demo".
  const arg = args.length === 1 ? args[0] : undefined;
  if (!(arg instanceof StringNode) && !(arg instanceof SymbolNode)) return withStack({ file: rel, line, note: 'config.app is assigned a dynamic value' });
  const value = arg.unescaped.value;
  if (result.errors.length > 0) return withStack({ file: rel, line, app: value, note: 'config.rb has syntax errors' });
  return withStack({ file: rel, line, app: value });
}

/** `x.names.stack = …` with `x` a block parameter or a bare `config`. */
function isNamesStackAssignment(node: CallNode): boolean {
  if (node.name !== 'stack=') return false;
  const names = node.receiver;
  if (!(names instanceof CallNode) || names.name !== 'names') return false;
  const r = names.receiver;
  return r instanceof LocalVariableReadNode || (r instanceof CallNode && r.receiver === null && r.name === 'config');
}

/** The last assignment's literal string, or a note saying why there is none. */
function literalOf(found: Array<{ node: CallNode; conditional: boolean }>, bytes: Buffer, what: string): ConfigApp['namesStack'] {
  if (found.length === 0) return undefined;
  const last = found[found.length - 1];
  const line = lineOf(bytes, last.node.location.startOffset);
  if (last.conditional) return { line, note: `${what} is assigned inside a condition` };
  const args = last.node.arguments_?.arguments_ ?? [];
  const arg = args.length === 1 ? args[0] : undefined;
  if (!(arg instanceof StringNode)) return { line, note: `${what} is assigned a value that is not a string literal` };
  return { line, value: arg.unescaped.value };
}

/** What `.ufo/settings.yml` (v5) says for stack naming: `stack_naming` and `cluster`, the env's section over `base`. */
export interface V5StackSettings {
  stackNaming?: string;
  cluster?: string;
}

/**
 * Reads `stack_naming` and `cluster` from v5's `.ufo/settings.yml` without a YAML library: the file is a mapping of
 * sections (`base:`, `development:`, …) of plain `key: value` lines, as `ufo init` writes it; a value that is not a
 * plain scalar is not taken.
 */
export function readV5StackSettings(root: string, ufoEnv: string): V5StackSettings {
  const read = readProjectFile(root, '.ufo/settings.yml');
  if (!read.ok) return {};
  const sections = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  for (const raw of read.text.split(/\r?\n/)) {
    const line = raw.replace(/\s+#.*$/, '').replace(/^#.*$/, '');
    const top = /^([A-Za-z0-9_-]+):\s*$/.exec(line);
    if (top) {
      current = new Map();
      sections.set(top[1], current);
      continue;
    }
    const kv = /^\s+([a-z_]+):\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_.-]+))\s*$/.exec(line);
    if (kv && current) current.set(kv[1], kv[2] ?? kv[3] ?? kv[4]);
  }
  const pick = (key: string): string | undefined => sections.get(ufoEnv)?.get(key) ?? sections.get('base')?.get(key);
  const stackNaming = pick('stack_naming');
  const cluster = pick('cluster');
  return { ...(stackNaming ? { stackNaming } : {}), ...(cluster ? { cluster } : {}) };
}

/** `config.app` when it is a literal that always applies (what the layout lookup and role names use). */
export function readUfoApp(root: string): string | undefined {
  return readConfigApp(root)?.app;
}

/**
 * UFO_APP as UFO decides it (docs/ufo-semantics.md §11): an explicit choice (setting or flag), then the UFO_APP
 * environment variable, then `config.app` (read only when needed).
 */
export function resolveUfoApp(explicit: string | undefined, env: NodeJS.ProcessEnv, configApp: () => string | undefined): string | undefined {
  return explicit || env.UFO_APP || configApp() || undefined;
}
