// Completion in a role file: managed policy names, service prefixes and actions (with wildcards), statement keys,
// Effect values, ARN templates for the statement's actions, condition operators and keys, and the two DSL calls.
// Pure: the file's bytes (and model) + byte offset + IAM knowledge in, entries and the byte span they replace out.
//
// Speed: the long lists (456 services, 1,600 managed policies, the actions of a service) are built once per
// IamKnowledge and returned as the same array every time; only the replaced span differs between requests, so the
// LSP adapter can cache its converted items too. Nothing here walks the 22k actions per request.
import { MAX_ANALYZED_BYTES } from '../analysis';
import { compareAccessLevels, type IamKnowledge } from '../iam/iamKnowledge';
import { hasWildcard } from '../iam/wildcard';
import { isTemplatedKey } from '../iam/conditionKeyTemplate';
import type { Span } from '../text/span';
import type { RoleFileModel } from '../model/roleFile';
import {
  describeAction,
  describeManagedPolicy,
  describeService,
  describeWildcard,
  escapeMarkdown,
  formatCount,
} from '../iam/describe';
import { enclosingCall, locateCursor, nearestKeyStyle, statementInfo, type CursorContext, type KeyStyle, type SourceText } from '../cursor/cursorContext';
import { CONDITION_OPERATORS, EFFECT_VALUES, STATEMENT_ELEMENTS, operatorExplanation } from '../iam/policyLanguage';
import { utf8Length } from '../cursor/rubyLexer';

export type EntryKind =
  | 'service'
  | 'action'
  | 'wildcard'
  | 'managedPolicy'
  | 'statementKey'
  | 'effect'
  | 'resource'
  | 'operator'
  | 'conditionKey'
  | 'value'
  | 'snippet';

/** What completionItem/resolve needs to add an entry's documentation later. */
export type ResolveKey =
  | { readonly type: 'action'; readonly name: string }
  | { readonly type: 'wildcard'; readonly pattern: string }
  | { readonly type: 'service'; readonly prefix: string }
  | { readonly type: 'managedPolicy'; readonly name: string };

export interface CompletionEntry {
  readonly label: string;
  readonly kind: EntryKind;
  /** One line shown beside the selected entry. */
  readonly detail?: string;
  /** Shown beside every entry in the list (LSP labelDetails.description). */
  readonly description?: string;
  /** Markdown, known at once. */
  readonly documentation?: string;
  /** Markdown to be added on resolve. */
  readonly resolve?: ResolveKey;
  /** The text to insert; a snippet when `snippet` is set. */
  readonly insert: string;
  readonly snippet?: boolean;
  /** A value: wrapped in quotes when the cursor is not inside a string. */
  readonly value?: boolean;
  readonly filterText?: string;
  readonly sortText?: string;
  /** Retired or deprecated (shown struck through). */
  readonly deprecated?: boolean;
  /** Open completion again after inserting (a service prefix, a key whose value has completions). */
  readonly retrigger?: boolean;
}

export interface CompletionResult {
  /** What the cursor is on (`managedPolicy`, `services`, `actions`, `statementKey`, ...), for tests and logs. */
  readonly context: string;
  /** The text every entry replaces: from where the typed text starts to the end of the word at the cursor. */
  readonly span: Span;
  /** Wrap value entries in this quote: the cursor is not inside a string. */
  readonly quote: '"' | "'" | undefined;
  /** Text inserted before each value entry (a space right after `Action:`). */
  readonly lead: string;
  /** Often a shared, cached array: never mutate it. */
  readonly items: readonly CompletionEntry[];
}

export interface CompleteOptions {
  /** The character that triggered the request, if one did. */
  readonly triggerCharacter?: string;
}

/** The text an entry inserts in a result, and whether it is a snippet. */
export function entryText(entry: CompletionEntry, result: Pick<CompletionResult, 'quote' | 'lead'>): { text: string; snippet: boolean } {
  if (!entry.value) return { text: entry.insert, snippet: !!entry.snippet };
  const lead = result.lead;
  const q = result.quote;
  if (!q) return { text: lead + entry.insert, snippet: !!entry.snippet };
  if (entry.retrigger) return { text: `${lead}${q}${escapeSnippet(entry.insert)}$0${q}`, snippet: true };
  if (entry.snippet) return { text: `${lead}${q}${entry.insert}${q}`, snippet: true };
  return { text: `${lead}${q}${entry.insert}${q}`, snippet: false };
}

export function escapeSnippet(s: string): string {
  return s.replace(/[$}\\]/g, '\\$&');
}

