// Hover ([textDocument/hover](https://microsoft.github.io/language-server-protocol/specification#textDocument_hover)):
// the core's markdown about the string or key under the cursor, over its exact range.
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver';
import { type RoleFileAnalysis, type IamKnowledge, hover } from '../core';
import { toOffset, toRange } from '../lsp/convert';

export function provideHover(analysis: RoleFileAnalysis, position: Position, iam: IamKnowledge): Hover | null {
  const result = hover(analysis, toOffset(analysis.lineIndex, position), iam);
  if (!result) return null;
  return { contents: { kind: MarkupKind.Markdown, value: result.markdown }, range: toRange(analysis.lineIndex, result.span) };
}
