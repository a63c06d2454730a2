/**
 * HTTP/1.x message heads: finding the end of a header block and turning a complete head into
 * strings. RFC 9112 §2 (message format), §3 (request line), §4 (status line), §5 (fields),
 * §6.3 (message body length). Bare LF line ends are accepted (§2.2), obsolete line folding is
 * joined with one space (§5.2).
 *
 * Bytes become strings only here and only for complete heads, as latin1 (one char per byte), so a
 * raw 0xE9 in a target stays U+00E9 and the announce layer can recover the exact wire bytes.
 */
import type { Origin } from '../capture/packet.js';
import { ChunkedDecoder } from './body.js';
import {
  bodyFraming, findHeadEnd, findRequestBoundary, findStatusBoundary, headerList, headScanResume,
  looksLikeRequestLine, looksLikeStatusLine, parseRequestHead, parseResponseHead, type BodyFraming,
} from './recognise.js';
import type { HttpRequest, HttpResponse } from './types.js';

/** Where a stream byte came from: the packet that carried it. */
export interface ByteOrigin {
  readonly origin: Origin;
  readonly ts: bigint;
}

interface Mark {
  /** Stream position (count of delivered bytes before it) of the chunk's first byte. */
  readonly pos: number;
  readonly ts: bigint;
  readonly packet: number;
  readonly offset: number;
}

const EMPTY = new Uint8Array(0);

/**
 * Base of the per-direction parsers: keeps the unconsumed tail of the stream between segments
 * and remembers which packet carried which byte. A segment is parsed in place when nothing is
 * pending; only the bytes of a message still incomplete at its end are copied. Positions are
 * stream positions (bytes delivered so far), so state survives the copy.
 */
export abstract class StreamParser {
  private store: Uint8Array = EMPTY;
  private storeLen = 0;
  /** Stream position of the first unconsumed byte (index 0 of the buffer `parse` sees). */
  protected base = 0;
  private marks: Mark[] = [];

  constructor(private readonly file: string) {}

  /** Delivers the next in-order bytes; `bytes` is not kept. */
  feed(bytes: Uint8Array, ts: bigint, packet: number, offset: number): void {
    this.marks.push({ pos: this.base + this.storeLen, ts, packet, offset });
    let used: number;
    if (this.storeLen === 0) {
      used = this.parse(bytes, bytes.length);
      this.base += used;
      if (used < bytes.length) this.append(bytes, used);
    } else {
      this.append(bytes, 0);
      used = this.parse(this.store, this.storeLen);
      this.base += used;
      this.store.copyWithin(0, used, this.storeLen);
      this.storeLen -= used;
    }
    // Keep the mark that covers `base` and the later ones.
    let k = 0;
    while (k + 1 < this.marks.length && this.marks[k + 1]!.pos <= this.base) k++;
    if (k > 0) this.marks.splice(0, k);
  }

  /** Bytes held over from earlier segments (a partial message). */
  protected get pending(): number {
    return this.storeLen;
  }

  /** Drops the held-over bytes (after a gap they no longer join what follows). */
  protected discard(): void {
    this.base += this.storeLen;
    this.storeLen = 0;
    if (this.marks.length > 1) this.marks.splice(0, this.marks.length - 1);
  }

  /** The packet that carried stream position `pos`. */
  protected originAt(pos: number): ByteOrigin {
    let m = this.marks[0]!;
    for (let k = 1; k < this.marks.length && this.marks[k]!.pos <= pos; k++) m = this.marks[k]!;
    return { origin: { file: this.file, packet: m.packet, line: null, offset: m.offset }, ts: m.ts };
  }

  /**
   * Parses `buf[0..end)` (index 0 is stream position `base`) and returns how many bytes are
   * consumed; the rest is offered again, with more, on the next call. Must not keep `buf`.
   */
  protected abstract parse(buf: Uint8Array, end: number): number;

  private append(bytes: Uint8Array, from: number): void {
    const n = bytes.length - from;
    if (this.storeLen + n > this.store.length) {
      const grown = new Uint8Array(Math.max(1024, (this.storeLen + n) * 2));
      grown.set(this.store.subarray(0, this.storeLen));
      this.store = grown;
    }
    this.store.set(from === 0 ? bytes : bytes.subarray(from), this.storeLen);
    this.storeLen += n;
  }
}

/** Limits of the parsers; exceeding one is a counted skip, never an error. */
export interface ParserLimits {
  /** Longest header block (start line included) before the message is skipped. */
  readonly maxHeadBytes: number;
}

/** What a request parser reports to its connection. */
export interface RequestHost {
  /** A request head was parsed (its body, if any, is skipped). */
  request(req: HttpRequest): void;
  /** Adds `n` to the skip counter `reason`. */
  skip(reason: string, n: number): void;
}

/** Skip-counter names of this layer (stable: they appear in the summary). */
export const SKIP = {
  midStreamRequest: 'mid-stream bytes before first request',
  midStreamResponse: 'mid-stream bytes before first response',
  resyncRequest: 'bytes skipped to resync requests',
  resyncResponse: 'bytes skipped to resync responses',
  lostInGap: 'http message lost in gap',
  headTooLarge: 'http header block too large',
  badRequestHead: 'unparsable request head',
  badResponseHead: 'unparsable response head',
  responseWithoutRequest: 'response without request',
  incompleteAtEnd: 'incomplete http head at connection end',
  nonHttp: 'non-http connection',
  upgraded: 'connection upgraded to another protocol',
} as const;

/** Up to this many head bytes, the request line is re-checked as segments arrive (bounded re-scan). */
const CONFIRM_WINDOW = 8192;

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
          while (i < end && (buf[i] === 13 || buf[i] === 10)) i++;
          if (i === end) return i;
          this.state = 'head';
          this.confirmed = false;
          this.headStart = this.scanFrom = this.base + i;
          break;
        }
        case 'head': {
          const start = this.headStart - this.base;
          if (!this.confirmed && end - start < CONFIRM_WINDOW) {
            // Reject non-requests early instead of waiting for a blank line that may never come.
            const r = looksLikeRequestLine(buf, start, end);
            if (r === false) {
              this.resync(false, this.first ? SKIP.midStreamRequest : SKIP.resyncRequest);
              i = start;
              break;
            }
            this.confirmed = r === true;
          }
          const he = findHeadEnd(buf, start, this.scanFrom - this.base, end);
          if (he < 0) {
            if (end - start > this.limits.maxHeadBytes) {
              this.host.skip(SKIP.headTooLarge, 1);
              this.resync(false, SKIP.resyncRequest);
              i = start + 1;
              break;
            }
            this.scanFrom = this.base + headScanResume(start, end);
            return start;
          }
          const head = looksLikeRequestLine(buf, start, he) === true ? parseRequestHead(buf, start, he) : null;
          if (head === null) {
            this.host.skip(SKIP.badRequestHead, 1);
            this.resync(false, SKIP.resyncRequest);
            i = start + 1;
            break;
          }
          this.first = false;
          const at = this.originAt(this.headStart);
          this.host.request({ ...head, ts: at.ts, origin: at.origin });
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