/** Completion at byte `offset`; undefined when nothing applies there, or the file is too large to analyse. */
export function complete(source: SourceText, offset: number, iam: IamKnowledge, options: CompleteOptions = {}): CompletionResult | undefined {
  if (source.bytes.length > MAX_ANALYZED_BYTES) return undefined;
  const ctx = locateCursor(source, offset, 'complete');
  const inside = ctx.at === 'string' || ctx.inWords;
  const trigger = options.triggerCharacter;
  // Trigger characters are also ordinary typing: `:` ends a label, `"` may close a string.
  if ((trigger === ':' || trigger === '/') && !inside) return undefined;
  if ((trigger === '"' || trigger === "'") && !(ctx.at === 'string' && ctx.prefix === '')) return undefined;

  const base = {
    span: { start: ctx.prefixStart, end: ctx.replaceEnd },
    quote: inside ? undefined : ctx.quote,
    lead: ctx.at === 'afterLabel' ? ' ' : '',
  } as const;
  const role = ctx.role;
  switch (role.kind) {
    case 'managedPolicy':
      return managedPolicies(ctx, iam, base);
    case 'statementValue': {
      const key = role.key.toLowerCase();
      if (key === 'action' || key === 'notaction') return actionsOrServices(ctx, iam, base);
      if (key === 'resource' || key === 'notresource') {
        const info = statementInfo(source, role.statement);
        return { context: 'resource', ...base, items: resourceEntries(iam, info.actions) };
      }
      if (key === 'effect') return { context: 'effect', ...base, items: effectEntries() };
      return undefined;
    }
    case 'statementKey': {
      const info = statementInfo(source, role.statement, enclosingCall(ctx));
      const ks = keyString(source, ctx);
      return { context: 'statementKey', ...keyBase(base, ks), items: statementKeyEntries(source, ctx, info, offset, ks) };
    }
    case 'statement':
      if (inside) return undefined;
      return { context: 'statement', ...base, quote: undefined, lead: '', items: [statementSnippet(source, ctx)] };
    case 'conditionOperator': {
      const present = new Set(role.condition.keys.filter((k) => !containsOffset(k.span, offset)).map((k) => k.name));
      const info = statementInfo(source, role.statement);
      const ks = keyString(source, ctx);
      const style = nearestKeyStyle([role.condition], info);
      const all = operatorEntries(keyVariant(source, ctx, style.style, style.symbolKeys, ks));
      return { context: 'conditionOperator', ...keyBase(base, ks), items: present.size ? all.filter((e) => !present.has(e.filterText ?? e.label)) : all };
    }
    case 'conditionKey': {
      const info = statementInfo(source, role.statement);
      const present = new Set(role.operatorHash.keys.filter((k) => !containsOffset(k.span, offset)).map((k) => k.name.toLowerCase()));
      const ks = keyString(source, ctx);
      const style = nearestKeyStyle([role.operatorHash, role.condition], info);
      const items = conditionKeyEntries(iam, info.actions, keyVariant(source, ctx, style.style, style.symbolKeys, ks));
      return { context: 'conditionKey', ...keyBase(base, ks), items: present.size ? items.filter((e) => !present.has((e.filterText ?? e.label).toLowerCase())) : items };
    }
    case 'conditionValue': {
      const type = iam.findConditionKey(role.conditionKey)?.type;
      if (type !== 'Bool' && role.operator.toLowerCase() !== 'null') return undefined;
      return { context: 'conditionValue', ...base, items: BOOL_ENTRIES };
    }
    case 'topLevel':
      if (inside) return undefined;
      return { context: 'topLevel', ...base, quote: undefined, lead: '', items: topLevelEntries(source, ctx) };
    default:
      return undefined;
  }
}

function containsOffset(span: Span, offset: number): boolean {
  return offset >= span.start && offset <= span.end;
}

/** The result fields for keys: never wrapped in quotes; a key string is replaced up to its closing quote. */
function keyBase(base: Pick<CompletionResult, 'span'>, ks: KeyString | undefined): Pick<CompletionResult, 'span' | 'quote' | 'lead'> {
  return { span: ks ? { start: base.span.start, end: ks.end } : base.span, quote: undefined, lead: '' };
}

// --- Per-IamKnowledge caches ----------------------------------------------------------------------------------------

