// Document symbols ([textDocument/documentSymbol](https://microsoft.github.io/language-server-protocol/specification#textDocument_documentSymbol)):
// the outline of a role file: role → inline policies → statements, and managed policies.
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver';
import { type RoleFileAnalysis, type Value, keyText, LOGICAL_IDS, type RoleType, type Span } from '../core';
import { toRange } from '../lsp/convert';

function label(v: Value | undefined): string {
  if (!v) return '(unnamed)';
  if (v.kind === 'string' || v.kind === 'symbol') return v.value || '""';
  if (v.kind === 'dynamic') return v.source;
  return v.kind;
}

function statementDetail(s: Value): string {
  if (s.kind !== 'hash') return s.kind === 'dynamic' ? s.source : s.kind;
  const get = (k: string) => s.entries.find((e) => keyText(e.key) === k)?.value;
  const effect = get('Effect');
  const action = get('Action') ?? get('NotAction');
  const actions = action?.kind === 'array' ? action.elements : action ? [action] : [];
  const names = actions.map(label);
  const shown = names.slice(0, 3).join(', ') + (names.length > 3 ? `, +${names.length - 3}` : '');
  return `${effect ? label(effect) : '?'} ${shown}`.trim();
}

export function provideDocumentSymbols(analysis: RoleFileAnalysis, roleType: RoleType | undefined): DocumentSymbol[] {
  const idx = analysis.lineIndex;
  const sym = (name: string, detail: string, kind: SymbolKind, span: Span, sel: Span, children?: DocumentSymbol[]): DocumentSymbol => ({
    name: name.length > 0 ? name : ' ',
    detail,
    kind,
    range: toRange(idx, span),
    selectionRange: toRange(idx, sel),
    children,
  });
  const items: DocumentSymbol[] = [];
  for (const call of analysis.model.calls) {
    if (call.method === 'iam_policy') {
      const children = call.statements.map((s, i) =>
        sym(`Statement ${i + 1}`, statementDetail(s), SymbolKind.Object, s.span, s.span),
      );
      const nameSpan = call.policyName && call.policyName.kind !== 'dynamic' ? call.policyName.span : call.nameSpan;
      items.push(sym(label(call.policyName), 'iam_policy', SymbolKind.Module, call.span, nameSpan, children));
    } else {
      for (const n of call.names) {
        items.push(sym(label(n), 'managed_iam_policy', SymbolKind.Interface, n.span, n.span));
      }
    }
  }
  if (!roleType || items.length === 0) return items;
  const file = { start: 0, end: analysis.bytes.length };
  const first = items[0].range.start;
  return [
    {
      name: LOGICAL_IDS[roleType],
      detail: roleType === 'task_role' ? 'task role (taskRoleArn)' : 'execution role (executionRoleArn)',
      kind: SymbolKind.Class,
      range: toRange(idx, file),
      selectionRange: { start: first, end: first },
      children: items,
    },
  ];
}
