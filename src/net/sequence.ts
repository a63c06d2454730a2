/**
 * TCP sequence-number arithmetic (RFC 9293 §3.4, "serial number arithmetic" of RFC 1982):
 * sequence numbers are uint32 and wrap at 2^32, so "before" and "after" are decided by the sign
 * of the 32-bit difference. Valid while the two numbers are less than 2^31 apart, which any real
 * window (at most 2^30 with window scaling) guarantees.
 */

/** `a - b` as a signed 32-bit number: negative when `a` is before `b`, modulo 2^32. */
export function seqDiff(a: number, b: number): number {
  return (a - b) | 0;
}

/** `seq + n` wrapped to uint32. */
export function seqAdd(seq: number, n: number): number {
  return (seq + n) >>> 0;
}

/** True when `a` comes before `b`. */
export function seqLt(a: number, b: number): boolean {
  return ((a - b) | 0) < 0;
}

/** True when `a` comes before `b` or equals it. */
export function seqLte(a: number, b: number): boolean {
  return ((a - b) | 0) <= 0;
}

/** True when `a` comes after `b`. */
export function seqGt(a: number, b: number): boolean {
  return ((a - b) | 0) > 0;
}

/** True when `a` comes after `b` or equals it. */
export function seqGte(a: number, b: number): boolean {
  return ((a - b) | 0) >= 0;
}
