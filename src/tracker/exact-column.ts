/**
 * Optional bigints by index, kept as doubles in one growable Float64Array: the replay's peer rows
 * hold three counters each (uploaded, downloaded, left) for as long as the peer stays open, and as
 * bigint fields they cost a 24-byte heap object apiece, replaced (and the old one left to the
 * collector, usually in old space) on every announce. Values in [0, 2^53) are stored as the
 * double; anything else (negative, huge) as a NaN mark with its exact bigint in a side map, so every
 * value reads back exactly. A column of timestamps subtracts a base (the first one) first, so that
 * they fit too, and compares them as doubles (see exceeds).
 */

/** The mark of a null. */
const NULL = -1;

/**
 * `v` as a double when it is in [0, 2^53), else -1: one conversion and no bigint comparison (each
 * is a call). Number() is exact in that range and rounds monotonically, so the double is in it
 * exactly when `v` is.
 */
function safeNumber(v: bigint): number {
  const n = Number(v);
  return n >= 0 && n <= Number.MAX_SAFE_INTEGER ? n : -1;
}

export class ExactColumn {
  private values = new Float64Array(1024);
  /** Exact values at NaN-marked indices. */
  private readonly odd = new Map<number, bigint>();

  /** `base`: subtracted from every value before it is stored (set it before the first value). */
  constructor(public base = 0n) {}

  /** Sets index `i` to `v`. */
  set(i: number, v: bigint | null): void {
    if (i >= this.values.length) this.grow(i);
    const was = this.values[i]!;
    if (was !== was) this.odd.delete(i); // NaN: an odd value is replaced
    const d = v === null || this.base === 0n ? v : v - this.base;
    if (d === null) {
      this.values[i] = NULL;
      return;
    }
    const n = safeNumber(d);
    if (n >= 0) this.values[i] = n;
    else {
      this.values[i] = NaN;
      this.odd.set(i, v!);
    }
  }

  /** The value at index `i` (the base where never set). */
  get(i: number): bigint | null {
    const v = i < this.values.length ? this.values[i]! : 0;
    if (v >= 0) return this.fromOffset(v);
    return v === NULL ? null : this.odd.get(i)!;
  }

  /** `v - base` as a double when it is stored as one (an integer in [0, 2^53)), else NaN. */
  offsetOf(v: bigint): number {
    const n = safeNumber(this.base === 0n ? v : v - this.base);
    return n >= 0 ? n : NaN;
  }

  /** The value of offset `at` (what offsetOf gave, or what offsetAt reads). */
  fromOffset(at: number): bigint {
    return this.base === 0n ? BigInt(at) : BigInt(at) + this.base;
  }

  /** The stored offset at index `i` when it is one, else NaN (an odd value) or a negative number (null). */
  offsetAt(i: number): number {
    return this.values[i]!;
  }

  /**
   * True when `now - value(i) > limit`, exactly; `nowAt` is offsetOf(now). With both offsets
   * integers in [0, 2^53) their difference is exact as a double: no bigint is made.
   */
  exceeds(i: number, now: bigint, nowAt: number, limit: bigint, limitAt: number): boolean {
    const v = this.values[i]!;
    if (nowAt >= 0 && v >= 0 && limitAt <= Number.MAX_SAFE_INTEGER && limitAt >= -Number.MAX_SAFE_INTEGER) return nowAt - v > limitAt;
    return now - this.get(i)! > limit;
  }

  /** Seconds from value(i) to `now` (`nowAt`: offsetOf(now)), as Number(now - value(i)) / 1e9. */
  secondsSince(i: number, now: bigint, nowAt: number): number {
    const v = this.values[i]!;
    // both offsets integers in [0, 2^53): the difference is the exact bigint difference
    if (nowAt >= 0 && v >= 0) return (nowAt - v) / 1e9;
    return Number(now - this.get(i)!) / 1e9;
  }

  private grow(i: number): void {
    let size = this.values.length * 2;
    while (size <= i) size *= 2;
    const next = new Float64Array(size);
    next.set(this.values);
    this.values = next;
  }
}
