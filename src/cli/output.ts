/** Buffered report output to a file descriptor: few large writes, and a quiet stop on a closed pipe. */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { Output } from '../report/writer.js';

/** Thrown when the reader of our stdout went away (`| head`): not an error for the user. */
export class OutputClosed extends Error {}

export class FdOutput implements Output {
  /** Text is encoded straight into this buffer (no joined copy); flushed when it cannot take more. */
  private readonly buf = Buffer.allocUnsafe(1 << 20);
  private used = 0;
  private constructor(private readonly fd: number, private readonly owned: boolean) {}

  static stdout(): FdOutput {
    return new FdOutput(1, false);
  }

  static file(path: string): FdOutput {
    return new FdOutput(openSync(path, 'w'), true);
  }

  write(text: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit
    if (this.used + text.length * 3 > this.buf.length) {
      this.flush();
      if (text.length * 3 > this.buf.length) {
        this.writeAll(Buffer.from(text, 'utf8'));
        return;
      }
    }
    this.used += this.buf.write(text, this.used, 'utf8');
  }

  flush(): void {
    if (this.used === 0) return;
    const n = this.used;
    this.used = 0;
    this.writeAll(this.buf.subarray(0, n));
  }

  private writeAll(data: Buffer): void {
    let off = 0;
    while (off < data.length) {
      try {
        off += writeSync(this.fd, data, off);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') continue; // non-blocking pipe: retry until the reader catches up
        if (code === 'EPIPE') throw new OutputClosed('output closed');
        throw e;
      }
    }
  }

  close(): void {
    this.flush();
    if (this.owned) closeSync(this.fd);
  }
}
