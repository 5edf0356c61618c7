// Edits that keep the user's layout: inserting a hash entry (on its own line in a multi-line hash, after the
// last entry otherwise, respecting a trailing comma) and removing an array element together with its comma.
import type { RoleFileAnalysis } from '../analysis';
import type { ArrayValue, HashValue, Value } from '../model/values';
import type { Span } from '../text/span';
import type { ByteEdit } from './fix';

const SPACE = 0x20;
const TAB = 0x09;
const COMMA = 0x2c;

function lineOf(a: RoleFileAnalysis, byte: number): number {
  return a.lineIndex.positionOfByte(byte).line;
}

/** The whitespace that starts the line holding `byte`. */
export function indentationAt(a: RoleFileAnalysis, byte: number): string {
  const line = lineOf(a, byte);
  const start = a.lineIndex.byteOfPosition({ line, character: 0 });
  let end = start;
  while (end < a.bytes.length && (a.bytes[end] === SPACE || a.bytes[end] === TAB)) end++;
  return a.lineIndex.slice(start, end);
}

/** Whether `byte` is the first non-blank of its line. */
function startsLine(a: RoleFileAnalysis, byte: number): boolean {
  const line = lineOf(a, byte);
  const start = a.lineIndex.byteOfPosition({ line, character: 0 });
  for (let i = start; i < byte; i++) if (a.bytes[i] !== SPACE && a.bytes[i] !== TAB) return false;
  return true;
}

/** The indentation for a new line at the column of `byte` (the line's own when `byte` starts it). */
function indentFor(a: RoleFileAnalysis, byte: number): string {
  if (startsLine(a, byte)) return indentationAt(a, byte);
  return ' '.repeat(a.lineIndex.positionOfByte(byte).character);
}

/** Inserts `entry` (already rendered, e.g. `Effect: "Allow"`) as the last entry of a hash. */
export function insertHashEntry(a: RoleFileAnalysis, hash: HashValue, entry: string): ByteEdit {
  const entries = hash.entries;
  if (entries.length === 0) {
    // `{}` or `{ }`: fill it.
    return { span: { start: hash.span.start + 1, end: Math.max(hash.span.start + 1, hash.span.end - 1) }, text: ` ${entry} ` };
  }
  const last = entries[entries.length - 1];
  let after = last.span.end;
  while (after < a.bytes.length && (a.bytes[after] === SPACE || a.bytes[after] === TAB)) after++;
  const trailingComma = a.bytes[after] === COMMA;
  const firstLine = lineOf(a, entries[0].span.start);
  const multiLine =
    entries.some((e) => lineOf(a, e.span.start) !== firstLine) || (hash.braces && lineOf(a, hash.span.start) !== firstLine);
  if (multiLine) {
    const indent = indentFor(a, last.span.start);
    return trailingComma
      ? { span: { start: after + 1, end: after + 1 }, text: `\n${indent}${entry},` }
      : { span: { start: last.span.end, end: last.span.end }, text: `,\n${indent}${entry}` };
  }
  return trailingComma ? { span: { start: after + 1, end: after + 1 }, text: ` ${entry},` } : { span: { start: last.span.end, end: last.span.end }, text: `, ${entry}` };
}

/** Removes element `index` of an array with the comma and blanks that belong to it. */
export function removeArrayElement(a: RoleFileAnalysis, array: ArrayValue, index: number): ByteEdit {
  const el = array.elements[index];
  const text = (s: Span) => a.lineIndex.slice(s.start, s.end);
  const next = array.elements[index + 1];
  const prev = array.elements[index - 1];
  if (next) {
    const gap = { start: el.span.end, end: next.span.start };
    // A comment between the two stays: remove the element and its comma only.
    if (text(gap).includes('#')) return { span: { start: el.span.start, end: commaAfter(a, el.span.end) }, text: '' };
    return { span: { start: el.span.start, end: next.span.start }, text: '' };
  }
  if (prev) {
    const gap = { start: prev.span.end, end: el.span.start };
    if (!text(gap).includes('#')) return { span: { start: prev.span.end, end: el.span.end }, text: '' };
  }
  return { span: el.span, text: '' };
}

function commaAfter(a: RoleFileAnalysis, byte: number): number {
  let i = byte;
  while (i < a.bytes.length && (a.bytes[i] === SPACE || a.bytes[i] === TAB)) i++;
  if (a.bytes[i] !== COMMA) return byte;
  i++;
  while (i < a.bytes.length && (a.bytes[i] === SPACE || a.bytes[i] === TAB)) i++;
  return i;
}

/** Whether the array's elements sit on separate lines. */
export function isMultiLineArray(a: RoleFileAnalysis, array: ArrayValue): boolean {
  const els = array.elements;
  if (els.length >= 2) return lineOf(a, els[0].span.start) !== lineOf(a, els[1].span.start);
  return els.length === 1 && lineOf(a, array.span.start) !== lineOf(a, els[0].span.start);
}

/** Whether a line break at the start of `line` would fall inside a literal (heredoc, multi-line string, `%w[]`). */
export function lineStartsInsideLiteral(a: RoleFileAnalysis, values: readonly Value[], line: number): boolean {
  const byte = a.lineIndex.byteOfPosition({ line, character: 0 });
  let inside = false;
  const visit = (v: Value): void => {
    if (inside || v.span.start >= byte || v.span.end <= byte) return;
    if (v.kind === 'string' || v.kind === 'symbol' || v.kind === 'dynamic') inside = true;
    else if (v.kind === 'array') {
      if (v.opening.startsWith('%')) inside = true;
      else v.elements.forEach(visit);
    } else if (v.kind === 'hash') {
      for (const e of v.entries) {
        visit(e.key);
        visit(e.value);
      }
    }
  };
  values.forEach(visit);
  return inside;
}
