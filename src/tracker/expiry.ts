/**
 * Row expiry: a listed peer silent for longer than its dead time is dropped from the swarm and
 * remembered as expired, so its late announce is judged as the tracker would (not as new).
 * The dead time follows the peer's announce interval (--interval, else the last reply's, else the
 * profile's default), so it is worked out per peer.
 */
import type { ExactColumn } from './exact-column.js';
import type { IdleSlots } from './idle-slots.js';
import { NO_SESSION, removeRow, ROW_EXPIRED, secondsToNs, type PeerSlot, type TorrentState } from './state.js';
import type { Rules } from './types.js';

export class Expiry {
  /** Last dead time converted to ns (it rarely changes; a BigInt per conversion is an allocation). */
  private deadSeconds = NaN;
  private deadNsValue = 0n;
  /** deadNs's last answer as a double, for ExactColumn.exceeds (read right after calling deadNs). */
  deadNsNumber = 0;

  /**
   * `interval` and `deadTime` are the options overriding the replies and the profile (undefined
   * when not given); `times` is the table's column of every slot's last applied announce; `idle`
   * takes the slots whose row expires after their session closed.
   */
  constructor(
    private readonly rules: Rules,
    private readonly interval: number | undefined,
    private readonly deadTime: number | undefined,
    private readonly times: ExactColumn,
    private readonly idle: IdleSlots,
  ) {}

  /** The announce interval (s) the peer is held to. */
  intervalFor(slot: PeerSlot, t: TorrentState): number {
    return this.interval ?? slot.replyInterval ?? t.replyInterval ?? this.rules.defaultInterval;
  }

  /** The silence (s) after which the peer's row expires. */
  deadTimeFor(slot: PeerSlot, t: TorrentState): number {
    if (this.deadTime !== undefined) return this.deadTime;
    const d = this.rules.deadTime;
    return 'factor' in d ? d.factor * this.intervalFor(slot, t) : d.seconds;
  }

  /** `seconds` in ns, as secondsToNs (also sets deadNsNumber). */
  deadNs(seconds: number): bigint {
    if (seconds !== this.deadSeconds) {
      this.deadSeconds = seconds;
      this.deadNsValue = secondsToNs(seconds);
      this.deadNsNumber = Number(this.deadNsValue);
    }
    return this.deadNsValue;
  }

  /** True when the slot's last applied announce is more than `deadTime` seconds before `now` (`nowAt`: times.offsetOf(now)). */
  overdue(slot: PeerSlot, now: bigint, nowAt: number, deadTime: number): boolean {
    return this.times.exceeds(slot.cell, now, nowAt, this.deadNs(deadTime), this.deadNsNumber);
  }

  /**
   * Drops one expired row, remembering it for the peer's late announce (for a while: IdleSlots).
   */
  expire(t: TorrentState, slot: PeerSlot): void {
    if (!removeRow(t, slot, ROW_EXPIRED)) return;
    if (slot.session === NO_SESSION) this.idle.add(slot, t);
    else if (slot.stoppedAt === null) {
      slot.state = 'expired';
      this.idle.add(slot, t); // vanished: its session waits for a late announce, for a day
    }
  }

  /**
   * Expires rows older than their dead time. Rows are ordered by lastTs, so a step stops at the first
   * live one (O(expired) per step); a row with a shorter dead time behind a live one waits for the
   * next sweep, while its own announce is always judged exactly (gap > dead time). `all` looks at
   * every row (at the end of input).
   */
  sweep(t: TorrentState, now: bigint, nowAt: number, all: boolean): void {
    let gone: PeerSlot[] | null = null;
    for (let slot = t.first; slot !== null; slot = slot.next) {
      if (this.overdue(slot, now, nowAt, this.deadTimeFor(slot, t))) (gone ??= []).push(slot);
      else if (!all) break;
    }
    if (gone !== null) for (const slot of gone) this.expire(t, slot);
  }
}