interface Caches {
  services?: readonly CompletionEntry[];
  policies?: readonly CompletionEntry[];
  readonly actions: Map<string, readonly CompletionEntry[]>;
  readonly resources: Map<string, readonly CompletionEntry[]>;
  readonly conditionKeys: Map<string, readonly CompletionEntry[]>;
  readonly keyOffers: Map<string, readonly KeyOffer[]>;
}

const caches = new WeakMap<IamKnowledge, Caches>();
const LRU_LIMIT = 64;

function cachesOf(iam: IamKnowledge): Caches {
  let c = caches.get(iam);
  if (!c) caches.set(iam, (c = { actions: new Map(), resources: new Map(), conditionKeys: new Map(), keyOffers: new Map() }));
  return c;
}

function remember<T>(map: Map<string, T>, key: string, make: () => T): T {
  const hit = map.get(key);
  if (hit !== undefined) {
    // Refresh the entry's place: Maps iterate in insertion order, so the first key is the least recently used.
    map.delete(key);
    map.set(key, hit);
    return hit;
  }
  const value = make();
  if (map.size >= LRU_LIMIT) map.delete(map.keys().next().value as string);
  map.set(key, value);
  return value;
}

/**
 * Builds the long lists ahead of the first request (services, managed policies, the actions of a few common
 * services), so that the first completion in an editor is as fast as the next ones. Returns them for callers that
 * prepare their own form of the lists too.
 */
export function prepareCompletionLists(iam: IamKnowledge): readonly (readonly CompletionEntry[])[] {
  const lists = [serviceEntries(iam), policyEntries(iam), effectEntries()];
  for (const service of ['s3', 'ssm', 'logs', 'ecr', 'secretsmanager', 'sqs', 'dynamodb']) if (iam.findService(service)) lists.push(actionEntries(iam, service));
  return lists;
}

// --- Managed policies -------------------------------------------------------------------------------------------------

const ARN_POLICY_MARKER = 'iam::aws:policy/';

function managedPolicies(ctx: CursorContext, iam: IamKnowledge, base: Omit<CompletionResult, 'context' | 'items'>): CompletionResult {
  let span = base.span;
  // An ARN typed by hand (`arn:aws:iam::aws:policy/`): complete the part after `policy/`.
  const marker = ctx.prefix.indexOf(ARN_POLICY_MARKER);
  if (marker >= 0) span = { start: ctx.prefixStart + utf8Length(ctx.prefix.slice(0, marker + ARN_POLICY_MARKER.length)), end: span.end };
  return { context: 'managedPolicy', ...base, span, items: policyEntries(iam) };
}

function policyEntries(iam: IamKnowledge): readonly CompletionEntry[] {
  const c = cachesOf(iam);
  // 1,610 items: each carries only what the list needs (about 150 bytes in JSON); the description, ARN and what
  // the policy grants come with completionItem/resolve.
  c.policies ??= (() => {
    const policies = iam.listManagedPolicies();
    // Current policies by name, then the retired and deprecated ones.
    const order = policies
      .map((p, i) => ({ p, i, flagged: p.retired || p.deprecated }))
      .sort((a, b) => Number(a.flagged) - Number(b.flagged) || (a.p.name.toLowerCase() < b.p.name.toLowerCase() ? -1 : 1));
    const rank = new Map(order.map((x, n) => [x.i, n.toString(36).padStart(3, '0')]));
    return policies.map((p, i): CompletionEntry => {
      const canonical = p.path + p.name;
      return {
        label: canonical,
        kind: 'managedPolicy',
        detail: p.retired ? 'AWS managed policy (possibly retired)' : p.deprecated ? 'AWS managed policy (deprecated)' : undefined,
        resolve: { type: 'managedPolicy', name: canonical },
        insert: canonical,
        value: true,
        // VS Code filters on the typed text from the start of the string: `AmazonECSTaskEx` must find the policy
        // under `service-role/`, and so must `service-role/Amaz`.
        filterText: p.path ? `${p.name} ${canonical}` : undefined,
        sortText: rank.get(i),
        deprecated: p.retired || p.deprecated,
      };
    });
  })();
  return c.policies;
}

// --- Services and actions ----------------------------------------------------------------------------------------------

function actionsOrServices(ctx: CursorContext, iam: IamKnowledge, base: Omit<CompletionResult, 'context' | 'items'>): CompletionResult | undefined {
  const colon = ctx.at === 'string' ? ctx.prefix.indexOf(':') : -1;
  if (colon < 0) return { context: 'services', ...base, items: serviceEntries(iam) };
  const service = iam.findService(ctx.prefix.slice(0, colon));
  if (!service) return undefined;
  // Replace only what follows `service:`, so the prefix as typed stays and the list is the service's own.
  const start = ctx.prefixStart + utf8Length(ctx.prefix.slice(0, colon + 1));
  return { context: 'actions', ...base, span: { start, end: Math.max(start, base.span.end) }, items: actionEntries(iam, service.prefix) };
}

