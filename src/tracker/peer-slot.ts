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
   * rowState, seeder and state (below) packed in one small integer: as three fields they cost
   * 24 bytes per slot. Bits 0-1: rowState; bit 2: seeder; bits 3-5: state's index in PEER_STATES.
   */
  private flags = 0;
  /** The row's user (an entry, not its name: a step reads the user's totals with no lookup). */
  user: UserEntry = NO_USER;
  ip = '';
  port: number | null = null;
  /**
   * The row's time and counters are not fields: its last applied announce's time is in the
   * table's `times` column at `seq`, its uploaded, downloaded and left in its `counters` column at
   * COUNTERS * seq (see TorrentTable), as doubles when exact, with its session's first left.
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
    /** Order of first appearance across all torrents (finish() closes sessions in this order). */
    readonly seq: number,
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
    return PEER_STATES[this.flags >> 3]!;
  }

  set state(v: PeerState) {
    this.flags = (this.flags & 7) | (stateCode(v) << 3);
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

/** True when `b` is the bytes of `raw` (latin1 text, compared char by byte). */
export function sameText(raw: string, b: Uint8Array): boolean {
  if (raw.length !== b.length) return false;
  for (let i = 0; i < b.length; i++) if (raw.charCodeAt(i) !== b[i]) return false;
  return true;
}
