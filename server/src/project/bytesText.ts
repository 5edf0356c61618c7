// The text of a file's bytes, read as UTF-8. Bytes that are all ASCII (esbuild's bundles, which write every other
// character as an escape; the IAM data files, which do the same) are the same text read as Latin-1, which V8 copies
// into a one-byte string instead of decoding: for the server's 700 KB bundle and 840 KB IAM index that is about 1.5 ms
// less each, of every start. Node's `buffer.isAscii` (18.15 and later) tells them apart in native code.
import * as buffer from 'node:buffer';

const isAscii = (buffer as { isAscii?: (bytes: Uint8Array) => boolean }).isAscii;

export function textOfBytes(bytes: Buffer): string {
  return typeof isAscii === 'function' && isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}
