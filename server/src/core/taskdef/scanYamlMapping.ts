// A line scanner for the top-level block mapping of a YAML task definition (the v6 default
// `.ufo/resources/task_definitions/web.yml`, docs/ufo-semantics.md §12), run on ERB-masked text (maskErb.ts). It
// finds each top-level entry's key, the value written on the key's line, and the lines the entry spans.
// It is not a YAML parser: it reads what a task definition needs (block mappings, scalars in the three
// flow styles) and reports anything else as a value of kind `other`. Offsets are UTF-16 (see maskErb.ts).

import type { TextRange } from './maskErb';

export type YamlValueStyle =
  | 'plain'
  | 'double'
  | 'single'
  /** No value on the key's line and no lines under it: YAML null. */
  | 'empty'
  /** No value on the key's line, a nested mapping or sequence under it. */
  | 'collection'
  /** A block scalar (`|`, `>`), flow collection, anchor, tag, alias, or a scalar that spans lines. */
  | 'other';

export interface YamlLine {
  readonly start: number;
  /** End of the content, before `\r\n` or `\n`. */
  readonly end: number;
  /** Start of the next line (equals `end` on the last line when the text has no final line break). */
  readonly next: number;
}

export interface YamlEntry {
  /** The decoded key. */
  readonly key: string;
  readonly keyRange: TextRange;
  /** The key's quote character, or '' for a plain key. */
  readonly keyQuote: '"' | "'" | '';
  readonly colonEnd: number;
  /** The value on the key's line (quotes included), or the lines under it for a multi-line value. */
  readonly valueRange: TextRange;
  readonly valueStyle: YamlValueStyle;
  /** The region ERB tags in which make the value dynamic: from the colon to the end of the value's text. */
  readonly valueRegion: TextRange;
  /** Index in `lines` of the key's line and of the entry's last non-blank, non-comment line. */
  readonly firstLine: number;
  readonly lastLine: number;
}

export type YamlDocumentScan =
  | { readonly kind: 'mapping'; readonly indent: string; readonly lines: readonly YamlLine[]; readonly entries: readonly YamlEntry[] }
  /** The document is a flow mapping (`{...}`), which the JSON scanner reads; `open` is its `{`. */
  | { readonly kind: 'flow'; readonly open: number; readonly lines: readonly YamlLine[] }
  | { readonly kind: 'none'; readonly reason: string };

export function splitLines(text: string): YamlLine[] {
  const lines: YamlLine[] = [];
  let start = 0;
  while (true) {
    const nl = text.indexOf('\n', start);
    if (nl === -1) {
      lines.push({ start, end: text.length, next: text.length });
      return lines;
    }
    const end = nl > start && text.charCodeAt(nl - 1) === 0x0d ? nl - 1 : nl;
    lines.push({ start, end, next: nl + 1 });
    start = nl + 1;
  }
}

function indentOf(text: string, line: YamlLine): number {
  let i = line.start;
  while (i < line.end && (text.charCodeAt(i) === 0x20 || text.charCodeAt(i) === 0x09)) i++;
  return i - line.start;
}

function isBlankOrComment(text: string, line: YamlLine): boolean {
  const i = line.start + indentOf(text, line);
  return i >= line.end || text.charCodeAt(i) === 0x23 /* # */;
}

function isDocumentMarker(text: string, line: YamlLine, marker: '---' | '...'): boolean {
  if (!text.startsWith(marker, line.start)) return false;
  const c = text.charCodeAt(line.start + 3);
  return line.start + 3 >= line.end || c === 0x20 || c === 0x09;
}

/** End of a double-quoted scalar starting at `i`, or -1 when it does not close before `limit`. */
function doubleQuotedEnd(text: string, i: number, limit: number): number {
  for (let j = i + 1; j < limit; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x5c) j++;
    else if (c === 0x22) return j + 1;
  }
  return -1;
}

function singleQuotedEnd(text: string, i: number, limit: number): number {
  for (let j = i + 1; j < limit; j++) {
    if (text.charCodeAt(j) === 0x27) {
      if (text.charCodeAt(j + 1) === 0x27) j++;
      else return j + 1;
    }
  }
  return -1;
}

/** Offset of a ` #` comment on `[from, limit)`, or `limit`. */
function commentStart(text: string, from: number, limit: number): number {
  for (let j = from; j < limit; j++) {
    if (text.charCodeAt(j) === 0x23 && (j === from || /[ \t]/.test(text[j - 1]))) return j;
  }
  return limit;
}

function trimEnd(text: string, start: number, end: number): number {
  while (end > start && /[ \t]/.test(text[end - 1])) end--;
  return end;
}

