/**
 * UDP tracker datagrams: BEP 15 (https://www.bittorrent.org/beps/bep_0015.html) and its BEP 41
 * extension options (https://www.bittorrent.org/beps/bep_0041.html). One payload in, one tagged
 * value out; wire data never throws. Unlike Wireshark (which only recognises a UDP tracker flow
 * after seeing its connect), requests are recognised from their own layout, so an announce whose
 * connect was not captured (or used a connection id from an earlier capture) still decodes.
 */

import { ipv4Text, ipv6Text } from './ip-text.js';
import { latin1 } from './bytes.js';

/** The protocol id a connect request must carry (BEP 15). */
export const UDP_PROTOCOL_ID = 0x41727101980n;

/** BEP 15 action numbers. */
export const UDP_ACTION = { connect: 0, announce: 1, scrape: 2, error: 3 } as const;

/** BEP 15 event numbers -> the HTTP event text (0 is "none": no event). */
export const UDP_EVENTS: Readonly<Record<number, string | null>> = {
  0: null,
  1: 'completed',
  2: 'started',
  3: 'stopped',
};

/** BEP 41 option types. */
export const UDP_OPTION = { endOfOptions: 0x0, nop: 0x1, urlData: 0x2 } as const;

/** Minimum sizes (BEP 15). */
const CONNECT_LEN = 16;
const ANNOUNCE_REQ_LEN = 98;
const ANNOUNCE_RESP_HEAD = 20;
const SCRAPE_REQ_HEAD = 16;

/** A peer from an announce response (compact: 6 bytes over IPv4, 18 over IPv6). */
export interface UdpPeer {
  readonly ip: string;
  readonly port: number;
}

/** Client -> tracker: connect request. */
export interface UdpConnectRequest {
  readonly kind: 'connect-request';
  readonly transactionId: number;
}

/** Tracker -> client: connect response. */
export interface UdpConnectResponse {
  readonly kind: 'connect-response';
  readonly transactionId: number;
  readonly connectionId: bigint;
}

/** Client -> tracker: announce request (98 bytes plus BEP 41 options). Byte fields are copies. */
export interface UdpAnnounceRequest {
  readonly kind: 'announce-request';
  readonly connectionId: bigint;
  readonly transactionId: number;
  readonly infoHash: Uint8Array;
  readonly peerId: Uint8Array;
  readonly downloaded: bigint;
  readonly left: bigint;
  readonly uploaded: bigint;
  /** The raw event number (0 none, 1 completed, 2 started, 3 stopped; others kept as sent). */
  readonly event: number;
  /** The IP field as dotted quad ('0.0.0.0' = use the sender's address). */
  readonly ip: string;
  readonly key: number;
  /** Signed: -1 means "default". */
  readonly numWant: number;
  readonly port: number;
  /** BEP 41 URL data, all URLData options concatenated (latin1), or null when none was sent. */
  readonly urlData: string | null;
  /** Odd things in the options (unknown type, truncated option) — the request is still usable. */
  readonly problems: readonly string[];
}

/**
 * Tracker -> client: announce response. interval/leechers/seeders are null when the reply is only
 * the 8-byte header: opentracker answers so for a torrent not on its whitelist (fixtures/udp shows it;
 * Transmission logs "Couldn't parse UDP tracker packet").
 */
export interface UdpAnnounceResponse {
  readonly kind: 'announce-response';
  readonly transactionId: number;
  readonly interval: number | null;
  readonly leechers: number | null;
  readonly seeders: number | null;
  readonly peers: readonly UdpPeer[];
  /** Bytes after the last whole peer record (0 for a well-formed reply). */
  readonly trailing: number;
}

/** Client -> tracker: scrape request. */
export interface UdpScrapeRequest {
  readonly kind: 'scrape-request';
  readonly connectionId: bigint;
  readonly transactionId: number;
  readonly infoHashes: readonly Uint8Array[];
}

/** One torrent's counts from a scrape response. */
export interface UdpScrapeEntry {
  readonly seeders: number;
  readonly completed: number;
  readonly leechers: number;
}

/** Tracker -> client: scrape response. */
export interface UdpScrapeResponse {
  readonly kind: 'scrape-response';
  readonly transactionId: number;
  readonly entries: readonly UdpScrapeEntry[];
}

