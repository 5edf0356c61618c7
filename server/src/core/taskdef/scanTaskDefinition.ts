// The top-level members of a task-definition template, read through the ERB masking: what readRoleArns
// reports and what editRoleArns changes. Offsets are UTF-16 (see maskErb.ts).

import { erbDepthAt, findErbTags, maskErb, tagsIn, type ErbTag, type TextRange } from './maskErb';
import { decodeJsonString, scanJsonObject, skipSpace, type JsonObjectScan } from './scanJsonObject';
import {
  decodeYamlDouble,
  decodeYamlSingle,
  plainScalarString,
  scanYamlMapping,
  type YamlLine,
} from './scanYamlMapping';

export type TaskDefinitionFormat = 'json' | 'yaml';

/**
 * How a value is written: a literal string; `dynamic`, when ERB takes part in it (`"<%= @arn %>"`,
 * `<%= @arn.to_json %>`, a value chosen by `<% if %>` branches); `other`, for anything that is not a
 * string scalar (null, a number, an object, a block scalar, a multi-line or malformed value).
 */
export type MemberValueKind = 'literal' | 'dynamic' | 'other';

export interface TopLevelMember {
  readonly key: string;
  readonly keyRange: TextRange;
  readonly kind: MemberValueKind;
  /** The decoded string, for `literal`. */
  readonly value?: string;
  /** The quoting of a literal: `"`, `'`, or '' for a YAML plain scalar. */
  readonly quote: '"' | "'" | '';
  /** The value's text: for `dynamic`, it covers every ERB tag that takes part in the value. */
  readonly valueRange: TextRange;
  /** What editRoleArns replaces and how: the replacement is `prefix + value + suffix`. */
  readonly replace: { readonly range: TextRange; readonly prefix: string; readonly suffix: string };
  /** Whether the key sits inside an ERB block (`<% if %>`, a loop) that the object itself is not in. */
  readonly conditional: boolean;
  /** JSON: offset of the comma after the member, or -1. */
  readonly comma: number;
  /** YAML: index of the entry's last line. */
  readonly lastLine: number;
}

interface ScanBase {
  readonly text: string;
  readonly masked: string;
  readonly tags: readonly ErbTag[];
  readonly members: readonly TopLevelMember[];
  /** The file's dominant line break. */
  readonly eol: '\n' | '\r\n';
}

export type TaskDefinitionScan =
  | (ScanBase & { readonly ok: true; readonly style: 'json'; readonly object: JsonObjectScan })
  | (ScanBase & { readonly ok: true; readonly style: 'yaml'; readonly indent: string; readonly lines: readonly YamlLine[] })
  | { readonly ok: false; readonly reason: string };

export function detectEol(text: string): '\n' | '\r\n' {
  let crlf = 0;
  let lf = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    if (i > 0 && text.charCodeAt(i - 1) === 0x0d) crlf++;
    else lf++;
  }
  return crlf > lf ? '\r\n' : '\n';
}

function cover(ranges: readonly TextRange[]): TextRange {
  return { start: Math.min(...ranges.map((r) => r.start)), end: Math.max(...ranges.map((r) => r.end)) };
}

function jsonMembers(text: string, masked: string, tags: readonly ErbTag[], object: JsonObjectScan): TopLevelMember[] {
  const baseDepth = erbDepthAt(tags, object.open);
  const members: TopLevelMember[] = [];
  for (const m of object.members) {
    // A key built by ERB could be anything; it is not one we can name.
    if (tagsIn(tags, m.keyRange).length > 0) continue;
    // ERB counts from the colon to the end of the value, and on to the comma or brace that ends the
    // member while on the same line (`"a"<% else %>"b"<% end %>,`); a `<% end %>` on a later line
    // closes a block around the member instead.
    const terminator = skipSpace(masked, m.tailEnd);
    const sameLineTags = tagsIn(tags, { start: m.tailEnd, end: terminator }).filter(
      (t) => t.start >= m.tailEnd && !text.slice(m.tailEnd, t.start).includes('\n'),
    );
    const regionTags = [...tagsIn(tags, { start: m.colonEnd, end: m.tailEnd }), ...sameLineTags];
    const valueRange = m.valueType === 'missing' ? m.valueRange : { start: m.valueRange.start, end: m.tailEnd };
    let kind: MemberValueKind = 'other';
    let value: string | undefined;
    let range = valueRange;
    if (regionTags.length > 0) {
      kind = 'dynamic';
      range = cover(m.valueType === 'missing' ? regionTags : [valueRange, ...regionTags]);
    } else if (m.valueType === 'string' && !m.hasStrayTokens) {
      value = decodeJsonString(text.slice(m.valueRange.start, m.valueRange.end));
      if (value !== undefined) kind = 'literal';
    }
    const prefix = m.valueType === 'missing' && kind !== 'dynamic' && !/\s/.test(text[m.colonEnd] ?? '') ? ' ' : '';
    members.push({
      key: m.key,
      keyRange: m.keyRange,
      kind,
      value,
      quote: '"',
      valueRange: range,
      replace: { range, prefix, suffix: '' },
      conditional: erbDepthAt(tags, m.keyRange.start) > baseDepth,
      comma: m.comma,
      lastLine: -1,
    });
  }
  return members;
}

