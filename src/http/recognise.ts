/**
 * Recognising HTTP/1.x by content: request lines and status lines at a byte offset, the next
 * message boundary in a stream picked up mid-way or after a capture gap, and where a head ends
 * (head.ts parses it then). Grammar from RFC 9112 §2 (message format), §3 (request-line), §4
 * (status-line); bare LF line ends are tolerated as §2.2 allows, since HTTP/1.0 clients
 * (Enhanced-CTorrent) and hand-written ones send them.
 *
 * Every check is tri-state: `true` (it is one), `false` (it cannot be one) or `null` (the bytes
 * so far are a valid prefix; more are needed). `false` comes as early as possible, so that a
 * non-HTTP stream is rejected after a few bytes rather than after a whole line limit.
 */

import { indexOfByte } from './bytes.js';

/** Methods accepted when searching for a boundary inside arbitrary bytes (RFC 9110 §9, plus PATCH). */
export const KNOWN_METHODS: readonly string[] = [
  'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT', 'PATCH',
];

const KNOWN_METHOD_BYTES: readonly Uint8Array[] = KNOWN_METHODS.map((m) => Buffer.from(m, 'latin1'));

const LF = 10;
const CR = 13;
const SP = 32;
/** "HTTP/1." */
const HTTP1 = [72, 84, 84, 80, 47, 49, 46];

/** Longest request line looked at before giving up (a line is a valid prefix until then). */
export const MAX_REQUEST_LINE = 64 * 1024;
/** Longest method token accepted when the method need not be a known one. */
const MAX_METHOD = 20;

function isDigit(b: number): boolean {
  return b >= 48 && b <= 57;
}

/** A method byte when the method need not be known: upper-case token characters seen in the wild. */
function isMethodByte(b: number): boolean {
  return (b >= 65 && b <= 90) || b === 45 || b === 95;
}

/** Request-target bytes: anything visible. Bytes >= 0x80 are kept (clients send raw bytes; latin1 keeps them). */
function isTargetByte(b: number): boolean {
  return b > SP && b !== 0x7f;
}

/** Compares `buf[at..]` with `want`; null when `buf` ends before a mismatch. */
function matchPrefix(buf: Uint8Array, at: number, end: number, want: ArrayLike<number>): boolean | null {
  for (let i = 0; i < want.length; i++) {
    if (at + i >= end) return null;
    if (buf[at + i] !== want[i]) return false;
  }
  return true;
}

/**
 * Is there a request line (`METHOD SP target SP HTTP/1.x CRLF`, bare LF tolerated) at `at`?
 * With `knownOnly` the method must be one of KNOWN_METHODS and the target must start with `/` or
 * be absolute (`http://`), which is what makes a match inside arbitrary bytes believable.
 */
export function looksLikeRequestLine(
  buf: Uint8Array,
  at: number,
  end: number = buf.length,
  knownOnly = false,
): boolean | null {
  let i = at;
  if (knownOnly) {
    let any: boolean | null = false;
    for (const m of KNOWN_METHOD_BYTES) {
      const r = matchPrefix(buf, at, end, m);
      if (r === true) {
        // A longer method sharing the prefix cannot exist among the known ones except by SP check below.
        i = at + m.length;
        any = true;
        break;
      }
      if (r === null) any = null;
    }
    if (any !== true) return any;
  } else {
    while (i < end && isMethodByte(buf[i]!)) {
      if (i - at >= MAX_METHOD) return false;
      i++;
    }
    if (i === end) return null;
    if (i === at) return false;
  }
  if (i >= end) return null;
  if (buf[i] !== SP) return false;
  i++;
  if (i >= end) return null;
  if (knownOnly) {
    const first = buf[i]!;
    if (first !== 47 /* / */ && first !== 42 /* * */) {
      const abs = matchPrefix(buf, i, end, [104, 116, 116, 112]); // "http"
      if (abs !== true) return abs;
    }
  }
  const targetStart = i;
  // A complete line is checked from both ends with native searches (this runs on every request):
  // the version sits at the line's end and the only SP after the method is the one before it.
  const lf = indexOfByte(buf, LF, i);
  if (lf >= 0 && lf < end && lf - at <= MAX_REQUEST_LINE) {
    const ce = lf > i && buf[lf - 1] === CR ? lf - 1 : lf;
    const sp2 = ce - HTTP1.length - 2;
    if (sp2 <= targetStart || buf[sp2] !== SP) return false;
    if (matchPrefix(buf, sp2 + 1, ce, HTTP1) !== true || !isDigit(buf[ce - 1]!)) return false;
    return indexOfByte(buf, SP, targetStart) === sp2;
  }
  while (i < end && isTargetByte(buf[i]!)) {
    if (i - at > MAX_REQUEST_LINE) return false;
    i++;
  }
  if (i >= end) return null;
  if (i === targetStart || buf[i] !== SP) return false;
  i++;
  const v = matchPrefix(buf, i, end, HTTP1);
  if (v !== true) return v;
  i += HTTP1.length;
  if (i >= end) return null;
  if (!isDigit(buf[i]!)) return false;
  i++;
  if (i >= end) return null;
  if (buf[i] === LF) return true;
  if (buf[i] !== CR) return false;
  i++;
  if (i >= end) return null;
  return buf[i] === LF;
}

