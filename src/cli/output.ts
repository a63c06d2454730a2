/** Buffered report output to a file descriptor: few large writes, and a quiet stop on a closed pipe. */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { Output } from '../report/writer.js';
import { ByteOut } from '../report/byte-out.js';

/** Thrown when the reader of our stdout went away (`| head`): not an error for the user. */
export class OutputClosed extends Error {}

export class FdOutput implements Output {
  /** Text and bytes are encoded straight into this 1 MiB buffer, written out whenever it fills. */
  readonly bytes = new ByteOut((data) => this.writeAll(data), 1 << 20);
  private constructor(private readonly fd: number, private readonly owned: boolean) {}

  static stdout(): FdOutput {
    return new FdOutput(1, false);
  }

  static file(path: string): FdOutput {
    return new FdOutput(openSync(path, 'w'), true);
  }

  write(text: string): void {
    this.bytes.text(text);
  }

  flush(): void {
    this.bytes.flush();
  }

  private writeAll(data: Uint8Array): void {
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
