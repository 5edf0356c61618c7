/** A half-open range of UTF-8 byte offsets into a source text, as Prism reports them. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

export function span(start: number, end: number): Span {
  return { start, end };
}

/** The span of a Prism location `{ startOffset, length }`. */
export function spanOfLocation(loc: { startOffset: number; length: number }): Span {
  return { start: loc.startOffset, end: loc.startOffset + loc.length };
}

export function contains(outer: Span, offset: number): boolean {
  return offset >= outer.start && offset <= outer.end;
}

export function containsStrictly(outer: Span, offset: number): boolean {
  return offset > outer.start && offset < outer.end;
}

export function cover(a: Span, b: Span): Span {
  return { start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}
