/**
 * Sessions that ended with `stopped`, waiting out the echo window before they close: clients often
 * send `stopped` twice within a few seconds, and the second one belongs to the session that just
 * ended, not to a new one.
 */
import type { PeerSlot, TorrentState } from './state.js';

export class StopEchoes {
  /** The echo window, ns. */
  readonly windowNs: bigint;
  /** Waiting peers in the order they stopped (a Map: closing one early is O(1)), with their torrent. */
  private readonly waiting = new Map<PeerSlot, TorrentState>();
  /** The latest `stoppedAt` in `waiting`, and whether `waiting` is in `stoppedAt` order. */
  private latest = 0n;
  private sorted = true;
  /**
   * No entry of `waiting` is due before this time: the earliest `stoppedAt` + window when it was
   * last known (closing an entry early leaves it lower than it could be, never higher).
   */
  private due = 0n;

  /** `close` ends a waiting peer's session; it must call forget() for it. */
  constructor(
    windowNs: bigint,
    private readonly close: (t: TorrentState, slot: PeerSlot) => void,
  ) {
    this.windowNs = windowNs;
  }

  /** True when a `stopped` at `ts` echoes the one at `stoppedAt` (the peer's session then goes on). */
  isEcho(stoppedAt: bigint, ts: bigint): boolean {
    return ts - stoppedAt <= this.windowNs;
  }

  /** Starts the peer's wait (its `stoppedAt` is set). */
  add(slot: PeerSlot, t: TorrentState): void {
    const at = slot.stoppedAt ?? 0n;
    const due = at + this.windowNs;
    if (this.waiting.size === 0) {
      this.sorted = true;
      this.latest = at;
      this.due = due;
    } else {
      if (at < this.latest) this.sorted = false;
      else this.latest = at;
      if (due < this.due) this.due = due;
    }
    this.waiting.set(slot, t);
  }

  /** Ends the peer's wait (its session is closing). */
  forget(slot: PeerSlot): void {
    this.waiting.delete(slot);
  }

  /** Closes the sessions whose window has passed at `now`; null: all of them (end of input). */
  flush(now: bigint | null): void {
    // most steps: nothing waiting is due yet, known without looking at the entries
    if (this.waiting.size === 0 || (now !== null && now <= this.due)) return;
    let low: bigint | null = null;
    for (const [slot, t] of this.waiting) {
      const at = slot.stoppedAt ?? 0n;
      if (now !== null && now - at <= this.windowNs) {
        if (low === null || at < low) low = at;
        // in stoppedAt order every later one is inside the window too
        if (this.sorted) break;
        continue;
      }
      this.close(t, slot); // forgets it (deleting from a Map while iterating it is safe)
    }
    if (low !== null) this.due = low + this.windowNs;
  }
}
