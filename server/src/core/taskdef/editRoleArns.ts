// Sets `taskRoleArn` / `executionRoleArn` at the top level of a task-definition template (ERB
// included), for when UFO builds no role and the template's literal ARN is what the task gets
// (docs/ufo-semantics.md §7, §12 "Pre-created roles"). Only the bytes of the value, or of the inserted member,
// change. Offsets are UTF-16 (see maskErb.ts): the edits apply to the same string that was read.

import { outermostOpenBlock, tagsIn, type TextRange } from './maskErb';
import { ROLE_ARN_KEYS, type RoleArnKey } from './readRoleArns';
import {
  scanTaskDefinition,
  type TaskDefinitionFormat,
  type TaskDefinitionScan,
  type TopLevelMember,
} from './scanTaskDefinition';

/** A replacement of `range` (UTF-16 offsets into the original text) by `newText`. */
export interface Utf16Edit {
  readonly range: TextRange;
  readonly newText: string;
}

export interface RoleArnValues {
  readonly taskRoleArn?: string;
  readonly executionRoleArn?: string;
}

export interface EditRoleArnsOptions {
  /**
   * Go ahead where the edit is ambiguous:
   * - a key that appears more than once at the top level: every occurrence gets the new value;
   * - a value that ERB computes, or that is not a string (null, a number, an object): it is replaced
   *   by the literal, together with every ERB tag that takes part in it;
   * - a key inside an ERB block (`<% if %>`): the value is replaced where it is, so it still applies
   *   only when the block renders.
   * A file whose top level is not an object or mapping is refused even with force.
   */
  readonly force?: boolean;
}

export type EditRefusalCode =
  | 'NO_TOP_LEVEL_OBJECT'
  | 'DUPLICATE_KEY'
  | 'ERB_VALUE'
  | 'NOT_A_STRING'
  | 'CONDITIONAL_KEY'
  | 'INVALID_ARN';

export type EditRoleArnsResult =
  | { readonly ok: true; readonly edits: readonly Utf16Edit[]; readonly text: string }
  | { readonly ok: false; readonly code: EditRefusalCode; readonly reason: string; readonly key?: RoleArnKey };

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Applies non-overlapping edits to `text`. */
export function applyTextEdits(text: string, edits: readonly Utf16Edit[]): string {
  const sorted = [...edits].sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end);
  let out = '';
  let pos = 0;
  for (const e of sorted) {
    out += text.slice(pos, e.range.start) + e.newText;
    pos = e.range.end;
  }
  return out + text.slice(pos);
}

// YAML 1.1 as Psych reads it: a plain scalar must not look like another type or contain an indicator.
const YAML_PLAIN_SAFE = /^[A-Za-z][A-Za-z0-9_./:@+=,*$-]*$/;
const YAML_NOT_STRING = /^(?:y|n|yes|no|true|false|on|off|null)$/i;

function yamlDoubleQuoted(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + '"';
}

