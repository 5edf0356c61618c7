// Cursor markers for completion and hover tests: `<|>` marks the cursor in the text (`|` and `$0` are valid Ruby,
// so a marker of its own cannot be mistaken for code). Offsets are UTF-8 bytes, as the core speaks.
import { analyze } from '../../support/core';
import type { RoleFileAnalysis } from '../../../server/src/core/analysis';

export const CURSOR = '<|>';

export interface Marked {
  readonly text: string;
  /** Byte offset of the cursor. */
  readonly offset: number;
  /** UTF-16 offset of the cursor. */
  readonly index: number;
  readonly analysis: RoleFileAnalysis;
}

export function mark(withCursor: string): Marked {
  const index = withCursor.indexOf(CURSOR);
  if (index < 0 || withCursor.indexOf(CURSOR, index + 1) >= 0) throw new Error(`exactly one ${CURSOR} expected in ${JSON.stringify(withCursor)}`);
  const text = withCursor.slice(0, index) + withCursor.slice(index + CURSOR.length);
  return { text, offset: Buffer.byteLength(text.slice(0, index)), index, analysis: analyze(text) };
}

/** The source text of a byte span. */
export function slice(m: { text: string }, span: { start: number; end: number }): string {
  return Buffer.from(m.text).subarray(span.start, span.end).toString();
}

/** The text with the byte span replaced. */
export function applyBytes(text: string, span: { start: number; end: number }, replacement: string): string {
  const b = Buffer.from(text);
  return Buffer.concat([b.subarray(0, span.start), Buffer.from(replacement), b.subarray(span.end)]).toString();
}
