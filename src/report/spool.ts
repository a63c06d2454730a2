/**
 * Holds lines of report text that must come out later than they are produced (a JSON document's
 * sessions come after all announces). Small amounts stay in memory; past `memoryLimit` characters
 * they spill to a temporary file, so memory stays flat however large the input.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class Spool {
  private lines: string[] = [];
  private chars = 0;
  private fd: number | null = null;
  private dir: string | null = null;
  count = 0;

  constructor(private readonly memoryLimit = 1 << 20) {}

  add(line: string): void {
    this.count++;
    this.lines.push(line);
    this.chars += line.length;
    if (this.chars > this.memoryLimit) this.spill();
  }

  private spill(): void {
    if (this.fd === null) {
      this.dir = mkdtempSync(join(tmpdir(), 'tracker-anatomy-'));
      this.fd = openSync(join(this.dir, 'spool'), 'w+');
    }
    writeSync(this.fd, this.lines.join('\n') + '\n');
    this.lines = [];
    this.chars = 0;
  }

  /** Hands every line back in order (as newline-joined blocks), then deletes the spool. */
  drain(out: (text: string) => void, separator: string): void {
    if (this.fd !== null) {
      this.spill();
      const buf = Buffer.allocUnsafe(1 << 20);
      let pos = 0;
      let carry = '';
      let first = true;
      for (;;) {
        const n = readSync(this.fd, buf, 0, buf.length, pos);
        if (n === 0) break;
        pos += n;
        const text = carry + buf.toString('utf8', 0, n);
        const cut = text.lastIndexOf('\n');
        carry = text.slice(cut + 1);
        const block = text.slice(0, cut);
        if (block) { out((first ? '' : separator) + block.split('\n').join(separator)); first = false; }
      }
      closeSync(this.fd);
      rmSync(this.dir!, { recursive: true, force: true });
      this.fd = null;
    } else if (this.lines.length > 0) {
      out(this.lines.join(separator));
    }
    this.lines = [];
  }
}
