/** What a writer puts through a ByteOut, as text: for tests of the byte-level report writers. */
import { ByteOut } from '../../src/report/byte-out.js';

/** Runs `write` against a small ByteOut (so that flushes happen mid-value) and returns the text. */
export function written(write: (b: ByteOut) => void): string {
  const chunks: Buffer[] = [];
  const b = new ByteOut((x) => chunks.push(Buffer.from(x)), 4096);
  write(b);
  b.flush();
  return Buffer.concat(chunks).toString('utf8');
}
