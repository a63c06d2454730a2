/**
 * HTTP/1.x over one TCP connection: recognises HTTP by content on any port, parses the request
 * and response directions, and pairs each response with the oldest unanswered request (RFC 9112
 * §9.3.2: responses come in request order, also when requests are pipelined).
 *
 * Pairing after loss: when the response direction loses bytes in a capture gap, at least one
 * response is gone, and we cannot tell which; the best we can do is to drop the oldest pending
 * request (emitted with response null), so that pairing stays aligned when exactly one response
 * was lost. Requests lost entirely in a request-direction gap can still misalign later pairs.
 */
import type { Direction, StreamEndReason, StreamSinkFactory, TcpConnection, TcpStreamSink } from '../net/types.js';
import { findRequestBoundary, findRequestCandidate, findStatusBoundary, looksLikeRequestLine, looksLikeStatusLine, type BoundaryScan } from './recognise.js';
import { RequestParser, type RequestHost } from './request.js';
import { ResponseParser, type ResponseHost } from './response.js';
import { SKIP } from './stream.js';
import type { ExchangeSink, HttpCounters, HttpRequest, HttpResponse } from './types.js';
import { Hold, type Holds } from '../order/holds.js';

/** Limits of the HTTP layer. Hitting one is a counted skip or a `bodyProblem`, never an error. */
export interface HttpOptions {
  /** Response body bytes kept (before and after content decoding); default 1 MiB. */
  readonly maxBodyBytes?: number;
  /** Longest header block; default 64 KiB. */
  readonly maxHeadBytes?: number;
  /** How far into a connection picked up mid-stream to look for a first request; default 64 KiB. */
  readonly midStreamScanBytes?: number;
  /**
   * Where each connection reports the oldest time of a request it could still emit (an unanswered
   * or partly read request, bytes held while the connection is undecided), so that requests from
   * other connections need not wait for it longer than that.
   */
  readonly holds?: Holds;
}

const DEFAULTS = { maxBodyBytes: 1 << 20, maxHeadBytes: 64 * 1024, midStreamScanBytes: 64 * 1024 };
type Limits = Omit<typeof DEFAULTS & HttpOptions, 'holds'>;

const EMPTY = new Uint8Array(0);
/** Where every boundary scan starts (scans are replaced, never changed: one shared start). */
const FROM_START: BoundaryScan = Object.freeze({ found: false, at: 0, lineStart: true });

/** Bytes of one direction held while the connection is not yet known to be HTTP. */
class Undecided {
  bytes = EMPTY;
  len = 0;
  readonly chunks: { start: number; end: number; ts: bigint; packet: number; offset: number }[] = [];
  /** Bytes were lost before or among these, so the stream may start mid-message. */
  gapSeen = false;
  reqScan: BoundaryScan = FROM_START;
  statScan: BoundaryScan = FROM_START;
  /** Where a request could begin at the earliest (nothing before it can start one). */
  candScan: BoundaryScan = FROM_START;

  /** Time of the bytes where a request could still begin, or null when only later bytes can start one. */
  heldFrom(): bigint | null {
    if (this.len === 0) return null;
    if (!this.candScan.found) this.candScan = findRequestCandidate(this.bytes, this.candScan.at, this.len, this.candScan.lineStart);
    // a request begins after any empty lines (the parser skips them): at the first other byte
    let at = this.candScan.at;
    while (at < this.len && (this.bytes[at] === 13 || this.bytes[at] === 10)) at++;
    if (at >= this.len) return null;
    for (const c of this.chunks) if (at < c.end) return c.ts;
    return null;
  }

  add(b: Uint8Array, ts: bigint, packet: number, offset: number): void {
    if (this.len + b.length > this.bytes.length) {
      const grown = new Uint8Array(Math.max(4096, (this.len + b.length) * 2));
      grown.set(this.bytes.subarray(0, this.len));
      this.bytes = grown;
    }
    this.bytes.set(b, this.len);
    this.chunks.push({ start: this.len, end: this.len + b.length, ts, packet, offset });
    this.len += b.length;
  }

  /** What was held before a gap cannot be joined to what follows it. */
  dropForGap(): void {
    this.len = 0;
    this.chunks.length = 0;
    this.gapSeen = true;
    this.reqScan = FROM_START;
    this.statScan = FROM_START;
    this.candScan = FROM_START;
  }
}

type Verdict = 'request' | 'response' | 'reject' | 'wait';

/** A segment's bytes that are fed when the roles are fixed, without having been held. */
interface LateBytes {
  readonly dir: Direction;
  readonly bytes: Uint8Array;
  readonly ts: bigint;
  readonly packet: number;
  readonly offset: number;
}

const other = (d: Direction): Direction => (d === 'ab' ? 'ba' : 'ab');

