// Conversion between the UTF-8 byte offsets that Prism reports and the UTF-16 offsets and
// line/character positions that JavaScript strings and LSP use. Built once per text.

export interface Position {
  /** Zero-based line. */
  readonly line: number;
  /** Zero-based UTF-16 code unit offset within the line. */
  readonly character: number;
}

function utf8Length(code: number): number {
  return code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
}

/** The offset of the first non-ASCII character at or after `from`, or Infinity. */
function nextNonAscii(re: RegExp, text: string, from: number): number {
  re.lastIndex = from;
  const m = re.exec(text);
  return m ? m.index : Infinity;
}

/** UTF-8 length of `text[start, end)`, as TextEncoder encodes it (a lone surrogate becomes U+FFFD, 3 bytes). */
function utf8LengthOf(text: string, start: number, end: number): number {
  let bytes = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < end && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

export class LineIndex {
  /** UTF-16 offset where each line starts. */
  private readonly lineStarts: Int32Array;
  /** UTF-8 byte offset where each line starts. */
  private readonly lineByteStarts: Int32Array;
  /** Whether each line is pure ASCII (bytes and UTF-16 units coincide): 1 when it is. */
  private readonly asciiLines: Uint8Array;
  readonly byteLength: number;

  constructor(readonly text: string) {
    // Lines and non-ASCII characters are found with native scans (indexOf, a regex); only the lines that hold a
    // non-ASCII character are walked character by character. The tables are typed arrays of the exact size, counted
    // first: a large file is indexed again on every keystroke, and growing arrays of numbers cost ten times the memory.
    let lines = 1;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', nl + 1)) lines++;
    this.lineStarts = new Int32Array(lines);
    this.lineByteStarts = new Int32Array(lines);
    this.asciiLines = new Uint8Array(lines);
    const nonAscii = /[^\x00-\x7f]/g;
    let next = nextNonAscii(nonAscii, text, 0);
    let bytes = 0;
    let start = 0;
    for (let line = 0; ; line++) {
      const nl = text.indexOf('\n', start);
      const end = nl < 0 ? text.length : nl;
      if (next >= end) {
        bytes += end - start;
        this.asciiLines[line] = 1;
      } else {
        bytes += utf8LengthOf(text, start, end);
        next = nextNonAscii(nonAscii, text, end);
      }
      if (nl < 0) break;
      bytes += 1;
      start = nl + 1;
      this.lineStarts[line + 1] = start;
      this.lineByteStarts[line + 1] = bytes;
    }
    this.byteLength = bytes;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  private lineOfByte(byte: number): number {
    const starts = this.lineByteStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= byte) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private lineOfOffset(offset: number): number {
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** UTF-16 offset of a UTF-8 byte offset (clamped; a byte inside a character maps to its start). */
  offsetOfByte(byte: number): number {
    if (byte <= 0) return 0;
    if (byte >= this.byteLength) return this.text.length;
    const line = this.lineOfByte(byte);
    let offset = this.lineStarts[line];
    let b = this.lineByteStarts[line];
    if (this.asciiLines[line]) return offset + (byte - b);
    const text = this.text;
    while (b < byte && offset < text.length) {
      const c = text.codePointAt(offset)!;
      const len = utf8Length(c >= 0xd800 && c <= 0xdfff ? 0xfffd : c);
      if (b + len > byte) break;
      b += len;
      offset += c > 0xffff ? 2 : 1;
    }
    return offset;
  }

  /** UTF-8 byte offset of a UTF-16 offset (clamped; inside a surrogate pair maps to the pair's start). */
  byteOfOffset(offset: number): number {
    if (offset <= 0) return 0;
    if (offset >= this.text.length) return this.byteLength;
    const line = this.lineOfOffset(offset);
    let o = this.lineStarts[line];
    let b = this.lineByteStarts[line];
    if (this.asciiLines[line]) return b + (offset - o);
    const text = this.text;
    while (o < offset) {
      const c = text.codePointAt(o)!;
      const units = c > 0xffff ? 2 : 1;
      if (o + units > offset) break;
      b += utf8Length(c >= 0xd800 && c <= 0xdfff ? 0xfffd : c);
      o += units;
    }
    return b;
  }

  positionOfOffset(offset: number): Position {
    offset = Math.max(0, Math.min(offset, this.text.length));
    const line = this.lineOfOffset(offset);
    return { line, character: offset - this.lineStarts[line] };
  }

  positionOfByte(byte: number): Position {
    return this.positionOfOffset(this.offsetOfByte(byte));
  }

  /** UTF-16 offset of a position; a character past the line's end is clamped to the line's end. */
  offsetOfPosition(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[position.line];
    const next = position.line + 1 < this.lineStarts.length ? this.lineStarts[position.line + 1] - 1 : this.text.length;
    return Math.max(start, Math.min(start + Math.max(0, position.character), next));
  }

  byteOfPosition(position: Position): number {
    return this.byteOfOffset(this.offsetOfPosition(position));
  }

  /** The source text of a byte span. */
  slice(start: number, end: number): string {
    return this.text.slice(this.offsetOfByte(start), this.offsetOfByte(end));
  }
}