function serviceEntries(iam: IamKnowledge): readonly CompletionEntry[] {
  const c = cachesOf(iam);
  c.services ??= iam.listServices().map(
    (s): CompletionEntry => ({
      label: s.prefix,
      kind: 'service',
      detail: `${s.name} · ${plural(s.actionCount, 'action')}`,
      description: s.name,
      insert: `${s.prefix}:`,
      value: true,
      retrigger: true,
      resolve: { type: 'service', prefix: s.prefix },
    }),
  );
  return c.services;
}

/** The first word of an action name: `Get` of `GetObject`, `upload` of `uploadFiles`. */
function verbOf(name: string): string {
  const m = /^[A-Za-z][a-z0-9]*/.exec(name);
  return m ? m[0] : name;
}

function accessLevelSummary(levels: Iterable<string>): string {
  const counts = new Map<string, number>();
  for (const l of levels) counts.set(l, (counts.get(l) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => compareAccessLevels(a[0], b[0]))
    .map(([l, n]) => `${l} ${n}`)
    .join(' · ');
}

function actionEntries(iam: IamKnowledge, prefix: string): readonly CompletionEntry[] {
  const c = cachesOf(iam);
  let entries = c.actions.get(prefix);
  if (entries) return entries;
  const actions = iam.listActions(prefix);
  const list: CompletionEntry[] = actions.map((a) => ({
    label: a.name,
    kind: 'action',
    detail: `${a.fullName} · ${a.accessLevel}`,
    description: a.accessLevel,
    insert: a.name,
    resolve: { type: 'action', name: a.fullName },
    // Of the items that match what is typed equally well, the ones AWS's own managed policies grant most come first.
    sortText: `${(35 - iam.grantRank(a.fullName)).toString(36)}${a.name}`,
  }));
  // One wildcard per verb that grants more than one action, counted as IAM matches it (case-insensitively).
  const verbs = new Set(actions.map((a) => verbOf(a.name)));
  for (const verb of verbs) {
    const pattern = `${prefix}:${verb}*`;
    const granted = iam.matchActions(pattern);
    if (granted.length < 2) continue;
    list.push({
      label: `${verb}*`,
      kind: 'wildcard',
      detail: `${pattern} grants ${plural(granted.length, 'action')}: ${accessLevelSummary(granted.map((a) => a.accessLevel))}`,
      description: plural(granted.length, 'action'),
      insert: `${verb}*`,
      // Right before the verb's most granted action (`Get` sorts before `GetObject` of the same rank).
      sortText: `${(35 - Math.max(...granted.map((g) => iam.grantRank(g.fullName)))).toString(36)}${verb}`,
      resolve: { type: 'wildcard', pattern },
    });
  }
  if (actions.length > 0) {
    list.push({
      label: '*',
      kind: 'wildcard',
      detail: `${prefix}:* grants all ${plural(actions.length, 'action')}: ${accessLevelSummary(actions.map((a) => a.accessLevel))}`,
      description: `all ${plural(actions.length, 'action')}`,
      insert: '*',
      sortText: '~',
      resolve: { type: 'wildcard', pattern: `${prefix}:*` },
    });
  }
  entries = list;
  c.actions.set(prefix, entries);
  return entries;
}

function plural(n: number, one: string): string {
  return `${formatCount(n)} ${n === 1 ? one : `${one}s`}`;
}

// --- Statement keys and values ---------------------------------------------------------------------------------------------

/** How a key is written in a given style (keys with a colon need quotes even as labels). */
export function keyText(name: string, style: KeyStyle, symbolKeys: boolean, quote: '"' | "'"): string {
  const bare = /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
  switch (style) {
    case 'label':
      return bare ? `${name}: ` : `${quote}${name}${quote}: `;
    case 'quotedLabel':
      return `${quote}${name}${quote}: `;
    case 'rocket':
      if (symbolKeys) return bare ? `:${name} => ` : `:${quote}${name}${quote} => `;
      return `${quote}${name}${quote} => `;
  }
}

interface KeyVariant {
  readonly style: KeyStyle;
  readonly symbolKeys: boolean;
  readonly quote: '"' | "'";
  /** The cursor is inside quotes: insert the name, and `closeQuote` when set. */
  readonly inString: boolean;
  /** A key typed as a string (`"Eff|"`): the completion replaces the closing quote too and writes `" => ` or `": `. */
  readonly closeQuote: string | undefined;
  /** A space follows the replaced text: do not add another after the key. */
  readonly noTrailingSpace: boolean;
}

/**
 * A key typed inside a string that is closed on the line, with nothing after the cursor but the rest of its word
 * and no `=>` after it yet: its completion may take the closing quote and write the separator too.
 */
interface KeyString {
  readonly quote: string;
  /** Byte after the closing quote. */
  readonly end: number;
}

function keyString(source: SourceText, ctx: CursorContext): KeyString | undefined {
  const t = ctx.token;
  if (ctx.at !== 'string' || !t || t.type !== 'string' || !t.closed || !t.quote || ctx.replaceEnd !== t.ce) return undefined;
  const b = source.bytes;
  let i = t.end;
  while (b[i] === 0x20 || b[i] === 0x09) i++;
  if (b[i] === 0x3d && b[i + 1] === 0x3e) return undefined; // `"Effect" =>` is there already: only the name changes
  return { quote: t.quote, end: t.end };
}

function keyVariant(source: SourceText, ctx: CursorContext, style: KeyStyle, symbolKeys: boolean, ks: KeyString | undefined): KeyVariant {
  // A `:sym` typed at the cursor asks for symbol keys, whatever the rest of the statement does.
  const symbolTyped = ctx.token?.type === 'symbol' && ctx.at === 'ident';
  // A replaced label (`Eff|ect:`) or a closed key string keeps the space that follows it.
  const after = ks ? ks.end : ctx.token?.type === 'label' ? ctx.replaceEnd : -1;
  const c = after >= 0 ? source.bytes[after] : undefined;
  return {
    style: symbolTyped ? 'rocket' : style,
    symbolKeys: symbolTyped || symbolKeys,
    quote: ctx.quote,
    inString: ctx.at === 'string',
    closeQuote: ks?.quote,
    noTrailingSpace: c === 0x20 || c === 0x09,
  };
}

function variantId(v: KeyVariant): string {
  return `${v.style}|${v.symbolKeys}|${v.quote}|${v.inString}|${v.closeQuote ?? ''}|${v.noTrailingSpace}`;
}

function writtenKey(name: string, v: KeyVariant): string {
  let t: string;
  if (v.inString) {
    if (!v.closeQuote) return name;
    t = `${name}${v.closeQuote}${v.style === 'rocket' ? ' => ' : ': '}`;
  } else t = keyText(name, v.style, v.symbolKeys, v.quote);
  return v.noTrailingSpace ? t.trimEnd() : t;
}

/** Whether the written key ends with its separator, so that a value can follow (a hash for operators). */
function keyComplete(v: KeyVariant): boolean {
  return !v.inString || v.closeQuote !== undefined;
}

/** Statement keys that have completions for their values: inserting the key opens completion again. */
const RETRIGGER_KEYS = new Set(['Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']);

function statementKeyEntries(source: SourceText, ctx: CursorContext, info: ReturnType<typeof statementInfo>, offset: number, ks: KeyString | undefined): CompletionEntry[] {
  const v = keyVariant(source, ctx, info.style, info.symbolKeys, ks);
  const present = new Set(info.keys.filter((k) => !containsOffset(k.span, offset)).map((k) => k.name.toLowerCase()));
  const out: CompletionEntry[] = [];
  STATEMENT_ELEMENTS.forEach((e, i) => {
    if (!e.offered || present.has(e.name.toLowerCase())) return;
    if (e.excludes.some((x) => present.has(x.toLowerCase()))) return;
    const written = writtenKey(e.name, v);
    const condition = e.name === 'Condition' && keyComplete(v);
    out.push({
      label: v.inString ? e.name : keyText(e.name, v.style, v.symbolKeys, v.quote),
      kind: 'statementKey',
      detail: 'IAM policy element',
      documentation: e.summary,
      insert: condition ? `${escapeSnippet(written.trimEnd())} { $0 }` : written,
      snippet: condition,
      filterText: e.name,
      sortText: String(i),
      retrigger: keyComplete(v) && RETRIGGER_KEYS.has(e.name),
    });
  });
  return out;
}

let effectCache: readonly CompletionEntry[] | undefined;
function effectEntries(): readonly CompletionEntry[] {
  effectCache ??= EFFECT_VALUES.map((e, i) => ({ label: e.name, kind: 'effect', documentation: e.summary, insert: e.name, value: true, sortText: String(i) }));
  return effectCache;
}

const BOOL_ENTRIES: readonly CompletionEntry[] = [
  { label: 'true', kind: 'value', insert: 'true', value: true, sortText: '0' },
  { label: 'false', kind: 'value', insert: 'false', value: true, sortText: '1' },
];

function statementSnippet(source: SourceText, ctx: CursorContext): CompletionEntry {
  const info = statementInfo(source, undefined);
  const k = (name: string) => escapeSnippet(keyText(name, info.style, info.symbolKeys, ctx.quote));
  const q = ctx.quote;
  return {
    label: '{ Effect, Action, Resource }',
    kind: 'snippet',
    detail: 'IAM statement',
    documentation: 'A statement hash with the required elements.',
    insert: `{ ${k('Effect')}${q}\${1|Allow,Deny|}${q}, ${k('Action')}[${q}$2${q}], ${k('Resource')}${q}\${3:*}${q} }`,
    snippet: true,
  };
}

// --- Resources -----------------------------------------------------------------------------------------------------------

/** An ARN template as a snippet: `${Partition}` is `aws`, region and account become placeholders. */
export function arnSnippet(template: string): string {
  const numbers = new Map<string, number>();
  let out = '';
  let last = 0;
  for (const m of template.matchAll(/\$\{([^}]*)\}/g)) {
    out += escapeSnippet(template.slice(last, m.index));
    last = (m.index ?? 0) + m[0].length;
    const name = m[1];
    if (name === 'Partition') {
      out += 'aws';
      continue;
    }
    const placeholder = name === 'Region' ? 'region' : name === 'Account' ? 'account' : name;
    let n = numbers.get(placeholder);
    if (n === undefined) numbers.set(placeholder, (n = numbers.size + 1));
    out += `\${${n}:${escapeSnippet(placeholder)}}`;
  }
  return out + escapeSnippet(template.slice(last));
}

