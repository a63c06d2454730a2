/**
 * What step detectors read of the session's first and previous announce, as views over the peer
 * slot and its log: reused for every step (the replay points them at the step's slot), so no
 * object is made per announce.
 */
import type { Announce } from '../announce/types.js';
import { sessionFirstLeft, type PeerSlot, type TorrentTable } from './state.js';

/**
 * The session's first announce: its port is the slot's, its left is kept in the table's counters
 * column when the session records it. Before its first record, the first announce is the current one.
 */
export class FirstView {
  session: PeerSlot | null = null;
  a: Announce | null = null;
  constructor(private readonly table: TorrentTable) {}
  get left(): bigint | null {
    return this.session!.length > 0 ? sessionFirstLeft(this.table, this.session!) : this.a!.left;
  }
  get port(): number | null {
    return this.session!.firstPort;
  }
}

/** The session's previous announce (only shown to detectors when there is one). */
export class PrevView {
  session: PeerSlot | null = null;
  get downloaded(): bigint | null {
    return this.session!.lastDownloaded();
  }
}