function yamlScalar(s: string, quote: '"' | "'" | ''): string {
  if (quote === '' && YAML_PLAIN_SAFE.test(s) && !YAML_NOT_STRING.test(s)) return s;
  if (quote === "'" && !/[\x00-\x1f\x7f]/.test(s)) return "'" + s.replace(/'/g, "''") + "'";
  return yamlDoubleQuoted(s);
}

/**
 * The quoting the file uses for its string scalars: the more frequent of `"` and `'` right after a
 * `key: ` or `- `, outside ERB tags; plain when the file quotes nothing.
 */
function preferredYamlQuote(scan: Extract<TaskDefinitionScan, { ok: true }>): '"' | "'" | '' {
  let double = 0;
  let single = 0;
  const re = /(?::|^\s*-)[ \t]+(["'])/gm;
  for (let m = re.exec(scan.text); m; m = re.exec(scan.text)) {
    const at = m.index + m[0].length - 1;
    if (tagsIn(scan.tags, { start: at, end: at + 1 }).length > 0) continue;
    if (m[1] === '"') double++;
    else single++;
  }
  if (double === 0 && single === 0) return '';
  return double >= single ? '"' : "'";
}

function refuse(code: EditRefusalCode, reason: string, key?: RoleArnKey): Extract<EditRoleArnsResult, { ok: false }> {
  return { ok: false, code, reason, key };
}

/**
 * Sets the given role ARNs at the top level of a task-definition template: an existing value is
 * replaced; a missing key is inserted after `family` (or first in the object when there is no single,
 * unconditional `family`) in the file's own indentation, line breaks and quoting. Keys passed as
 * undefined are left alone. Returns the edits and the new text, or a refusal that says why.
 */
export function editRoleArns(
  text: string,
  format: TaskDefinitionFormat,
  values: RoleArnValues,
  options: EditRoleArnsOptions = {},
): EditRoleArnsResult {
  const force = options.force === true;
  const wanted = ROLE_ARN_KEYS.filter((k) => values[k] !== undefined);
  for (const key of wanted) {
    const arn = values[key];
    if (typeof arn !== 'string' || arn.length === 0 || /[\r\n]/.test(arn)) {
      return refuse('INVALID_ARN', `the new ${key} must be a non-empty string on one line`, key);
    }
  }
  const scan = scanTaskDefinition(text, format);
  if (!scan.ok) return refuse('NO_TOP_LEVEL_OBJECT', `cannot edit the task definition: ${scan.reason}`);
  const yamlQuote = scan.style === 'yaml' ? preferredYamlQuote(scan) : '"';
  const formatValue = (arn: string, m?: TopLevelMember): string => {
    if (scan.style === 'json') return JSON.stringify(arn);
    return yamlScalar(arn, m && m.kind === 'literal' ? m.quote : yamlQuote);
  };

  const edits: Utf16Edit[] = [];
  const missing: RoleArnKey[] = [];
  for (const key of wanted) {
    const arn = values[key]!;
    const found = scan.members.filter((m) => m.key === key);
    if (found.length === 0) {
      missing.push(key);
      continue;
    }
    if (!force) {
      const lines = found.map((m) => lineOf(text, m.keyRange.start));
      if (found.length > 1) {
        return refuse(
          'DUPLICATE_KEY',
          `${key} appears ${found.length} times at the top level (lines ${lines.join(', ')}); which one counts depends on how the template renders. Use force to set every occurrence.`,
          key,
        );
      }
      const m = found[0];
      if (m.kind === 'dynamic') {
        const source = text.slice(m.valueRange.start, m.valueRange.end);
        return refuse('ERB_VALUE', `${key} on line ${lines[0]} is computed by ERB (${source}). Use force to replace it with the literal ARN.`, key);
      }
      if (m.kind === 'other') {
        const source = text.slice(m.valueRange.start, m.valueRange.end) || 'empty';
        return refuse('NOT_A_STRING', `${key} on line ${lines[0]} is not a string (${source}). Use force to replace it.`, key);
      }
      if (m.conditional) {
        return refuse(
          'CONDITIONAL_KEY',
          `${key} on line ${lines[0]} is inside an ERB block, so it is rendered only under some condition. Use force to change it there anyway.`,
          key,
        );
      }
    }
    for (const m of found) {
      if (m.kind === 'literal' && m.value === arn) continue;
      edits.push({ range: m.replace.range, newText: m.replace.prefix + formatValue(arn, m) + m.replace.suffix });
    }
  }
  if (missing.length > 0) {
    const insertion = insertMembers(scan, missing.map((k) => [k, formatValue(values[k]!)] as const));
    if ('code' in insertion) return insertion;
    edits.push(insertion);
  }
  edits.sort((a, b) => a.range.start - b.range.start);
  return { ok: true, edits, text: applyTextEdits(text, edits) };
}

/** The `family` member to insert after: the only one, outside any ERB block. */
function familyAnchor(members: readonly TopLevelMember[]): TopLevelMember | undefined {
  const families = members.filter((m) => m.key === 'family');
  return families.length === 1 && !families[0].conditional ? families[0] : undefined;
}

function insertMembers(
  scan: Extract<TaskDefinitionScan, { ok: true }>,
  items: ReadonlyArray<readonly [RoleArnKey, string]>,
): Utf16Edit | Extract<EditRoleArnsResult, { ok: false }> {
  const { text, eol } = scan;
  const family = familyAnchor(scan.members);

  if (scan.style === 'yaml') {
    const ref = family ?? scan.members[0];
    if (!ref) return refuse('NO_TOP_LEVEL_OBJECT', 'cannot edit the task definition: its top-level mapping has no key we can read');
    const c = text[ref.keyRange.start];
    const q = c === '"' || c === "'" ? c : '';
    const lines = items.map(([k, v]) => scan.indent + (q ? q + k + q : k) + ': ' + v);
    if (family) {
      const last = scan.lines[family.lastLine];
      if (last.next === last.end) return { range: { start: last.end, end: last.end }, newText: lines.map((l) => eol + l).join('') };
      return { range: { start: last.next, end: last.next }, newText: lines.map((l) => l + eol).join('') };
    }
    // Before the first entry, or before the ERB block that opens around it.
    const first = scan.members.reduce((a, b) => (b.keyRange.start < a.keyRange.start ? b : a));
    const block = outermostOpenBlock(scan.tags, 0, first.keyRange.start);
    const at = lineStartOf(text, block ? block.start : first.keyRange.start);
    return { range: { start: at, end: at }, newText: lines.map((l) => l + eol).join('') };
  }

  const object = scan.object;
  const raw = object.members;
  const firstStart = Math.min(...raw.map((m) => m.keyRange.start), ...object.strays.map((s) => s.start));
  const ref = family ?? scan.members.find((m) => m.keyRange.start === firstStart) ?? scan.members[0];
  // The file's own `": "` spacing, when the reference member shows a simple one.
  // Read from the original text, where an ERB tag after the colon is not whitespace.
  const gap = ref ? /^[ \t]*:[ \t]*/.exec(text.slice(ref.keyRange.end, ref.keyRange.end + 40)) : null;
  const sep = gap ? gap[0].replace(/^[ \t]*/, '') : ': ';
  const member = ([k, v]: readonly [string, string]): string => JSON.stringify(k) + sep + v;
  const leadingOf = (offset: number): string | undefined => {
    const start = lineStartOf(text, offset);
    const leading = text.slice(start, offset);
    return start > object.open && /^[ \t]*$/.test(leading) ? leading : undefined;
  };

  if (family) {
    const indent = leadingOf(family.keyRange.start);
    if (family.comma !== -1) {
      const at = family.comma + 1;
      const newText = items.map((i) => (indent !== undefined ? eol + indent : ' ') + member(i) + ',').join('');
      return { range: { start: at, end: at }, newText };
    }
    const at = family.valueRange.end;
    const newText = items.map((i) => ',' + (indent !== undefined ? eol + indent : ' ') + member(i)).join('');
    return { range: { start: at, end: at }, newText };
  }

  if (Number.isFinite(firstStart)) {
    const indent = leadingOf(firstStart);
    if (indent !== undefined) {
      const at = object.open + 1;
      return { range: { start: at, end: at }, newText: items.map((i) => eol + indent + member(i) + ',').join('') };
    }
    return { range: { start: firstStart, end: firstStart }, newText: items.map((i) => member(i) + ', ').join('') };
  }

  // An empty object: one member per line under the brace's line when the braces are on different lines.
  const at = object.open + 1;
  const close = object.close === -1 ? text.length : object.close;
  if (text.slice(at, close).includes('\n')) {
    const outer = text.slice(lineStartOf(text, object.open), object.open).match(/^[ \t]*/)![0];
    const unit = /^\t/m.test(text) ? '\t' : '  ';
    return { range: { start: at, end: at }, newText: items.map((i) => eol + outer + unit + member(i)).join(',') };
  }
  return { range: { start: at, end: at }, newText: items.map(member).join(', ') };
}