function resourceEntries(iam: IamKnowledge, actions: readonly string[]): readonly CompletionEntry[] {
  const known = actions.filter((a) => a.includes(':') && (hasWildcard(a) || iam.findAction(a)));
  const id = [...new Set(known.map((a) => a.toLowerCase()))].sort().join(' ');
  return remember(cachesOf(iam).resources, id, () => {
    const out: CompletionEntry[] = [];
    const seen = new Set<string>();
    for (const use of iam.resourceTypesForActions(known)) {
      if (!use.arn) continue;
      const label = use.arn.replace(/\$\{Partition\}/g, 'aws');
      if (seen.has(label)) continue;
      seen.add(label);
      const by = use.actions.length > 3 ? `${use.actions.slice(0, 3).join(', ')} and ${use.actions.length - 3} more` : use.actions.join(', ');
      out.push({
        label,
        kind: 'resource',
        detail: `${use.service} ${use.name}${use.required ? ' (required)' : ''} · for ${by}`,
        description: `${use.service} ${use.name}`,
        insert: arnSnippet(use.arn),
        snippet: true,
        value: true,
        filterText: label.replace(/\$\{([^}]*)\}/g, '$1'),
        sortText: `${use.required ? '0' : '1'}${label}`,
      });
    }
    out.push({ label: '*', kind: 'resource', detail: 'All resources', insert: '*', value: true, sortText: '2' });
    return out;
  });
}