/**
 * One connection: the TCP sink, and the host of its two parsers (one object per connection
 * instead of a host object and six closures per parser).
 */
class HttpConnection implements TcpStreamSink, RequestHost, ResponseHost {
  private reqDir: Direction | null = null;
  private rejected = false;
  private ended = false;
  /**
   * Bytes held while the roles are unknown; made on first need (the first bytes of a connection
   * usually decide at once), and dropped once the roles are fixed.
   */
  private undecided: Record<Direction, Undecided> | null = null;
  private requests: RequestParser | null = null;
  private responses: ResponseParser | null = null;
  /** Unanswered requests, oldest first (`head` avoids O(n) shifts on long keep-alive connections). */
  private queue: HttpRequest[] = [];
  private head = 0;
  private readonly limits: Limits;
  private readonly holds: Holds | null;
  private readonly hold = new Hold();

  constructor(
    private readonly conn: TcpConnection,
    private readonly file: string,
    private readonly out: ExchangeSink,
    private readonly counters: HttpCounters,
    limits: Limits,
    holds: Holds | null,
  ) {
    this.limits = limits;
    this.holds = holds;
  }

  data(dir: Direction, bytes: Uint8Array, ts: bigint, packet: number, offset: number): boolean {
    if (this.rejected) return false;
    if (this.reqDir !== null) {
      if (dir === this.reqDir) {
        // a request may start in these bytes: hold back at their time until it is emitted
        this.holds?.lower(this.hold, ts);
        this.requests!.feed(bytes, ts, packet, offset);
      } else this.responses!.feed(bytes, ts, packet, offset);
      this.release();
      return true;
    }
    if (this.undecided === null || this.undecided[dir].len === 0) {
      // The usual case: the first bytes of a direction already tell (a request or status line).
      // Decide on them in place and feed them without first copying them into the held bytes.
      const r = looksLikeRequestLine(bytes, 0, bytes.length);
      const role = r === true ? dir : looksLikeStatusLine(bytes, 0, bytes.length) === true ? other(dir) : null;
      if (role !== null) {
        this.assign(role, { dir, bytes, ts, packet, offset });
        this.release();
        return true;
      }
    }
    const u = this.held()[dir];
    u.add(bytes, ts, packet, offset);
    const v = this.decide(u);
    if (v === 'wait') { this.release(); return true; }
    if (v === 'reject') {
      this.rejected = true;
      this.undecided = null;
      this.skip(SKIP.nonHttp, 1);
      this.release();
      return false;
    }
    this.assign(v === 'request' ? dir : other(dir));
    this.release();
    return true;
  }

  gap(dir: Direction, length: number): void {
    if (this.rejected || this.ended) return;
    if (this.reqDir === null) this.held()[dir].dropForGap();
    else if (dir === this.reqDir) this.requests!.gap(length);
    else this.responses!.gap(length);
    this.release();
  }

  /**
   * Clears this connection's hold once it can emit nothing older than bytes still to come: no
   * unanswered request, no partly read one, nothing held undecided. (While it holds, the hold is
   * the oldest time of the bytes fed since it started holding: a safe lower bound.)
   */
  private release(): void {
    if (this.holds === null) return;
    if (!this.rejected && !this.ended && this.reqDir === null) {
      // undecided: either direction may turn out to carry the requests
      const u = this.undecided;
      const ab = u === null ? null : u.ab.heldFrom();
      const ba = u === null ? null : u.ba.heldFrom();
      this.holds.set(this.hold, ab === null ? ba : ba === null || ab < ba ? ab : ba);
      return;
    }
    if (this.hold.ts === null) return;
    if (!this.rejected && !this.ended && (this.head < this.queue.length || this.requests!.held > 0)) return;
    this.holds.clear(this.hold);
  }

  end(reason: StreamEndReason): void {
    if (this.ended) return;
    this.ended = true;
    if (this.holds !== null) this.holds.clear(this.hold);
    if (this.rejected) return;
    if (this.reqDir === null) {
      // Never recognised: count it if it carried anything (a bare handshake is not a connection we skipped).
      const u = this.undecided;
      if (u !== null && u.ab.len + u.ba.len > 0) this.skip(SKIP.nonHttp, 1);
      this.undecided = null;
      return;
    }
    this.responses!.end(reason);
    this.requests!.end();
    while (this.head < this.queue.length) this.emit(this.take()!, null);
    this.release();
  }

  /** The held bytes of both directions, made on first need. */
  private held(): Record<Direction, Undecided> {
    return (this.undecided ??= { ab: new Undecided(), ba: new Undecided() });
  }