/** Tracker -> client: error (action 3) with its message (latin1 as sent). */
export interface UdpErrorResponse {
  readonly kind: 'error-response';
  readonly transactionId: number;
  readonly message: string;
}

/** A payload that is not (or not recognisably) UDP tracker traffic. */
export interface UdpNotTracker {
  readonly kind: 'not-tracker';
  readonly reason: string;
}

/** Every decoded form of a UDP tracker datagram. */
export type UdpTrackerMessage =
  | UdpConnectRequest
  | UdpConnectResponse
  | UdpAnnounceRequest
  | UdpAnnounceResponse
  | UdpScrapeRequest
  | UdpScrapeResponse
  | UdpErrorResponse
  | UdpNotTracker;

/** Which way a datagram goes, when the caller knows (by the tracker port); 'unknown' makes the decoder guess. */
export type UdpDirection = 'request' | 'response' | 'unknown';

/** Options for {@link decodeUdpTracker}. */
export interface UdpDecodeOptions {
  /** Direction if known; requests and responses share action numbers, so this disambiguates. */
  readonly direction?: UdpDirection;
  /** True when the datagram travelled over IPv6: announce responses then carry 18-byte peers (BEP 15). */
  readonly ipv6?: boolean;
}

/** Reads BEP 41 options after byte 98; URLData parts are concatenated (the spec splits long URLs). */
function readOptions(p: Uint8Array): { urlData: string | null; problems: string[] } {
  const problems: string[] = [];
  const parts: Uint8Array[] = [];
  let o = ANNOUNCE_REQ_LEN;
  while (o < p.length) {
    const type = p[o]!;
    if (type === UDP_OPTION.endOfOptions) break;
    if (type === UDP_OPTION.nop) { o++; continue; }
    if (o + 1 >= p.length) { problems.push(`option 0x${type.toString(16)} at byte ${o} has no length byte`); break; }
    const len = p[o + 1]!;
    const end = o + 2 + len;
    if (end > p.length) {
      problems.push(`option 0x${type.toString(16)} at byte ${o} is truncated (${len} bytes declared, ${p.length - o - 2} present)`);
      if (type === UDP_OPTION.urlData) parts.push(p.subarray(o + 2));
      break;
    }
    if (type === UDP_OPTION.urlData) parts.push(p.subarray(o + 2, end));
    else problems.push(`unknown option type 0x${type.toString(16)} at byte ${o}`);
    o = end;
  }
  return { urlData: parts.length === 0 ? null : parts.map(latin1).join(''), problems };
}

function decodeRequest(p: Uint8Array, v: DataView): UdpTrackerMessage {
  if (p.length < CONNECT_LEN) return { kind: 'not-tracker', reason: `request of ${p.length} bytes is shorter than 16` };
  const connectionId = v.getBigUint64(0);
  const action = v.getUint32(8);
  const transactionId = v.getUint32(12);
  if (action === UDP_ACTION.connect) {
    if (connectionId !== UDP_PROTOCOL_ID) return { kind: 'not-tracker', reason: 'connect request without the BEP 15 protocol id' };
    return { kind: 'connect-request', transactionId };
  }
  if (action === UDP_ACTION.announce) {
    if (p.length < ANNOUNCE_REQ_LEN) return { kind: 'not-tracker', reason: `announce request of ${p.length} bytes is shorter than 98` };
    const { urlData, problems } = readOptions(p);
    return {
      kind: 'announce-request',
      connectionId,
      transactionId,
      infoHash: p.slice(16, 36),
      peerId: p.slice(36, 56),
      downloaded: v.getBigUint64(56),
      left: v.getBigUint64(64),
      uploaded: v.getBigUint64(72),
      event: v.getUint32(80),
      ip: ipv4Text(p, 84),
      key: v.getUint32(88),
      numWant: v.getInt32(92),
      port: v.getUint16(96),
      urlData,
      problems,
    };
  }
  if (action === UDP_ACTION.scrape) {
    const n = p.length - SCRAPE_REQ_HEAD;
    if (n < 20 || n % 20 !== 0) return { kind: 'not-tracker', reason: `scrape request of ${p.length} bytes is not 16 + 20n` };
    const infoHashes: Uint8Array[] = [];
    for (let o = SCRAPE_REQ_HEAD; o < p.length; o += 20) infoHashes.push(p.slice(o, o + 20));
    return { kind: 'scrape-request', connectionId, transactionId, infoHashes };
  }
  return { kind: 'not-tracker', reason: `request action ${action}` };
}

