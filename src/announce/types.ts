/** The decoded announce: what the client sent and what the tracker answered. */
import type { Origin } from '../capture/packet.js';
import type { Endpoint } from '../net/types.js';

/** One query parameter as sent and as decoded. */
export interface QueryParam {
  /** Name after percent-decoding, as text. */
  readonly name: string;
  /** The raw value exactly as sent (still percent-encoded), latin1. */
  readonly raw: string;
  /** The percent-decoded bytes of the value. */
  readonly bytes: Uint8Array;
}

/** A peer from a reply, any of the three forms. */
export interface ReplyPeer {
  readonly ip: string;
  readonly port: number;
  readonly peerId?: Uint8Array;
}

/** The tracker's bencoded reply, decoded. Absent fields are null. */
export interface TrackerReply {
  /** HTTP status (UDP: 200 for an announce reply, 0 for an error message). */
  readonly status: number;
  readonly failure: string | null;
  readonly warning: string | null;
  readonly interval: number | null;
  readonly minInterval: number | null;
  readonly complete: number | null;
  readonly incomplete: number | null;
  readonly downloaded: number | null;
  readonly trackerId: string | null;
  readonly externalIp: string | null;
  /**
   * Peers in all forms together (compact IPv4, peers6, dict list). May be decoded on first read
   * (compact bytes are kept until a report asks for the list): use `peerCount` for the count.
   */
  readonly peers: readonly ReplyPeer[];
  /** Number of peers (same as peers.length, without decoding them). Absent: use peers.length. */
  readonly peerCount?: number;
  /** Which forms were present: 'compact', 'compact6', 'dict'. */
  readonly peerForms: readonly string[];
  /** Problems decoding the body (not bencode, trailing data, non-canonical integer, ...). */
  readonly problems: readonly string[];
  readonly ts: bigint;
}

/** Which transport carried the announce. */
export type Transport = 'http' | 'udp' | 'log';

/** One announce as the client sent it and the tracker answered it. */
export interface Announce {
  readonly kind: 'announce';
  readonly origin: Origin;
  /** Request time, ns since epoch. */
  readonly ts: bigint;
  readonly transport: Transport;
  /** The packet's source (the client as the capture saw it). */
  readonly client: Endpoint;
  readonly tracker: Endpoint;
  /** X-Forwarded-For (first address) or X-Real-IP when present, else null. */
  readonly forwardedFor: string | null;
  /** Path part of the target, as sent (latin1). */
  readonly path: string;
  /** The full request target, as sent (latin1). Sanitise before printing. */
  readonly target: string;
  readonly httpVersion: string;
  readonly userAgent: string | null;
  readonly infoHash: Uint8Array | null;
  readonly peerId: Uint8Array | null;
  readonly port: number | null;
  readonly uploaded: bigint | null;
  readonly downloaded: bigint | null;
  readonly left: bigint | null;
  /** The event text as sent ('started', 'completed', 'stopped', 'paused', other), null when absent or empty. */
  readonly event: string | null;
  readonly numwant: number | null;
  readonly key: string | null;
  /** From `passkey=`, `torrent_pass=` or the path, else null. */
  readonly passkey: string | null;
  /** Every parameter, in the order sent. */
  readonly params: readonly QueryParam[];
  /** The failure reasons TBSource would answer, first one first (empty when valid). */
  readonly errors: readonly string[];
  /**
   * What was odd about the request as decoded (malformed escape, '+' in a binary value, duplicate
   * parameter, counter that is not a plain unsigned 64-bit number, ...). Absent or empty when clean.
   */
  readonly problems?: readonly string[];
  readonly reply: TrackerReply | null;
  /** True when a proxy's backend leg of this same announce was found and merged into it. */
  readonly proxyMerged: boolean;
}

/** A scrape request: counted, listed in the summary. */
export interface Scrape {
  readonly kind: 'scrape';
  readonly origin: Origin;
  readonly ts: bigint;
  readonly client: Endpoint;
  readonly infoHashes: readonly Uint8Array[];
  readonly target: string;
  /** X-Forwarded-For (first address) or X-Real-IP when present, else null (a proxy's backend leg). */
  readonly forwardedFor?: string | null;
  readonly tracker?: Endpoint;
  readonly reply?: TrackerReply | null;
  readonly proxyMerged?: boolean;
}

/** What the announce stage emits. */
export type TrackerRequest = Announce | Scrape;