// --- Conditions ------------------------------------------------------------------------------------------------------------

function operatorEntries(v: KeyVariant): readonly CompletionEntry[] {
  return remember(operatorCache, variantId(v), () =>
    CONDITION_OPERATORS.map((op, i): CompletionEntry => {
      const written = writtenKey(op.name, v);
      const withHash = keyComplete(v);
      return {
        label: op.name,
        kind: 'operator',
        detail: `${op.category} condition operator`,
        documentation: operatorExplanation(op).join('\n\n'),
        insert: withHash ? `${escapeSnippet(written.trimEnd())} { $0 }` : written,
        snippet: withHash,
        filterText: op.name,
        sortText: String(i).padStart(3, '0'),
        retrigger: withHash,
      };
    }),
  );
}

const operatorCache = new Map<string, readonly CompletionEntry[]>();

/** A condition key with a variable part as a snippet (`aws:PrincipalTag/${1:tag-key}`, `s3:ExistingObjectTag/${1:key}`). */
function conditionKeySnippet(key: string, global: boolean): string | undefined {
  if (isTemplatedKey(key)) {
    let n = 0;
    let out = '';
    let last = 0;
    for (const m of key.matchAll(/\$\{([^}]*)\}|<([^>]*)>/g)) {
      out += escapeSnippet(key.slice(last, m.index));
      last = (m.index ?? 0) + m[0].length;
      out += `\${${++n}:${escapeSnippet(m[1] ?? m[2])}}`;
    }
    return out + escapeSnippet(key.slice(last));
  }
  const slash = key.indexOf('/');
  if (global && slash > 0) return `${escapeSnippet(key.slice(0, slash + 1))}\${1:${escapeSnippet(key.slice(slash + 1))}}`;
  return undefined;
}

