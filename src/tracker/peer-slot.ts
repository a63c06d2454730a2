/**
 * What the replay keeps per (torrent, peer_id): the peer slot (its row, its open session and its
 * log) and the user entries rows point to. The tables that find slots and count them are state.ts.
 */
import { PEER_STATES, stateCode } from './peer-state.js';
import { SessionLog, type LogStore } from './session-log.js';
import type { TorrentState } from './state.js';
import type { Counters, PeerState } from './types.js';

/**
 * One user of the replay (a passkey or an address): its name, one string per user, and its credit
 * so far, an immutable Counters replaced when it changes (a step hands it out as its totals).
 */
export interface UserEntry {
  readonly name: string;
  totals: Counters;
  /** Whether a step has been replayed for the user (the users the summary lists). */
  stepped: boolean;
}

/** The user of a slot that never had a row. */
export const NO_USER: UserEntry = Object.freeze({ name: '', totals: { uploaded: 0n, downloaded: 0n }, stepped: false });

/** Where a slot's row stands: never listed (or removed by `stopped`), listed, or dropped by expiry. */
export const ROW_NONE = 0;
export const ROW_LISTED = 1;
export const ROW_EXPIRED = 2;

/**
 * Everything the replay keeps per (torrent, peer_id): its row (listed, or the one expiry dropped,
 * kept for the peer's late announce), its place in the torrent's order of last applied announce,
 * the intervals of its last reply, and its open session, whose log the slot is. One object per
 * peer, its row updated in place: a row object per applied announce was a 96-byte allocation on
 * nearly every step. A peer has at most one open session (a new one opens only after the last
 * one closed), so the session lives in the slot too: as an object of its own, with the torrent and
 * peer_id it repeated, it cost about 130 bytes more per open peer.
 */
export class PeerSlot extends SessionLog {
  /**
   * rowState, seeder and state (below) and the slot's two idle-queue marks packed in one small
   * integer: as fields they cost 8 bytes each per slot. Bits 0-1: rowState; bit 2: seeder; bits
   * 3-5: state's index in PEER_STATES; bit 6: QUEUED; bit 7: STEPPED (see waitIdle).
   */
  private flags = 0;
  /** The row's user (an entry, not its name: a step reads the user's totals with no lookup). */
  user: UserEntry = NO_USER;
  ip = '';
  port: number | null = null;
  /**
   * The row's time and counters are not fields: its last applied announce's time is in the
   * table's `times` column at `cell`, its uploaded, downloaded and left in its `counters` column at
   * COUNTERS * cell (see TorrentTable), as doubles when exact, with its session's first left.
   */
  leechersAtLast = 0;
  prev: PeerSlot | null = null;
  next: PeerSlot | null = null;
  /** The next slot whose (info_hash, peer_id) has the same pairHash (see TorrentTable.peer). */
  sameHash: PeerSlot | null = null;
  replyInterval: number | null = null;
  replyMinInterval: number | null = null;
  /** The open session's index, or NO_SESSION. The fields below describe it while there is one. */
  session = NO_SESSION;
  /** User and address of the session's first announce (the report's session user and ip). */
  sessionUser = '';
  sessionIp = '';
  /** Port of the session's first announce (what TBSource stores in the peer row). */
  firstPort: number | null = null;
  /** Time of the `stopped` that ended the session, or null while open. */
  stoppedAt: bigint | null = null;

  constructor(
    store: LogStore,
    /**
     * The peer_id bytes as latin1 text (its hex and text are made only when a session closes).
     */
    readonly raw: string,
    /**
     * The slot's place in the table's columns (`times` at cell, `counters` at COUNTERS * cell):
     * given back when the slot is forgotten (TorrentTable.forget), and then reused by a new slot.
     */
    readonly cell: number,
    /**
     * Order of first appearance across all torrents (finish() closes sessions in this order); a
     * pair forgotten and seen again is a new slot, ordered by its return.
     */
    readonly order: number,
    readonly torrent: TorrentState,
  ) {
    super(store);
  }

  /** ROW_NONE, ROW_LISTED or ROW_EXPIRED: whether the row means anything. */
  get rowState(): number {
    return this.flags & 3;
  }

  set rowState(v: number) {
    this.flags = (this.flags & ~3) | v;
  }

  /** Whether the row is a seeder's. */
  get seeder(): boolean {
    return (this.flags & 4) !== 0;
  }

  set seeder(v: boolean) {
    this.flags = v ? this.flags | 4 : this.flags & ~4;
  }

  /** The session's state after its last announce. */
  get state(): PeerState {
    return PEER_STATES[(this.flags & STATE_BITS) >> 3]!;
  }

  set state(v: PeerState) {
    this.flags = (this.flags & ~STATE_BITS) | (stateCode(v) << 3);
  }

  /** True when nothing of the slot is in use: no open session and no listed row (see IdleSlots). */
  get idle(): boolean {
    return this.session === NO_SESSION && (this.flags & 3) !== ROW_LISTED;
  }

  /**
   * True when the peer's session is open without a listed row and without `stopped`: its row
   * expired (the peer was killed, crashed or is asleep), or the tracker refused it and never listed
   * it. Its session stays open for a late announce, for a while (IdleSlots).
   */
  get vanished(): boolean {
    return this.session !== NO_SESSION && (this.flags & 3) !== ROW_LISTED && this.stoppedAt === null;
  }

  /** Marks a step of the peer (after any waitIdle of the step): the idle queue tells from it that the slot was used again. */
  noteStep(): void {
    this.flags |= STEPPED;
  }

  /**
   * Marks the slot as waiting in the idle queue, with no step since; false when it waits already
   * (its one entry then finds the STEPPED mark when it comes due, and waits again).
   */
  waitIdle(): boolean {
    if ((this.flags & QUEUED) !== 0) return false;
    this.flags = (this.flags | QUEUED) & ~STEPPED;
    return true;
  }

  /** Takes the slot out of the idle queue; true when the peer stepped while it waited. */
  endWait(): boolean {
    const stepped = (this.flags & STEPPED) !== 0;
    this.flags &= ~(QUEUED | STEPPED);
    return stepped;
  }

  /** True when the peer_id is `b`. */
  is(b: Uint8Array): boolean {
    return sameText(this.raw, b);
  }

  /** Starts a session (the previous one must be closed: its log released). */
  open(index: number, user: string, ip: string, port: number | null): void {
    this.session = index;
    this.sessionUser = user;
    this.sessionIp = ip;
    this.firstPort = port;
    this.state = 'none';
    this.stoppedAt = null;
  }
}

/** PeerSlot.session of a slot without an open session. */
export const NO_SESSION = -1;

/** PeerSlot.flags: the state's bits; the slot has an entry in the idle queue; it stepped since that entry. */
const STATE_BITS = 7 << 3;
const QUEUED = 1 << 6;
const STEPPED = 1 << 7;

/** True when `b` is the bytes of `raw` (latin1 text, compared char by byte). */
export function sameText(raw: string, b: Uint8Array): boolean {
  if (raw.length !== b.length) return false;
  for (let i = 0; i < b.length; i++) if (raw.charCodeAt(i) !== b[i]) return false;
  return true;
}
