/**
 * The request direction of an HTTP/1.x connection (RFC 9112 §3, §6.3, §9.3.2 pipelining): request
 * heads become HttpRequest records, bodies are skipped, odd bytes are skipped to the next request line.
 */
import { ChunkedDecoder } from './body.js';
import { findHeadEnd, findRequestBoundary, headScanResume, looksLikeRequestLine } from './recognise.js';
import { bodyFraming, parseRequestHead } from './head.js';
import type { HttpRequest } from './types.js';
import { StreamParser, SKIP, type ParserLimits } from './stream.js';
import { indexOfByte } from './bytes.js';

/** What a request parser reports to its connection. */
export interface RequestHost {
  /** A request head was parsed (its body, if any, is skipped). */
  request(req: HttpRequest): void;
  /** Adds `n` to the skip counter `reason`. */
  skip(reason: string, n: number): void;
}

type RequestState = 'start' | 'head' | 'body' | 'chunked' | 'resync' | 'dead';

/**
 * The request direction: request heads become HttpRequest records (bodies are skipped by
 * Content-Length or chunked framing). Pipelined requests in one segment and a request spread
 * over many segments both work. Odd bytes are skipped until the next request line.
 */
export class RequestParser extends StreamParser {
  private state: RequestState = 'start';
  private first = true;
  /** Stream position of the head being collected, and where the search for its end resumes. */
  private headStart = 0;
  private scanFrom = 0;
  private remaining = 0;
  private chunks: ChunkedDecoder | null = null;
  private lineStart = true;
  private resyncReason: string = SKIP.resyncRequest;
  /** The bytes at `headStart` were seen to form a complete request line. */
  private confirmed = false;
  /** The request line at `headStart` was checked at least once. */
  private checked = false;
  /** Empty-line bytes skipped just before `headStart`. */
  private blankBefore = 0;

  constructor(file: string, private readonly host: RequestHost, private readonly limits: ParserLimits) {
    super(file);
  }

  /** Stops parsing for good (the connection changed protocol). */
  stop(): void {
    this.state = 'dead';
  }

  /** `n` bytes were never captured: absorb them inside a skipped body, else resync. */
  gap(n: number): void {
    if (this.state === 'body' && n <= this.remaining) {
      this.remaining -= n;
      if (this.remaining === 0) this.state = 'start';
      return;
    }
    if (this.state === 'chunked' && n <= this.chunks!.remainingData) {
      this.chunks!.skipData(n);
      return;
    }
    if (this.state === 'dead') return;
    if (this.state !== 'resync') this.host.skip(SKIP.lostInGap, 1);
    this.discard();
    this.resync(true, SKIP.resyncRequest);
  }

  /** The stream ended; a head still incomplete is counted. */
  end(): void {
    if ((this.state === 'head' || this.state === 'start') && this.pending > 0) this.host.skip(SKIP.incompleteAtEnd, 1);
    this.state = 'dead';
  }

  private resync(lineStart: boolean, reason: string): void {
    this.state = 'resync';
    this.lineStart = lineStart;
    this.resyncReason = reason;
  }

  protected parse(buf: Uint8Array, end: number): number {
    let i = 0;
    while (i < end) {
      switch (this.state) {
        case 'dead':
          return end;
        case 'start': {
          // RFC 9112 §2.2: tolerate empty lines before a request line (clients add CRLF after bodies).
          const s0 = i;
          while (i < end && (buf[i] === 13 || buf[i] === 10)) i++;
          if (i === end) return i;
          this.state = 'head';
          this.blankBefore = i - s0;
          this.confirmed = false;
          this.checked = false;
          this.headStart = this.scanFrom = this.base + i;
          break;
        }
        case 'head': {
          const start = this.headStart - this.base;
          // Check the request line on arrival, and again once it is complete, so non-requests are
          // rejected early instead of waiting for a blank line that may never come, without
          // re-scanning a long line on every small segment.
          let lf = -1;
          if (!this.confirmed && (!this.checked || ((lf = indexOfByte(buf, 10, start)) >= 0 && lf < end))) {
            this.checked = true;
            const r = looksLikeRequestLine(buf, start, end);
            if (r === false) {
              // Count the empty lines skipped before it too: they were not between requests after all.
              this.resync(false, this.first ? SKIP.midStreamRequest : SKIP.resyncRequest);
              i = start - Math.min(start, this.blankBefore);
              break;
            }
            this.confirmed = r === true;
          }
          const he = findHeadEnd(buf, start, this.scanFrom - this.base, end);
          const over = (he < 0 ? end : he) - start > this.limits.maxHeadBytes;
          if (he < 0 && !over) {
            this.scanFrom = this.base + headScanResume(start, end);
            return start;
          }
          if (over) {
            this.host.skip(SKIP.headTooLarge, 1);
            this.resync(false, SKIP.resyncRequest);
            i = start + 1;
            break;
          }
          const head = this.confirmed || looksLikeRequestLine(buf, start, he) === true ? parseRequestHead(buf, start, he) : null;
          if (head === null) {
            this.host.skip(SKIP.badRequestHead, 1);
            this.resync(false, SKIP.resyncRequest);
            i = start + 1;
            break;
          }
          this.first = false;
          const at = this.originAt(this.headStart);
          const { method, target, version, headers } = head;
          this.host.request({ method, target, version, headers, ts: at.ts, origin: at.origin });
          const framing = bodyFraming(head.headers, false);
          i = he;
          if (framing.kind === 'length' && framing.length > 0) {
            this.state = 'body';
            this.remaining = framing.length;
          } else if (framing.kind === 'chunked') {
            this.state = 'chunked';
            this.chunks = new ChunkedDecoder(null);
          } else this.state = 'start';
          break;
        }
        case 'body': {
          const take = Math.min(this.remaining, end - i);
          i += take;
          this.remaining -= take;
          if (this.remaining === 0) this.state = 'start';
          break;
        }
        case 'chunked': {
          i = this.chunks!.push(buf, i, end);
          if (this.chunks!.done) this.state = 'start';
          else if (this.chunks!.broken) this.resync(false, SKIP.resyncRequest);
          break;
        }
        case 'resync': {
          const scan = findRequestBoundary(buf, i, end, this.lineStart);
          if (scan.at > i) this.host.skip(this.resyncReason, scan.at - i);
          i = scan.at;
          if (scan.found) {
            this.state = 'start';
            this.first = false;
          } else {
            this.lineStart = scan.lineStart;
            return i;
          }
          break;
        }
      }
    }
    return i;
  }
}
