// Helpers for in-process tests of the core: the real Prism, the real analysis and compiler.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { instantiatePrism, type PrismParse } from '../../server/src/core/parse/prism';
import { analyzeRoleFile, type RoleFileAnalysis } from '../../server/src/core/analysis';
import { compileRoles, type RoleType, type UfoVersion } from '../../server/src/core/compile/compileRoles';
import { toJsonText } from '../../server/src/core/compile/serialize';
import { toPlain } from '../../server/src/core/compile/cvalue';

export const ROOT = path.resolve(__dirname, '..', '..');
let prism: PrismParse | undefined;

export function parse(): PrismParse {
  prism ??= instantiatePrism(fs.readFileSync(path.join(ROOT, 'node_modules/@ruby/prism/src/prism.wasm')));
  return prism;
}

export function analyze(text: string): RoleFileAnalysis {
  return analyzeRoleFile(parse(), text);
}

/** Compiles role file texts and returns the plain JSON object of the resources UFO builds. */
export function compile(files: Partial<Record<RoleType, string>>, version: UfoVersion = 6) {
  const models: Partial<Record<RoleType, ReturnType<typeof analyze>['model']>> = {};
  for (const [t, text] of Object.entries(files) as [RoleType, string][]) models[t] = analyze(text).model;
  const result = compileRoles(models, version);
  return { ...result, plain: toPlain(result.resources) as Record<string, any>, json: toJsonText(result.resources) };
}

/** The inline policies' statements of one role, as plain JSON. */
export function statementsOf(text: string, version: UfoVersion = 6, role: RoleType = 'task_role'): any[] {
  const r = compile({ [role]: text }, version).plain;
  const id = role === 'task_role' ? 'TaskRole' : 'ExecutionRole';
  return (r[id]?.Properties?.Policies ?? []).map((p: any) => p.PolicyDocument.Statement);
}

/** Byte span of the n-th occurrence of `needle` in `text` (for asserting exact spans). */
export function byteSpanOf(text: string, needle: string, nth = 0): { start: number; end: number } {
  let i = -1;
  for (let k = 0; k <= nth; k++) {
    i = text.indexOf(needle, i + 1);
    if (i < 0) throw new Error(`${needle} not found`);
  }
  const start = Buffer.byteLength(text.slice(0, i));
  return { start, end: start + Buffer.byteLength(needle) };
}
