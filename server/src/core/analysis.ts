// The core's façade: text in, model and findings out. The editor (server.ts) and the CLI both call
// analyzeRoleFile, so they show the same findings.
import type { PrismParse } from './parse/prism';
import { NestingTooDeepError } from './parse/nesting';
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

/**
 * Files above this size are not parsed: IAM allows 10,240 characters of inline policies per role, so a
 * role file this big cannot deploy, and analysing it would make every request wait.
 */
export const MAX_ANALYZED_BYTES = 512 * 1024;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function analyzeRoleFile(parse: PrismParse, text: string): RoleFileAnalysis {
  const bytes = encoder.encode(text);
  const lineIndex = new LineIndex(text);
  const sliceBytes = (start: number, end: number) => decoder.decode(bytes.subarray(start, end));
  let model: RoleFileModel;
  if (bytes.length > MAX_ANALYZED_BYTES) {
    const firstLineEnd = lineIndex.byteOfPosition({ line: 0, character: Number.MAX_SAFE_INTEGER });
    const finding: Finding = {
      code: 'FILE_TOO_LARGE',
      span: { start: 0, end: firstLineEnd },
      message: `This file is ${(bytes.length / 1024 / 1024).toFixed(1)} MB; ufo-iam analyses role files up to ${MAX_ANALYZED_BYTES / 1024} KB. IAM allows 10,240 characters of inline policies per role, so UFO could not deploy it either.`,
    };
    model = { calls: [], otherCalls: [], comments: [], findings: [finding], hasSyntaxErrors: false };
    return { text, lineIndex, model, findings: model.findings, bytes };
  }
  try {
    model = buildRoleFile(parse(text), sliceBytes);
  } catch (e) {
    // Only a pathological text gets here (nesting deeper than the parser's stack): say so, keep going.
    const firstLineEnd = lineIndex.byteOfPosition({ line: 0, character: Number.MAX_SAFE_INTEGER });
    const finding: Finding = {
      code: 'PARSE_FAILURE',
      span: { start: 0, end: firstLineEnd },
      message: `The file could not be parsed (${e instanceof NestingTooDeepError ? e.message : e instanceof RangeError ? 'nesting too deep for the parser' : e instanceof Error ? e.message : String(e)}). Simplify the nesting.`,
    };
    model = { calls: [], otherCalls: [], comments: [], findings: [finding], hasSyntaxErrors: true };
  }
  return { text, lineIndex, model, findings: model.findings, bytes };
}
