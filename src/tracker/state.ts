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

/** One torrent of the replay. Rows are kept in order of last applied announce (Map order). */
export interface TorrentState {
  readonly infoHash: string;
  readonly rows: Map<string, PeerRow>;
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
    swarm: { seeders: 0, leechers: 0 },
    byUser: new Map(),
    completedByUser: new Map(),
    timesCompleted: 0,
    sizeSeen: 0n,
    replyInterval: null,
  };
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

/** Lists a row (insert, or re-insert after an update so the Map stays ordered by lastTs). */
export function putRow(t: TorrentState, peer: string, row: PeerRow): void {
  const old = t.rows.get(peer);
  if (old !== undefined) {
    count(t, old, -1);
    t.rows.delete(peer);
  }
  t.rows.set(peer, row);
  count(t, row, 1);
}

/** Deletes a row; returns it, or undefined when it was not listed. */
export function removeRow(t: TorrentState, peer: string): PeerRow | undefined {
  const old = t.rows.get(peer);
  if (old === undefined) return undefined;
  count(t, old, -1);
  t.rows.delete(peer);
  return old;
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

/** Lowercase hex of bytes. */
export function toHex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
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
