/**
 * Optional bigints by index, kept as doubles in one growable Float64Array: the replay's peer rows
 * hold three counters each (uploaded, downloaded, left) for as long as the peer stays open, and as
 * bigint fields they cost a 24-byte heap object apiece, replaced (and the old one left to the
 * collector, usually in old space) on every announce. Values in [0, 2^53) are stored as the
 * double; anything else (negative, huge) as a NaN mark with its exact bigint in a side map, so every
 * value reads back exactly.
 */

/** The mark of a null. */
const NULL = -1;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export class ExactColumn {
  private values = new Float64Array(1024);
  /** Exact values at NaN-marked indices. */
  private readonly odd = new Map<number, bigint>();

  /** Sets index `i` to `v`. */
  set(i: number, v: bigint | null): void {
    if (i >= this.values.length) this.grow(i);
    const was = this.values[i]!;
    if (was !== was) this.odd.delete(i); // NaN: an odd value is replaced
    if (v === null) this.values[i] = NULL;
    else if (v >= 0n && v <= MAX_SAFE) this.values[i] = Number(v);
    else {
      this.values[i] = NaN;
      this.odd.set(i, v);
    }
  }

  /** The value at index `i` (0n where never set). */
  get(i: number): bigint | null {
    const v = i < this.values.length ? this.values[i]! : 0;
    if (v >= 0) return BigInt(v);
    return v === NULL ? null : this.odd.get(i)!;
  }

  private grow(i: number): void {
    let size = this.values.length * 2;
    while (size <= i) size *= 2;
    const next = new Float64Array(size);
    next.set(this.values);
    this.values = next;
  }
}
