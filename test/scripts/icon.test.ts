// scripts/icon.mjs: images/icon.svg becomes a valid 128×128 RGBA PNG (signature, chunk CRCs checked with zlib's own
// crc32, the image data inflating to exactly its rows), whose pixels are the SVG's colours where its shapes are, and
// which the build writes; a shape outside the rasteriser's subset is refused instead of drawn wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { ROOT } from '../support/core';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const icon = require('../../scripts/icon.mjs') as { renderIcon(svg: string): Buffer; parseSvg(svg: string): unknown };
const SVG = fs.readFileSync(path.join(ROOT, 'images/icon.svg'), 'utf8');

interface Png {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  chunks: string[];
  /** RGBA of (x, y). */
  pixel(x: number, y: number): [number, number, number, number];
}

/** Reads a PNG the way a viewer does, failing on any bad CRC, unknown filter or wrong data length. */
function readPng(buf: Buffer): Png {
  assert.deepEqual([...buf.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  const chunks: string[] = [];
  const idat: Buffer[] = [];
  let ihdr: Buffer | undefined;
  let at = 8;
  while (at < buf.length) {
    const len = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    const data = buf.subarray(at + 8, at + 8 + len);
    assert.equal(buf.readUInt32BE(at + 8 + len), zlib.crc32(buf.subarray(at + 4, at + 8 + len)), `CRC of ${type}`);
    chunks.push(type);
    if (type === 'IHDR') ihdr = data;
    if (type === 'IDAT') idat.push(data);
    at += 12 + len;
  }
  assert.equal(at, buf.length, 'nothing after the last chunk');
  assert.ok(ihdr, 'an IHDR chunk');
  const width = ihdr.readUInt32BE(0);
  const height = ihdr.readUInt32BE(4);
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = 1 + width * 4;
  assert.equal(raw.length, height * stride, 'the image data holds exactly height rows of RGBA');
  for (let y = 0; y < height; y++) assert.equal(raw[y * stride], 0, `row ${y} uses filter 0 (the only one the encoder writes)`);
  return {
    width,
    height,
    bitDepth: ihdr[8],
    colorType: ihdr[9],
    chunks,
    pixel: (x, y) => [...raw.subarray(y * stride + 1 + x * 4, y * stride + 1 + x * 4 + 4)] as [number, number, number, number],
  };
}

const hex = (h: string) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));

test('images/icon.svg renders to a valid 128×128 8-bit RGBA PNG, the same bytes every time', () => {
  const png = icon.renderIcon(SVG);
  const p = readPng(png);
  assert.equal(p.width, 128);
  assert.equal(p.height, 128);
  assert.equal(p.bitDepth, 8);
  assert.equal(p.colorType, 6);
  assert.deepEqual(p.chunks, ['IHDR', 'IDAT', 'IEND']);
  assert.ok(png.length < 20_000, `${png.length} bytes`);
  assert.ok(icon.renderIcon(SVG).equals(png), 'deterministic');
});

test("the pixels are the SVG's: transparent rounded corners, the background, the padlock, anti-aliased edges", () => {
  const p = readPng(icon.renderIcon(SVG));
  const background = hex('#1b2a4a');
  const gold = hex('#f6c744');
  assert.equal(p.pixel(0, 0)[3], 0, 'the corner outside rx=24 is transparent');
  assert.equal(p.pixel(127, 127)[3], 0);
  assert.deepEqual(p.pixel(64, 2), [...background, 255], 'the top edge is the background');
  assert.deepEqual(p.pixel(4, 64), [...background, 255]);
  assert.deepEqual(p.pixel(52, 112), [...gold, 255], "the padlock's body");
  assert.deepEqual(p.pixel(64, 102), [...background, 255], 'the keyhole');
  // The beam is gold at 28% over the background.
  const [r, g, b, a] = p.pixel(30, 118);
  assert.equal(a, 255);
  assert.deepEqual([r, g, b], background.map((c, i) => Math.round(c * 0.72 + gold[i] * 0.28)));
  // Anti-aliasing: inside the rounded corner's square, pixels the arc crosses are partly covered.
  const corner = Array.from({ length: 24 * 24 }, (_, i) => p.pixel(i % 24, Math.floor(i / 24))[3]);
  assert.ok(corner.filter((alpha) => alpha > 0 && alpha < 255).length >= 24, 'partial coverage along the arc');
});

test('a shape outside the subset is refused with its name, not drawn wrong', () => {
  const svg = (inner: string) => `<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8" viewBox="0 0 8 8">${inner}</svg>`;
  assert.throws(() => icon.renderIcon(svg('<path d="M0 0L8 8"/>')), /<path> is not in the subset/);
  assert.throws(() => icon.renderIcon(svg('<rect width="8" height="8" fill="#000000" transform="scale(2)"/>')), /transform/);
  assert.throws(() => icon.renderIcon(svg('<rect width="8" height="8" fill="red"/>')), /not #rrggbb/);
  assert.throws(() => icon.parseSvg('<svg width="8" height="8" viewBox="0 0 16 16"></svg>'), /viewBox/);
  const dot = readPng(icon.renderIcon(svg('<rect x="2" y="2" width="4" height="4" fill="#ff0000"/>')));
  assert.deepEqual(dot.pixel(3, 3), [255, 0, 0, 255]);
  assert.deepEqual(dot.pixel(1, 1), [0, 0, 0, 0]);
});

test('the build writes images/icon.png from the SVG (git-ignored, so a fresh clone makes it)', () => {
  const built = path.join(ROOT, 'images/icon.png');
  assert.ok(fs.existsSync(built), 'npm run build writes images/icon.png');
  assert.ok(fs.readFileSync(built).equals(icon.renderIcon(SVG)), 'images/icon.png is the render of images/icon.svg: run npm run build');
  assert.match(fs.readFileSync(path.join(ROOT, '.gitignore'), 'utf8'), /^images\/icon\.png$/m);
  assert.match(fs.readFileSync(path.join(ROOT, 'scripts/build.mjs'), 'utf8'), /buildIcon\(root\)/);
});
