// Makes images/icon.png (the Marketplace and Open VSX icon, 128×128) from images/icon.svg, so the repository holds the
// source and a fresh clone's build makes the picture: a rasteriser for the small subset of SVG the source uses and a
// PNG encoder over node's zlib, with no dependency. Run by scripts/build.mjs; `node scripts/icon.mjs` alone also works.
// Why not a dependency: vsce wants a PNG (it refuses an SVG icon), and a real SVG renderer (resvg, sharp) is a native
// or WebAssembly package of several MB for four shapes.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

/** Each pixel is sampled on a SAMPLES×SAMPLES grid: the fraction inside a shape is its coverage (anti-aliasing). */
const SAMPLES = 4;

const SHAPES = new Set(['rect', 'circle', 'ellipse', 'polygon']);

/** Parses the root's size and the shapes, in paint order. Anything outside the subset throws, naming it. */
export function parseSvg(text) {
  const body = text.replace(/<!--[\s\S]*?-->/g, '');
  const root = /<svg\b([^>]*)>/.exec(body);
  if (!root) throw new Error('icon.svg: no <svg> element');
  const rootAttrs = attributes(root[1]);
  const width = Number(rootAttrs.width);
  const height = Number(rootAttrs.height);
  if (!(width > 0 && height > 0)) throw new Error('icon.svg: the <svg> element needs a numeric width and height');
  if (rootAttrs.viewBox !== undefined && rootAttrs.viewBox.trim().split(/[\s,]+/).join(' ') !== `0 0 ${width} ${height}`) {
    throw new Error(`icon.svg: the viewBox must be "0 0 ${width} ${height}" (no scaling is implemented)`);
  }
  const shapes = [];
  const inner = body.slice(root.index + root[0].length, body.lastIndexOf('</svg>'));
  for (const m of inner.matchAll(/<\s*([A-Za-z][\w:-]*)\b([^>]*?)(\/?)>/g)) {
    const [, name, attrText, selfClosing] = m;
    if (!SHAPES.has(name)) throw new Error(`icon.svg: <${name}> is not in the subset scripts/icon.mjs draws (${[...SHAPES].join(', ')})`);
    if (!selfClosing) throw new Error(`icon.svg: <${name}> must be self-closing`);
    const a = attributes(attrText);
    for (const k of Object.keys(a)) {
      if (!KNOWN_ATTRIBUTES[name].has(k) && !PAINT_ATTRIBUTES.has(k)) throw new Error(`icon.svg: <${name} ${k}> is not supported`);
    }
    shapes.push({ name, ...geometry(name, a), paint: paint(name, a) });
  }
  if (inner.replace(/<[^>]*>/g, '').trim() !== '') throw new Error('icon.svg: text content is not supported');
  return { width, height, shapes };
}

const KNOWN_ATTRIBUTES = {
  rect: new Set(['x', 'y', 'width', 'height', 'rx']),
  circle: new Set(['cx', 'cy', 'r']),
  ellipse: new Set(['cx', 'cy', 'rx', 'ry']),
  polygon: new Set(['points']),
};
const PAINT_ATTRIBUTES = new Set(['fill', 'fill-opacity', 'stroke', 'stroke-width']);

function attributes(text) {
  const out = {};
  for (const m of text.matchAll(/([A-Za-z_:][\w:.-]*)\s*=\s*"([^"]*)"/g)) out[m[1]] = m[2];
  return out;
}

function num(a, key, fallback) {
  const v = a[key] === undefined ? fallback : Number(a[key]);
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`icon.svg: ${key}="${a[key]}" is not a number`);
  return v;
}

function geometry(name, a) {
  if (name === 'rect') return { x: num(a, 'x', 0), y: num(a, 'y', 0), w: num(a, 'width'), h: num(a, 'height'), rx: num(a, 'rx', 0) };
  if (name === 'circle') return { cx: num(a, 'cx'), cy: num(a, 'cy'), rx: num(a, 'r'), ry: num(a, 'r') };
  if (name === 'ellipse') return { cx: num(a, 'cx'), cy: num(a, 'cy'), rx: num(a, 'rx'), ry: num(a, 'ry') };
  const coords = (a.points ?? '').trim().split(/[\s,]+/).map(Number);
  if (coords.length < 6 || coords.length % 2 !== 0 || coords.some((c) => !Number.isFinite(c))) throw new Error(`icon.svg: polygon points="${a.points}"`);
  const points = [];
  for (let i = 0; i < coords.length; i += 2) points.push([coords[i], coords[i + 1]]);
  return { points };
}