/** Decodes a YAML double-quoted scalar (quotes included); undefined for an escape we do not know. */
export function decodeYamlDouble(raw: string): string | undefined {
  const body = raw.slice(1, -1);
  const simple: Record<string, string> = {
    '0': '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b',
    ' ': ' ', '"': '"', '/': '/', '\\': '\\', N: '\x85', _: '\xa0', L: '\u2028', P: '\u2029',
  };
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i];
    if (e !== undefined && e in simple) {
      out += simple[e];
      continue;
    }
    const width = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    const hex = body.slice(i + 1, i + 1 + width);
    if (width === 0 || !/^[0-9A-Fa-f]+$/.test(hex) || hex.length !== width) return undefined;
    const code = parseInt(hex, 16);
    if (code > 0x10ffff) return undefined;
    out += String.fromCodePoint(code);
    i += width;
  }
  return out;
}

export function decodeYamlSingle(raw: string): string {
  return raw.slice(1, -1).replace(/''/g, "'");
}

/** A key at `i` on the line: `key:`, `"key":` or `'key':`, followed by a space or the line's end. */
function keyAt(text: string, i: number, limit: number): { key: string; end: number; colonEnd: number; quote: '"' | "'" | '' } | undefined {
  const c = text[i];
  let key: string | undefined;
  let end: number;
  let quote: '"' | "'" | '' = '';
  if (c === '"' || c === "'") {
    end = c === '"' ? doubleQuotedEnd(text, i, limit) : singleQuotedEnd(text, i, limit);
    if (end === -1) return undefined;
    const raw = text.slice(i, end);
    key = c === '"' ? decodeYamlDouble(raw) : decodeYamlSingle(raw);
    quote = c;
    if (key === undefined) return undefined;
    let j = end;
    while (j < limit && (text[j] === ' ' || text[j] === '\t')) j++;
    if (text[j] !== ':') return undefined;
    const after = text[j + 1];
    if (j + 1 < limit && after !== ' ' && after !== '\t') return undefined;
    return { key, end, colonEnd: j + 1, quote };
  }
  // A plain key cannot start with an indicator (a `-` must be followed by a non-space).
  if (/[\s#'"?:,[\]{}&*!|>%@`]/.test(c) || (c === '-' && /[\s]/.test(text[i + 1] ?? ' '))) return undefined;
  for (let j = i + 1; j < limit; j++) {
    const ch = text[j];
    if (ch === '#' && /[ \t]/.test(text[j - 1])) return undefined;
    if (ch === ':' && (j + 1 >= limit || text[j + 1] === ' ' || text[j + 1] === '\t')) {
      end = trimEnd(text, i, j);
      return { key: text.slice(i, end), end, colonEnd: j + 1, quote };
    }
  }
  return undefined;
}

/**
 * Scans the masked text of a YAML document for its top-level mapping. The prolog (comments,
 * directives, `---`) is skipped; a `{` first means a flow mapping; a sequence or a scalar first means
 * there is no mapping to edit.
 */
export function scanYamlMapping(text: string): YamlDocumentScan {
  const lines = splitLines(text);
  let first = -1;
  let firstOffset = -1;
  let sawMarker = false;
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n];
    if (isBlankOrComment(text, line)) continue;
    if (!sawMarker && text.charCodeAt(line.start) === 0x25 /* %YAML */) continue;
    if (isDocumentMarker(text, line, '---')) {
      if (sawMarker) return { kind: 'none', reason: 'the file holds more than one YAML document' };
      sawMarker = true;
      let j = line.start + 3;
      while (j < line.end && (text[j] === ' ' || text[j] === '\t')) j++;
      if (j >= line.end || text[j] === '#') continue;
      first = n;
      firstOffset = j;
      break;
    }
    first = n;
    firstOffset = line.start + indentOf(text, line);
    break;
  }
  if (first === -1) return { kind: 'none', reason: 'the file holds no YAML content' };
  const head = lines[first];
  const c = text[firstOffset];
  if (c === '{') return { kind: 'flow', open: firstOffset, lines };
  if (c === '[' || (c === '-' && (firstOffset + 1 >= head.end || /\s/.test(text[firstOffset + 1])))) {
    return { kind: 'none', reason: 'the top level of the YAML document is a sequence, not a mapping' };
  }
  if (firstOffset !== head.start + indentOf(text, head) || !keyAt(text, firstOffset, head.end)) {
    return { kind: 'none', reason: 'the top level of the YAML document is not a mapping' };
  }
  const indent = firstOffset - head.start;
  const entries: YamlEntry[] = [];
  type Open = { key: ReturnType<typeof keyAt> & {}; keyStart: number; firstLine: number; lastLine: number; nested: boolean };
  let open: Open | undefined;
  const finish = (): void => {
    if (!open) return;
    entries.push(entryOf(text, lines, open.key, open.keyStart, open.firstLine, open.lastLine, open.nested));
    open = undefined;
  };
  for (let n = first; n < lines.length; n++) {
    const line = lines[n];
    if (isBlankOrComment(text, line)) continue;
    if (isDocumentMarker(text, line, '---') || isDocumentMarker(text, line, '...')) break;
    const ind = indentOf(text, line);
    if (ind < indent) break;
    const at = line.start + ind;
    if (ind > indent || (text[at] === '-' && (at + 1 >= line.end || /\s/.test(text[at + 1])))) {
      // A line under the current entry: a nested block, a continuation, or a compact sequence item.
      if (open) {
        open.lastLine = n;
        open.nested = true;
      }
      continue;
    }
    finish();
    const key = keyAt(text, at, line.end);
    // A line at the mapping's indent that is no key (e.g. a printed `<%= extra %>`) belongs to no entry.
    if (key) open = { key, keyStart: at, firstLine: n, lastLine: n, nested: false };
  }
  finish();
  return { kind: 'mapping', indent: text.slice(head.start, firstOffset), lines, entries };
}

