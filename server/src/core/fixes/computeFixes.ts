// Quick fixes for findings and the "expand wildcard" refactoring, as byte-span edits. Each finding carries what
// its fix needs in `data` (replacement texts and the span they replace, or the statement to edit); the edits
// that depend on layout (inserting an entry, removing an element) are computed here against the source.
import type { Finding } from '../findings';
import type { ArrayValue, HashEntry, HashValue, StringValue, Value } from '../model/values';
import type { Span } from '../text/span';
import { hasWildcard } from '../iam/wildcard';
import { DIRECTIVE_PREFIX } from '../checks/suppressions';
import { entryKey, entryStyleOf, renderEntry, statementsOf, type EntryStyle, type StatementRef } from '../checks/statements';
import type { Fix, FixContext, ByteEdit } from './fix';
import { indentationAt, insertHashEntry, isMultiLineArray, lineStartsInsideLiteral, removeArrayElement } from './edits';

/** The service whose role UFO builds: what a PassRole condition should name by default. */
const ECS_TASKS = 'ecs-tasks.amazonaws.com';
/** Above this many actions, "expand" would bury the statement; the refactoring is not offered. */
const EXPAND_LIMIT = 200;

function isSpan(x: unknown): x is Span {
  return !!x && typeof x === 'object' && typeof (x as Span).start === 'number' && typeof (x as Span).end === 'number';
}

/** The quick fixes of one finding, the preferred one first. */
export function computeFixes(ctx: FixContext, finding: Finding): Fix[] {
  const out: Fix[] = [];
  const data = (finding.data ?? {}) as Record<string, unknown>;
  const quick = (title: string, edits: ByteEdit[], isPreferred?: boolean): Fix => ({ title, kind: 'quickfix', edits, isPreferred, finding });

  if (typeof data.replacement === 'string') {
    const r = data.replacement;
    out.push(quick(finding.code === 'SYMBOL_VALUE' ? `Write ${r} (a String)` : `Change to ${r}`, [{ span: finding.span, text: r }], true));
  }
  if (Array.isArray(data.replacements)) {
    const target = isSpan(data.target) ? data.target : finding.span;
    const list = data.replacements.filter((r): r is string => typeof r === 'string');
    for (const r of list) out.push(quick(`Change to ${r}`, [{ span: target, text: r }], list.length === 1));
  }
  if (isSpan(data.removeSpan) && finding.code === 'UNUSED_SUPPRESSION') {
    out.push(quick('Remove the unused suppression', [{ span: data.removeSpan, text: '' }], true));
  }
  const statement = typeof data.statement === 'number' ? findStatement(ctx, data.statement) : undefined;
  switch (finding.code) {
    case 'MISSING_EFFECT':
    case 'MISSING_RESOURCE': {
      if (!statement?.hash) break;
      const style = entryStyleOf(statement.hash);
      const entry = finding.code === 'MISSING_EFFECT' ? renderEntry(style, 'Effect', quote(style, 'Allow')) : renderEntry(style, 'Resource', quote(style, '*'));
      out.push(quick(`Add ${entry}`, [insertHashEntry(ctx.analysis, statement.hash, entry)], true));
      break;
    }
    case 'REDUNDANT_ACTION': {
      const site = findListItem(ctx, finding.span);
      if (site?.array) {
        const v = site.array.elements[site.index];
        out.push(quick(`Remove ${v.kind === 'string' ? v.value : 'the entry'}`, [removeArrayElement(ctx.analysis, site.array, site.index)], true));
      }
      break;
    }
    case 'PASS_ROLE_WITH_STAR_IN_RESOURCE':
    case 'PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE':
    case 'PASS_ROLE_WITH_NOT_RESOURCE':
    case 'PASS_ROLE_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE':
    case 'PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION':
    case 'PASS_ROLE_WITH_NOT_ACTION_AND_NOT_RESOURCE': {
      const edit = statement?.hash ? passedToServiceEdit(ctx, statement.hash) : undefined;
      if (edit) out.push(quick(`Add condition iam:PassedToService = ${ECS_TASKS}`, [edit], false));
      break;
    }
    default:
      break;
  }
  if (finding.code !== 'UNUSED_SUPPRESSION') {
    const disable = disableForLine(ctx, finding);
    if (disable) out.push(disable);
  }
  return out;
}

function quote(style: EntryStyle, s: string): string {
  return `${style.quote}${s}${style.quote}`;
}

function findStatement(ctx: FixContext, start: number): StatementRef | undefined {
  return statementsOf(ctx.analysis.model, ctx.version).find((s) => s.value.span.start === start);
}

interface ListSite {
  readonly statement: StatementRef;
  readonly entry: HashEntry;
  /** The array holding the item, or undefined when the element's value is the item itself. */
  readonly array?: ArrayValue;
  readonly index: number;
  readonly item: Value;
}

/** The Action/NotAction/Resource/NotResource item at exactly this span. */
function findListItem(ctx: FixContext, span: Span): ListSite | undefined {
  for (const statement of statementsOf(ctx.analysis.model, ctx.version)) {
    if (!statement.hash || statement.hash.span.end < span.start || statement.hash.span.start > span.end) continue;
    for (const entry of statement.elements.values()) {
      const v = entry.value;
      if (v.kind === 'array') {
        const index = v.elements.findIndex((e) => e.span.start === span.start && e.span.end === span.end);
        if (index >= 0) return { statement, entry, array: v, index, item: v.elements[index] };
      } else if (v.span.start === span.start && v.span.end === span.end) return { statement, entry, index: 0, item: v };
    }
  }
  return undefined;
}

