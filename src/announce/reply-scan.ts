/**
 * A fast reader for well-formed tracker replies (BEP 3 bencoding, BEP 23/7 compact peers).
 *
 * decodeReply's strict decoder builds the whole bencode tree and records every deviation. Nearly
 * every reply is canonical, though, and decodeReply reads eleven top-level keys. This walks the
 * top-level dictionary once, notes where the keys that are read sit, and checks everything else
 * (nested values included) without building it. It gives up — and decodeReply falls back to the
 * strict decoder — on anything the strict decoder would report or decide differently: a
 * non-canonical integer or length, unsorted or duplicate keys, trailing bytes, truncation, deep
 * nesting, a read key of an unexpected type, an integer that might be out of range, a peer list
 * in dictionary form, an external ip of the wrong size. So a reply it accepts has exactly the
 * fields and problems the strict path would give.
 */

/** Where the read keys sit in the body (start/end byte offsets; -1 when absent). Reused: read it before the next scan. */
export interface ReplyScan {
  failureStart: number; failureEnd: number;
  warningStart: number; warningEnd: number;
  trackerIdStart: number; trackerIdEnd: number;
  extStart: number; extEnd: number;
  peersStart: number; peersEnd: number;
  peers6Start: number; peers6End: number;
  interval: number | null; minInterval: number | null;
  complete: number | null; incomplete: number | null; downloaded: number | null;
}

const scan: ReplyScan = {
  failureStart: -1, failureEnd: -1, warningStart: -1, warningEnd: -1, trackerIdStart: -1, trackerIdEnd: -1,
  extStart: -1, extEnd: -1, peersStart: -1, peersEnd: -1, peers6Start: -1, peers6End: -1,
  interval: null, minInterval: null, complete: null, incomplete: null, downloaded: null,
};

/** Signals "not simple: use the strict decoder". Internal; never escapes scanReply. */
const BAIL = -1;
/** Nesting the fast walk follows before handing over (the strict decoder allows 32). */
const MAX_DEPTH = 16;

// Key bytes as numbers to compare without making strings.
const K = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));
const KEYS: readonly number[][] = [
  'failure reason', 'warning message', 'tracker id', 'external ip', 'peers', 'peers6',
  'interval', 'min interval', 'complete', 'incomplete', 'downloaded',
].map(K);

/** Index in KEYS of the key at b[s..e), or -1. */
function keyIndex(b: Uint8Array, s: number, e: number): number {
  const len = e - s;
  outer: for (let k = 0; k < KEYS.length; k++) {
    const key = KEYS[k]!;
    if (key.length !== len) continue;
    for (let i = 0; i < len; i++) if (b[s + i] !== key[i]) continue outer;
    return k;
  }
  return -1;
}

/** Canonical string length at p ("0" or no leading zero), then ':'; returns the position after ':' or BAIL. Sets lenOut. */
let lenOut = 0;
function strHead(b: Uint8Array, p: number): number {
  const n = b.length;
  const start = p;
  let len = 0;
  while (p < n) {
    const c = b[p]!;
    if (c === 0x3a) break;
    if (c < 0x30 || c > 0x39) return BAIL;
    len = len * 10 + (c - 0x30);
    p++;
  }
  const digits = p - start;
  if (p >= n || digits === 0 || digits > 15 || (digits > 1 && b[start] === 0x30)) return BAIL;
  p++; // ':'
  if (len > n - p) return BAIL;
  lenOut = len;
  return p;
}

/** Canonical integer at p ('i' already checked); returns the position after 'e' or BAIL. Sets intOut when it is safe. */
let intOut = 0;
function intAt(b: Uint8Array, p: number): number {
  const n = b.length;
  p++; // 'i'
  let neg = false;
  if (b[p] === 0x2d) { neg = true; p++; }
  const start = p;
  let v = 0;
  while (p < n) {
    const c = b[p]!;
    if (c === 0x65) break;
    if (c < 0x30 || c > 0x39) return BAIL;
    v = v * 10 + (c - 0x30);
    p++;
  }
  const digits = p - start;
  // empty, "-0", leading zeros, truncated, or too long to be sure of the range: the strict path decides
  if (p >= n || digits === 0 || digits > 15 || (b[start] === 0x30 && (digits > 1 || neg))) return BAIL;
  intOut = neg ? -v : v;
  return p + 1;
}

