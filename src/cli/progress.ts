/** A one-line progress display on stderr (only when stderr is a terminal and not --quiet). */
import { statSync } from 'node:fs';

export class Progress {
  private readonly total: number;
  private readonly started = Date.now();
  private last = 0;
  private shown = false;

  constructor(inputs: readonly string[], private readonly write: (s: string) => void) {
    let total = 0;
    for (const p of inputs) {
      try { total += p === '-' ? 0 : statSync(p).size; } catch { /* reported by the reader */ }
    }
    this.total = total;
  }

  update(bytes: number): void {
    const now = Date.now();
    if (now - this.last < 200) return;
    this.last = now;
    const secs = (now - this.started) / 1000;
    const rate = secs > 0 ? bytes / secs : 0;
    const mb = (n: number): string => (n / 1048576).toFixed(1);
    let line = `reading ${mb(bytes)} MiB`;
    // a gzip input reads more bytes than its file size: no percentage then
    if (this.total > 0 && bytes <= this.total) {
      const eta = rate > 0 ? (this.total - bytes) / rate : 0;
      line += ` of ${mb(this.total)} MiB (${((bytes / this.total) * 100).toFixed(0)}%), ${mb(rate)} MiB/s, ETA ${eta.toFixed(0)} s`;
    } else line += `, ${mb(rate)} MiB/s`;
    this.write(`\r${line}\x1b[K`);
    this.shown = true;
  }

  done(): void {
    if (this.shown) this.write('\r\x1b[K');
  }
}