/** Is there a status line (`HTTP/1.x NNN`, then SP, CR or LF) at `at`? */
export function looksLikeStatusLine(buf: Uint8Array, at: number, end: number = buf.length): boolean | null {
  const v = matchPrefix(buf, at, end, HTTP1);
  if (v !== true) return v;
  let i = at + HTTP1.length;
  if (i >= end) return null;
  if (!isDigit(buf[i]!)) return false;
  i++;
  if (i >= end) return null;
  if (buf[i] !== SP) return false;
  for (let k = 1; k <= 3; k++) {
    if (i + k >= end) return null;
    if (!isDigit(buf[i + k]!)) return false;
  }
  i += 4;
  if (i >= end) return null;
  const b = buf[i]!;
  return b === SP || b === CR || b === LF;
}

/**
 * Where a boundary search stopped. When `found`, `at` is the first byte of the message. When not,
 * every byte before `at` may be discarded; `lineStart` says whether `at` begins a line, to pass
 * back as `fromIsLineStart` when more bytes arrive.
 */
export interface BoundaryScan {
  readonly found: boolean;
  readonly at: number;
  readonly lineStart: boolean;
}

type LineCheck = (buf: Uint8Array, at: number, end: number) => boolean | null;

function findBoundary(
  buf: Uint8Array,
  from: number,
  end: number,
  fromIsLineStart: boolean,
  check: LineCheck,
): BoundaryScan {
  let cand = fromIsLineStart ? from : -1;
  let pos = from;
  for (;;) {
    if (cand >= 0) {
      if (cand >= end) return { found: false, at: end, lineStart: true };
      const r = check(buf, cand, end);
      if (r === true) return { found: true, at: cand, lineStart: true };
      // An incomplete candidate must survive until more bytes arrive.
      if (r === null) return { found: false, at: cand, lineStart: true };
      pos = cand;
    }
    const lf = indexOfByte(buf, LF, pos);
    if (lf < 0 || lf >= end) return { found: false, at: end, lineStart: end > from ? buf[end - 1] === LF : fromIsLineStart };
    cand = lf + 1;
  }
}

/**
 * The first request line at a line start in `buf[from..end)`, with a known method and a `/` or
 * absolute target (`GET /announce?… HTTP/1.1`). Used for mid-stream pickup and resync after a gap.
 */
export function findRequestBoundary(
  buf: Uint8Array,
  from: number,
  end: number = buf.length,
  fromIsLineStart = true,
): BoundaryScan {
  return findBoundary(buf, from, end, fromIsLineStart, (b, at, e) => looksLikeRequestLine(b, at, e, true));
}

/**
 * The first place in `buf[from..end)` where a request could begin: a line start (or the text's
 * start), after any empty lines, where a request line of any method is there or may still follow.
 * Looser than the parsers' own tests, so no request can begin before it.
 */
export function findRequestCandidate(
  buf: Uint8Array,
  from: number,
  end: number = buf.length,
  fromIsLineStart = true,
): BoundaryScan {
  return findBoundary(buf, from, end, fromIsLineStart, (b, at, e) => {
    let i = at;
    while (i < e && (b[i] === 13 || b[i] === 10)) i++;
    return i >= e ? null : looksLikeRequestLine(b, i, e);
  });
}

/** The first status line (`HTTP/1.x NNN`) at a line start in `buf[from..end)`. */
export function findStatusBoundary(
  buf: Uint8Array,
  from: number,
  end: number = buf.length,
  fromIsLineStart = true,
): BoundaryScan {
  return findBoundary(buf, from, end, fromIsLineStart, looksLikeStatusLine);
}

const HT = 9;

/**
 * Index just past the blank line that ends a head, or -1. Searching starts at `from`, which the
 * caller may set to where the previous search stopped (minus 2, so a CRLF CRLF split across
 * segments is still seen); `start` is the first byte of the head and bounds the look-back.
 */
export function findHeadEnd(buf: Uint8Array, start: number, from: number, end: number): number {
  let pos = Math.max(start, from);
  for (;;) {
    const lf = indexOfByte(buf, LF, pos);
    if (lf < 0 || lf >= end) return -1;
    // A blank line is LF LF or LF CR LF; the first LF ends the start line or a field line.
    if (lf + 1 < end && buf[lf + 1] === LF) return lf + 2;
    if (lf + 2 < end && buf[lf + 1] === CR && buf[lf + 2] === LF) return lf + 3;
    pos = lf + 1;
  }
}

/** Where the next search may safely resume after `findHeadEnd` returned -1 over `[.., end)`. */
export function headScanResume(start: number, end: number): number {
  return Math.max(start, end - 2);
}
