/**
 * Log time stamps to nanoseconds since the epoch, exactly (decimal strings never go through a
 * float) and without the machine's locale or time zone: month names are always English
 * (nginx, Apache and HAProxy print them in the C locale) and every offset comes from the line.
 */

const NS_PER_S = 1_000_000_000n;
const MONTHS: Readonly<Record<string, number>> = {
  Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11,
};

/** Seconds since the epoch of a UTC civil time, or null when a field is out of range. */
function utcSeconds(y: number, mon: number, d: number, h: number, mi: number, s: number): number | null {
  if (mon < 0 || mon > 11 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return null;
  const ms = Date.UTC(y, mon, d, h, mi, s);
  // Date.UTC rolls 31 Feb over into March: reject instead of moving the request.
  if (new Date(ms).getUTCDate() !== d && s !== 60) return null;
  return ms / 1000;
}

/** Nanoseconds from a decimal fraction string ("247" -> 247000000n), digits past 9 dropped. */
function fractionNs(frac: string): bigint {
  if (frac === '') return 0n;
  return BigInt((frac + '000000000').slice(0, 9));
}

const CLF = /^(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?: ([+-])(\d{2})(\d{2}))?$/;

/**
 * `25/Nov/2026:16:12:08 +0000` (nginx $time_local, Apache %t) or HAProxy's
 * `25/Nov/2026:16:12:08.247` (no offset: `defaultOffsetMin` applies).
 */
export function parseClfTime(text: string, defaultOffsetMin = 0): bigint | null {
  const m = CLF.exec(text);
  if (m === null) return null;
  const mon = MONTHS[m[2]!];
  if (mon === undefined) return null;
  const secs = utcSeconds(+m[3]!, mon, +m[1]!, +m[4]!, +m[5]!, +m[6]!);
  if (secs === null) return null;
  const offMin = m[8] === undefined ? defaultOffsetMin : (m[8] === '-' ? -1 : 1) * (+m[9]! * 60 + +m[10]!);
  return BigInt(secs - offMin * 60) * NS_PER_S + fractionNs(m[7] ?? '');
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9})\d*)?(Z|[+-]\d{2}:?\d{2})$/;

/** RFC 3339 / ISO 8601 with an offset or Z (nginx $time_iso8601, Traefik StartUTC, Caddy iso8601). */
export function parseIsoTime(text: string): bigint | null {
  const m = ISO.exec(text);
  if (m === null) return null;
  const secs = utcSeconds(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  if (secs === null) return null;
  let offMin = 0;
  const z = m[8]!;
  if (z !== 'Z') {
    const digits = z.replace(':', '');
    offMin = (digits[0] === '-' ? -1 : 1) * (+digits.slice(1, 3) * 60 + +digits.slice(3, 5));
  }
  return BigInt(secs - offMin * 60) * NS_PER_S + fractionNs(m[7] ?? '');
}

/** Digits after the point in an ISO time (for its precision), 0 when none. */
export function isoFractionDigits(text: string): number {
  const m = /\.(\d+)/.exec(text);
  return m === null ? 0 : m[1]!.length;
}

const EPOCH = /^(\d{1,12})(?:\.(\d{1,9})\d*)?$/;

/** `1795623128.247` (nginx $msec, Squid, Caddy ts) to ns, exactly. */
export function parseEpochSeconds(text: string): bigint | null {
  const m = EPOCH.exec(text);
  if (m === null) return null;
  return BigInt(m[1]!) * NS_PER_S + fractionNs(m[2] ?? '');
}

/** An integer count of `unit` since the epoch (Apache %{msec}t etc.) to ns. */
export function parseEpochInteger(text: string, nsPerUnit: bigint): bigint | null {
  return /^\d{1,20}$/.test(text) ? BigInt(text) * nsPerUnit : null;
}
