/**
 * Hold times: the oldest request time each capture stage could still emit. The reorder buffer may
 * release a request as soon as it is older than every hold (nothing older can arrive any more), so
 * requests leave the buffer young instead of waiting out the time window.
 *
 * One `Hold` per holder (an HTTP connection with an unanswered or partly read request, a TCP flow
 * with out-of-order segments held). `Holds` keeps their minimum in a min-heap with lazy deletion:
 * changing a hold pushes a new entry and leaves the old one stale, to be dropped when it reaches
 * the top. O(log n) per change, and holders change only when they start or stop holding.
 */

/** One holder's current hold time (null: it holds nothing back). */
export class Hold {
  ts: bigint | null = null;
  /** Bumped on every change; heap entries of older generations are stale. */
  gen = 0;
}

interface Entry {
  readonly ts: bigint;
  readonly hold: Hold;
  readonly gen: number;
}

/** The minimum over a changing set of holds. */
export class Holds {
  private heap: Entry[] = [];
  private live = 0;

  /** Lowers `h` to `ts` (starts holding when it held nothing). */
  lower(h: Hold, ts: bigint): void {
    if (h.ts === null || ts < h.ts) this.set(h, ts);
  }

  /** `h` holds nothing back any more. */
  clear(h: Hold): void {
    if (h.ts !== null) this.set(h, null);
  }

  /** Sets `h` to `ts` (null: holds nothing). */
  set(h: Hold, ts: bigint | null): void {
    if (ts === h.ts) return;
    if (h.ts !== null) this.live--;
    h.gen++;
    h.ts = ts;
    if (ts === null) return;
    this.live++;
    this.push({ ts, hold: h, gen: h.gen });
    // stale entries that never reach the top (a hold that was lowered) must not pile up
    if (this.heap.length > 2 * this.live + 1024) this.rebuild();
  }

  /** The oldest hold, or null when nothing is held. */
  get min(): bigint | null {
    const heap = this.heap;
    while (heap.length > 0 && heap[0]!.gen !== heap[0]!.hold.gen) this.pop();
    return heap.length > 0 ? heap[0]!.ts : null;
  }

  private rebuild(): void {
    const old = this.heap;
    this.heap = [];
    for (const e of old) if (e.gen === e.hold.gen) this.push(e);
  }

  private push(e: Entry): void {
    const heap = this.heap;
    let i = heap.length;
    heap.push(e);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]!.ts <= e.ts) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = e;
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop()!;
    if (heap.length === 0) return;
    let i = 0;
    const n = heap.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && heap[r]!.ts < heap[l]!.ts ? r : l;
      if (heap[c]!.ts >= last.ts) break;
      heap[i] = heap[c]!;
      i = c;
    }
    heap[i] = last;
  }
}
