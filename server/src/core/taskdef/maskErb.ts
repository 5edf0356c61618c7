// ERB tags in task-definition templates, and a masking that hides them from the JSON/YAML scanners.
//
// UFO renders every task-definition template with ERB before parsing it (docs/ufo-semantics.md §12): v5
// `.ufo/templates/*.json.erb` and v6 `.ufo/resources/task_definitions/*.{json,yml}` alike. We never run
// the Ruby, so each tag is replaced by a filler of exactly the same length: every offset in the masked
// text is the offset of the same character in the original, and edits computed on one apply to the
// other.
//
// Offsets in this folder are UTF-16 code-unit offsets of the JavaScript string, not the UTF-8 byte spans
// used elsewhere in the core: the results are only ever applied to the same string, and the scanners cut
// the text at ASCII characters only, so a surrogate pair or a multi-byte character is never split.
// Callers that need byte spans convert with `LineIndex.byteOfOffset`.

/** A half-open range of UTF-16 code-unit offsets into a JavaScript string. */
export interface TextRange {
  readonly start: number;
  readonly end: number;
}

/** How a tag renders: `<%= %>` / `<%== %>` print a value, `<% %>` / `<%- %>` run code, `<%# %>` print nothing. */
export type ErbTagKind = 'output' | 'code' | 'comment';

/**
 * The effect of a code tag on ERB control flow: `<% if x %>` opens a block, `<% else %>` continues it,
 * `<% end %>` closes it. Text between an opening and its closing tag is rendered conditionally (or
 * repeatedly, for loops).
 */
export type ErbFlow = 'open' | 'middle' | 'close' | 'none';

export interface ErbTag extends TextRange {
  readonly kind: ErbTagKind;
  /** The Ruby code between the delimiters, without the `=`, `-` and `#` markers, trimmed. */
  readonly code: string;
  readonly flow: ErbFlow;
}

