/**
 * The access-log side of the pipeline for one input: lines -> requests -> announces.
 * A log has no reply bodies and (usually) second resolution: announces from it carry reply null.
 */
import type { TrackerRequest } from '../announce/types.js';
import { buildFromRequest } from '../announce/build.js';
import type { LogParser, LogRequest } from '../capture/logs/types.js';
import { LogDecoder } from '../capture/logs/decoder.js';
import { mergeCounts, type InputSummary } from './summary.js';

export class LogChain {
  private readonly decoder: LogDecoder;
  now = -1n;
  /** Coarsest time resolution seen ('s', 'ms', ...), for the summary's note on missing facts. */
  private coarsest: string | null = null;

  constructor(
    file: string,
    parser: LogParser | null,
    private readonly summary: InputSummary,
    private readonly emit: (rec: TrackerRequest) => void,
    private readonly announcePath: RegExp | undefined,
  ) {
    this.decoder = new LogDecoder(file, parser, (r) => this.line(r));
  }

  push(chunk: Uint8Array): void {
    this.decoder.push(chunk);
  }

  end(): void {
    this.decoder.end();
    this.summary.lines = this.decoder.lines;
    this.summary.format = `log:${this.decoder.format ?? 'unknown'}`;
    mergeCounts(this.summary.skipped, this.decoder.skipped);
    this.summary.warnings.push(...this.decoder.warnings);
    if (this.decoder.lines > 0) {
      // what a log cannot tell, so the reader knows which facts in the report are the profile's guesses
      this.summary.notes.push(
        'a log holds no reply bodies: interval, min interval and failures are the rules profile\'s (--interval sets the tracker\'s)' +
          (this.coarsest === 's' ? '; times have 1 s resolution, so gaps and speeds are approximate' : ''),
      );
    }
  }

  private line(r: LogRequest): void {
    if (r.ts > this.now) this.now = r.ts;
    if (this.coarsest !== 's') this.coarsest = r.timePrecision === 's' ? 's' : this.coarsest ?? r.timePrecision;
    const headers: { name: string; value: string }[] = [];
    if (r.userAgent !== null) headers.push({ name: 'User-Agent', value: r.userAgent });
    if (r.forwardedFor !== null) headers.push({ name: 'X-Forwarded-For', value: r.forwardedFor });
    const rec = buildFromRequest(
      {
        origin: r.origin, ts: r.ts, transport: 'log',
        client: { ip: r.clientIp, port: r.clientPort ?? 0 }, tracker: { ip: '', port: 0 },
        method: r.method, target: r.target, httpVersion: r.httpVersion, headers, reply: null,
      },
      { announcePath: this.announcePath },
    );
    if (rec === null) { this.summary.otherRequests++; return; }
    this.emit(rec);
  }
}