function color(value) {
  const m = /^#([0-9a-f]{6})$/i.exec(value ?? '');
  if (!m) throw new Error(`icon.svg: colour "${value}" is not #rrggbb`);
  const n = parseInt(m[1], 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function paint(name, a) {
  const opacity = num(a, 'fill-opacity', 1);
  if (a.stroke !== undefined) {
    // A stroke is drawn for circles and ellipses only (a ring), and instead of the fill.
    if (name !== 'circle' && name !== 'ellipse') throw new Error(`icon.svg: stroke is supported on circle and ellipse only`);
    if (a.fill !== 'none') throw new Error('icon.svg: a stroked shape needs fill="none"');
    return { rgb: color(a.stroke), opacity, stroke: num(a, 'stroke-width', 1) };
  }
  return { rgb: color(a.fill), opacity };
}

/** Whether the point (x, y) is inside the shape. */
function inside(s, x, y) {
  if (s.name === 'rect') {
    if (x < s.x || x > s.x + s.w || y < s.y || y > s.y + s.h) return false;
    const r = Math.min(s.rx, s.w / 2, s.h / 2);
    // Outside the rounded corners: the distance to the nearest corner's centre.
    const dx = x < s.x + r ? s.x + r - x : x > s.x + s.w - r ? x - (s.x + s.w - r) : 0;
    const dy = y < s.y + r ? s.y + r - y : y > s.y + s.h - r ? y - (s.y + s.h - r) : 0;
    return dx === 0 || dy === 0 || dx * dx + dy * dy <= r * r;
  }
  if (s.name === 'polygon') {
    // Even-odd rule, as SVG's fill-rule="evenodd"; the source's polygons are convex, where both rules agree.
    let c = false;
    for (let i = 0, j = s.points.length - 1; i < s.points.length; j = i++) {
      const [xi, yi] = s.points[i];
      const [xj, yj] = s.points[j];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) c = !c;
    }
    return c;
  }
  const dx = (x - s.cx) / s.rx;
  const dy = (y - s.cy) / s.ry;
  if (s.paint.stroke === undefined) return dx * dx + dy * dy <= 1;
  // A ring of the stroke's width centred on the outline (exact for circles, close enough for round ellipses).
  const d = Math.hypot(x - s.cx, (y - s.cy) * (s.rx / s.ry));
  return Math.abs(d - s.rx) <= s.paint.stroke / 2;
}

/** Paints the shapes over a transparent canvas, "source over" with each sample's coverage: RGBA, 8 bits, row-major. */
export function rasterize({ width, height, shapes }) {
  const rgba = Buffer.alloc(width * height * 4);
  for (let py = 0; py < height; py++) {
    for (let px = 0; px < width; px++) {
      let r = 0, g = 0, b = 0, a = 0; // premultiplied, 0..1
      for (const s of shapes) {
        let hits = 0;
        for (let sy = 0; sy < SAMPLES; sy++) {
          for (let sx = 0; sx < SAMPLES; sx++) if (inside(s, px + (sx + 0.5) / SAMPLES, py + (sy + 0.5) / SAMPLES)) hits++;
        }
        if (hits === 0) continue;
        const alpha = (hits / (SAMPLES * SAMPLES)) * s.paint.opacity;
        const [sr, sg, sb] = s.paint.rgb;
        r = (sr / 255) * alpha + r * (1 - alpha);
        g = (sg / 255) * alpha + g * (1 - alpha);
        b = (sb / 255) * alpha + b * (1 - alpha);
        a = alpha + a * (1 - alpha);
      }
      const o = (py * width + px) * 4;
      // Un-premultiply for PNG's straight alpha.
      rgba[o] = a ? Math.round((r / a) * 255) : 0;
      rgba[o + 1] = a ? Math.round((g / a) * 255) : 0;
      rgba[o + 2] = a ? Math.round((b / a) * 255) : 0;
      rgba[o + 3] = Math.round(a * 255);
    }
  }
  return rgba;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32 of PNG chunks (ISO 3309, as zlib's); node 20's zlib has no crc32 before 20.15. */
export function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 255] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A PNG of 8-bit RGBA rows (colour type 6), each row with filter 0; the same pixels always give the same bytes. */
export function encodePng(width, height, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // bit depth 8, RGBA, deflate, adaptive filtering, no interlace
  const raw = Buffer.alloc(height * (1 + width * 4));
  for (let y = 0; y < height; y++) rgba.copy(raw, y * (1 + width * 4) + 1, y * width * 4, (y + 1) * width * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** images/icon.svg → the PNG's bytes. */
export function renderIcon(svgText) {
  const svg = parseSvg(svgText);
  return encodePng(svg.width, svg.height, rasterize(svg));
}

/** Writes `<root>/images/icon.png` from `<root>/images/icon.svg` (rewritten only when its bytes change). */
export function buildIcon(root) {
  const png = renderIcon(fs.readFileSync(path.join(root, 'images', 'icon.svg'), 'utf8'));
  const out = path.join(root, 'images', 'icon.png');
  if (!fs.existsSync(out) || !fs.readFileSync(out).equals(png)) fs.writeFileSync(out, png);
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  console.log(`icon: ${path.relative(root, buildIcon(root))}`);
}
