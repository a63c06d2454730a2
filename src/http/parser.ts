/**
 * Incremental HTTP/1.x message parsers for the two directions of a connection, following RFC 9112
 * §6.3 (message body length) and §9.3.2 (pipelining), fed segment by segment in stream order.
 * Heads are recognised and parsed by recognise.ts, bodies decoded by body.ts.
 */
import type { Origin } from '../capture/packet.js';
import { BodyCollector, ChunkedDecoder, decodeContent } from './body.js';
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

  /** Bytes held over from earlier segments (a partial message): a request may still start in them. */
  get held(): number {
    return this.storeLen;
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
          if (!this.confirmed && (!this.checked || ((lf = buf.indexOf(10, start)) >= 0 && lf < end))) {
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

/** What a response parser reports to its connection. */
export interface ResponseHost {
  /** Adds `n` to the skip counter `reason`. */
  skip(reason: string, n: number): void;
  /** The oldest unanswered request (the one the next response answers), if any. */
  oldest(): HttpRequest | undefined;
  /** A final response is complete; `claimed` says it answers the oldest request (else there was none). */
  response(res: HttpResponse, claimed: boolean): void;
  /** The response to the oldest request was lost: emit that request unanswered. */
  lost(): void;
  /** The connection switched protocols (101, or 2xx to CONNECT): stop parsing requests too. */
  upgrade(): void;
}

/** Limits of the response parser. */
export interface ResponseLimits extends ParserLimits {
  readonly maxBodyBytes: number;
}

/** The response being received. */
interface Current {
  readonly head: ReturnType<typeof parseResponseHead> & object;
  readonly at: ByteOrigin;
  readonly claimed: boolean;
  readonly framing: BodyFraming;
  readonly body: BodyCollector;
  readonly chunks: ChunkedDecoder | null;
  remaining: number;
}

type ResponseState = 'start' | 'head' | 'body' | 'resync' | 'dead';

/**
 * The response direction: status line, headers and body (none for HEAD / 1xx / 204 / 304,
 * chunked, Content-Length, or until the connection closes), content-decoded, under a size limit.
 * Interim 1xx responses are skipped. Bytes that are not a response are skipped until the next
 * `HTTP/1.x NNN` at a line start.
 */
export class ResponseParser extends StreamParser {
  private state: ResponseState = 'start';
  private first = true;
  private headStart = 0;
  private scanFrom = 0;
  private cur: Current | null = null;
  private lineStart = true;
  private resyncReason: string = SKIP.resyncResponse;

  constructor(file: string, private readonly host: ResponseHost, private readonly limits: ResponseLimits) {
    super(file);
  }

  /**
   * `n` bytes were never captured. Inside a body of known extent they only cut the body
   * (bodyProblem); otherwise the response in progress, or the next one, is lost.
   */
  gap(n: number): void {
    const c = this.cur;
    if (this.state === 'dead') return;
    if (this.state === 'body' && c !== null) {
      if (c.framing.kind === 'close') return c.body.hole(n);
      if (c.framing.kind === 'length' && n < c.remaining) {
        c.remaining -= n;
        return c.body.hole(n);
      }
      if (c.chunks !== null && n <= c.chunks.remainingData) return c.chunks.skipData(n);
    }
    if (this.state !== 'resync') {
      this.host.skip(SKIP.lostInGap, 1);
      // The lost bytes began some response: the one in progress, or else the next one due.
      if (c === null || c.claimed) this.host.lost();
      this.cur = null;
    }
    this.discard();
    this.resync(true, SKIP.resyncResponse);
  }

  /** The stream ended: a close-delimited body completes, a length or chunked one is cut short. */
  end(reason: string): void {
    const c = this.cur;
    if (this.state === 'body' && c !== null) {
      if (c.framing.kind === 'close') this.finish(null);
      else if (c.framing.kind === 'length') {
        this.finish(`body cut short: connection ended (${reason}) after ${c.body.total} of ${c.framing.length} bytes`);
      } else this.finish(`chunked body cut short: connection ended (${reason}) after ${c.body.total} bytes`);
    } else if ((this.state === 'head' || this.state === 'start') && this.pending > 0) {
      this.host.skip(SKIP.incompleteAtEnd, 1);
    }
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
          // Some servers send a stray CRLF after a body; RFC 9112 §2.2 lets us skip empty lines.
          const s0 = i;
          while (i < end && (buf[i] === 13 || buf[i] === 10)) i++;
          if (i === end) return i;
          const r = looksLikeStatusLine(buf, i, end);
          if (r === null) return s0;
          if (r === false) {
            this.resync(false, this.first ? SKIP.midStreamResponse : SKIP.resyncResponse);
            i = s0;
            break;
          }
          this.state = 'head';
          this.headStart = this.scanFrom = this.base + i;
          break;
        }
        case 'head': {
          const start = this.headStart - this.base;
          const he = findHeadEnd(buf, start, this.scanFrom - this.base, end);
          const over = (he < 0 ? end : he) - start > this.limits.maxHeadBytes;
          if (he < 0 && !over) {
            this.scanFrom = this.base + headScanResume(start, end);
            return start;
          }
          if (over) this.host.skip(SKIP.headTooLarge, 1);
          const head = over ? null : parseResponseHead(buf, start, he);
          if (head === null) {
            if (!over) this.host.skip(SKIP.badResponseHead, 1);
            this.host.lost();
            this.resync(false, SKIP.resyncResponse);
            i = start + 1;
            break;
          }
          this.first = false;
          i = he;
          this.begin(head, this.originAt(this.headStart));
          break;
        }
        case 'body': {
          const c = this.cur!;
          if (c.chunks !== null) {
            i = c.chunks.push(buf, i, end);
            if (c.chunks.done) this.finish(null);
            else if (c.chunks.broken) {
              this.finish(`${c.chunks.problem}: body ends there`);
              this.resync(false, SKIP.resyncResponse);
            }
          } else if (c.framing.kind === 'close') {
            c.body.push(buf, i, end);
            i = end;
          } else {
            const take = Math.min(c.remaining, end - i);
            c.body.push(buf, i, i + take);
            i += take;
            c.remaining -= take;
            if (c.remaining === 0) this.finish(null);
          }
          break;
        }
        case 'resync': {
          const scan = findStatusBoundary(buf, i, end, this.lineStart);
          if (scan.at > i) this.host.skip(this.resyncReason, scan.at - i);
          i = scan.at;
          if (scan.found) this.state = 'start';
          else {
            this.lineStart = scan.lineStart;
            return i;
          }
          break;
        }
      }
    }
    return i;
  }

  /** A response head is complete: decide its body framing (RFC 9112 §6.3). */
  private begin(head: Current['head'], at: ByteOrigin): void {
    const { status } = head;
    this.state = 'start';
    if (status >= 100 && status < 200 && status !== 101) return; // interim (100 Continue, 103): not the answer
    const req = this.host.oldest();
    const claimed = req !== undefined;
    if (!claimed) this.host.skip(SKIP.responseWithoutRequest, 1);
    const upgrade = status === 101 || (req?.method === 'CONNECT' && status >= 200 && status < 300);
    const framing: BodyFraming =
      upgrade || req?.method === 'HEAD' || status === 204 || status === 304
        ? { kind: 'none' }
        : bodyFraming(head.headers, true);
    const body = new BodyCollector(this.limits.maxBodyBytes);
    const chunks = framing.kind === 'chunked' ? new ChunkedDecoder(body) : null;
    const remaining = framing.kind === 'length' ? framing.length : 0;
    this.cur = { head, at, claimed, framing, body, chunks, remaining };
    if (framing.kind === 'none' || (framing.kind === 'length' && remaining === 0)) this.finish(null);
    else this.state = 'body';
    if (upgrade) {
      this.host.upgrade();
      this.state = 'dead';
    }
  }

  /** The body is complete (or cut short: `cut` says how): decode it and hand the response over. */
  private finish(cut: string | null): void {
    const c = this.cur!;
    this.cur = null;
    this.state = 'start';
    const problems = [...c.body.problems];
    if (cut !== null) problems.push(cut);
    const limit = this.limits.maxBodyBytes;
    if (c.body.truncated) problems.push(`body larger than ${limit} bytes: kept the first ${limit} of ${c.body.total}`);
    let body = c.body.bytes();
    const codings = headerList(c.head.headers, 'content-encoding').filter((x) => x !== 'identity');
    if (codings.length > 0 && body.length > 0) {
      const d = decodeContent(body, codings, limit, problems.length > 0);
      body = d.body;
      if (d.problem !== null) problems.push(d.problem);
    }
    const { status, reason, version, headers } = c.head;
    const res: HttpResponse = {
      status, reason, version, headers, body,
      bodyProblem: problems.length > 0 ? problems.join('; ') : null,
      ts: c.at.ts,
      origin: c.at.origin,
    };
    this.host.response(res, c.claimed);
  }
}