const OPENING_KEYWORD = /^(?:if|unless|case|while|until|for|begin)\b/;
const MIDDLE_KEYWORD = /^(?:else|elsif|when|in|rescue|ensure)\b/;
const CLOSING = /^(?:end|\})\s*;?\s*(?:#.*)?$/;
const OPENS_BLOCK = /(?:\bdo|\{)\s*(?:\|[^|]*\|)?\s*$/;

function flowOf(kind: ErbTagKind, code: string): ErbFlow {
  if (kind === 'comment') return 'none';
  // A trailing Ruby comment would hide a trailing `do`; drop a simple one.
  const body = code.replace(/\s+#[^'"]*$/, '').trim();
  if (kind === 'code') {
    if (CLOSING.test(body)) return 'close';
    if (MIDDLE_KEYWORD.test(body)) return 'middle';
    // `if a then b end` on one tag opens nothing.
    if (OPENING_KEYWORD.test(body)) return /\bend\s*;?\s*$/.test(body) ? 'none' : 'open';
  }
  // `<% list.each do |x| %>` and `<%= helper do %>` both open a block.
  return OPENS_BLOCK.test(body) ? 'open' : 'none';
}

/**
 * Every ERB tag in `text`, in order. A tag ends at the first `%>` after its `<%`, as in Ruby's ERB
 * scanner, except `%%>`, which ERB reads as a literal `%>`. `<%%` is ERB's escape for a literal `<%` and
 * starts no tag. An unterminated tag runs to the end of the text.
 */
export function findErbTags(text: string): ErbTag[] {
  const tags: ErbTag[] = [];
  let i = text.indexOf('<%');
  while (i !== -1) {
    if (text.charCodeAt(i + 2) === 0x25 /* % */) {
      i = text.indexOf('<%', i + 3);
      continue;
    }
    let j = i + 2;
    let close = -1;
    while (j < text.length) {
      const k = text.indexOf('%>', j);
      if (k === -1) break;
      if (k > i + 2 && text.charCodeAt(k - 1) === 0x25 /* %%> */) {
        j = k + 2;
        continue;
      }
      close = k;
      break;
    }
    const end = close === -1 ? text.length : close + 2;
    let inner = text.slice(i + 2, close === -1 ? text.length : close);
    let kind: ErbTagKind = 'code';
    if (inner.startsWith('#')) {
      kind = 'comment';
      inner = inner.slice(1);
    } else if (inner.startsWith('=')) {
      kind = 'output';
      inner = inner.slice(inner.startsWith('==') ? 2 : 1);
    } else if (inner.startsWith('-')) {
      inner = inner.slice(1);
    }
    if (inner.endsWith('-')) inner = inner.slice(0, -1);
    const code = inner.trim();
    tags.push({ start: i, end, kind, code, flow: flowOf(kind, code) });
    i = text.indexOf('<%', end);
  }
  return tags;
}

/**
 * Replaces every ERB tag by a filler of the same length, so the JSON/YAML scanners of this folder can
 * read the structure around it:
 * - a code or comment tag (`<% if @x -%>`, `<%# note %>`) becomes spaces: it renders nothing, and a tag
 *   on a line of its own leaves a blank line;
 * - an output tag inside a double-quoted string (`"family": "<%= @family %>"`) becomes `x` characters,
 *   keeping the string a string;
 * - an output tag anywhere else (`"command": <%= @command.to_json %>`, `image: <%= @image %>`) stands
 *   for a whole value and becomes a double-quoted string `"xxx…"`, which is a value in JSON and a
 *   scalar in YAML.
 * Line breaks inside a tag are kept, so line numbers do not move either. Whether an output tag sits in
 * a string is tracked per line with double quotes only (JSON strings cannot span lines; a YAML
 * single-quoted scalar that gets `"xxx"` is still a scalar).
 */
export function maskErb(text: string, tags: readonly ErbTag[] = findErbTags(text)): string {
  if (tags.length === 0) return text;
  const out: string[] = [];
  let pos = 0;
  let inString = false;
  const advance = (to: number): void => {
    // Track double-quoted strings through the literal text between tags.
    for (let i = pos; i < to; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x0a) inString = false;
      else if (c === 0x5c /* \ */ && inString) i++;
      else if (c === 0x22 /* " */) inString = !inString;
    }
    out.push(text.slice(pos, to));
    pos = to;
  };
  for (const tag of tags) {
    advance(tag.start);
    const length = tag.end - tag.start;
    let filler: string;
    if (tag.kind !== 'output') filler = ' '.repeat(length);
    else if (inString || length < 2) filler = 'x'.repeat(length);
    else filler = '"' + 'x'.repeat(length - 2) + '"';
    const source = text.slice(tag.start, tag.end);
    if (!/[\r\n]/.test(source)) {
      out.push(filler);
    } else {
      // Keep line breaks where they were; a quote never lands on one (tags start with `<` and end with `>`).
      let chars = '';
      for (let i = 0; i < length; i++) chars += source[i] === '\n' || source[i] === '\r' ? source[i] : filler[i];
      out.push(chars);
      if (source.includes('\n')) inString = false;
    }
    pos = tag.end;
  }
  advance(text.length);
  return out.join('');
}

/** Index of the first tag that ends after `offset` (tags are sorted and do not overlap). */
function firstTagEndingAfter(tags: readonly ErbTag[], offset: number): number {
  let lo = 0;
  let hi = tags.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tags[mid].end <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Depth after each tag, computed once per tag list. */
const depthCache = new WeakMap<readonly ErbTag[], Int32Array>();

function depthsAfter(tags: readonly ErbTag[]): Int32Array {
  let depths = depthCache.get(tags);
  if (!depths) {
    depths = new Int32Array(tags.length);
    let depth = 0;
    tags.forEach((tag, i) => {
      if (tag.flow === 'open') depth++;
      else if (tag.flow === 'close') depth = Math.max(0, depth - 1);
      depths![i] = depth;
    });
    depthCache.set(tags, depths);
  }
  return depths;
}

/**
 * The ERB block nesting depth at `offset`: how many control blocks (`<% if %>`, `<% x.each do %>`) are
 * open there. A key at a greater depth than its object is rendered conditionally or repeatedly.
 */
export function erbDepthAt(tags: readonly ErbTag[], offset: number): number {
  // The tags that start before `offset` are those before the first one ending after it, plus that one
  // when `offset` falls inside it.
  let n = firstTagEndingAfter(tags, offset);
  if (n < tags.length && tags[n].start < offset) n++;
  return n === 0 ? 0 : depthsAfter(tags)[n - 1];
}

/**
 * The opening tag of the outermost block that is open at `offset` but was not open at `base`, or
 * undefined when no such block exists.
 */
export function outermostOpenBlock(tags: readonly ErbTag[], base: number, offset: number): ErbTag | undefined {
  const stack: ErbTag[] = [];
  const baseDepth = erbDepthAt(tags, base);
  for (const tag of tags) {
    if (tag.start >= offset) break;
    if (tag.flow === 'open') stack.push(tag);
    else if (tag.flow === 'close') stack.pop();
  }
  return stack.length > baseDepth ? stack[baseDepth] : undefined;
}

/** The tags that overlap `range`, found by binary search. */
export function tagsIn(tags: readonly ErbTag[], range: TextRange): ErbTag[] {
  const out: ErbTag[] = [];
  for (let i = firstTagEndingAfter(tags, range.start); i < tags.length && tags[i].start < range.end; i++) out.push(tags[i]);
  return out;
}
