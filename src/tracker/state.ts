/**
 * The replayed tracker's tables: one TorrentState per info_hash holding its peer rows (TBSource's
 * `peers` table) and counts kept incrementally, so a step never scans the swarm.
 */
import { latin1 } from '../announce/bytes.js';
import { toHex } from '../announce/peer-id.js';
import { ExactColumn } from './exact-column.js';
import { NO_SESSION, NO_USER, PeerSlot, ROW_EXPIRED, ROW_LISTED, ROW_NONE, sameText, type UserEntry } from './peer-slot.js';
import type { LogStore } from './session-log.js';
import type { PeerRow, SwarmCount } from './types.js';

export { NO_SESSION, NO_USER, PeerSlot, ROW_EXPIRED, ROW_LISTED, ROW_NONE, type UserEntry };

/** Mutable counts of seeders and leechers. */
export interface MutableSwarm {
  seeders: number;
  leechers: number;
}

/** Counters per slot in TorrentTable.counters: the row's uploaded, downloaded and left, and its session's first left. */
const COUNTERS = 4;
/** Where, after a slot's three row counters, its open session's first `left` is (see sessionFirstLeft). */
const FIRST_LEFT = 3;

/**
 * Remembers `left` of the session's first announce (detectors ask for it on `completed`: reading it
 * back from the session's log meant reading the whole log, from the temp file once spilled).
 */
export function setSessionFirstLeft(table: TorrentTable, slot: PeerSlot, left: bigint | null): void {
  table.counters.set(slot.cell * COUNTERS + FIRST_LEFT, left);
}

/** `left` of the open session's first announce (set by setSessionFirstLeft when it was recorded). */
export function sessionFirstLeft(table: TorrentTable, slot: PeerSlot): bigint | null {
  return table.counters.get(slot.cell * COUNTERS + FIRST_LEFT);
}

/**
 * A step's copy of its peer's row before the step (the slot's row is updated in place, while
 * detectors and the profile read the values before it). Its lastTs is made only when read (no
 * reader needs it on most steps): it keeps the time's offset in the table's `times` column.
 */
export class RowCopy implements PeerRow {
  user = '';
  ip = '';
  port: number | null = null;
  uploaded = 0n;
  downloaded = 0n;
  left: bigint | null = null;
  seeder = false;
  leechersAtLast = 0;
  /** lastTs as an offset in `times` (when it is one), or its exact value. */
  private lastAt = 0;
  private lastExact: bigint | null = null;
  private times: ExactColumn | null = null;

  get lastTs(): bigint {
    return this.lastExact ?? this.times!.fromOffset(this.lastAt);
  }

  set lastTs(v: bigint) {
    this.lastExact = v;
  }

  /** Copies the row of `from`. */
  copy(from: PeerSlot, table: TorrentTable): this {
    const at = from.cell * COUNTERS;
    const counters = table.counters;
    this.user = from.user.name;
    this.ip = from.ip;
    this.port = from.port;
    this.uploaded = counters.get(at) ?? 0n;
    this.downloaded = counters.get(at + 1) ?? 0n;
    this.left = counters.get(at + 2);
    this.seeder = from.seeder;
    this.leechersAtLast = from.leechersAtLast;
    this.times = table.times;
    this.lastAt = table.times.offsetAt(from.cell);
    this.lastExact = this.lastAt >= 0 ? null : table.times.get(from.cell);
    return this;
  }
}

/**
 * One torrent of the replay. Listed rows are kept in order of last applied announce in a linked
 * list (`first` .. `last`), so expiry looks at the oldest row in O(1): a Map re-inserted on every
 * announce would leave holes at its front that every iteration has to skip.
 */