function scanJson(text: string, masked: string, tags: readonly ErbTag[], open: number, eol: '\n' | '\r\n'): TaskDefinitionScan {
  const object = scanJsonObject(masked, open);
  return { ok: true, style: 'json', text, masked, tags, eol, object, members: jsonMembers(text, masked, tags, object) };
}

/**
 * Scans a task-definition template for its top-level members. `format` is the format UFO parses the
 * rendered file as: JSON for `.json` and `.json.erb`, YAML otherwise (docs/ufo-semantics.md §12). A YAML file whose
 * document is a flow mapping (`{...}`, e.g. JSON in a `.yml`) is scanned like JSON.
 */
export function scanTaskDefinition(text: string, format: TaskDefinitionFormat): TaskDefinitionScan {
  const tags = findErbTags(text);
  const masked = maskErb(text, tags);
  const eol = detectEol(text);
  if (format === 'json') {
    const open = skipSpace(masked, 0);
    if (masked[open] !== '{') {
      const what = masked[open] === '[' ? 'an array' : open >= masked.length ? 'empty' : 'not an object';
      return { ok: false, reason: `the top level of the JSON task definition is ${what}` };
    }
    return scanJson(text, masked, tags, open, eol);
  }
  const doc = scanYamlMapping(masked);
  if (doc.kind === 'none') return { ok: false, reason: doc.reason };
  if (doc.kind === 'flow') return scanJson(text, masked, tags, doc.open, eol);
  const lines = doc.lines;
  const members: TopLevelMember[] = [];
  for (const e of doc.entries) {
    if (tagsIn(tags, e.keyRange).length > 0) continue;
    const regionTags = tagsIn(tags, e.valueRegion);
    const line = lines[e.firstLine];
    let kind: MemberValueKind = 'other';
    let value: string | undefined;
    let quote: '"' | "'" | '' = '';
    let valueRange = e.valueRange;
    if (regionTags.length > 0) {
      kind = 'dynamic';
      valueRange = cover(e.valueStyle === 'empty' ? regionTags : [e.valueRange, ...regionTags]);
    } else if (e.valueStyle === 'plain' || e.valueStyle === 'double' || e.valueStyle === 'single') {
      const raw = text.slice(e.valueRange.start, e.valueRange.end);
      value = e.valueStyle === 'plain' ? plainScalarString(raw) : e.valueStyle === 'double' ? decodeYamlDouble(raw) : decodeYamlSingle(raw);
      quote = e.valueStyle === 'plain' ? '' : e.valueStyle === 'double' ? '"' : "'";
      if (value !== undefined) kind = 'literal';
    }
    // A value on the key's line is replaced in place. A value under the key (a nested block, a block
    // scalar, a scalar that spans lines) is replaced from the colon, so the new scalar lands on the
    // key's line; an empty value before a comment keeps a space before the `#`.
    let replace: TopLevelMember['replace'];
    const multiLine = valueRange.end > line.end || e.valueStyle === 'collection';
    if (multiLine) {
      replace = { range: { start: e.colonEnd, end: Math.max(valueRange.end, lines[e.lastLine].end) }, prefix: ' ', suffix: '' };
    } else if (e.valueStyle === 'empty' && kind !== 'dynamic') {
      const hasComment = e.valueRange.start < line.end;
      replace = { range: { start: e.colonEnd, end: e.valueRange.start }, prefix: ' ', suffix: hasComment ? ' ' : '' };
    } else {
      replace = { range: valueRange, prefix: '', suffix: '' };
    }
    members.push({
      key: e.key,
      keyRange: e.keyRange,
      kind,
      value,
      quote,
      valueRange,
      replace,
      // The mapping is the document, so any enclosing block makes the key conditional.
      conditional: erbDepthAt(tags, e.keyRange.start) > 0,
      comma: -1,
      lastLine: e.lastLine,
    });
  }
  return { ok: true, style: 'yaml', text, masked, tags, eol, indent: doc.indent, lines, members };
}