function entryOf(
  text: string,
  lines: readonly YamlLine[],
  key: NonNullable<ReturnType<typeof keyAt>>,
  keyStart: number,
  firstLine: number,
  lastLine: number,
  nested: boolean,
): YamlEntry {
  const line = lines[firstLine];
  const base = { key: key.key, keyRange: { start: keyStart, end: key.end }, keyQuote: key.quote, colonEnd: key.colonEnd, firstLine, lastLine };
  const entryEnd = lines[lastLine].end;
  let j = key.colonEnd;
  while (j < line.end && (text[j] === ' ' || text[j] === '\t')) j++;
  const lineValueEnd = trimEnd(text, j, commentStart(text, j, line.end));
  if (j >= lineValueEnd) {
    if (nested) {
      const start = lines[firstLine + 1]?.start ?? line.next;
      return { ...base, valueRange: { start, end: entryEnd }, valueStyle: 'collection', valueRegion: { start: key.colonEnd, end: entryEnd } };
    }
    return { ...base, valueRange: { start: j, end: j }, valueStyle: 'empty', valueRegion: { start: key.colonEnd, end: line.end } };
  }
  const c = text[j];
  const multi = (style: YamlValueStyle = 'other'): YamlEntry => ({
    ...base,
    valueRange: { start: j, end: entryEnd },
    valueStyle: style,
    valueRegion: { start: key.colonEnd, end: entryEnd },
  });
  if (nested) return multi();
  if (c === '"' || c === "'") {
    const end = c === '"' ? doubleQuotedEnd(text, j, line.end) : singleQuotedEnd(text, j, line.end);
    if (end === -1) return multi();
    // Anything but a comment after the closing quote is not a single scalar. The region runs to the
    // comment, past trailing blanks, which may be masked tags (`"a"<% end %>`).
    const regionEnd = commentStart(text, end, line.end);
    const rest = trimEnd(text, end, regionEnd);
    const valueRegion = { start: key.colonEnd, end: regionEnd };
    if (rest > end) return { ...base, valueRange: { start: j, end: rest }, valueStyle: 'other', valueRegion };
    return { ...base, valueRange: { start: j, end }, valueStyle: c === '"' ? 'double' : 'single', valueRegion };
  }
  const style: YamlValueStyle = /[|>[{&!*]/.test(c) ? 'other' : 'plain';
  const valueRegion = { start: key.colonEnd, end: commentStart(text, j, line.end) };
  return { ...base, valueRange: { start: j, end: lineValueEnd }, valueStyle: style, valueRegion };
}

/** Resolves a plain scalar the way Psych (YAML 1.1) does for the values that matter: non-strings are undefined. */
export function plainScalarString(raw: string): string | undefined {
  if (/^(?:~|null|Null|NULL)$/.test(raw)) return undefined;
  if (/^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/.test(raw)) return undefined;
  if (/^[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|\.[0-9]+|0x[0-9a-fA-F_]+|0o?[0-7_]+|\.inf|\.Inf|\.INF)$/.test(raw)) return undefined;
  if (/^\.(?:nan|NaN|NAN)$/.test(raw)) return undefined;
  return raw;
}