export interface TorrentState {
  readonly infoHash: string;
  /**
   * The info_hash bytes as latin1 text, and the next torrent with the same byteHash (see
   * TorrentTable). Text, not a Uint8Array: comparing reads one heap object, not three (array,
   * buffer, off-heap bytes), on every announce.
   */
  readonly raw: string;
  sameHash: TorrentState | null;
  /** Oldest and newest listed row by last applied announce. */
  first: PeerSlot | null;
  last: PeerSlot | null;
  readonly swarm: MutableSwarm;
  /**
   * Listed peers per user, for multi-location, as one number (seeders * USER_SEEDER + leechers)
   * instead of an object per user and torrent: most users have one peer listed on a torrent, so
   * this is one entry per listed peer.
   */
  readonly byUser: Map<string, number>;
  /** Changes made to byUser so far: a step whose count did not move reuses its user's count. */
  recounts: number;
  /**
   * The swarm counts as steps hand them out (immutable), and `recounts` when they were taken:
   * most steps change no count and share the previous step's object.
   */
  shownSwarm: SwarmCount | null;
  shownAt: number;
  /**
   * `completed` events per user (every one seen, counted or not), for duplicate-completed; null
   * until the torrent's first `completed` (an empty Map is about 170 bytes per torrent).
   */
  completedByUser: Map<string, number> | null;
  timesCompleted: number;
  /** Largest first-announce left + downloaded, 0n when none. */
  sizeSeen: bigint;
  /** `interval` of the last reply for this torrent, or null. */
  replyInterval: number | null;
}

/** A fresh torrent; `raw` is its info_hash bytes. */
export function newTorrent(infoHash: string, raw: Uint8Array = new Uint8Array(0)): TorrentState {
  return {
    infoHash,
    raw: latin1(raw),
    sameHash: null,
    first: null,
    last: null,
    swarm: { seeders: 0, leechers: 0 },
    byUser: new Map(),
    recounts: 0,
    shownSwarm: null,
    shownAt: 0,
    completedByUser: null,
    timesCompleted: 0,
    sizeSeen: 0n,
    replyInterval: null,
  };
}

/**
 * A hash of bytes folded to 30 bits: a Map key that is a small integer. Looking peers and torrents
 * up by it needs no string per announce (a 20-char key built and hashed for the torrent and the
 * peer on every announce); equal hashes are told apart by comparing the bytes. Mixes 4 bytes at a
 * time: a byte-wise FNV cost twice a latin1 key, this about 3/4 of one.
 */
export function byteHash(b: Uint8Array): number {
  const n = b.length;
  let h = n;
  let i = 0;
  for (; i + 4 <= n; i += 4) h = Math.imul(h ^ (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)), 0x9e3779b1) ^ (h >>> 15);
  for (; i < n; i++) h = Math.imul(h ^ b[i]!, 0x9e3779b1);
  return (h ^ (h >>> 16)) >>> 2;
}


/**
 * Torrents by info_hash bytes (see byteHash), in order of first appearance, and the peer slots
 * of the (torrent, peer_id) pairs in use: a slot the replay no longer needs is forgotten (see
 * IdleSlots), and its cell in the columns is given to the next new slot.
 */
export class TorrentTable {
  private readonly byHash = new Map<number, TorrentState>();
  /** The counters of every peer slot's row and session, COUNTERS per slot at COUNTERS * cell (see RowCopy). */
  readonly counters = new ExactColumn();
  /**
   * The time of every peer slot's last applied announce, at its cell (the replay sets its base to
   * its first announce's time: times then fit a double exactly, and compare as doubles).
   */
  readonly times = new ExactColumn();
  /** By lowercase hex info_hash, in order of first appearance. */
  readonly byHex = new Map<string, TorrentState>();
  /**
   * Every peer slot by pairHash of its info_hash and peer_id (a small integer: no string per
   * lookup); slots whose pairs share a hash are chained through PeerSlot.sameHash.
   */
  private readonly peers = new Map<number, PeerSlot>();
  /** Cells of forgotten slots, for new ones (so the columns grow with the slots in use, not with every pair seen). */
  private readonly freeCells: number[] = [];
  /** The next cell never used, and the next slot's PeerSlot.order. */
  private cells = 0;
  private orders = 0;
  /** Slots in use (made and not forgotten). */
  size = 0;

