/**
 * Holds lines of report text that must come out later than they are produced (a JSON document's
 * sessions come after all announces). Small amounts stay in memory; past `memoryLimit` characters
 * they spill to a temporary file, so memory stays flat however large the input.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Bytes of the reused spill buffer: a spill of memoryLimit ASCII characters fits in one write. */
const SPILL_BUFFER = 4 << 20;

/** Writes buf[0, len) at the file's current position, however many calls that takes. */
function writeAll(fd: number, buf: Uint8Array, len: number): void {
  let off = 0;
  while (off < len) off += writeSync(fd, buf, off, len - off);
}

/** Report lines held back until the end, spilling to a temporary file past a memory limit. */
export class Spool {
  private lines: string[] = [];
  private chars = 0;
  private fd: number | null = null;
  private dir: string | null = null;
  /** Where spill encodes its lines; kept between spills, dropped by drain. */
  private buf: Buffer | null = null;
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
    // encoded straight into one reused buffer: no joined copy of the block, no Buffer made from it
    const buf = (this.buf ??= Buffer.allocUnsafe(SPILL_BUFFER));
    let at = 0;
    for (const line of this.lines) {
      const need = line.length * 3 + 1; // UTF-8 takes at most 3 bytes per UTF-16 unit
      if (at + need > buf.length) {
        writeAll(this.fd, buf, at);
        at = 0;
      }
      if (need > buf.length) {
        const big = Buffer.from(line + '\n', 'utf8');
        writeAll(this.fd, big, big.length);
        continue;
      }
      at += buf.write(line, at, 'utf8');
      buf[at++] = 0x0a;
    }
    writeAll(this.fd, buf, at);
    this.lines = [];
    this.chars = 0;
  }

  /** Hands every line back in order (as newline-joined blocks), then deletes the spool. */
  drain(out: (text: string) => void, separator: string): void {
    if (this.fd !== null) {
      this.spill();
      this.buf = null;
      // blocks are cut at the last LF byte before decoding: an LF is never inside a UTF-8
      // sequence, so a character split across two reads is never decoded in halves
      let buf = Buffer.allocUnsafe(1 << 20);
      let have = 0;
      let pos = 0;
      let first = true;
      for (;;) {
        if (have === buf.length) {
          // one line longer than the buffer: make room for the rest of it
          const grown = Buffer.allocUnsafe(buf.length * 2);
          buf.copy(grown, 0, 0, have);
          buf = grown;
        }
        const n = readSync(this.fd, buf, have, buf.length - have, pos);
        if (n === 0) break;
        pos += n;
        have += n;
        const cut = buf.lastIndexOf(0x0a, have - 1);
        if (cut < 0) continue;
        if (cut > 0) {
          out((first ? '' : separator) + buf.toString('utf8', 0, cut).replaceAll('\n', separator));
          first = false;
        }
        buf.copy(buf, 0, cut + 1, have);
        have -= cut + 1;
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
