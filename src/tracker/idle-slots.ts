/**
 * Forgetting the peer slots nothing depends on any more, so the replay's memory follows the
 * (torrent, peer_id) pairs in use, not every pair a long capture has seen: real clients pick a new
 * peer_id on every start, and a day of a busy tracker is millions of pairs that never come back.
 *
 * A slot is idle when it has no open session and no listed row (PeerSlot.idle): its peer stopped
 * (and the `stopped` echo window passed), or its row expired after its session had closed. What
 * an idle slot still holds is read only if the same peer_id announces the same torrent again:
 * - always: its order of first appearance (finish() closes the sessions still open in that order)
 *   and its last reply's `interval` and `min interval` (the peer's dead time and announce-too-soon
 *   go by them until its next reply says otherwise);
 * - after expiry (ROW_EXPIRED): the expired row, which makes the late announce `late-announce`
 *   (with the credit it loses), an `expired` state and no nonzero-baseline.
 * None of these has a natural end: a peer_id can come back at any time. So a slot is forgotten
 * after a generous horizon of capture time with no step: HORIZON_DEAD_TIMES times its dead time,
 * and at least MIN_HORIZON_SECONDS. A client keeps its peer_id only while it runs; one that stopped
 * a torrent and resumes it much later, or one that comes back long after its row expired, is new
 * to the replay then (see README, "Limits worth knowing"). The idle slots kept are then those that
 * stopped within the horizon: a bounded multiple of the listed ones for a steady tracker.
 *
 * A vanished peer (PeerSlot.vanished: its session open with no listed row and no `stopped`: its
 * row expired, or the tracker refused it and never listed it) waits in the same queue: its session is closed, as at the end of the input, and its
 * slot forgotten once VANISHED_HORIZON_SECONDS have passed since it was queued with no step.
 */
import type { PeerSlot, TorrentState, TorrentTable } from './state.js';

/** Dead times of silence after which an idle slot is forgotten (TBSource's default dead time, 2340 s: 2.6 h). */
export const HORIZON_DEAD_TIMES = 4;
/** The shortest horizon, s (a --dead-time or interval of a few seconds must not make it minutes). */
export const MIN_HORIZON_SECONDS = 2 * 3600;
/**
 * Silence after its row expired (s) after which a vanished peer's session is closed and its pair
 * forgotten (see PeerSlot.vanished). Longer than the idle horizon: a peer that vanished without
 * `stopped` (killed, crashed, a laptop put to sleep) often comes back with the same peer_id, and
 * its late announce continues the session and says what the tracker lost in between; a day covers
 * a night's sleep. Peers that vanish are common (ghost peers), so without a limit a capture of
 * many days would keep every one of them.
 */
export const VANISHED_HORIZON_SECONDS = 24 * 3600;

/**
 * Idle slots in the order they became idle (a FIFO, so a step looks only at its head: O(1)
 * amortised), each with the capture time (ns after the table's time base, as a double) when it is
 * forgotten. A slot is in the queue at most once; a peer that steps while its slot waits leaves a
 * mark (PeerSlot.noteStep), and the entry then waits again from when it comes due, or is dropped
 * when the slot is in use.
 */
export class IdleSlots {
  private slots: (PeerSlot | null)[] = new Array<PeerSlot | null>(1024).fill(null);
  private dueAt = new Float64Array(1024);
  /** When each entry's slot began to wait (ns, as dueAt): a vanished peer's silence is counted from it. */
  private since = new Float64Array(1024);
  /** Index of the head, and the number of entries (the ring's size is a power of two). */
  private head = 0;
  private count = 0;
  /** The latest step's capture time (ns after the table's time base, as a double): set by sweep. */
  private now = 0;
  /** Slots forgotten so far. */
  forgotten = 0;

  /** Vanished peers whose session was closed (their slots then forgotten) so far. */
  closedVanished = 0;

  /**
   * `deadTimeOf`: the peer's dead time, s (Expiry.deadTimeFor); `closeSession`: closes a vanished
   * peer's open session (as at the end of the input).
   */
  constructor(
    private readonly table: TorrentTable,
    private readonly deadTimeOf: (slot: PeerSlot, t: TorrentState) => number,
    private readonly closeSession: (slot: PeerSlot) => void,
  ) {}

  /** Entries waiting. */
  get waiting(): number {
    return this.count;
  }

  /**
   * The slot became idle, or its peer vanished (PeerSlot.vanished), now: it is
   * forgotten after its horizon unless its peer steps before. A vanished peer's entry comes due
   * every horizon until VANISHED_HORIZON_SECONDS of silence have passed.
   */
  add(slot: PeerSlot, t: TorrentState): void {
    if (slot.waitIdle()) this.push(slot, this.now + this.horizonNs(slot, t), this.now);
  }

  /**
   * Starts a step at `at` (ns after the table's time base, as a double; the clock keeps the
   * latest): forgets the waiting slots due before it. Call it before the step looks its peer up.
   */
  sweep(at: number): void {
    if (at > this.now) this.now = at;
    const now = this.now;
    // most steps: the head is not due (or nothing waits), known with one comparison
    while (this.count > 0 && this.dueAt[this.head]! < now) {
      const slot = this.slots[this.head]!;
      const since = this.since[this.head]!;
      this.slots[this.head] = null;
      this.head = (this.head + 1) & (this.slots.length - 1);
      this.count--;
      const stepped = slot.endWait();
      const vanished = slot.vanished;
      if (!slot.idle && !vanished) continue; // in use again: it waits again when it next becomes idle or vanishes
      if (stepped) {
        // idle or vanished again since some time after it was queued: wait a whole horizon from now
        slot.waitIdle();
        this.push(slot, now + this.horizonNs(slot, slot.torrent), now);
        continue;
      }
      if (vanished) {
        if (now - since < VANISHED_HORIZON_SECONDS * 1e9) {
          slot.waitIdle();
          this.push(slot, now + this.horizonNs(slot, slot.torrent), since);
          continue;
        }
        // silent for a day: its session ends as it would at the end of the input
        this.closeSession(slot);
        this.closedVanished++;
      }
      this.table.forget(slot);
      this.forgotten++;
    }
  }

  /** The slot's horizon in ns. */
  private horizonNs(slot: PeerSlot, t: TorrentState): number {
    return Math.max(MIN_HORIZON_SECONDS, HORIZON_DEAD_TIMES * this.deadTimeOf(slot, t)) * 1e9;
  }

  private push(slot: PeerSlot, due: number, since: number): void {
    if (this.count === this.slots.length) this.grow();
    const i = (this.head + this.count) & (this.slots.length - 1);
    this.slots[i] = slot;
    this.dueAt[i] = due;
    this.since[i] = since;
    this.count++;
  }

  /** Doubles the ring, its entries in order from index 0. */
  private grow(): void {
    const n = this.slots.length;
    const slots = new Array<PeerSlot | null>(n * 2).fill(null);
    const dueAt = new Float64Array(n * 2);
    const since = new Float64Array(n * 2);
    for (let k = 0; k < n; k++) {
      const i = (this.head + k) & (n - 1);
      slots[k] = this.slots[i]!;
      dueAt[k] = this.dueAt[i]!;
      since[k] = this.since[i]!;
    }
    this.slots = slots;
    this.dueAt = dueAt;
    this.since = since;
    this.head = 0;
  }
}