/** A condition key as a statement's list offers it, before it is written in the cursor's key style. */
interface KeyOffer {
  readonly key: string;
  readonly type: string | undefined;
  readonly description: string | undefined;
  readonly global: boolean;
  readonly rank: string;
  readonly note: string;
}

/** The actions of a statement that name a service: the ones whose condition keys a list offers, and the list's cache key. */
function knownActions(actions: readonly string[]): { known: readonly string[]; id: string } {
  const known = actions.filter((a) => a.includes(':') && !hasWildcard(a.slice(0, a.indexOf(':'))));
  return { known, id: [...new Set(known.map((a) => a.toLowerCase()))].sort().join(' ') };
}

/**
 * The condition keys offered in a statement with these actions, whatever the key style (built once per set of actions:
 * looking up the actions' keys is most of a list's cost).
 */
function keyOffers(iam: IamKnowledge, known: readonly string[], id: string): readonly KeyOffer[] {
  return remember(cachesOf(iam).keyOffers, id, () => {
    const out: KeyOffer[] = [];
    const seen = new Set<string>();
    const add = (key: string, type: string | undefined, description: string | undefined, global: boolean, rank: string, note: string) => {
      const lower = key.toLowerCase();
      if (seen.has(lower)) return;
      seen.add(lower);
      out.push({ key, type, description, global, rank, note });
    };
    for (const use of iam.conditionKeysForActions(known)) {
      const n = use.actions.length;
      add(use.key, use.type, use.description, false, '0', n === 1 ? `for ${use.actions[0]}` : `for ${n} of the statement's actions`);
    }
    for (const g of iam.globalConditionKeys()) add(g.key, g.type, g.description, true, '1', `global${g.category ? ` (${g.category})` : ''}`);
    return out;
  });
}

/**
 * Prepares what completion builds per statement and per service for the statements of an opened file, after its first
 * check: the condition keys of each statement's actions and the action lists of the services it names, so that a
 * first completion in any of its statements costs what the next ones do. Stops after `budgetMs` (by `Date.now`: the
 * global `performance` would load Node's perf_hooks into the server's start); returns how many lists it built.
 */
export function prepareFileLists(iam: IamKnowledge, model: RoleFileModel, budgetMs: number, now: () => number = Date.now): number {
  const end = now() + budgetMs;
  const c = cachesOf(iam);
  let built = 0;
  for (const actions of statementActions(model)) {
    if (built >= LRU_LIMIT || now() > end) break;
    const { known, id } = knownActions(actions);
    for (const a of known) {
      const service = iam.findService(a.slice(0, a.indexOf(':')));
      if (service && !c.actions.has(service.prefix)) {
        actionEntries(iam, service.prefix);
        built++;
      }
    }
    if (!c.keyOffers.has(id)) {
      keyOffers(iam, known, id);
      built++;
    }
  }
  return built;
}

/** The Action and NotAction strings of each statement hash of the model's iam_policy calls, as the cursor's statement reads them. */
function* statementActions(model: RoleFileModel): Generator<readonly string[]> {
  for (const call of model.calls) {
    if (call.method !== 'iam_policy') continue;
    for (const st of call.statements) {
      if (st.kind !== 'hash') continue;
      const actions: string[] = [];
      for (const e of st.entries) {
        const k = e.key.kind === 'string' || e.key.kind === 'symbol' ? e.key.value.toLowerCase() : '';
        if (k !== 'action' && k !== 'notaction') continue;
        for (const v of e.value.kind === 'array' ? e.value.elements : [e.value]) if (v.kind === 'string') actions.push(v.value);
      }
      if (actions.length > 0) yield actions;
    }
  }
}

