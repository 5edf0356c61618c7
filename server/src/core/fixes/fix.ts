// What a quick fix or refactoring is in the core: a title and byte-span edits. lsp/convert.ts turns it into a
// CodeAction with a WorkspaceEdit; nothing here knows LSP.
import type { Finding } from '../findings';
import type { Span } from '../text/span';
import type { RoleFileAnalysis } from '../analysis';
import type { UfoVersion } from '../compile/compileRoles';
import type { IamKnowledge } from '../iam/iamKnowledge';

export interface ByteEdit {
  /** The bytes to replace (empty for an insertion). */
  readonly span: Span;
  readonly text: string;
}

export type FixKind = 'quickfix' | 'refactor.rewrite';

export interface Fix {
  readonly title: string;
  readonly kind: FixKind;
  /** Non-overlapping edits, in any order. */
  readonly edits: readonly ByteEdit[];
  /** The one obvious fix of its finding (VS Code applies it with "Auto Fix"). */
  readonly isPreferred?: boolean;
  /** The finding the fix resolves (quick fixes only). */
  readonly finding?: Finding;
}

export interface FixContext {
  readonly analysis: RoleFileAnalysis;
  readonly version: UfoVersion;
  readonly iam?: IamKnowledge;
}

/** Applies edits to a text given as UTF-8 bytes (tests and the CLI's `--fix`-style uses). */
export function applyEdits(bytes: Uint8Array, edits: readonly ByteEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.span.start - a.span.start);
  let out = bytes;
  const enc = new TextEncoder();
  for (const e of sorted) {
    const text = enc.encode(e.text);
    const next = new Uint8Array(out.length - (e.span.end - e.span.start) + text.length);
    next.set(out.subarray(0, e.span.start), 0);
    next.set(text, e.span.start);
    next.set(out.subarray(e.span.end), e.span.start + text.length);
    out = next;
  }
  return new TextDecoder().decode(out);
}
