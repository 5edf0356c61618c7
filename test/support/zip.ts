// Reads a zip archive (a .vsix) the way an installer does, from its central directory: the entry names and, on
// request, an entry's bytes (stored or deflated). Enough for the packaging tests; no zip64, no encryption.
import * as zlib from 'node:zlib';

export interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localHeader: number;
}

export interface Zip {
  readonly entries: readonly ZipEntry[];
  read(name: string): Buffer;
}

export function readZip(buf: Buffer): Zip {
  // The end-of-central-directory record is in the last 64 KB + 22 bytes (its comment is at most 65,535 bytes).
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65_535); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip archive: no end of central directory');
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(at) !== 0x02014b50) throw new Error(`bad central directory entry ${n}`);
    const nameLength = buf.readUInt16LE(at + 28);
    const extraLength = buf.readUInt16LE(at + 30);
    const commentLength = buf.readUInt16LE(at + 32);
    entries.push({
      name: buf.toString('utf8', at + 46, at + 46 + nameLength),
      method: buf.readUInt16LE(at + 10),
      compressedSize: buf.readUInt32LE(at + 20),
      size: buf.readUInt32LE(at + 24),
      localHeader: buf.readUInt32LE(at + 42),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return {
    entries,
    read(name) {
      const e = entries.find((x) => x.name === name);
      if (!e) throw new Error(`${name} is not in the archive`);
      const h = e.localHeader;
      if (buf.readUInt32LE(h) !== 0x04034b50) throw new Error(`bad local header of ${name}`);
      const start = h + 30 + buf.readUInt16LE(h + 26) + buf.readUInt16LE(h + 28);
      const data = buf.subarray(start, start + e.compressedSize);
      const out = e.method === 0 ? Buffer.from(data) : e.method === 8 ? zlib.inflateRawSync(data) : undefined;
      if (!out) throw new Error(`${name}: compression method ${e.method}`);
      if (out.length !== e.size) throw new Error(`${name}: ${out.length} bytes, the directory says ${e.size}`);
      return out;
    },
  };
}
