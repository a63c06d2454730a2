/**
 * The replayed tracker's tables: one TorrentState per info_hash holding its peer rows (TBSource's
 * `peers` table) and counts kept incrementally, so a step never scans the swarm.
 */
import { latin1 } from '../announce/bytes.js';
import type { PeerRow, SwarmCount } from './types.js';

/** Mutable counts of seeders and leechers. */
export interface MutableSwarm {
  seeders: number;
  leechers: number;
}

/**
 * Everything the replay keeps per (torrent, peer_id): its listed row and place in the torrent's
 * order of last applied announce, its open session, the row expiry dropped and the intervals of
 * its last reply. One object and one Map entry (keyed by the raw peer_id, which the session shares)
 * per peer: the composite-keyed maps this replaces cost several hundred bytes per open peer.
 */
export interface PeerSlot<S = unknown> {
  /**
   * The peer_id bytes as latin1 text: the slot's key in TorrentState.peers, shared with the open
   * session (its hex and text are made only when the session closes).
   */
  readonly raw: string;
  /** Order of first appearance across all torrents (finish() closes sessions in this order). */
  readonly seq: number;
  /** The listed row, or null when the peer is not listed. */
  row: PeerRow | null;
  prev: PeerSlot<S> | null;
  next: PeerSlot<S> | null;
  session: S | null;
  /** The row expiry dropped, until the peer announces again. */
  expiredRow: PeerRow | null;
  replyInterval: number | null;
  replyMinInterval: number | null;
}

/**
 * One torrent of the replay. Listed rows are kept in order of last applied announce in a linked
 * list (`first` .. `last`), so expiry looks at the oldest row in O(1): a Map re-inserted on every
 * announce would leave holes at its front that every iteration has to skip.
 */
export interface TorrentState<S = unknown> {
  readonly infoHash: string;
  /** Every peer seen on the torrent, by the raw peer_id bytes as latin1 text (see slotOf). */
  readonly peers: Map<string, PeerSlot<S>>;
  /** Oldest and newest listed row by last applied announce. */
  first: PeerSlot<S> | null;
  last: PeerSlot<S> | null;
  readonly swarm: MutableSwarm;
  /**
   * Listed peers per user, for multi-location, as one number (seeders * USER_SEEDER + leechers)
   * instead of an object per user and torrent: most users have one peer listed on a torrent, so
   * this is one entry per listed peer.
   */
  readonly byUser: Map<string, number>;
  /** `completed` events per user (every one seen, counted or not), for duplicate-completed. */
  readonly completedByUser: Map<string, number>;
  timesCompleted: number;
  /** Largest first-announce left + downloaded, 0n when none. */
  sizeSeen: bigint;
  /** `interval` of the last reply for this torrent, or null. */
  replyInterval: number | null;
}

/** A fresh torrent. */
export function newTorrent<S>(infoHash: string): TorrentState<S> {
  return {
    infoHash,
    peers: new Map(),
    first: null,
    last: null,
    swarm: { seeders: 0, leechers: 0 },
    byUser: new Map(),
    completedByUser: new Map(),
    timesCompleted: 0,
    sizeSeen: 0n,
    replyInterval: null,
  };
}

/**
 * The slot of the peer whose peer_id is `peerId` on the torrent, created (unlisted, with sequence
 * `seq`) when new. Looked up by the raw bytes as latin1 text (one char per byte: the same keys as
 * hex, half as long); the hex the reports show is made when the session closes.
 */
export function slotOf<S>(t: TorrentState<S>, peerId: Uint8Array, seq: number): PeerSlot<S> {
  const key = rawKey(peerId);
  let slot = t.peers.get(key);
  if (slot === undefined) {
    slot = { raw: key, seq, row: null, prev: null, next: null, session: null, expiredRow: null, replyInterval: null, replyMinInterval: null };
    t.peers.set(key, slot);
  }
  return slot;
}

/** Bytes as latin1 text (one char per byte): a Map key that needs no hex. */
export function rawKey(b: Uint8Array): string {
  return latin1(b);
}

function unlink<S>(t: TorrentState<S>, slot: PeerSlot<S>): void {
  if (slot.prev === null) t.first = slot.next;
  else slot.prev.next = slot.next;
  if (slot.next === null) t.last = slot.prev;
  else slot.next.prev = slot.prev;
  slot.prev = slot.next = null;
}

function append<S>(t: TorrentState<S>, slot: PeerSlot<S>): void {
  slot.prev = t.last;
  slot.next = null;
  if (t.last === null) t.first = slot;
  else t.last.next = slot;
  t.last = slot;
}

/**
 * One seeder in a TorrentState.byUser count. The count stays exact while a user has fewer than
 * 2^26 peers of each kind listed on one torrent (far beyond what memory holds); it is a small
 * integer (no heap number) while the user has fewer than 32 seeders there.
 */
const USER_SEEDER = 2 ** 26;

function count(t: TorrentState<unknown>, row: PeerRow, by: 1 | -1): void {
  const u = (t.byUser.get(row.user) ?? 0) + (row.seeder ? by * USER_SEEDER : by);
  if (row.seeder) t.swarm.seeders += by;
  else t.swarm.leechers += by;
  if (u === 0) t.byUser.delete(row.user);
  else t.byUser.set(row.user, u);
}

/** Lists a row (insert, or update and move to the end so the order stays by lastTs). */
export function putRow<S>(t: TorrentState<S>, slot: PeerSlot<S>, row: PeerRow): void {
  if (slot.row !== null) {
    count(t, slot.row, -1);
    unlink(t, slot);
  }
  slot.row = row;
  append(t, slot);
  count(t, row, 1);
}

/** Unlists the peer's row; returns it, or undefined when it was not listed. */
export function removeRow<S>(t: TorrentState<S>, slot: PeerSlot<S>): PeerRow | undefined {
  const row = slot.row;
  if (row === null) return undefined;
  count(t, row, -1);
  unlink(t, slot);
  slot.row = null;
  return row;
}

/** A frozen copy of the swarm counts. */
export function swarmOf(t: TorrentState<unknown>): SwarmCount {
  return { seeders: t.swarm.seeders, leechers: t.swarm.leechers };
}

/** The user's listed peers on the torrent, written into `out` (reused by every step) and returned. */
export function userSwarm(t: TorrentState<unknown>, user: string, out: MutableSwarm): SwarmCount {
  const u = t.byUser.get(user) ?? 0;
  out.seeders = Math.floor(u / USER_SEEDER);
  out.leechers = u % USER_SEEDER;
  return out;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Lowercase hex of bytes. */
export function toHex(b: Uint8Array): string {
  // Buffer's hex is one flat string (a Map key is hashed right away; a rope would be flattened first)
  if (b.length >= 8) return Buffer.from(b.buffer, b.byteOffset, b.length).toString('hex');
  let s = '';
  for (let i = 0; i < b.length; i++) s += HEX[b[i]!]!;
  return s;
}

/** Nanoseconds to seconds (float). */
export function nsToSeconds(ns: bigint): number {
  return Number(ns) / 1e9;
}

/** Seconds to nanoseconds, rounded. */
export function secondsToNs(s: number): bigint {
  return BigInt(Math.round(s * 1e9));
}