  /** The torrent of `infoHash`, created when new. */
  of(infoHash: Uint8Array): TorrentState {
    const h = byteHash(infoHash);
    const head = this.byHash.get(h);
    for (let t: TorrentState | null = head ?? null; t !== null; t = t.sameHash) if (sameText(t.raw, infoHash)) return t;
    const hex = toHex(infoHash);
    let t = this.byHex.get(hex);
    if (t === undefined) this.byHex.set(hex, (t = newTorrent(hex, infoHash)));
    t.sameHash = head ?? null;
    this.byHash.set(h, t);
    return t;
  }

  /** The torrent whose hex info_hash is `hex` (it must exist). */
  get(hex: string): TorrentState {
    return this.byHex.get(hex)!;
  }

  /**
   * The slot of the peer whose peer_id is `peerId` on the torrent `infoHash`, created (unlisted,
   * next in order of appearance) when new. One lookup by pairHash of both (the torrent is the slot's):
   * a torrent lookup and then a peer lookup in the torrent were two hash-table probes per
   * announce. The slot keeps the peer_id as latin1 text (one char per byte), which the session
   * shares; the hex the reports show is made when the session closes.
   */
  peer(infoHash: Uint8Array, peerId: Uint8Array, store: LogStore): PeerSlot {
    const h = pairHash(infoHash, peerId);
    const head = this.peers.get(h);
    for (let s: PeerSlot | null = head ?? null; s !== null; s = s.sameHash) if (s.is(peerId) && sameText(s.torrent.raw, infoHash)) return s;
    return this.add(h, head ?? null, infoHash, peerId, store);
  }

  /**
   * A new slot for the pair (see peer), at the head of its pairHash `h` chain. Apart from peer, so
   * that the lookup every announce makes stays small enough for the compiler to inline whole.
   */
  private add(h: number, head: PeerSlot | null, infoHash: Uint8Array, peerId: Uint8Array, store: LogStore): PeerSlot {
    const cell = this.freeCells.length > 0 ? this.freeCells.pop()! : this.cells++;
    const slot = new PeerSlot(store, latin1(peerId), cell, this.orders++, this.of(infoHash));
    slot.sameHash = head;
    this.peers.set(h, slot);
    this.size++;
    return slot;
  }

  /**
   * Forgets an idle slot (no open session, no listed row: PeerSlot.idle): its pair is new to the
   * table afterwards, and its cell goes to the next new slot. Rare (once per pair at most), so the
   * pair's bytes are made again from the slot's texts rather than kept.
   */
  forget(slot: PeerSlot): void {
    const h = pairHash(Buffer.from(slot.torrent.raw, 'latin1'), Buffer.from(slot.raw, 'latin1'));
    const head = this.peers.get(h);
    if (head === slot) {
      if (slot.sameHash === null) this.peers.delete(h);
      else this.peers.set(h, slot.sameHash);
    } else {
      let s = head!;
      while (s.sameHash !== slot) s = s.sameHash!;
      s.sameHash = slot.sameHash;
    }
    slot.sameHash = null;
    // nulls drop any exact value kept beside the column for the old slot
    const at = slot.cell * COUNTERS;
    for (let i = 0; i < COUNTERS; i++) this.counters.set(at + i, null);
    this.times.set(slot.cell, null);
    this.freeCells.push(slot.cell);
    this.size--;
  }

  /** Every peer slot in use. */
  *slots(): Generator<PeerSlot> {
    for (const head of this.peers.values()) for (let s: PeerSlot | null = head; s !== null; s = s.sameHash) yield s;
  }
}

/** byteHash of two byte strings together (30 bits). */
export function pairHash(a: Uint8Array, b: Uint8Array): number {
  return (Math.imul(byteHash(a) ^ 0x2545f491, 0x9e3779b1) ^ byteHash(b)) >>> 2;
}

function unlink(t: TorrentState, slot: PeerSlot): void {
  if (slot.prev === null) t.first = slot.next;
  else slot.prev.next = slot.next;
  if (slot.next === null) t.last = slot.prev;
  else slot.next.prev = slot.prev;
  slot.prev = slot.next = null;
}