/** `iam:PassedToService` added where it fits: a new Condition, a new StringEquals in it, or a key in its StringEquals. */
function passedToServiceEdit(ctx: FixContext, hash: HashValue): ByteEdit | undefined {
  const style = entryStyleOf(hash);
  const keyStyle: EntryStyle = { ...style, style: style.style === 'rocket' ? 'rocket' : 'quotedLabel', rocketKey: 'string' };
  const keyEntry = renderEntry(keyStyle, 'iam:PassedToService', quote(style, ECS_TASKS));
  const condition = [...hash.entries].reverse().find((e) => entryKey(e) === 'Condition');
  if (!condition) return insertHashEntry(ctx.analysis, hash, renderEntry(style, 'Condition', `{ ${renderEntry(style, 'StringEquals', `{ ${keyEntry} }`)} }`));
  if (condition.value.kind !== 'hash' || !condition.value.braces) return undefined;
  const cond = condition.value;
  const stringEquals = [...cond.entries].reverse().find((e) => entryKey(e) === 'StringEquals');
  if (!stringEquals) return insertHashEntry(ctx.analysis, cond, renderEntry(entryStyleOf(cond), 'StringEquals', `{ ${keyEntry} }`));
  if (stringEquals.value.kind !== 'hash' || !stringEquals.value.braces) return undefined;
  return insertHashEntry(ctx.analysis, stringEquals.value, keyEntry);
}

/** "Disable CODE for this line": a directive line above the finding's line, or the code added to one already there. */
function disableForLine(ctx: FixContext, finding: Finding): Fix | undefined {
  const a = ctx.analysis;
  const line = a.lineIndex.positionOfByte(finding.span.start).line;
  const title = `Disable ${finding.code} for this line`;
  const above = line > 0 ? a.model.comments.find((c) => a.lineIndex.positionOfByte(c.span.start).line === line - 1) : undefined;
  if (above && new RegExp(`^#\\s*${DIRECTIVE_PREFIX}disable-next-line(\\s|$)`).test(above.text) && indentationAt(a, above.span.start).length === a.lineIndex.positionOfByte(above.span.start).character) {
    const reason = above.text.indexOf(' --');
    const codesText = (reason >= 0 ? above.text.slice(0, reason) : above.text).replace(/\s+$/, '');
    const end = above.span.start + new TextEncoder().encode(codesText).length;
    const hasCodes = /disable-next-line\s+\S/.test(codesText);
    if (!hasCodes) return undefined; // It silences every code already.
    return { title, kind: 'quickfix', edits: [{ span: { start: end, end }, text: `, ${finding.code}` }], finding };
  }
  const values = a.model.calls.flatMap((c) => c.args);
  if (lineStartsInsideLiteral(a, values, line)) return undefined;
  const lineStart = a.lineIndex.byteOfPosition({ line, character: 0 });
  const indent = indentationAt(a, lineStart);
  return { title, kind: 'quickfix', edits: [{ span: { start: lineStart, end: lineStart }, text: `${indent}# ${DIRECTIVE_PREFIX}disable-next-line ${finding.code}\n` }], finding };
}

/** Refactorings offered at a span: "expand a wildcard action into its actions". */
export function computeRefactors(ctx: FixContext, span: Span): Fix[] {
  const iam = ctx.iam;
  if (!iam) return [];
  const out: Fix[] = [];
  for (const statement of statementsOf(ctx.analysis.model, ctx.version)) {
    for (const name of ['Action', 'NotAction']) {
      const entry = statement.elements.get(name);
      if (!entry) continue;
      const v = entry.value;
      const items: { item: StringValue; array?: ArrayValue }[] =
        v.kind === 'array' ? v.elements.filter((e): e is StringValue => e.kind === 'string').map((item) => ({ item, array: v })) : v.kind === 'string' ? [{ item: v }] : [];
      for (const { item, array } of items) {
        if (item.span.end < span.start || item.span.start > span.end || !hasWildcard(item.value) || !item.closed) continue;
        const present = new Set((array?.elements ?? []).filter((e): e is StringValue => e.kind === 'string').map((e) => e.value.toLowerCase()));
        const names = iam.matchActions(item.value).map((x) => x.fullName).filter((n) => !present.has(n.toLowerCase()));
        if (names.length === 0 || names.length > EXPAND_LIMIT) continue;
        out.push({
          title: `Expand ${item.value} into its ${names.length} action${names.length === 1 ? '' : 's'}`,
          kind: 'refactor.rewrite',
          edits: [expandEdit(ctx, item, array, names)],
        });
      }
    }
  }
  return out;
}

function expandEdit(ctx: FixContext, item: StringValue, array: ArrayValue | undefined, names: string[]): ByteEdit {
  const a = ctx.analysis;
  const q = item.opening === "'" ? "'" : '"';
  if (array) {
    const words = array.opening.startsWith('%');
    const quoted = words ? names : names.map((n) => `${q}${n}${q}`);
    const sep = isMultiLineArray(a, array) ? `${words ? '' : ','}\n${indentationAt(a, item.span.start)}` : words ? ' ' : ', ';
    return { span: item.span, text: quoted.join(sep) };
  }
  const quoted = names.map((n) => `${q}${n}${q}`);
  if (quoted.length <= 4) return { span: item.span, text: `[${quoted.join(', ')}]` };
  const indent = indentationAt(a, item.span.start);
  return { span: item.span, text: `[\n${quoted.map((n) => `${indent}  ${n}`).join(',\n')}\n${indent}]` };
}
