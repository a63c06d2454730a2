/**
 * Holds report output that must come out later than it is produced (a JSON document's sessions
 * come after all announces). Writers encode into the spool's buffer; past its size (the memory
 * limit) the bytes spill to a temporary file, so memory stays flat however large the input.
 */
import { ByteOut } from './byte-out.js';
import { TempFile } from '../spill/temp-file.js';

/** Report bytes held back until the end, spilling to a temporary file past a memory limit. */
export class Spool {
  /** Where held output is written. */
  readonly out: ByteOut;
  /** Records added (the writer counts them: the spool holds bytes, not lines). */
  count = 0;
  private file: TempFile | null = null;
  private fileLength = 0;

  constructor(memoryLimit = 1 << 20) {
    this.out = new ByteOut((bytes) => this.spill(bytes), memoryLimit);
  }

  private spill(bytes: Uint8Array): void {
    this.file ??= new TempFile('spool');
    this.file.write(bytes, 0, bytes.length, this.fileLength);
    this.fileLength += bytes.length;
  }

  /** Hands every byte held back to `to`, in order, then deletes the spool. */
  drain(to: ByteOut): void {
    if (this.file === null) {
      this.out.flushTo(to);
      return;
    }
    this.out.flush();
    const buf = Buffer.allocUnsafe(1 << 20);
    let pos = 0;
    for (;;) {
      const n = this.file.read(buf, 0, buf.length, pos);
      if (n === 0) break;
      pos += n;
      to.raw(buf.subarray(0, n));
    }
    this.file.close();
    this.file = null;
    this.fileLength = 0;
  }
}
