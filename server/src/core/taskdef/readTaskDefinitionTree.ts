// A tolerant reader of a whole task-definition template (nested members included), run on the ERB-masked text
// (maskErb.ts): what the checks of checkTaskDefinition.ts need to look inside `containerDefinitions`. JSON for
// `.json` / `.json.erb`, block YAML for `.yml` (flow collections inside YAML are read as JSON). It never throws:
// what it cannot read is an `unknown` node, and a collection that ERB may extend (a printed `<%= members %>`, a
// key built by ERB, stray tokens) is marked `complete: false`, so a check can tell "absent" from "not known".
// Offsets are UTF-16 (see maskErb.ts).

import { erbDepthAt, findErbTags, maskErb, tagsIn, type ErbTag, type TextRange } from './maskErb';
import { decodeJsonString } from './scanJsonObject';
import { decodeYamlDouble, decodeYamlSingle, plainScalarString, splitLines, type YamlLine } from './scanYamlMapping';
import type { TaskDefinitionFormat } from './scanTaskDefinition';

export interface TreeMember {
  readonly key: string;
  readonly keyRange: TextRange;
  readonly value: TreeNode;
  /** Inside an ERB block (`<% if %>`, a loop) that its object is not in: rendered zero or many times. */
  readonly conditional: boolean;
}

export interface TreeItem {
  readonly value: TreeNode;
  readonly conditional: boolean;
}

export type TreeNode =
  | { readonly kind: 'object'; readonly range: TextRange; readonly members: readonly TreeMember[]; readonly complete: boolean }
  | { readonly kind: 'array'; readonly range: TextRange; readonly items: readonly TreeItem[]; readonly complete: boolean }
  /** A string scalar; `dynamic` when ERB takes part in it (then `value` is the masked text). */
  | { readonly kind: 'string'; readonly range: TextRange; readonly value: string; readonly dynamic: boolean }
  /** A number, boolean or null. */
  | { readonly kind: 'scalar'; readonly range: TextRange }
  | { readonly kind: 'unknown'; readonly range: TextRange };

export interface TaskDefinitionTree {
  readonly root: TreeNode;
  readonly tags: readonly ErbTag[];
}

/**
 * A key as UFO passes it to CloudFormation: its reconstructor camelizes every key of the rendered task definition
 * (`execution_role_arn`, `executionRoleArn` and `ExecutionRoleArn` all become `ExecutionRoleArn`), as ActiveSupport's
 * `camelize` does.
 */