/** Skips one value at p, checking it is canonical; returns the position after it or BAIL. */
function skip(b: Uint8Array, p: number, depth: number): number {
  const c = b[p];
  if (c === undefined) return BAIL;
  if (c === 0x69) return intAt(b, p);
  if (c >= 0x30 && c <= 0x39) {
    const q = strHead(b, p);
    return q === BAIL ? BAIL : q + lenOut;
  }
  if (depth >= MAX_DEPTH) return BAIL;
  if (c === 0x6c) {
    p++;
    for (;;) {
      if (p >= b.length) return BAIL;
      if (b[p] === 0x65) return p + 1;
      p = skip(b, p, depth + 1);
      if (p === BAIL) return BAIL;
    }
  }
  if (c === 0x64) {
    p++;
    let prevS = -1;
    let prevE = -1;
    for (;;) {
      if (p >= b.length) return BAIL;
      if (b[p] === 0x65) return p + 1;
      const ks = strHead(b, p);
      if (ks === BAIL) return BAIL;
      const ke = ks + lenOut;
      if (prevS >= 0 && compare(b, prevS, prevE, ks, ke) >= 0) return BAIL;
      prevS = ks;
      prevE = ke;
      p = skip(b, ke, depth + 1);
      if (p === BAIL) return BAIL;
    }
  }
  return BAIL;
}

function compare(b: Uint8Array, as: number, ae: number, bs: number, be: number): number {
  const n = Math.min(ae - as, be - bs);
  for (let i = 0; i < n; i++) {
    const d = b[as + i]! - b[bs + i]!;
    if (d !== 0) return d;
  }
  return ae - as - (be - bs);
}

/**
 * Scans a reply body that starts with 'd'. Returns the (shared, reused) scan when the body is
 * canonical bencode whose read keys have the expected types, else null: decode it strictly then.
 */
export function scanReply(b: Uint8Array): ReplyScan | null {
  const r = scan;
  r.failureStart = r.warningStart = r.trackerIdStart = r.extStart = r.peersStart = r.peers6Start = -1;
  r.failureEnd = r.warningEnd = r.trackerIdEnd = r.extEnd = r.peersEnd = r.peers6End = -1;
  r.interval = r.minInterval = r.complete = r.incomplete = r.downloaded = null;
  if (b[0] !== 0x64) return null;
  let p = 1;
  let prevS = -1;
  let prevE = -1;
  for (;;) {
    if (p >= b.length) return null;
    if (b[p] === 0x65) break;
    const ks = strHead(b, p);
    if (ks === BAIL) return null;
    const ke = ks + lenOut;
    if (prevS >= 0 && compare(b, prevS, prevE, ks, ke) >= 0) return null;
    prevS = ks;
    prevE = ke;
    const k = keyIndex(b, ks, ke);
    const c = b[ke];
    if (k < 0) {
      p = skip(b, ke, 1);
      if (p === BAIL) return null;
    } else if (k < 6) {
      // a string key
      if (c === undefined || c < 0x30 || c > 0x39) return null;
      const vs = strHead(b, ke);
      if (vs === BAIL) return null;
      const ve = vs + lenOut;
      switch (k) {
        case 0: r.failureStart = vs; r.failureEnd = ve; break;
        case 1: r.warningStart = vs; r.warningEnd = ve; break;
        case 2: r.trackerIdStart = vs; r.trackerIdEnd = ve; break;
        case 3:
          if (lenOut !== 4 && lenOut !== 16) return null;
          r.extStart = vs; r.extEnd = ve; break;
        case 4: r.peersStart = vs; r.peersEnd = ve; break;
        default: r.peers6Start = vs; r.peers6End = ve;
      }
      p = ve;
    } else {
      // an integer key
      if (c !== 0x69) return null;
      p = intAt(b, ke);
      if (p === BAIL) return null;
      switch (k) {
        case 6: r.interval = intOut; break;
        case 7: r.minInterval = intOut; break;
        case 8: r.complete = intOut; break;
        case 9: r.incomplete = intOut; break;
        default: r.downloaded = intOut;
      }
    }
  }
  // trailing bytes are a problem the strict path reports
  return p + 1 === b.length ? r : null;
}
