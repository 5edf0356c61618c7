// Byte offsets (Prism) ↔ UTF-16 positions (LSP) on lines with umlauts, CJK, emoji and CRLF.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineIndex } from '../../../server/src/core/text/lineIndex';

const TEXT = 'a\nüb 😀c\r\n日本語 d\n\ne';

function bytesOf(s: string): number {
  return Buffer.byteLength(s);
}

test('every UTF-16 offset round-trips through its byte offset', () => {
  const idx = new LineIndex(TEXT);
  assert.equal(idx.byteLength, bytesOf(TEXT));
  for (let o = 0; o <= TEXT.length; o++) {
    const code = TEXT.charCodeAt(o - 1);
    if (o > 0 && code >= 0xd800 && code <= 0xdbff) continue; // inside a surrogate pair
    const b = bytesOf(TEXT.slice(0, o));
    assert.equal(idx.byteOfOffset(o), b, `offset ${o}`);
    assert.equal(idx.offsetOfByte(b), o, `byte ${b}`);
  }
});

test('positions count UTF-16 units per line', () => {
  const idx = new LineIndex(TEXT);
  const cPos = TEXT.indexOf('c');
  assert.deepEqual(idx.positionOfByte(bytesOf(TEXT.slice(0, cPos))), { line: 1, character: 5 }); // ü b space 😀(2) → c at 5
  const dPos = TEXT.indexOf('d');
  assert.deepEqual(idx.positionOfByte(bytesOf(TEXT.slice(0, dPos))), { line: 2, character: 4 });
  assert.deepEqual(idx.positionOfByte(idx.byteLength), { line: 4, character: 1 });
  assert.equal(idx.byteOfPosition({ line: 1, character: 5 }), bytesOf(TEXT.slice(0, cPos)));
});

test('positions past the end of a line clamp to the line end, before CRLF', () => {
  const idx = new LineIndex(TEXT);
  assert.equal(idx.offsetOfPosition({ line: 1, character: 99 }), TEXT.indexOf('\n', 2));
  assert.equal(idx.offsetOfPosition({ line: 99, character: 0 }), TEXT.length);
});

test('a byte inside a multi-byte character maps to its start', () => {
  const idx = new LineIndex('ü');
  assert.equal(idx.offsetOfByte(1), 0);
  assert.equal(idx.offsetOfByte(2), 1);
});

test('slice returns the text of a byte span', () => {
  const idx = new LineIndex(TEXT);
  const start = bytesOf(TEXT.slice(0, TEXT.indexOf('😀')));
  assert.equal(idx.slice(start, start + 4), '😀');
});

test('line starts and byte lengths agree with TextEncoder on random text (ASCII, non-ASCII, lone surrogates)', () => {
  const alphabet = ['a', 'b', ' ', '\n', '\r\n', 'ü', '日', '😀', '\ud83d', '\ude00', '\u07ff', '\u0800', '\n\n'];
  let seed = 7;
  const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
  for (let round = 0; round < 300; round++) {
    let text = '';
    const len = rand(40);
    // Mostly ASCII lines, so that the fast path and the per-character path alternate.
    for (let i = 0; i < len; i++) text += rand(3) === 0 ? alphabet[rand(alphabet.length)] : 'x';
    const idx = new LineIndex(text);
    const enc = new TextEncoder();
    assert.equal(idx.byteLength, enc.encode(text).length, JSON.stringify(text));
    let lineStart = 0;
    for (let line = 0; ; line++) {
      assert.equal(idx.offsetOfPosition({ line, character: 0 }), lineStart, `${JSON.stringify(text)} line ${line}`);
      assert.equal(idx.byteOfPosition({ line, character: 0 }), enc.encode(text.slice(0, lineStart)).length, `${JSON.stringify(text)} line ${line} bytes`);
      const nl = text.indexOf('\n', lineStart);
      if (nl < 0) break;
      lineStart = nl + 1;
    }
    assert.equal(idx.lineCount, text.split('\n').length);
  }
});