function decodeResponse(p: Uint8Array, v: DataView, ipv6: boolean): UdpTrackerMessage {
  if (p.length < 8) return { kind: 'not-tracker', reason: `response of ${p.length} bytes is shorter than 8` };
  const action = v.getUint32(0);
  const transactionId = v.getUint32(4);
  if (action === UDP_ACTION.connect) {
    if (p.length < CONNECT_LEN) return { kind: 'not-tracker', reason: `connect response of ${p.length} bytes is shorter than 16` };
    return { kind: 'connect-response', transactionId, connectionId: v.getBigUint64(8) };
  }
  if (action === UDP_ACTION.announce) {
    if (p.length < ANNOUNCE_RESP_HEAD) {
      return { kind: 'announce-response', transactionId, interval: null, leechers: null, seeders: null, peers: [], trailing: p.length - 8 };
    }
    const size = ipv6 ? 18 : 6;
    const peers: UdpPeer[] = [];
    let o = ANNOUNCE_RESP_HEAD;
    for (; o + size <= p.length; o += size) {
      peers.push({ ip: ipv6 ? ipv6Text(p, o) : ipv4Text(p, o), port: v.getUint16(o + size - 2) });
    }
    return {
      kind: 'announce-response',
      transactionId,
      interval: v.getUint32(8),
      leechers: v.getUint32(12),
      seeders: v.getUint32(16),
      peers,
      trailing: p.length - o,
    };
  }
  if (action === UDP_ACTION.scrape) {
    const entries: UdpScrapeEntry[] = [];
    for (let o = 8; o + 12 <= p.length; o += 12) {
      entries.push({ seeders: v.getUint32(o), completed: v.getUint32(o + 4), leechers: v.getUint32(o + 8) });
    }
    return { kind: 'scrape-response', transactionId, entries };
  }
  if (action === UDP_ACTION.error) {
    // opentracker NUL-terminates its message; the NUL is not part of the text
    let end = p.length;
    while (end > 8 && p[end - 1] === 0) end--;
    return { kind: 'error-response', transactionId, message: latin1(p.subarray(8, end)) };
  }
  return { kind: 'not-tracker', reason: `response action ${action}` };
}

/**
 * Decodes one UDP payload as BEP 15 tracker traffic. With direction 'unknown' the layout decides:
 * a connect request starts with the protocol id; a request with action 1 and at least 98 bytes, or
 * event 0..3, or action 2 and 16 + 20n bytes, whose first 8 bytes (a tracker-made connection id) are not a plausible
 * response header, is a request; anything else is tried as a response.
 * Returned byte fields are copies, so the caller's buffer may be reused.
 */
export function decodeUdpTracker(payload: Uint8Array, opts: UdpDecodeOptions = {}): UdpTrackerMessage {
  const v = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const direction = opts.direction ?? 'unknown';
  if (direction === 'request') return decodeRequest(payload, v);
  if (direction === 'response') return decodeResponse(payload, v, opts.ipv6 ?? false);
  if (payload.length >= CONNECT_LEN) {
    const first = v.getBigUint64(0);
    const action = v.getUint32(8);
    if (action === UDP_ACTION.connect && first === UDP_PROTOCOL_ID) return decodeRequest(payload, v);
    // a response's first word is its action (0..3); a connection id with a high word of 0..3
    // is possible but unlikely (1 in 2^30), so prefer the response reading in that case
    const head = v.getUint32(0);
    const looksLikeResponse = head <= UDP_ACTION.error;
    if (!looksLikeResponse) {
      // BEP 15 defines events 0..3 only: a larger value here means this is some other protocol
      if (action === UDP_ACTION.announce && payload.length >= ANNOUNCE_REQ_LEN && v.getUint32(80) <= 3) {
        return decodeRequest(payload, v);
      }
      if (action === UDP_ACTION.scrape && (payload.length - SCRAPE_REQ_HEAD) % 20 === 0 && payload.length > SCRAPE_REQ_HEAD) {
        return decodeRequest(payload, v);
      }
    }
  }
  return decodeResponse(payload, v, opts.ipv6 ?? false);
}

/** The HTTP-style event text for a BEP 15 event number; unknown numbers become their decimal text. */
export function udpEventText(event: number): string | null {
  return event in UDP_EVENTS ? UDP_EVENTS[event]! : String(event);
}
