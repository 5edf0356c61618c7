// Completion ([textDocument/completion](https://microsoft.github.io/language-server-protocol/specification#textDocument_completion)
// and [completionItem/resolve](https://microsoft.github.io/language-server-protocol/specification#completionItem_resolve)):
// the core's entries as LSP items. The long lists come from the core as the same arrays every time; their LSP
// items are converted once and reused, and only the replace range is new per request. Clients that support
// `CompletionList.itemDefaults.editRange` (VS Code) get that range once for the whole list.
import {
  CompletionItemKind,
  CompletionItemTag,
  InsertTextFormat,
  MarkupKind,
  type ClientCapabilities,
  type CompletionItem,
  type CompletionList,
  type Position,
} from 'vscode-languageserver';
import type { RoleFileAnalysis } from '../core/analysis';
import type { IamKnowledge } from '../core/iam/iamKnowledge';
import { complete, entryText, resolveDocumentation, type CompletionEntry, type EntryKind, type ResolveKey } from '../core/complete/complete';
import { toOffset, toRange } from '../lsp/convert';

/** `"` and `'` open a string; `:` follows a service prefix or `aws`; `/` follows a managed policy's path. */
export const COMPLETION_TRIGGER_CHARACTERS = ['"', "'", ':', '/'];

/** The VS Code command that opens completion again (after a service prefix or a statement key). */
export const TRIGGER_SUGGEST = { title: 'Suggest', command: 'editor.action.triggerSuggest' } as const;

export interface CompletionSupport {
  /** The client takes the replace range once, in `itemDefaults.editRange`. */
  readonly editRangeDefault: boolean;
  readonly snippets: boolean;
  readonly labelDetails: boolean;
  readonly deprecatedTag: boolean;
  readonly markdown: boolean;
}

export function completionSupportOf(capabilities: ClientCapabilities | undefined): CompletionSupport {
  const c = capabilities?.textDocument?.completion;
  return {
    editRangeDefault: !!c?.completionList?.itemDefaults?.includes('editRange'),
    snippets: !!c?.completionItem?.snippetSupport,
    labelDetails: !!c?.completionItem?.labelDetailsSupport,
    deprecatedTag: !!c?.completionItem?.tagSupport?.valueSet?.includes(CompletionItemTag.Deprecated),
    markdown: c?.completionItem?.documentationFormat?.includes(MarkupKind.Markdown) ?? true,
  };
}

const KINDS: Record<EntryKind, CompletionItemKind> = {
  service: CompletionItemKind.Module,
  action: CompletionItemKind.Function,
  wildcard: CompletionItemKind.Constant,
  managedPolicy: CompletionItemKind.Interface,
  statementKey: CompletionItemKind.Property,
  effect: CompletionItemKind.EnumMember,
  resource: CompletionItemKind.Reference,
  operator: CompletionItemKind.Operator,
  conditionKey: CompletionItemKind.Field,
  value: CompletionItemKind.Value,
  snippet: CompletionItemKind.Snippet,
};

/** Converted items per core array and per way of writing them (quote, lead, client support). */
const converted = new WeakMap<readonly CompletionEntry[], Map<string, CompletionItem[]>>();

/** The items of a completion list, with the replace range; null when nothing applies at the position. */
export function provideCompletion(
  analysis: RoleFileAnalysis,
  position: Position,
  iam: IamKnowledge,
  support: CompletionSupport,
  triggerCharacter?: string,
): CompletionList | null {
  const offset = toOffset(analysis.lineIndex, position);
  const result = complete(analysis, offset, iam, { triggerCharacter });
  if (!result || result.items.length === 0) return null;
  const range = toRange(analysis.lineIndex, result.span);
  const variant = `${result.quote ?? ''}|${result.lead}|${support.snippets}|${support.labelDetails}|${support.deprecatedTag}|${support.markdown}`;
  let byVariant = converted.get(result.items);
  if (!byVariant) converted.set(result.items, (byVariant = new Map()));
  let items = byVariant.get(variant);
  if (!items) {
    items = result.items.map((e) => toItem(e, result, support));
    byVariant.set(variant, items);
  }
  if (support.editRangeDefault) return { isIncomplete: false, itemDefaults: { editRange: range }, items };
  return {
    isIncomplete: false,
    items: items.map(({ textEditText, ...rest }) => ({ ...rest, textEdit: { range, newText: textEditText ?? rest.label } })),
  };
}

function toItem(e: CompletionEntry, result: Parameters<typeof entryText>[1], support: CompletionSupport): CompletionItem {
  let { text, snippet } = entryText(e, result);
  if (snippet && !support.snippets) {
    text = snippetToPlain(text);
    snippet = false;
  }
  const item: CompletionItem = { label: e.label, kind: KINDS[e.kind], textEditText: text };
  if (snippet) item.insertTextFormat = InsertTextFormat.Snippet;
  if (e.detail) item.detail = e.detail;
  if (e.description && support.labelDetails) item.labelDetails = { description: e.description };
  if (e.documentation) item.documentation = support.markdown ? { kind: MarkupKind.Markdown, value: e.documentation } : e.documentation;
  if (e.filterText) item.filterText = e.filterText;
  if (e.sortText) item.sortText = e.sortText;
  if (e.deprecated) {
    if (support.deprecatedTag) item.tags = [CompletionItemTag.Deprecated];
    else item.deprecated = true;
  }
  if (e.retrigger) item.command = TRIGGER_SUGGEST;
  if (e.resolve) item.data = e.resolve;
  return item;
}

/** A snippet as plain text for clients without snippet support: placeholders keep their default text. */
export function snippetToPlain(snippet: string): string {
  return snippet
    .replace(/\$\{\d+\|([^,|}]*)[^}]*\|\}/g, '$1')
    .replace(/\$\{\d+:((?:\\.|[^}])*)\}/g, '$1')
    .replace(/\$\d+/g, '')
    .replace(/\\([$}\\])/g, '$1');
}

function isResolveKey(data: unknown): data is ResolveKey {
  const d = data as { type?: unknown } | null;
  return !!d && typeof d === 'object' && (d.type === 'action' || d.type === 'wildcard' || d.type === 'service' || d.type === 'managedPolicy');
}

/** Adds the documentation of an item whose `data` names what it is (an action, a wildcard, a service, a policy). */
export function resolveCompletion(item: CompletionItem, iam: IamKnowledge): CompletionItem {
  if (!isResolveKey(item.data)) return item;
  const key = item.data as ResolveKey;
  const name = key.type === 'action' ? key.name : key.type === 'wildcard' ? key.pattern : key.type === 'service' ? key.prefix : key.name;
  if (typeof name !== 'string') return item;
  const markdown = resolveDocumentation(iam, key);
  if (!markdown) return item;
  return { ...item, documentation: { kind: MarkupKind.Markdown, value: markdown } };
}
