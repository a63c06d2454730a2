/**
 * The response direction of an HTTP/1.x connection (RFC 9112 §6.3 message body length): status
 * line and headers, then the body by Content-Length, chunked coding or connection close, decoded
 * (gzip, deflate) by body.ts.
 */
import { BodyCollector, ChunkedDecoder, decodeContent } from './body.js';
import { findHeadEnd, findStatusBoundary, headScanResume, looksLikeStatusLine } from './recognise.js';
import { bodyFraming, nameIs, headerList, parseResponseStart, responseFields, type BodyFraming, type ResponseStart } from './head.js';
import type { HttpHeader, HttpRequest, HttpResponse } from './types.js';
import type { Origin } from '../capture/packet.js';
import { StreamParser, SKIP, type ParserLimits, type ByteOrigin } from './stream.js';

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
  readonly head: ResponseStart;
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
    const used = this.parseSome(buf, end);
    // a body still incomplete may hold a view of `buf`, which is not kept past this call
    this.cur?.body.settle();
    return used;
  }

  private parseSome(buf: Uint8Array, end: number): number {
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
          const head = over ? null : parseResponseStart(buf, start, he);
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
        ? NO_BODY
        : bodyFraming(head.bodyFields, true);
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
    const problems = c.body.problems.length > 0 ? [...c.body.problems] : [];
    if (cut !== null) problems.push(cut);
    const limit = this.limits.maxBodyBytes;
    if (c.body.truncated) problems.push(`body larger than ${limit} bytes: kept the first ${limit} of ${c.body.total}`);
    // a view of the fed segment when the body came whole in it (HttpResponse.body says so), but
    // never of the held-over buffer, which the next segment overwrites
    let body = c.body.bytes(this.parsingHeld);
    const codings = hasContentEncoding(c.head.bodyFields)
      ? headerList(c.head.bodyFields, 'content-encoding').filter((x) => x !== 'identity')
      : NO_CODINGS;
    if (codings.length > 0 && body.length > 0) {
      const d = decodeContent(body, codings, limit, problems.length > 0);
      body = d.body;
      if (d.problem !== null) problems.push(d.problem);
    }
    const res = new Response(c.head, body, problems.length > 0 ? problems.join('; ') : null, c.at);
    this.host.response(res, c.claimed);
  }
}

/** The `headers` accessor every Response shares: own and enumerable, as a listed field would be. */
const HEADERS_ACCESSOR: PropertyDescriptor = {
  get(this: Response): readonly HttpHeader[] {
    return Response.headersOf(this);
  },
  enumerable: true,
  configurable: true,
};

/**
 * An HttpResponse whose field list is parsed from the head's text on first read: the tracker
 * stages read the status and body only, and a list of every field (a name, a value and an object
 * each) for every response was a good part of the worker's garbage. `headers` is an own
 * enumerable accessor in the interface's place (spread, Object.keys and toEqual see it), like the
 * lazy peers of announce/reply.ts.
 */
class Response implements HttpResponse {
  declare readonly status: number;
  declare readonly reason: string;
  declare readonly version: string;
  declare readonly headers: readonly HttpHeader[];
  declare readonly body: Uint8Array;
  declare readonly bodyProblem: string | null;
  declare readonly ts: bigint;
  declare readonly origin: Origin;
  #head: ResponseStart | null;
  #headers: readonly HttpHeader[] | null = null;

  constructor(head: ResponseStart, body: Uint8Array, bodyProblem: string | null, at: ByteOrigin) {
    const w = this as { -readonly [K in keyof HttpResponse]: HttpResponse[K] };
    w.status = head.status;
    w.reason = head.reason;
    w.version = head.version;
    Object.defineProperty(this, 'headers', HEADERS_ACCESSOR);
    w.body = body;
    w.bodyProblem = bodyProblem;
    w.ts = at.ts;
    w.origin = at.origin;
    this.#head = head;
  }

  /** The fields of `r`, parsed on the first call. */
  static headersOf(r: Response): readonly HttpHeader[] {
    if (r.#headers === null) {
      r.#headers = responseFields(r.#head!);
      r.#head = null;
    }
    return r.#headers;
  }
}

const NO_CODINGS: readonly string[] = Object.freeze([]);
const NO_BODY: BodyFraming = Object.freeze({ kind: 'none' });

/** Whether any header is Content-Encoding (most responses have none: no list is built for them). */
function hasContentEncoding(headers: readonly HttpHeader[]): boolean {
  for (const h of headers) if (nameIs(h.name, 'content-encoding')) return true;
  return false;
}
