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