export function camelizeKey(key: string): string {
  return key
    .split('_')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** The member `key` of an object node, under any spelling UFO camelizes to the same key (the last one wins, as in a Ruby hash). */
export function memberOf(node: TreeNode | undefined, key: string): TreeMember | undefined {
  if (!node || node.kind !== 'object') return undefined;
  const wanted = camelizeKey(key);
  let found: TreeMember | undefined;
  for (const m of node.members) if (camelizeKey(m.key) === wanted) found = m;
  return found;
}

const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0xfeff;

class JsonReader {
  constructor(
    private readonly text: string,
    private readonly masked: string,
    private readonly tags: readonly ErbTag[],
  ) {}

  skip(i: number): number {
    const t = this.masked;
    while (i < t.length && isSpace(t.charCodeAt(i))) i++;
    return i;
  }

  private stringEnd(i: number): number {
    const t = this.masked;
    for (let j = i + 1; j < t.length; j++) {
      const c = t.charCodeAt(j);
      if (c === 0x5c) j++;
      else if (c === 0x22) return j + 1;
      else if (c === 0x0a) return -1;
    }
    return -1;
  }

  private wordEnd(i: number): number {
    const t = this.masked;
    let j = i;
    while (j < t.length && !/[\s,:{}[\]"]/.test(t[j])) j++;
    return j;
  }

  private dynamic(range: TextRange): boolean {
    return tagsIn(this.tags, range).length > 0;
  }

  /** The value at `i` and the offset after it. */
  value(i: number, depth = 0): { node: TreeNode; end: number } {
    const t = this.masked;
    i = this.skip(i);
    const c = t[i];
    if (depth > 64) return { node: { kind: 'unknown', range: { start: i, end: t.length } }, end: t.length };
    if (c === '{') return this.object(i, depth);
    if (c === '[') return this.array(i, depth);
    if (c === '"') {
      const end = this.stringEnd(i);
      if (end === -1) return { node: { kind: 'unknown', range: { start: i, end: i + 1 } }, end: t.length };
      const range = { start: i, end };
      const dynamic = this.dynamic(range);
      const value = dynamic ? t.slice(i + 1, end - 1) : decodeJsonString(this.text.slice(i, end));
      if (value === undefined) return { node: { kind: 'unknown', range }, end };
      return { node: { kind: 'string', range, value, dynamic }, end };
    }
    const end = this.wordEnd(i);
    if (end === i) return { node: { kind: 'unknown', range: { start: i, end: i } }, end: i };
    const range = { start: i, end };
    const word = t.slice(i, end);
    // A bare word: JSON's literals, or a YAML flow plain scalar (`[FARGATE]` in a `.yml`).
    if (/^(?:true|false|null|-?\d[\d.eE+-]*)$/.test(word)) return { node: { kind: 'scalar', range }, end };
    const plain = plainScalarString(word);
    return { node: plain === undefined ? { kind: 'scalar', range } : { kind: 'string', range, value: plain, dynamic: false }, end };
  }

  /** Skips to the next `,` or the closing bracket at this level; returns where it stopped. */
  private recover(i: number, close: string): number {
    const t = this.masked;
    while (i < t.length) {
      const c = t[i];
      if (c === ',' || c === close) return i;
      if (c === '"') {
        const e = this.stringEnd(i);
        i = e === -1 ? i + 1 : e;
      } else if (c === '{' || c === '[') i = this.value(i, 60).end;
      else if (c === '}' || c === ']') return i;
      else i++;
    }
    return i;
  }

  private object(open: number, depth: number): { node: TreeNode; end: number } {
    const t = this.masked;
    const members: TreeMember[] = [];
    const base = erbDepthAt(this.tags, open);
    let complete = true;
    let i = open + 1;
    for (;;) {
      i = this.skip(i);
      if (i >= t.length) return { node: { kind: 'object', range: { start: open, end: t.length }, members, complete: false }, end: t.length };
      const c = t[i];
      if (c === '}') return { node: { kind: 'object', range: { start: open, end: i + 1 }, members, complete }, end: i + 1 };
      if (c === ',') {
        i++;
        continue;
      }
      const key = this.value(i, depth + 1);
      const colon = this.skip(key.end);
      if (t[colon] !== ':' || key.node.kind !== 'string') {
        // A printed `<%= members %>`, or text we cannot read: ERB may add any member here.
        complete = false;
        i = Math.max(this.recover(key.end, '}'), i + 1);
        continue;
      }
      if (key.node.dynamic) complete = false;
      const v = this.value(colon + 1, depth + 1);
      let value = v.node;
      let next = this.skip(v.end);
      if (next < t.length && t[next] !== ',' && t[next] !== '}') {
        // Two values for one key (ERB branches `"a"<% else %>"b"`): not one we know.
        complete = false;
        next = this.recover(next, '}');
        value = { kind: 'unknown', range: { start: value.range.start, end: next } };
      }
      if (!key.node.dynamic) members.push({ key: key.node.value, keyRange: key.node.range, value, conditional: erbDepthAt(this.tags, key.node.range.start) > base });
      if (next <= i) next = i + 1;
      i = next;
    }
  }

  private array(open: number, depth: number): { node: TreeNode; end: number } {
    const t = this.masked;
    const items: TreeItem[] = [];
    const base = erbDepthAt(this.tags, open);
    let complete = true;
    let i = open + 1;
    for (;;) {
      i = this.skip(i);
      if (i >= t.length) return { node: { kind: 'array', range: { start: open, end: t.length }, items, complete: false }, end: t.length };
      const c = t[i];
      if (c === ']') return { node: { kind: 'array', range: { start: open, end: i + 1 }, items, complete }, end: i + 1 };
      if (c === ',') {
        i++;
        continue;
      }
      const v = this.value(i, depth + 1);
      let value = v.node;
      let next = this.skip(v.end);
      if (next < t.length && t[next] !== ',' && t[next] !== ']') {
        complete = false;
        next = this.recover(next, ']');
        value = { kind: 'unknown', range: { start: value.range.start, end: next } };
      }
      // A printed placeholder (`<%= containers %>`) may stand for any number of elements.
      if (value.kind === 'string' && value.dynamic && /^x+$/.test(value.value)) complete = false;
      items.push({ value, conditional: erbDepthAt(this.tags, value.range.start) > base });
      if (next <= i) next = i + 1;
      i = next;
    }
  }
}

/** Block YAML: mappings and sequences by indentation, scalars on one line, flow collections through JsonReader. */
class YamlReader {
  private readonly lines: readonly YamlLine[];

  constructor(
    private readonly text: string,
    private readonly masked: string,
    private readonly tags: readonly ErbTag[],
    private readonly json: JsonReader,
  ) {
    this.lines = splitLines(masked);
  }

  private indent(n: number): number {
    const l = this.lines[n];
    let i = l.start;
    while (i < l.end && this.masked[i] === ' ') i++;
    return i - l.start;
  }

  /** Whether line `n` has content (not blank, not a comment, not a document marker). */
  private content(n: number): boolean {
    const l = this.lines[n];
    const s = this.masked.slice(l.start, l.end).trim();
    return s !== '' && !s.startsWith('#') && s !== '---' && !s.startsWith('%');
  }

  nextContent(n: number): number {
    while (n < this.lines.length && !this.content(n)) n++;
    return n;
  }

  /** The document: the block node at the first content line. */
  document(): TreeNode {
    const n = this.nextContent(0);
    if (n >= this.lines.length) return { kind: 'unknown', range: { start: 0, end: 0 } };
    return this.block(n, this.indent(n), this.lines[n].start + this.indent(n)).node;
  }

  /** The end of the lines deeper than `indent` from line `n` on (for what we skip). */
  private deeper(n: number, indent: number): number {
    let m = n;
    while (m < this.lines.length && (!this.content(m) || this.indent(m) > indent)) m++;
    return m;
  }

  /**
   * The block node starting at offset `at` on line `n`, whose entries sit at column `col`; returns it and the next
   * line after it.
   */
  private block(n: number, col: number, at: number, depth = 0): { node: TreeNode; next: number } {
    const t = this.masked;
    const line = this.lines[n];
    if (depth > 64) return { node: { kind: 'unknown', range: { start: at, end: line.end } }, next: this.deeper(n + 1, -1) };
    if (t[at] === '-' && (at + 1 >= line.end || t[at + 1] === ' ')) return this.sequence(n, col, depth);
    if (this.keyAt(at, line.end)) return this.mapping(n, col, at, depth);
    const inline = this.inline(at, line.end, n, col);
    return inline;
  }

  private keyAt(i: number, limit: number): { key: string; keyRange: TextRange; colonEnd: number; dynamic: boolean } | undefined {
    const t = this.masked;
    const c = t[i];
    if (c === '"' || c === "'") {
      let end = -1;
      for (let j = i + 1; j < limit; j++) {
        if (c === '"' && t[j] === '\\') j++;
        else if (t[j] === c) {
          if (c === "'" && t[j + 1] === "'") j++;
          else {
            end = j + 1;
            break;
          }
        }
      }
      if (end === -1 || t[end] !== ':' || (end + 1 < limit && t[end + 1] !== ' ')) return undefined;
      const raw = this.text.slice(i, end);
      const keyRange = { start: i, end };
      const dynamic = tagsIn(this.tags, keyRange).length > 0;
      const key = c === '"' ? decodeYamlDouble(raw) : decodeYamlSingle(raw);
      return key === undefined ? undefined : { key, keyRange, colonEnd: end + 1, dynamic };
    }
    if (/[\s#,[\]{}&*!|>%@`]/.test(c ?? ' ')) return undefined;
    for (let j = i + 1; j < limit; j++) {
      if (t[j] === '#' && t[j - 1] === ' ') return undefined;
      if (t[j] === ':' && (j + 1 >= limit || t[j + 1] === ' ')) {
        let end = j;
        while (end > i && t[end - 1] === ' ') end--;
        const keyRange = { start: i, end };
        return { key: t.slice(i, end), keyRange, colonEnd: j + 1, dynamic: tagsIn(this.tags, keyRange).length > 0 };
      }
    }
    return undefined;
  }

  /** A value written on one line from `i` (a scalar or a flow collection); `n`/`col` for what follows. */
  private inline(i: number, limit: number, n: number, col: number): { node: TreeNode; next: number } {
    const t = this.masked;
    let end = limit;
    for (let j = i; j < limit; j++) if (t[j] === '#' && (j === i || t[j - 1] === ' ')) {
      end = j;
      break;
    }
    while (end > i && t[end - 1] === ' ') end--;
    const range = { start: i, end };
    const c = t[i];
    const dynamic = tagsIn(this.tags, range).length > 0;
    if (c === '[' || c === '{') {
      const v = this.json.value(i);
      // The flow collection may span lines: continue after the line where it ends.
      let next = n + 1;
      while (next < this.lines.length && this.lines[next].start < v.end) next++;
      return { node: v.node, next };
    }
    const next = this.deeper(n + 1, col);
    // A block scalar, an anchor, a tag or an alias, or a scalar continued on the lines below: not read.
    if (/[|>&!*]/.test(c) || next > this.nextContent(n + 1)) return { node: { kind: 'unknown', range: { start: i, end: this.lines[Math.max(n, next - 1)].end } }, next };
    const raw = t.slice(i, end);
    if (c === '"' || c === "'") {
      if (raw.length < 2 || raw[raw.length - 1] !== c) return { node: { kind: 'unknown', range }, next };
      if (dynamic) return { node: { kind: 'string', range, value: raw.slice(1, -1), dynamic }, next };
      const v = c === '"' ? decodeYamlDouble(this.text.slice(i, end)) : decodeYamlSingle(this.text.slice(i, end));
      return { node: v === undefined ? { kind: 'unknown', range } : { kind: 'string', range, value: v, dynamic: false }, next };
    }
    const plain = plainScalarString(this.text.slice(i, end));
    if (plain === undefined && !dynamic) return { node: { kind: 'scalar', range }, next };
    return { node: { kind: 'string', range, value: plain ?? raw, dynamic }, next };
  }

  /** The value after a key's colon: on the same line, or the block under it (a sequence may sit at the key's column). */
  private valueAfter(colonEnd: number, n: number, col: number, depth: number): { node: TreeNode; next: number } {
    const t = this.masked;
    const line = this.lines[n];
    let j = colonEnd;
    while (j < line.end && t[j] === ' ') j++;
    if (j < line.end && t[j] !== '#') return this.inline(j, line.end, n, col);
    const m = this.nextContent(n + 1);
    if (m < this.lines.length) {
      const ind = this.indent(m);
      const at = this.lines[m].start + ind;
      const dash = t[at] === '-' && (at + 1 >= this.lines[m].end || t[at + 1] === ' ');
      if (ind > col || (ind === col && dash)) return this.block(m, ind, at, depth + 1);
    }
    return { node: { kind: 'scalar', range: { start: colonEnd, end: colonEnd } }, next: n + 1 };
  }

  private mapping(n: number, col: number, at: number, depth: number): { node: TreeNode; next: number } {
    const t = this.masked;
    const members: TreeMember[] = [];
    const base = erbDepthAt(this.tags, at);
    let complete = true;
    let start = at;
    let end = at;
    for (;;) {
      const line = this.lines[n];
      const key = this.keyAt(start, line.end);
      let next: number;
      if (!key) {
        // A printed `<%= more %>` or a line we cannot read, at the mapping's column.
        complete = false;
        next = this.deeper(n + 1, col);
        end = this.lines[next - 1].end;
      } else {
        const v = this.valueAfter(key.colonEnd, n, col, depth);
        if (key.dynamic) complete = false;
        else members.push({ key: key.key, keyRange: key.keyRange, value: v.node, conditional: erbDepthAt(this.tags, key.keyRange.start) > base });
        next = Math.max(v.next, n + 1);
        end = Math.max(end, v.node.range.end, key.keyRange.end);
      }
      n = this.nextContent(next);
      if (n >= this.lines.length || this.indent(n) !== col) break;
      start = this.lines[n].start + col;
      if (t[start] === '-' && (start + 1 >= this.lines[n].end || t[start + 1] === ' ')) break;
    }
    return { node: { kind: 'object', range: { start: at, end }, members, complete }, next: n };
  }

  private sequence(n: number, col: number, depth: number): { node: TreeNode; next: number } {
    const t = this.masked;
    const items: TreeItem[] = [];
    const at = this.lines[n].start + col;
    const base = erbDepthAt(this.tags, at);
    let end = at;
    for (;;) {
      const line = this.lines[n];
      const dash = line.start + col;
      let j = dash + 1;
      while (j < line.end && t[j] === ' ') j++;
      let v: { node: TreeNode; next: number };
      if (j >= line.end || t[j] === '#') {
        const m = this.nextContent(n + 1);
        v = m < this.lines.length && this.indent(m) > col ? this.block(m, this.indent(m), this.lines[m].start + this.indent(m), depth + 1) : { node: { kind: 'scalar', range: { start: j, end: j } }, next: n + 1 };
      } else {
        // `- key: value` starts a mapping whose other keys sit under `key`.
        v = this.block(n, j - line.start, j, depth + 1);
      }
      items.push({ value: v.node, conditional: erbDepthAt(this.tags, dash) > base });
      end = Math.max(end, v.node.range.end);
      n = this.nextContent(Math.max(v.next, n + 1));
      if (n >= this.lines.length || this.indent(n) !== col) break;
      const s = this.lines[n].start + col;
      if (!(t[s] === '-' && (s + 1 >= this.lines[n].end || t[s + 1] === ' '))) break;
    }
    return { node: { kind: 'array', range: { start: at, end }, items, complete: true }, next: n };
  }
}

/** Reads the whole template. `format` as in scanTaskDefinition: how UFO parses the rendered file. */
export function readTaskDefinitionTree(text: string, format: TaskDefinitionFormat): TaskDefinitionTree {
  const tags = findErbTags(text);
  const masked = maskErb(text, tags);
  const json = new JsonReader(text, masked, tags);
  if (format === 'json') {
    const start = json.skip(0);
    const v = json.value(start);
    // Anything after the document (a second value, stray text) makes the whole file unreadable as JSON.
    const root = json.skip(v.end) < masked.length ? { kind: 'unknown' as const, range: { start, end: masked.length } } : v.node;
    return { root, tags };
  }
  return { root: new YamlReader(text, masked, tags, json).document(), tags };
}
