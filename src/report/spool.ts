/**
 * Holds report output that must come out later than it is produced (a JSON document's sessions
 * come after all announces). Writers encode into the spool's buffer; past its size (the memory
 * limit) the bytes spill to a temporary file, so memory stays flat however large the input.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ByteOut } from './byte-out.js';

/** Writes all of `bytes` at the file's current position, however many calls that takes. */
function writeAll(fd: number, bytes: Uint8Array): void {
  let off = 0;
  while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
}

/** Report bytes held back until the end, spilling to a temporary file past a memory limit. */
export class Spool {
  /** Where held output is written. */
  readonly out: ByteOut;
  /** Records added (the writer counts them: the spool holds bytes, not lines). */
  count = 0;
  private fd: number | null = null;
  private dir: string | null = null;

  constructor(memoryLimit = 1 << 20) {
    this.out = new ByteOut((bytes) => this.spill(bytes), memoryLimit);
  }

  private spill(bytes: Uint8Array): void {
    if (this.fd === null) {
      this.dir = mkdtempSync(join(tmpdir(), 'tracker-anatomy-'));
      this.fd = openSync(join(this.dir, 'spool'), 'w+');
    }
    writeAll(this.fd, bytes);
  }

  /** Hands every byte held back to `to`, in order, then deletes the spool. */
  drain(to: ByteOut): void {
    if (this.fd === null) {
      this.out.flushTo(to);
      return;
    }
    this.out.flush();
    const buf = Buffer.allocUnsafe(1 << 20);
    let pos = 0;
    for (;;) {
      const n = readSync(this.fd, buf, 0, buf.length, pos);
      if (n === 0) break;
      pos += n;
      to.raw(buf.subarray(0, n));
    }
    closeSync(this.fd);
    rmSync(this.dir!, { recursive: true, force: true });
    this.fd = null;
  }
}
