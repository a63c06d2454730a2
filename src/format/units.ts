/** Number formatting shared by every stage that writes text for people (announce meanings, tracker findings, reports): fixed (locale-independent) grouping and binary units. */

const UNITS = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];

/** 753690875n -> "718.8 MiB"; values under 1024 -> "512 B". Exact for 64-bit inputs. */
export function humanBytes(n: bigint): string {
  const neg = n < 0n;
  const v = neg ? -n : n;
  if (v < 1024n) return `${neg ? '-' : ''}${v} B`;
  return neg ? '-' + scaledBytes(Number(v)) : scaledBytes(Number(v));
}

/** humanBytes for a whole number of bytes >= 0 held as a number (exact below 2^53): no BigInt needed. */
export function humanBytesOfNumber(n: number): string {
  return n < 1024 ? `${n} B` : scaledBytes(n);
}

/** `bytes` (>= 1024) in the largest binary unit that keeps it at 1 or more, one decimal. */
function scaledBytes(bytes: number): string {
  let unit = -1;
  let scaled = bytes;
  while (scaled >= 1024 && unit < UNITS.length - 1) { scaled /= 1024; unit++; }
  return `${scaled.toFixed(1)} ${UNITS[unit]}`;
}

/** "000" to "999": the groups after the first (made once). */
const GROUPS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

/** 67960832n -> "67,960,832" (always commas: output must not depend on the locale). */
export function grouped(n: bigint | number): string {
  // a counter is nearly always in [0, 2^53): its groups by number arithmetic and a table, with no
  // bigint text made and cut apart (the replay's notes and findings group several per announce);
  // a bigint above 2^53 - 1 converts to 2^53 or more, so it never takes this path rounded
  const x = typeof n === 'bigint' ? Number(n) : Math.trunc(n);
  if (x >= 0 && x <= Number.MAX_SAFE_INTEGER) return groupedSafe(x);
  const s = (typeof n === 'bigint' ? n : BigInt(Math.trunc(n))).toString();
  const neg = s.charCodeAt(0) === 0x2d;
  const digits = neg ? s.slice(1) : s;
  if (digits.length <= 3) return s;
  // the first group takes what is left over from the groups of three
  const first = digits.length % 3 || 3;
  let out = digits.slice(0, first);
  for (let i = first; i < digits.length; i += 3) out += ',' + digits.slice(i, i + 3);
  return neg ? '-' + out : out;
}

/** An integer in [0, 2^53) with comma groups (exact: every step is integer arithmetic below 2^53). */
function groupedSafe(x: number): string {
  if (x < 1000) return String(x);
  let s = '';
  while (x >= 1000) {
    const rest = Math.floor(x / 1000);
    s = ',' + GROUPS[x - rest * 1000]! + s;
    x = rest;
  }
  return String(x) + s;
}

/** "67,960,832 bytes (64.8 MiB)". */
export function bytesWithUnit(n: bigint): string {
  const abs = n < 0n ? -n : n;
  return abs < 1024n ? `${grouped(n)} bytes` : `${grouped(n)} bytes (${humanBytes(n)})`;
}

/** Seconds as "900 s", "15 min", "1 h 5 min" for durations in explanations. */
export function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 120) return `${Math.round(seconds * 10) / 10} s`;
  const m = Math.round(seconds / 60);
  if (m < 120) return `${m} min`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** ns since epoch -> ISO 8601 UTC with milliseconds (the JSON contract's time format). */
export function isoTime(ts: bigint): string {
  const ms = Number(ts / 1_000_000n);
  // announces come in time order: reuse the text of the current second, only the milliseconds change
  const sec = Math.floor(ms / 1000);
  if (sec === isoSecond && ms < 8.64e15 && ms > -8.64e15) return isoPrefix + MS3[ms - sec * 1000]!;
  const text = new Date(ms).toISOString();
  // "...:ss.mmmZ": the prefix is everything before the milliseconds
  isoSecond = sec;
  isoPrefix = text.slice(0, -4);
  return text;
}

let isoSecond = NaN;
let isoPrefix = '';
const MS3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0') + 'Z');

/** ns since epoch -> "2004-04-14 21:00:00.000000" UTC, µs precision, for text reports. */
export function textTime(ts: bigint): string {
  // announces come in time order: reuse the text of the current second; the microseconds are
  // digits of ts itself (positive ts with whole seconds: up to 11 digits, years to 5138)
  const d = ts.toString();
  const n = d.length;
  if (n > 9 && n <= 20 && d.charCodeAt(0) !== 0x2d) {
    const secDigits = d.slice(0, n - 9);
    if (secDigits !== textSecond) {
      const iso = new Date(Number(secDigits) * 1000).toISOString();
      textSecond = secDigits;
      textPrefix = `${iso.slice(0, 10)} ${iso.slice(11, 19)}.`;
    }
    return textPrefix + d.slice(n - 9, n - 3);
  }
  const iso = new Date(Number(ts / 1_000_000n)).toISOString();
  const us = ((ts / 1000n) % 1_000_000n).toString().padStart(6, '0');
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${us}`;
}

let textSecond = '';
let textPrefix = '';

/** Counters as JSON: a number when exact, else a decimal string (values above 2^53-1). */
export function jsonCounter(n: bigint | null): number | string | null {
  if (n === null) return null;
  return n <= 9007199254740991n && n >= -9007199254740991n ? Number(n) : n.toString();
}