function append(t: TorrentState, slot: PeerSlot): void {
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

function count(t: TorrentState, user: string, seeder: boolean, by: 1 | -1): void {
  const u = (t.byUser.get(user) ?? 0) + (seeder ? by * USER_SEEDER : by);
  if (seeder) t.swarm.seeders += by;
  else t.swarm.leechers += by;
  t.recounts++;
  if (u === 0) t.byUser.delete(user);
  else t.byUser.set(user, u);
}

/**
 * Lists the slot's row with the given values (insert, or update and move to the end so the order
 * stays by lastTs). `leechersAtLast` is set to the torrent's leechers afterwards.
 */
export function putRow(
  t: TorrentState, table: TorrentTable, slot: PeerSlot, user: UserEntry, ip: string, port: number | null,
  uploaded: bigint, downloaded: bigint, left: bigint | null, seeder: boolean, lastTs: bigint,
): void {
  // a re-announce of a listed peer usually keeps its user and seeder flag: its counts stay as they are
  const listed = slot.rowState === ROW_LISTED;
  const recount = !listed || slot.user !== user || slot.seeder !== seeder;
  // the newest row stays where it is
  const move = !listed || t.last !== slot;
  if (listed) {
    if (recount) count(t, slot.user.name, slot.seeder, -1);
    if (move) unlink(t, slot);
  }
  slot.rowState = ROW_LISTED;
  slot.user = user;
  slot.ip = ip;
  slot.port = port;
  const at = slot.cell * COUNTERS;
  table.counters.set(at, uploaded);
  table.counters.set(at + 1, downloaded);
  table.counters.set(at + 2, left);
  slot.seeder = seeder;
  table.times.set(slot.cell, lastTs);
  if (move) append(t, slot);
  if (recount) count(t, user.name, seeder, 1);
  slot.leechersAtLast = t.swarm.leechers;
}

/**
 * Unlists the peer's row, leaving it as `state` (ROW_EXPIRED keeps its values for the late
 * announce); returns false when it was not listed.
 */
export function removeRow(t: TorrentState, slot: PeerSlot, state: number): boolean {
  if (slot.rowState !== ROW_LISTED) return false;
  count(t, slot.user.name, slot.seeder, -1);
  unlink(t, slot);
  slot.rowState = state;
  return true;
}

/** An immutable copy of the swarm counts (the same object until a count changes). */
export function swarmOf(t: TorrentState): SwarmCount {
  if (t.shownSwarm === null || t.shownAt !== t.recounts) {
    t.shownSwarm = { seeders: t.swarm.seeders, leechers: t.swarm.leechers };
    t.shownAt = t.recounts;
  }
  return t.shownSwarm;
}

/** The user's listed peers on the torrent, written into `out` (reused by every step) and returned. */
export function userSwarm(t: TorrentState, user: string, out: MutableSwarm): SwarmCount {
  const u = t.byUser.get(user) ?? 0;
  out.seeders = Math.floor(u / USER_SEEDER);
  out.leechers = u % USER_SEEDER;
  return out;
}

/**
 * The user's listed peers on a torrent before a step's changes, looked up only when read or just
 * before the step changes a count (settle): most steps change no count, and then the only reader
 * (multi-location) needs no numbers. Reused by every step (reset).
 */
export class UserPeersBefore implements SwarmCount {
  private t: TorrentState | null = null;
  private user = '';
  private settled = false;
  private s = 0;
  private l = 0;

  /** Starts a step of `user` on `t`. */
  reset(t: TorrentState, user: string): void {
    this.t = t;
    this.user = user;
    this.settled = false;
  }

  /** Takes the counts now: call it before the step changes any of them. */
  settle(): void {
    if (this.settled) return;
    const u = this.t!.byUser.get(this.user) ?? 0;
    this.s = Math.floor(u / USER_SEEDER);
    this.l = u % USER_SEEDER;
    this.settled = true;
  }

  get seeders(): number {
    this.settle();
    return this.s;
  }

  get leechers(): number {
    this.settle();
    return this.l;
  }
}

/** Nanoseconds to seconds (float). */
export function nsToSeconds(ns: bigint): number {
  return Number(ns) / 1e9;
}

/** Seconds to nanoseconds, rounded. */
export function secondsToNs(s: number): bigint {
  return BigInt(Math.round(s * 1e9));
}