function conditionKeyEntries(iam: IamKnowledge, actions: readonly string[], v: KeyVariant): readonly CompletionEntry[] {
  const { known, id } = knownActions(actions);
  return remember(cachesOf(iam).conditionKeys, `${variantId(v)}#${id}`, () =>
    keyOffers(iam, known, id).map(({ key, type, description, global, rank, note }) => {
      const snippet = conditionKeySnippet(key, global);
      const body = snippet ?? key;
      return {
        label: key,
        kind: 'conditionKey',
        detail: `${type ?? 'condition key'} · ${note}`,
        description: type,
        documentation: description ? escapeMarkdown(description) : undefined,
        insert: snippet === undefined ? writtenKey(key, v) : v.inString ? writtenKey(body, v) : wrapKeySnippet(body, v),
        snippet: snippet !== undefined,
        filterText: key,
        sortText: `${rank}${key.toLowerCase()}`,
      };
    }),
  );
}

/** A key snippet written in the key style (the snippet body is already escaped). */
function wrapKeySnippet(body: string, v: KeyVariant): string {
  const q = v.quote;
  const t =
    v.style === 'rocket' ? (v.symbolKeys ? `:${q}${body}${q} => ` : `${q}${body}${q} => `) : `${q}${body}${q}: `;
  return v.noTrailingSpace ? t.trimEnd() : t;
}

// --- Top level ----------------------------------------------------------------------------------------------------------------

function topLevelEntries(source: SourceText, ctx: CursorContext): CompletionEntry[] {
  const info = statementInfo(source, undefined);
  const q = ctx.quote;
  const k = (name: string) => escapeSnippet(keyText(name, info.style, info.symbolKeys, q));
  return [
    {
      label: 'iam_policy',
      kind: 'snippet',
      detail: 'Inline policy with one statement',
      documentation: 'Adds an inline policy to this role (UFO DSL). Keys are copied verbatim into the policy document.',
      insert: `iam_policy(${q}\${1:PolicyName}${q}, ${k('Action')}[${q}$2${q}], ${k('Effect')}${q}\${3|Allow,Deny|}${q}, ${k('Resource')}${q}\${4:*}${q})`,
      snippet: true,
      sortText: '0',
    },
    {
      label: 'iam_policy (statements)',
      kind: 'snippet',
      detail: 'Inline policy with an array of statements',
      documentation: 'Adds an inline policy whose statements are given as an array of hashes.',
      insert: `iam_policy(${q}\${1:PolicyName}${q}, [\n\t{ ${k('Effect')}${q}\${2|Allow,Deny|}${q}, ${k('Action')}[${q}$3${q}], ${k('Resource')}${q}\${4:*}${q} },\n])`,
      snippet: true,
      filterText: 'iam_policy',
      sortText: '1',
    },
    {
      label: 'managed_iam_policy',
      kind: 'snippet',
      detail: 'Attach AWS managed policies',
      documentation: 'Attaches AWS managed policies by name (`path/Name` for policies under a path).',
      insert: `managed_iam_policy(${q}$0${q})`,
      snippet: true,
      retrigger: true,
      sortText: '2',
    },
  ];
}

// --- Resolve ------------------------------------------------------------------------------------------------------------------

/**
 * The detail of the entry that has this resolve key, as its list has it (a client that resolves items gets the list
 * without details, and the focused item's detail on resolve). Undefined for managed policies, whose list entry has
 * none unless retired or deprecated.
 */
export function resolveDetail(iam: IamKnowledge, key: ResolveKey): string | undefined {
  switch (key.type) {
    case 'action': {
      const colon = key.name.indexOf(':');
      return actionEntries(iam, key.name.slice(0, colon)).find((e) => e.resolve?.type === 'action' && e.resolve.name === key.name)?.detail;
    }
    case 'wildcard': {
      const colon = key.pattern.indexOf(':');
      return actionEntries(iam, key.pattern.slice(0, colon)).find((e) => e.resolve?.type === 'wildcard' && e.resolve.pattern === key.pattern)?.detail;
    }
    case 'service':
      return serviceEntries(iam).find((e) => e.resolve?.type === 'service' && e.resolve.prefix === key.prefix)?.detail;
    case 'managedPolicy':
      return undefined;
  }
}

/** The documentation of an entry that has a resolve key. */
export function resolveDocumentation(iam: IamKnowledge, key: ResolveKey): string | undefined {
  switch (key.type) {
    case 'action':
      return describeAction(iam, key.name);
    case 'wildcard':
      return describeWildcard(iam, key.pattern);
    case 'service':
      return describeService(iam, key.prefix);
    case 'managedPolicy':
      return describeManagedPolicy(iam, key.name);
  }
}
