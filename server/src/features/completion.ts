// Completion ([textDocument/completion](https://microsoft.github.io/language-server-protocol/specification#textDocument_completion)
// and [completionItem/resolve](https://microsoft.github.io/language-server-protocol/specification#completionItem_resolve)):
// the core's entries as LSP items. Lists longer than COMPLETION_LIMIT are narrowed to the best matches of the
// typed text and marked incomplete (core/complete/narrow.ts), so no response carries the 1,610 managed policies.
// The core's entries are shared objects; their LSP items are converted once and reused, and only the replace range
// is new per request. Clients that support `CompletionList.itemDefaults.editRange` (VS Code) get that range once.
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
import { type IamKnowledge, type SourceText, LineIndex, indexText, complete, entryText, prepareCompletionLists, prepareFileLists, type RoleFileModel, resolveDetail, resolveDocumentation, type CompletionEntry, type CompletionResult, type EntryKind, type ResolveKey, narrowResult } from '../core';
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
  /** The client resolves an item's detail (VS Code does, for the focused item): long lists travel without them. */
  readonly lazyDetail: boolean;
}

export function completionSupportOf(capabilities: ClientCapabilities | undefined): CompletionSupport {
  const c = capabilities?.textDocument?.completion;
  return {
    editRangeDefault: !!c?.completionList?.itemDefaults?.includes('editRange'),
    snippets: !!c?.completionItem?.snippetSupport,
    labelDetails: !!c?.completionItem?.labelDetailsSupport,
    deprecatedTag: !!c?.completionItem?.tagSupport?.valueSet?.includes(CompletionItemTag.Deprecated),
    markdown: c?.completionItem?.documentationFormat?.includes(MarkupKind.Markdown) ?? true,
    lazyDetail: !!c?.completionItem?.resolveSupport?.properties?.includes('detail'),
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

/** Converted items per way of writing them (quote, lead, client support) and per core entry. */
const converted = new Map<string, WeakMap<CompletionEntry, CompletionItem>>();
const utf8 = new TextDecoder();

/** A text as completion reads it: bytes and line index (the server's indexed text, or an analysis). */
export type CompletionSource = SourceText & { readonly lineIndex: LineIndex };

/** The items of a completion list, with the replace range; null when nothing applies at the position. */
export function provideCompletion(
  source: CompletionSource | undefined,
  position: Position,
  iam: IamKnowledge,
  support: CompletionSupport,
  triggerCharacter?: string,
): CompletionList | null {
  if (!source) return null;
  const offset = toOffset(source.lineIndex, position);
  const all = complete(source, offset, iam, { triggerCharacter });
  if (!all || all.items.length === 0) return null;
  // What the client filters on: the text from the start of the replaced span to the cursor.
  const typed = offset > all.span.start ? utf8.decode(source.bytes.subarray(all.span.start, offset)) : '';
  const result = narrowResult(all, typed);
  const range = toRange(source.lineIndex, result.span);
  const items = convertedItems(result.items, result, support);
  if (support.editRangeDefault) return { isIncomplete: result.incomplete, itemDefaults: { editRange: range }, items };
  return {
    isIncomplete: result.incomplete,
    items: items.map(({ textEditText, ...rest }) => ({ ...rest, textEdit: { range, newText: textEditText ?? rest.label } })),
  };
}

function convertedItems(entries: readonly CompletionEntry[], how: Pick<CompletionResult, 'quote' | 'lead'>, support: CompletionSupport): CompletionItem[] {
  const variant = `${how.quote ?? ''}|${how.lead}|${support.snippets}|${support.labelDetails}|${support.deprecatedTag}|${support.markdown}|${support.lazyDetail}`;
  let byEntry = converted.get(variant);
  if (!byEntry) converted.set(variant, (byEntry = new WeakMap()));
  return entries.map((e) => {
    let item = byEntry.get(e);
    if (!item) byEntry.set(e, (item = toItem(e, how, support)));
    return item;
  });
}

/** Where a first completion usually asks (an action, a service prefix, a managed policy, a condition key), marked `|`. */
const WARM_UP_TEXT = [
  'managed_iam_policy("Amazon|")',
  'iam_policy("Warm", Action: ["s3:Get|", "|"], Effect: "Allow", Resource: "*", Condition: { StringEquals: { "aws:|" => "x" } })',
  '',
].join('\n');

/** How long the warm-up may spend on the lists of the opened file's own statements (it runs between two messages). */
const FILE_LISTS_BUDGET_MS = 10;

/**
 * Builds the core's long lists and answers the usual first completions once on a sample, with the client's
 * capabilities (the server calls this right after its first check of an opened file, with that file's model): the
 * lists, those of the file's statements (their condition keys, their services' actions), their LSP items and the code
 * that answers are then ready, so the first completion a user asks for costs what the hundredth does. Returns how
 * many of the sample's positions had an answer (all of them, or the sample no longer warms anything).
 */
export function warmUpCompletion(iam: IamKnowledge, support: CompletionSupport, model?: RoleFileModel): number {
  prepareCompletionLists(iam);
  if (model) prepareFileLists(iam, model, FILE_LISTS_BUDGET_MS);
  const text = WARM_UP_TEXT.replace(/\|/g, '');
  const source = indexText(text);
  let removed = 0;
  let answered = 0;
  for (let i = WARM_UP_TEXT.indexOf('|'); i >= 0; i = WARM_UP_TEXT.indexOf('|', i + 1)) {
    if (provideCompletion(source, source.lineIndex.positionOfOffset(i - removed++), iam, support)?.items.length) answered++;
  }
  return answered;
}

function toItem(e: CompletionEntry, result: Pick<CompletionResult, 'quote' | 'lead'>, support: CompletionSupport): CompletionItem {
  let { text, snippet } = entryText(e, result);
  if (snippet && !support.snippets) {
    text = snippetToPlain(text);
    snippet = false;
  }
  const item: CompletionItem = { label: e.label, kind: KINDS[e.kind] };
  // Without textEditText a client inserts the label over the default range: leave out what would repeat it.
  if (text !== e.label) item.textEditText = text;
  if (snippet) item.insertTextFormat = InsertTextFormat.Snippet;
  // An action's, a wildcard's or a service's detail comes on resolve when the client asks for it then.
  if (e.detail && !(support.lazyDetail && e.resolve && resolvesDetail(e.resolve))) item.detail = e.detail;
  if (e.description && support.labelDetails) item.labelDetails = { description: e.description };
  if (e.documentation) item.documentation = support.markdown ? { kind: MarkupKind.Markdown, value: e.documentation } : e.documentation;
  // A client filters on the label when no filterText is given.
  if (e.filterText && e.filterText !== e.label) item.filterText = e.filterText;
  if (e.sortText) item.sortText = e.sortText;
  if (e.deprecated) {
    // Clients ignore tags they do not know; the older `deprecated` flag is for those without tag support.
    item.tags = [CompletionItemTag.Deprecated];
    if (!support.deprecatedTag) item.deprecated = true;
  }
  if (e.retrigger) item.command = TRIGGER_SUGGEST;
  if (e.resolve) item.data = encodeResolveKey(e.resolve);
  return item;
}

/**
 * `data` of an item, kept short because it travels with every item of long lists: `a:s3:GetObject` (action),
 * `w:s3:Get*` (wildcard), `s:s3` (service), `p:` (managed policy: its label is its name).
 */
export function encodeResolveKey(key: ResolveKey): string {
  switch (key.type) {
    case 'action':
      return `a:${key.name}`;
    case 'wildcard':
      return `w:${key.pattern}`;
    case 'service':
      return `s:${key.prefix}`;
    case 'managedPolicy':
      return 'p:';
  }
}

export function decodeResolveKey(data: unknown, label: string): ResolveKey | undefined {
  if (typeof data !== 'string' || data.length < 2 || data[1] !== ':') return undefined;
  const rest = data.slice(2);
  if (data[0] === 'p') return { type: 'managedPolicy', name: label };
  if (rest.length === 0) return undefined;
  switch (data[0]) {
    case 'a':
      return { type: 'action', name: rest };
    case 'w':
      return { type: 'wildcard', pattern: rest };
    case 's':
      return { type: 'service', prefix: rest };
    default:
      return undefined;
  }
}

/** A snippet as plain text for clients without snippet support: placeholders keep their default text. */
export function snippetToPlain(snippet: string): string {
  return snippet
    .replace(/\$\{\d+\|([^,|}]*)[^}]*\|\}/g, '$1')
    .replace(/\$\{\d+:((?:\\.|[^}])*)\}/g, '$1')
    .replace(/\$\d+/g, '')
    .replace(/\\([$}\\])/g, '$1');
}

const resolvesDetail = (key: ResolveKey): boolean => key.type !== 'managedPolicy';

/**
 * Adds the documentation of an item whose `data` names what it is (an action, a wildcard, a service, a policy), and
 * its detail when the list left it out.
 */
export function resolveCompletion(item: CompletionItem, iam: IamKnowledge): CompletionItem {
  const key = decodeResolveKey(item.data, typeof item.label === 'string' ? item.label : '');
  if (!key) return item;
  const markdown = resolveDocumentation(iam, key);
  const resolved: CompletionItem = markdown ? { ...item, documentation: { kind: MarkupKind.Markdown, value: markdown } } : { ...item };
  if (!item.detail) {
    // The list leaves a current policy's detail out to stay small; the focused item shows its ARN.
    const detail = key.type === 'managedPolicy' ? iam.findManagedPolicy(key.name)?.policy.arn : resolveDetail(iam, key);
    if (detail) resolved.detail = detail;
  }
  return resolved;
}