  /** Which role the bytes held in `u` give their direction, if they tell yet. */
  private decide(u: Undecided): Verdict {
    const buf = u.bytes;
    const r = looksLikeRequestLine(buf, 0, u.len);
    if (r === true) return 'request';
    const s = looksLikeStatusLine(buf, 0, u.len);
    if (s === true) return 'response';
    if (r === null || s === null) return 'wait';
    // A connection seen from its SYN starts at its first byte: neither line there means not HTTP.
    if (this.conn.synSeen && !u.gapSeen) return 'reject';
    if (!u.reqScan.found) u.reqScan = findRequestBoundary(buf, u.reqScan.at, u.len, u.reqScan.lineStart);
    if (!u.statScan.found) u.statScan = findStatusBoundary(buf, u.statScan.at, u.len, u.statScan.lineStart);
    const rq = u.reqScan;
    const st = u.statScan;
    if (rq.found && (!st.found || rq.at <= st.at)) return 'request';
    if (st.found) return 'response';
    return u.len >= this.limits.midStreamScanBytes ? 'reject' : 'wait';
  }

  /**
   * Fixes the roles and replays the held bytes, request direction first; `late` (bytes that
   * decided the roles without being held) comes after what its direction holds.
   */
  private assign(reqDir: Direction, late?: LateBytes): void {
    this.reqDir = reqDir;
    const und = this.undecided;
    this.undecided = null;
    this.requests = new RequestParser(this.file, this, this.limits);
    this.responses = new ResponseParser(this.file, this, this.limits);
    // A direction held after a gap may start mid-message: the parsers' first-message resync copes.
    for (const [dir, parser] of [[reqDir, this.requests], [other(reqDir), this.responses]] as const) {
      const u = und?.[dir];
      if (u !== undefined) {
        if (dir === reqDir && this.holds !== null) for (const c of u.chunks) this.holds.lower(this.hold, c.ts);
        for (const c of u.chunks) parser.feed(u.bytes.subarray(c.start, c.end), c.ts, c.packet, c.offset);
      }
      if (late !== undefined && late.dir === dir) {
        if (dir === reqDir) this.holds?.lower(this.hold, late.ts);
        parser.feed(late.bytes, late.ts, late.packet, late.offset);
      }
    }
  }

  /** RequestHost: a request head was parsed. */
  request(q: HttpRequest): void {
    this.counters.requests++;
    this.queue.push(q);
  }

  /** ResponseHost: the oldest unanswered request. */
  oldest(): HttpRequest | undefined {
    return this.queue[this.head];
  }

  /** ResponseHost: a final response is complete. */
  response(res: HttpResponse, claimed: boolean): void {
    this.counters.responses++;
    if (!claimed) return;
    const q = this.take();
    if (q !== undefined) this.emit(q, res);
  }

  /** ResponseHost: the response to the oldest request was lost. */
  lost(): void {
    const q = this.take();
    if (q !== undefined) this.emit(q, null);
  }

  /** ResponseHost: the connection switched protocols. */
  upgrade(): void {
    this.skip(SKIP.upgraded, 1);
    this.requests!.stop();
  }

  private take(): HttpRequest | undefined {
    if (this.head >= this.queue.length) return undefined;
    // the usual case, one request answered at a time: pop drops the reference and keeps the array
    if (this.head === 0 && this.queue.length === 1) return this.queue.pop();
    const q = this.queue[this.head];
    // drop the reference: an answered request must not stay alive (with the request head its
    // header strings are slices of) for the rest of a long keep-alive connection
    this.queue[this.head++] = undefined as unknown as HttpRequest;
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    } else if (this.head > 64 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return q;
  }

  private emit(request: HttpRequest, response: HttpResponse | null): void {
    const fromA = this.reqDir === 'ab';
    this.out.exchange({
      request,
      response,
      client: fromA ? this.conn.a : this.conn.b,
      server: fromA ? this.conn.b : this.conn.a,
      connection: this.conn.id,
    });
  }

  /** Request/ResponseHost: adds `n` to the skip counter `reason`. */
  skip(reason: string, n: number): void {
    this.counters.skipped.set(reason, (this.counters.skipped.get(reason) ?? 0) + n);
  }
}

/**
 * The HTTP layer's entry point: a factory of per-connection sinks for the TCP reassembler.
 * Each sink recognises HTTP/1.x by content (either direction may carry the requests), returns
 * false from `data()` for a connection that is not HTTP, and hands every request to `out` paired
 * with its response (or with null when none was captured) as soon as the pair is complete.
 * `counters` is shared by all connections and updated in place.
 */
export function httpSinkFactory(
  file: string,
  out: ExchangeSink,
  counters: HttpCounters,
  opts: HttpOptions = {},
): StreamSinkFactory {
  // merged once here, not per connection
  const { holds, ...limits } = { ...DEFAULTS, ...opts };
  const held = holds ?? null;
  return (conn) => new HttpConnection(conn, file, out, counters, limits, held);
}
