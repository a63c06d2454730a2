/**
 * The replayed tracker's tables: one TorrentState per info_hash holding its peer rows (TBSource's
 * `peers` table) and counts kept incrementally, so a step never scans the swarm.
 */
import type { PeerRow, SwarmCount } from './types.js';

/** Mutable counts of seeders and leechers. */
export interface MutableSwarm {
  seeders: number;
  leechers: number;
}

/** A listed row and its place in the torrent's order of last applied announce. */
export interface RowSlot {
  readonly peer: string;
  row: PeerRow;
  /** The replay's own record for this peer (saves a lookup by a composite key per expiry check). */
  owner: object | null;
  prev: RowSlot | null;
  next: RowSlot | null;
}

/**
 * One torrent of the replay. Rows are kept in order of last applied announce in a linked list
 * (`first` .. `last`), so expiry looks at the oldest row in O(1): a Map re-inserted on every
 * announce would leave holes at its front that every iteration has to skip.
 */
export interface TorrentState {
  readonly infoHash: string;
  /** Listed rows by peer_id hex. */
  readonly rows: Map<string, RowSlot>;
  /** Oldest and newest row by last applied announce. */
  first: RowSlot | null;
  last: RowSlot | null;
  readonly swarm: MutableSwarm;
  /** Listed peers per user, for multi-location. */
  readonly byUser: Map<string, MutableSwarm>;
  /** `completed` events per user (every one seen, counted or not), for duplicate-completed. */
  readonly completedByUser: Map<string, number>;
  timesCompleted: number;
  /** Largest first-announce left + downloaded, 0n when none. */
  sizeSeen: bigint;
  /** `interval` of the last reply for this torrent, or null. */
  replyInterval: number | null;
}

/** A fresh torrent. */
export function newTorrent(infoHash: string): TorrentState {
  return {
    infoHash,
    rows: new Map(),
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

/** The row of a peer, or undefined when it is not listed. */
export function getRow(t: TorrentState, peer: string): PeerRow | undefined {
  return t.rows.get(peer)?.row;
}

function unlink(t: TorrentState, slot: RowSlot): void {
  if (slot.prev === null) t.first = slot.next;
  else slot.prev.next = slot.next;
  if (slot.next === null) t.last = slot.prev;
  else slot.next.prev = slot.prev;
  slot.prev = slot.next = null;
}

function append(t: TorrentState, slot: RowSlot): void {
  slot.prev = t.last;
  slot.next = null;
  if (t.last === null) t.first = slot;
  else t.last.next = slot;
  t.last = slot;
}

function count(t: TorrentState, row: PeerRow, by: 1 | -1): void {
  const u = t.byUser.get(row.user) ?? { seeders: 0, leechers: 0 };
  if (row.seeder) {
    t.swarm.seeders += by;
    u.seeders += by;
  } else {
    t.swarm.leechers += by;
    u.leechers += by;
  }
  if (u.seeders === 0 && u.leechers === 0) t.byUser.delete(row.user);
  else t.byUser.set(row.user, u);
}

/** Lists a row (insert, or update and move to the end so the order stays by lastTs). */
export function putRow(t: TorrentState, peer: string, row: PeerRow, owner: object | null = null): void {
  let slot = t.rows.get(peer);
  if (slot !== undefined) {
    count(t, slot.row, -1);
    unlink(t, slot);
    slot.row = row;
    slot.owner = owner;
  } else {
    slot = { peer, row, owner, prev: null, next: null };
    t.rows.set(peer, slot);
  }
  append(t, slot);
  count(t, row, 1);
}

/** Deletes a row; returns it, or undefined when it was not listed. */
export function removeRow(t: TorrentState, peer: string): PeerRow | undefined {
  const slot = t.rows.get(peer);
  if (slot === undefined) return undefined;
  count(t, slot.row, -1);
  unlink(t, slot);
  t.rows.delete(peer);
  return slot.row;
}

/** A frozen copy of the swarm counts. */
export function swarmOf(t: TorrentState): SwarmCount {
  return { seeders: t.swarm.seeders, leechers: t.swarm.leechers };
}

/** The user's listed peers on the torrent. */
export function userSwarm(t: TorrentState, user: string): SwarmCount {
  const u = t.byUser.get(user);
  return { seeders: u?.seeders ?? 0, leechers: u?.leechers ?? 0 };
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
