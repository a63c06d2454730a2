/**
 * Pairs UDP tracker requests with their replies (BEP 15, https://www.bittorrent.org/beps/bep_0015.html;
 * BEP 41 URL data, https://www.bittorrent.org/beps/bep_0041.html) and turns each announce into an
 * `Announce`. A reply belongs to the request with the same client endpoint, tracker endpoint and
 * transaction id; a request unanswered after `timeoutNs` is emitted without a reply. Announces are
 * emitted in request order, so a late or missing reply never reorders a client's session.
 */
import type { Origin } from '../capture/packet.js';
import type { Endpoint, UdpDatagram } from '../net/types.js';
import { decodeQuery, splitTarget } from './query.js';
import { findPasskey, recognisePath } from './recognise.js';
import { tbsourceFailures } from './validate.js';
import type { Announce, QueryParam, ReplyPeer, Scrape, TrackerReply } from './types.js';
import {
  decodeUdpTracker,
  udpEventText,
  type UdpAnnounceRequest,
  type UdpDirection,
  type UdpTrackerMessage,
} from './udp.js';

/**
 * Counts of what the decoder saw. Each datagram counts in exactly one of connects ... notTracker,
 * retransmits; unmatchedReplies, unanswered, withoutConnect and headerOnlyReplies are finer detail.
 */
export interface UdpTrackerCounters {
  /** Every datagram fed in. */
  datagrams: number;
  /** Connect requests / responses. */
  connects: number;
  connectReplies: number;
  /** Announce requests (retransmissions excluded) / their replies. */
  announces: number;
  announceReplies: number;
  /** Scrape requests / replies. */
  scrapes: number;
  scrapeReplies: number;
  /** Error datagrams (action 3). */
  errors: number;
  /** Datagrams that are not UDP tracker traffic. */
  notTracker: number;
  /** A request sent again with the same transaction id and bytes while the first was pending (BEP 15 retransmission). */
  retransmits: number;
  /** Replies (any action) with no pending request: their request was not captured or timed out. */
  unmatchedReplies: number;
  /** Announces emitted without a reply (timed out, or pending at end of input). */
  unanswered: number;
  /** Announces whose connection id was not handed out by a connect response in this input (connect not captured). */
  withoutConnect: number;
  /** Announce replies of only the 8-byte header (opentracker's answer for a torrent not on its whitelist). */
  headerOnlyReplies: number;
}

/** Options for {@link UdpTrackerDecoder}. */
export interface UdpTrackerOptions {
  /** How long a request waits for its reply, ns. Default 20 s: longer than BEP 15's first retransmission (15 s), so a retransmitted request pairs with the original. */
  readonly timeoutNs?: bigint;
  /** Receives scrape requests (announces go to `emit`). */
  readonly onScrape?: (s: Scrape) => void;
}

interface Pending {
  readonly key: string;
  readonly kind: 'announce' | 'scrape' | 'connect';
  readonly ts: bigint;
  readonly payload: Uint8Array;
  readonly origin: Origin;
  readonly client: Endpoint;
  readonly tracker: Endpoint;
  readonly req: UdpAnnounceRequest | null;
  reply: TrackerReply | null;
  done: boolean;
}

const DEFAULT_TIMEOUT_NS = 20_000_000_000n;

function ep(e: { ip: string; port: number }): Endpoint {
  return { ip: e.ip, port: e.port };
}

