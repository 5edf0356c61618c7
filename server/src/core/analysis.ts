// The core's façade: text in, model and findings out. The editor (server.ts) and the CLI both call
// analyzeRoleFile, so they show the same findings.
import type { PrismParse } from './parse/prism';
import { LineIndex } from './text/lineIndex';
import { buildRoleFile } from './model/buildRoleFile';
import type { RoleFileModel } from './model/roleFile';
import type { Finding } from './findings';

export interface RoleFileAnalysis {
  readonly text: string;
  readonly lineIndex: LineIndex;
  readonly model: RoleFileModel;
  /** Findings of the model (syntax, DSL); the checks add theirs through `runChecks`. */
  readonly findings: readonly Finding[];
  /** The source's UTF-8 bytes, for slicing by byte spans. */
  readonly bytes: Uint8Array;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function analyzeRoleFile(parse: PrismParse, text: string): RoleFileAnalysis {
  const bytes = encoder.encode(text);
  const lineIndex = new LineIndex(text);
  const result = parse(text);
  const sliceBytes = (start: number, end: number) => decoder.decode(bytes.subarray(start, end));
  const model = buildRoleFile(result, sliceBytes);
  return { text, lineIndex, model, findings: model.findings, bytes };
}
