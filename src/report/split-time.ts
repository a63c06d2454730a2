/**
 * Times (bigint ns since the epoch) as whole seconds and nanoseconds, for writing their ISO and
 * decimal text without a Date, a bigint division or a decimal string per time.
 */
import { piece, type Piece } from './piece.js';

/** The last time split, and its parts (what splitTime leaves). */
export const splitTs = { ts: 0n, sec: 0, nano: 0 };

/**
 * Splits `ts` into splitTs.sec and splitTs.nano, working from the last time split by one bigint
 * subtraction (a report's times come close together). False for a time before the epoch or
 * past 2^53 seconds.
 */
export function splitTime(ts: bigint): boolean {
  const d = Number(ts - splitTs.ts);
  // an exact step, with room for the nanoseconds it is added to
  if (d > -4e15 && d < 4e15) {
    let nano = splitTs.nano + d;
    if (nano < 0 || nano >= 1e9) {
      const carry = Math.floor(nano / 1e9);
      splitTs.sec += carry;
      nano -= carry * 1e9;
    }
    splitTs.nano = nano;
    splitTs.ts = ts;
    return splitTs.sec >= 0;
  }
  if (ts < 0n || ts >= 9007199254740991000000000n) return false;
  const sec = ts / 1_000_000_000n;
  splitTs.sec = Number(sec);
  splitTs.nano = Number(ts - sec * 1_000_000_000n);
  splitTs.ts = ts;
  return true;
}

/** `"YYYY-MM-DDT` per day since the epoch (a capture spans few days). Bounded. */
const days = new Map<number, Piece | null>();
let lastDay = NaN;
let lastDayText: Piece | null = null;

/** The opening quote and date of an ISO time on `day`, or null past year 9999 (written differently). */
export function dayText(day: number): Piece | null {
  if (day === lastDay) return lastDayText;
  let t = days.get(day);
  if (t === undefined) {
    // past year 9999 (and past what a Date holds) the caller's own way says what is written
    const iso = day < 2932897 ? new Date(day * 86400000).toISOString() : '';
    t = iso.length === 24 ? piece('"' + iso.slice(0, 11)) : null;
    if (days.size >= 4096) days.clear();
    days.set(day, t);
  }
  lastDay = day;
  lastDayText = t;
  return t;
}