function epKey(e: Endpoint): string {
  return `${e.ip}|${e.port}`;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Percent-encodes bytes as HTTP clients do (unreserved kept), so the synthesised params read like a query. */
function percentEncode(b: Uint8Array): string {
  let s = '';
  for (const c of b) {
    const ok = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2d || c === 0x2e || c === 0x5f || c === 0x7e;
    s += ok ? String.fromCharCode(c) : `%${c.toString(16).padStart(2, '0').toUpperCase()}`;
  }
  return s;
}

function textParam(name: string, value: string): QueryParam {
  const bytes = new Uint8Array(value.length);
  for (let i = 0; i < value.length; i++) bytes[i] = value.charCodeAt(i) & 0xff;
  return { name, raw: value, bytes };
}

/** The params an HTTP client would have sent for this UDP announce, then the BEP 41 query's own. */
function synthParams(r: UdpAnnounceRequest, extra: readonly QueryParam[]): QueryParam[] {
  const out: QueryParam[] = [
    { name: 'info_hash', raw: percentEncode(r.infoHash), bytes: r.infoHash },
    { name: 'peer_id', raw: percentEncode(r.peerId), bytes: r.peerId },
    textParam('port', String(r.port)),
    textParam('uploaded', r.uploaded.toString()),
    textParam('downloaded', r.downloaded.toString()),
    textParam('left', r.left.toString()),
  ];
  const ev = udpEventText(r.event);
  if (ev !== null) out.push(textParam('event', ev));
  out.push(textParam('key', keyText(r.key)));
  out.push(textParam('numwant', String(r.numWant)));
  if (r.ip !== '0.0.0.0') out.push(textParam('ip', r.ip));
  out.push(...extra);
  return out;
}

function keyText(key: number): string {
  return key.toString(16).padStart(8, '0');
}

/** The passkey as HTTP announces get it: passkey= / torrent_pass= in the BEP 41 query, else a path segment. */
function passkeyOf(path: string, params: readonly QueryParam[]): string | null {
  return findPasskey(params, recognisePath(path)?.passkey ?? null);
}

function emptyReply(ts: bigint, status: number): Omit<TrackerReply, 'interval' | 'complete' | 'incomplete' | 'peers' | 'failure' | 'problems' | 'peerForms'> {
  return { status, warning: null, minInterval: null, downloaded: null, trackerId: null, externalIp: null, ts };
}

/**
 * Receives every UDP datagram of one input, keeps the tracker conversations, and emits one
 * `Announce` per announce request (transport 'udp'). Feed datagrams in capture order, call `flush`
 * with the current capture time now and then to time out unanswered requests, and `end` once.
 * Wire data never throws: what is not tracker traffic is counted in `counters.notTracker`.
 */
export class UdpTrackerDecoder {
  /** What was seen so far; read after `end`. */
  readonly counters: UdpTrackerCounters = {
    datagrams: 0, connects: 0, connectReplies: 0, announces: 0, announceReplies: 0, scrapes: 0,
    scrapeReplies: 0, errors: 0, notTracker: 0, retransmits: 0, unmatchedReplies: 0, unanswered: 0,
    withoutConnect: 0, headerOnlyReplies: 0,
  };
  private readonly pending = new Map<string, Pending>();
  /** Announces in request order, waiting for their reply or timeout. */
  private readonly queue: Pending[] = [];
  /** Endpoints that received a request: datagrams from them are replies, to them requests. */
  private readonly trackers = new Set<string>();
  /** Connection ids handed out by connect responses. */
  private readonly connectionIds = new Set<bigint>();
  private readonly timeoutNs: bigint;
  private lastFlush = -1n;

  /**
   * @param file the input's name, for each Announce's origin.
   * @param emit receives each announce once, in request order, with its reply or null.
   */
  constructor(
    private readonly file: string,
    private readonly emit: (a: Announce) => void,
    private readonly options: UdpTrackerOptions = {},
  ) {
    this.timeoutNs = options.timeoutNs ?? DEFAULT_TIMEOUT_NS;
  }

  /** Handles one datagram. `d.payload` may be reused after return: what is kept is copied. */
  datagram(d: UdpDatagram): void {
    this.counters.datagrams++;
    // time out at most once a capture-second: replies normally follow within microseconds
    if (d.ts - this.lastFlush > 1_000_000_000n) this.flush(d.ts);
    const src = ep(d.src);
    const dst = ep(d.dst);
    let direction: UdpDirection = 'unknown';
    if (this.trackers.has(epKey(dst))) direction = 'request';
    else if (this.trackers.has(epKey(src))) direction = 'response';
    const ipv6 = src.ip.includes(':');
    const m = decodeUdpTracker(d.payload, { direction, ipv6 });
    const origin: Origin = { file: this.file, packet: d.packet, line: null, offset: d.offset };
    switch (m.kind) {
      case 'not-tracker':
        this.counters.notTracker++;
        return;
      case 'connect-request':
      case 'announce-request':
      case 'scrape-request':
        this.request(m, d, src, dst, origin);
        return;
      default:
        this.response(m, d.ts, src, dst, ipv6);
    }
  }

  private request(m: UdpTrackerMessage & { transactionId: number }, d: UdpDatagram, client: Endpoint, tracker: Endpoint, origin: Origin): void {
    this.trackers.add(epKey(tracker));
    const key = `${epKey(client)}|${epKey(tracker)}|${m.transactionId}`;
    const old = this.pending.get(key);
    if (old !== undefined && !old.done && sameBytes(old.payload, d.payload)) {
      this.counters.retransmits++;
      return;
    }
    const kind = m.kind === 'connect-request' ? 'connect' : m.kind === 'announce-request' ? 'announce' : 'scrape';
    const p: Pending = {
      key, kind, ts: d.ts, payload: d.payload.slice(), origin, client, tracker,
      req: m.kind === 'announce-request' ? m : null, reply: null, done: false,
    };
    this.pending.set(key, p);
    if (m.kind === 'connect-request') {
      this.counters.connects++;
    } else if (m.kind === 'announce-request') {
      this.counters.announces++;
      if (!this.connectionIds.has(m.connectionId)) this.counters.withoutConnect++;
      this.queue.push(p);
    } else if (m.kind === 'scrape-request') {
      this.counters.scrapes++;
      this.options.onScrape?.({ kind: 'scrape', origin, ts: d.ts, client, infoHashes: m.infoHashes, target: '' });
    }
  }

  private response(m: UdpTrackerMessage & { transactionId: number }, ts: bigint, tracker: Endpoint, client: Endpoint, ipv6: boolean): void {
    const key = `${epKey(client)}|${epKey(tracker)}|${m.transactionId}`;
    const p = this.pending.get(key);
    if (m.kind === 'connect-response') { this.counters.connectReplies++; this.connectionIds.add(m.connectionId); }
    else if (m.kind === 'announce-response') this.counters.announceReplies++;
    else if (m.kind === 'scrape-response') this.counters.scrapeReplies++;
    else if (m.kind === 'error-response') this.counters.errors++;
    if (m.kind === 'announce-response' && m.interval === null) this.counters.headerOnlyReplies++;
    if (p === undefined || p.done) { this.counters.unmatchedReplies++; return; }
    this.pending.delete(key);
    p.done = true;
    if (p.kind !== 'announce') return;
    if (m.kind === 'announce-response') {
      const peers: ReplyPeer[] = m.peers.map((x) => ({ ip: x.ip, port: x.port }));
      const problems: string[] = [];
      if (m.interval === null) problems.push('announce reply is only its 8-byte header: no interval, leechers, seeders or peers (opentracker sends this for a torrent not on its whitelist)');
      if (m.trailing > 0) problems.push(`${m.trailing} bytes after the last whole ${ipv6 ? 18 : 6}-byte peer`);
      p.reply = {
        ...emptyReply(ts, 200), failure: null, interval: m.interval, complete: m.seeders, incomplete: m.leechers,
        peers, peerForms: m.interval === null ? [] : [ipv6 ? 'compact6' : 'compact'], problems,
      };
    } else if (m.kind === 'error-response') {
      p.reply = { ...emptyReply(ts, 0), failure: m.message, interval: null, complete: null, incomplete: null, peers: [], peerForms: [], problems: [] };
    } else {
      p.reply = {
        ...emptyReply(ts, 0), failure: null, interval: null, complete: null, incomplete: null, peers: [], peerForms: [],
        problems: [`the tracker answered this announce with a ${m.kind}`],
      };
    }
    this.drain();
  }

  /** Time of the oldest announce not yet emitted (waiting for its reply, or behind one that waits), or null. */
  get oldestPending(): bigint | null {
    return this.queue.length > 0 ? this.queue[0]!.ts : null;
  }

  /** Times out requests older than the timeout at capture time `now` (ns) and emits what is ready. */
  flush(now: bigint): void {
    this.lastFlush = now;
    for (const p of this.pending.values()) {
      if (now - p.ts > this.timeoutNs) {
        this.pending.delete(p.key);
        p.done = true;
      }
    }
    this.drain();
  }

  /** End of input: every pending announce is emitted without a reply. Call once. */
  end(): void {
    for (const p of this.pending.values()) p.done = true;
    this.pending.clear();
    this.drain();
  }

  private drain(): void {
    while (this.queue.length > 0 && this.queue[0]!.done) {
      const p = this.queue.shift()!;
      if (p.reply === null) this.counters.unanswered++;
      this.emit(this.toAnnounce(p));
    }
  }

  private toAnnounce(p: Pending): Announce {
    const r = p.req!;
    const target = r.urlData ?? '';
    const { path, query } = splitTarget(target);
    const extra = query === null ? [] : decodeQuery(query).params;
    const params = synthParams(r, extra);
    return {
      kind: 'announce',
      origin: p.origin,
      ts: p.ts,
      transport: 'udp',
      client: p.client,
      tracker: p.tracker,
      forwardedFor: null,
      path,
      target,
      httpVersion: '',
      userAgent: null,
      infoHash: r.infoHash,
      peerId: r.peerId,
      port: r.port,
      uploaded: r.uploaded,
      downloaded: r.downloaded,
      left: r.left,
      event: udpEventText(r.event),
      numwant: r.numWant,
      key: keyText(r.key),
      passkey: passkeyOf(path, extra),
      params,
      // a UDP request always has every field; TBSource's checks can still fail it (port 0)
      errors: tbsourceFailures({ params, userAgent: null }),
      reply: p.reply,
      proxyMerged: false,
    };
  }
}
