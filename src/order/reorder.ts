/**
 * The reorder buffer between the announce stage and the tracker replay. Requests arrive when their
 * exchange completes (the response's time, or the connection's end when no response came), from
 * several connections and inputs; the replay needs them in request-time order. Requests are held
 * `holdNs` of input time, proxy legs are merged meanwhile, then released in time order.
 * Memory is bounded by the number of requests inside the hold window, not by the input's size.
 */
import type { TrackerRequest } from '../announce/types.js';
import { ProxyLegMatcher, queryKey, queryOf, type Pending } from './proxy-legs.js';

/** Receives requests in time order. */
export type ReleaseSink = (rec: TrackerRequest) => void;

export class ReorderBuffer {
  private pending: Pending[] = [];
  private head = 0;
  private readonly matcher: ProxyLegMatcher;
  private lastReleased = -1n;
  /** Requests that arrived after later ones had already been released (replayed out of order). */
  late = 0;

  constructor(
    private readonly release: ReleaseSink,
    private readonly holdNs: bigint = 15_000_000_000n,
    mergeWindowNs: bigint = 5_000_000_000n,
    private readonly mergeProxyLegs = true,
    /** At most this many requests wait; past it the oldest go out early (a dense capture must not grow memory). */
    private readonly maxPending = 2_048,
  ) {
    this.matcher = new ProxyLegMatcher(mergeWindowNs);
  }

  /** Proxy back legs merged into their front legs so far. */
  get merged(): number {
    return this.matcher.merged;
  }

  /** Adds a request; it is released once the input's time has moved `holdNs` past it. */
  push(rec: TrackerRequest): void {
    const query = queryOf(rec.target);
    const p: Pending = { rec, query, key: this.mergeProxyLegs ? queryKey(query) : 0, dropped: false, matched: false };
    if (rec.ts < this.lastReleased) {
      // too late to sort in: replay it now rather than lose it, and count it
      this.late++;
      this.emit(p);
      return;
    }
    const list = this.pending;
    let i = list.length;
    list.push(p);
    while (i > this.head && list[i - 1]!.rec.ts > rec.ts) { list[i] = list[i - 1]!; i--; }
    list[i] = p;
    if (this.mergeProxyLegs) this.matcher.add(p);
    if (list.length - this.head > this.maxPending) this.emit(this.take());
  }

  /** Releases every request older than `now - holdNs`. */
  advance(now: bigint): void {
    const limit = now - this.holdNs;
    const list = this.pending;
    while (this.head < list.length && list[this.head]!.rec.ts <= limit) this.emit(this.take());
    this.compact();
  }

  private compact(): void {
    const list = this.pending;
    if (this.head === list.length) { list.length = 0; this.head = 0; }
    else if (this.head > 4096 && this.head * 2 > list.length) { this.pending = list.slice(this.head); this.head = 0; }
  }

  /**
   * Releases every request strictly older than `horizon`: the caller knows that nothing older than
   * it can still arrive, so these leave in the same order as the time window would release them,
   * only sooner (short-lived, they never reach V8's old generation). A proxy leg released this way
   * can no longer merge; its counterpart has then already arrived, unless that counterpart's
   * exchange completes only much later (a back leg whose reply was never captured).
   */
  releaseBefore(horizon: bigint): void {
    const list = this.pending;
    while (this.head < list.length && list[this.head]!.rec.ts < horizon) this.emit(this.take());
    this.compact();
  }

  /**
   * The oldest pending request, removed. Its slot is cleared: a released request (with its reply and
   * parameters) must not stay reachable from the array until the next compaction.
   */
  private take(): Pending {
    const p = this.pending[this.head]!;
    this.pending[this.head++] = undefined as unknown as Pending;
    return p;
  }

  /** Releases everything (end of all inputs). */
  flush(): void {
    const list = this.pending;
    while (this.head < list.length) this.emit(list[this.head++]!);
    this.pending = [];
    this.head = 0;
  }

  private emit(p: Pending): void {
    if (this.mergeProxyLegs) this.matcher.remove(p);
    if (p.dropped) return;
    if (p.rec.ts > this.lastReleased) this.lastReleased = p.rec.ts;
    this.release(p.rec);
  }
}
