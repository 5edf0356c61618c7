// The core's façade: text in, model and findings out. The editor (server.ts) and the CLI both call
// analyzeRoleFile, so they show the same findings.
import type { PrismParse } from './parse/prism';
import { NestingTooDeepError } from './parse/nesting';
import { LineIndex } from './text/lineIndex';
import { buildRoleFile } from './model/buildRoleFile';
import type { RoleFileModel } from './model/roleFile';
import type { Finding } from './findings';
import { reanalyzeRoleFile, reuseOf, type Reuse } from './incremental';

/** A text with its UTF-8 bytes and line index: what completion reads, and what an analysis starts from. */
export interface IndexedText {
  readonly text: string;
  /** The source's UTF-8 bytes, for slicing by byte spans. */
  readonly bytes: Uint8Array;
  readonly lineIndex: LineIndex;
}

export interface RoleFileAnalysis extends IndexedText {
  readonly model: RoleFileModel;
  /** Findings of the model (syntax, DSL); the checks add theirs through `runChecks`. */
  readonly findings: readonly Finding[];
  /** What an edit of this text inside one call needs to re-parse only that call (core/incremental.ts). */
  readonly reuse?: Reuse;
}

/**
 * Files above this size are not parsed: IAM allows 10,240 characters of inline policies per role, so a
 * role file this big cannot deploy, and analysing it would make every request wait.
 */
export const MAX_ANALYZED_BYTES = 512 * 1024;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function indexText(text: string): IndexedText {
  return { text, bytes: encoder.encode(text), lineIndex: new LineIndex(text) };
}

/** Analyses a text; `indexed` is its index when the caller already has it (the server indexes each version once). */
export function analyzeRoleFile(parse: PrismParse, text: string, indexed: IndexedText = indexText(text)): RoleFileAnalysis {
  const { bytes, lineIndex } = indexed;
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
  let reuse: Reuse | undefined;
  try {
    const result = parse(text);
    model = buildRoleFile(result, sliceBytes);
    reuse = reuseOf(result, model, bytes);
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
  return { text, lineIndex, model, findings: model.findings, bytes, reuse };
}

/**
 * The analysis of a new text of a document whose previous analysis is `prev`: an edit inside one call re-parses
 * only that call (core/incremental.ts), anything else the whole text. Either way the result is the same.
 */
export function analyzeEdit(parse: PrismParse, prev: RoleFileAnalysis | undefined, indexed: IndexedText): RoleFileAnalysis {
  return (prev && indexed.bytes.length <= MAX_ANALYZED_BYTES && reanalyzeRoleFile(parse, prev, indexed)) || analyzeRoleFile(parse, indexed.text, indexed);
}
