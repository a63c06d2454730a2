/**
 * HTTP/1.x message heads once their end is found (recognise.ts finds it): the request and status
 * lines' parts, header fields (RFC 9112 §5; obs-fold joined with one space, §5.2), header lookups,
 * and how the body's length is decided (§6.3). Heads become strings as latin1 (one char per
 * byte), so the announce layer can recover the exact wire bytes.
 */
import type { HttpHeader } from './types.js';
import { latin1Text } from './bytes.js';

const HT = 9;
const LF = 10;
const CR = 13;
const SP = 32;

/** A parsed request head (strings are latin1). */
export interface RequestHead {
  readonly method: string;
  readonly target: string;
  readonly version: string;
  readonly headers: HttpHeader[];
}

/** A parsed response head (strings are latin1). */
export interface ResponseHead {
  readonly status: number;
  readonly reason: string;
  readonly version: string;
  readonly headers: HttpHeader[];
}

/** A head as one latin1 string: one conversion per message, then cheap string slices. */
const latin1 = latin1Text;

function isWs(c: number): boolean {
  return c === SP || c === HT;
}

/** `s[from..to)` without leading and trailing SP / HT (String#trim would also eat U+00A0, a latin1 byte). */
function trimWs(s: string, from: number, to: number): string {
  while (from < to && isWs(s.charCodeAt(from))) from++;
  while (to > from && isWs(s.charCodeAt(to - 1))) to--;
  return s.slice(from, to);
}

/** The end of the line starting at `pos` (its LF, or the text's end) and its content end without CR. */
function lineEnd(s: string, pos: number): number {
  let lf = s.indexOf('\n', pos);
  if (lf < 0) lf = s.length;
  lineContentEnd = lf > pos && s.charCodeAt(lf - 1) === CR ? lf - 1 : lf;
  return lf;
}

/** lineEnd's second result (module state, not a tuple per header line: parsing is synchronous). */
let lineContentEnd = 0;

/** Field lines from `pos` up to the blank line. */
function parseFields(s: string, pos: number): HttpHeader[] {
  const headers: HttpHeader[] = [];
  while (pos < s.length) {
    const lf = lineEnd(s, pos);
    const ce = lineContentEnd;
    if (ce === pos) break; // the blank line
    if (isWs(s.charCodeAt(pos)) && headers.length > 0) {
      // obs-fold: continuation of the previous field value
      const prev = headers[headers.length - 1]!;
      headers[headers.length - 1] = { name: prev.name, value: `${prev.value} ${trimWs(s, pos, ce)}` };
    } else {
      const colon = s.indexOf(':', pos);
      // A line without a colon is not a field; drop it rather than reject the message.
      if (colon > pos && colon < ce) headers.push({ name: trimWs(s, pos, colon), value: trimWs(s, colon + 1, ce) });
    }
    pos = lf + 1;
  }
  return headers;
}

/** The fields that decide a response's body: its framing (bodyFraming) and content codings. */
const BODY_FIELDS = ['content-length', 'transfer-encoding', 'content-encoding'] as const;

/** Whether `s[from, to)`, trimmed of SP / HT, is one of BODY_FIELDS in any case (no slice made). */
function isBodyField(s: string, from: number, to: number): boolean {
  while (from < to && isWs(s.charCodeAt(from))) from++;
  while (to > from && isWs(s.charCodeAt(to - 1))) to--;
  const n = to - from;
  // the three names differ in length: 14, 17, 16
  const lower = n === 14 ? BODY_FIELDS[0] : n === 17 ? BODY_FIELDS[1] : n === 16 ? BODY_FIELDS[2] : null;
  if (lower === null) return false;
  for (let i = 0; i < n; i++) {
    let c = s.charCodeAt(from + i);
    if (c >= 65 && c <= 90) c += 32;
    if (c !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/**
 * parseFields, keeping only the BODY_FIELDS: the same fields with the same values in the same
 * order (a folded line joins its field exactly as there), without a name, value and object for
 * every other field of every response.
 */
function parseBodyFields(s: string, pos: number): HttpHeader[] {
  const headers: HttpHeader[] = [];
  // whether parseFields would have a field so far, and whether its last one is kept here
  let any = false;
  let lastKept = false;
  while (pos < s.length) {
    const lf = lineEnd(s, pos);
    const ce = lineContentEnd;
    if (ce === pos) break;
    if (isWs(s.charCodeAt(pos)) && any) {
      if (lastKept) {
        const prev = headers[headers.length - 1]!;
        headers[headers.length - 1] = { name: prev.name, value: `${prev.value} ${trimWs(s, pos, ce)}` };
      }
    } else {
      const colon = s.indexOf(':', pos);
      if (colon > pos && colon < ce) {
        any = true;
        lastKept = isBodyField(s, pos, colon);
        if (lastKept) headers.push({ name: trimWs(s, pos, colon), value: trimWs(s, colon + 1, ce) });
      }
    }
    pos = lf + 1;
  }
  return headers;
}

/**
 * Parses a complete request head `buf[start..end)` (end = `findHeadEnd` result). Null when the
 * request line is malformed. Leading empty lines are skipped (RFC 9112 §2.2).
 */
export function parseRequestHead(buf: Uint8Array, start: number, end: number): RequestHead | null {
  while (start < end && (buf[start] === CR || buf[start] === LF)) start++;
  const s = latin1(buf, start, end);
  const lf = lineEnd(s, 0);
  const ce = lineContentEnd;
  const sp1 = s.indexOf(' ');
  if (sp1 <= 0 || sp1 >= ce) return null;
  // The target ends at the last SP of the line: targets hold no SP, and this tolerates none.
  const sp2 = s.lastIndexOf(' ', ce - 1);
  if (sp2 <= sp1 + 1) return null;
  const version = versionAt(s, sp2 + 1, ce);
  if (!version.startsWith('HTTP/')) return null;
  return { method: s.slice(0, sp1), target: s.slice(sp1 + 1, sp2), version, headers: parseFields(s, lf + 1) };
}

/**
 * `s[from, to)`, the protocol version of a start line: the usual two as shared constants, not a
 * fresh string per message (the version travels with every record, and a shared string is found
 * in the worker's string table by its identity).
 */
function versionAt(s: string, from: number, to: number): string {
  if (to - from === 8 && s.startsWith('HTTP/1.', from)) {
    const minor = s.charCodeAt(from + 7);
    if (minor === 0x31) return HTTP11;
    if (minor === 0x30) return HTTP10;
  }
  return s.slice(from, to);
}

const HTTP11 = 'HTTP/1.1';
const HTTP10 = 'HTTP/1.0';

/** Parses a complete response head `buf[start..end)`. Null when the status line is malformed. */
export function parseResponseHead(buf: Uint8Array, start: number, end: number): ResponseHead | null {
  const r = parseResponseStart(buf, start, end);
  return r === null ? null : { status: r.status, reason: r.reason, version: r.version, headers: responseFields(r) };
}

/**
 * A response head as the response parser needs it: the status line, the fields that decide the
 * body (`bodyFields`, enough for bodyFraming and the content codings), and the head's text, from
 * which `responseFields` gives all fields when someone asks for them (most responses are only
 * decoded, never shown: their other fields need no strings and objects).
 */
export interface ResponseStart {
  readonly status: number;
  readonly reason: string;
  readonly version: string;
  readonly bodyFields: HttpHeader[];
  readonly text: string;
  /** Where the field lines begin in `text`. */
  readonly fieldsAt: number;
}

/** parseResponseHead without its field list: see ResponseStart. Null when the status line is malformed. */
export function parseResponseStart(buf: Uint8Array, start: number, end: number): ResponseStart | null {
  const s = latin1(buf, start, end);
  const lf = lineEnd(s, 0);
  const ce = lineContentEnd;
  const sp1 = s.indexOf(' ');
  if (sp1 <= 0 || sp1 >= ce) return null;
  const version = versionAt(s, 0, sp1);
  if (!version.startsWith('HTTP/')) return null;
  const status = statusAt(s, sp1 + 1);
  if (status < 0) return null;
  const after = sp1 + 4;
  if (after < ce && s.charCodeAt(after) !== SP) return null;
  const reason = after < ce ? (ce - after === 3 && s.startsWith('OK', after + 1) ? 'OK' : s.slice(after + 1, ce)) : '';
  return { status, reason, version, bodyFields: parseBodyFields(s, lf + 1), text: s, fieldsAt: lf + 1 };
}

/** Every field of a response head, as parseResponseHead lists them. */
export function responseFields(r: ResponseStart): HttpHeader[] {
  return parseFields(r.text, r.fieldsAt);
}

/** The three digits of a status code at `s[at]` as a number, or -1 (what /^[0-9]{3}$/ accepts). */
function statusAt(s: string, at: number): number {
  if (at + 3 > s.length) return -1;
  let v = 0;
  for (let i = at; i < at + 3; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/**
 * Whether header name `name` is `lower` (given in lower case) in any case, without making a
 * lower-cased copy per header per lookup. Only ASCII letters are folded: `lower` is ASCII, and no
 * other latin1 character lower-cases to ASCII, so this agrees with toLowerCase().
 */
export function nameIs(name: string, lower: string): boolean {
  if (name.length !== lower.length) return false;
  for (let i = 0; i < name.length; i++) {
    let c = name.charCodeAt(i);
    if (c >= 65 && c <= 90) c += 32;
    if (c !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/** The value of the last field named `name` (case-insensitive, as RFC 9110 §5.1 says), or undefined. */
export function headerValue(headers: readonly HttpHeader[], name: string): string | undefined {
  const lower = name.toLowerCase();
  for (let i = headers.length - 1; i >= 0; i--) {
    if (nameIs(headers[i]!.name, lower)) return headers[i]!.value;
  }
  return undefined;
}

const NO_VALUES: readonly string[] = Object.freeze([]);

/**
 * All values of fields named `name`, each split at commas, trimmed, lower-cased, empties dropped.
 * No field of that name (the usual answer) gives a shared empty list.
 */
export function headerList(headers: readonly HttpHeader[], name: string): readonly string[] {
  const lower = name.toLowerCase();
  let out: string[] | null = null;
  for (const h of headers) {
    if (!nameIs(h.name, lower)) continue;
    out ??= [];
    if (h.value.indexOf(',') < 0) {
      // one element (the usual case): no array from split
      const t = trimWs(h.value, 0, h.value.length).toLowerCase();
      if (t !== '') out.push(t);
      continue;
    }
    for (const part of h.value.split(',')) {
      const t = trimWs(part, 0, part.length).toLowerCase();
      if (t !== '') out.push(t);
    }
  }
  return out ?? NO_VALUES;
}

/** How the body of a message is delimited (RFC 9112 §6.3). */
export type BodyFraming =
  | { readonly kind: 'none' }
  | { readonly kind: 'length'; readonly length: number }
  | { readonly kind: 'chunked' }
  | { readonly kind: 'close' };

/**
 * Body framing from the headers. `isResponse` decides the fallback: a request without length
 * information has no body, a response runs to the connection's close. Conflicting or malformed
 * Content-Length values make a response close-delimited (the safest reading) and a request bodiless.
 */
export function bodyFraming(headers: readonly HttpHeader[], isResponse: boolean): BodyFraming {
  const usual = usualFraming(headers, isResponse);
  if (usual !== null) return usual;
  const te = headerList(headers, 'transfer-encoding');
  if (te.length > 0) {
    // Transfer-Encoding overrides Content-Length (§6.3 item 3); chunked must be last to frame.
    return te[te.length - 1] === 'chunked' ? CHUNKED : isResponse ? CLOSE : NONE;
  }
  const cl = headerList(headers, 'content-length');
  if (cl.length > 0) {
    const first = cl[0]!;
    if (/^[0-9]{1,15}$/.test(first) && cl.every((v) => v === first)) {
      return { kind: 'length', length: Number(first) };
    }
    return isResponse ? CLOSE : NONE;
  }
  return isResponse ? CLOSE : NONE;
}

/**
 * bodyFraming's answer for the usual message, with no Transfer-Encoding and at most one
 * Content-Length made of 1 to 15 digits (SP / HT around them), read in place: no value lists, no
 * lower-cased copies. Null for anything else, which the general rules decide.
 */
function usualFraming(headers: readonly HttpHeader[], isResponse: boolean): BodyFraming | null {
  let length: string | null = null;
  for (let i = 0; i < headers.length; i++) {
    const name = headers[i]!.name;
    if (name.length === 17 && nameIs(name, 'transfer-encoding')) return null;
    if (name.length === 14 && nameIs(name, 'content-length')) {
      if (length !== null) return null;
      length = headers[i]!.value;
    }
  }
  if (length === null) return isResponse ? CLOSE : NONE;
  let from = 0;
  let to = length.length;
  while (from < to && isWs(length.charCodeAt(from))) from++;
  while (to > from && isWs(length.charCodeAt(to - 1))) to--;
  if (to === from || to - from > 15) return null;
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = length.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return null;
    n = n * 10 + d;
  }
  return { kind: 'length', length: n };
}

/** The framings without a length, shared (one object each instead of one per message). */
const NONE: BodyFraming = Object.freeze({ kind: 'none' });
const CLOSE: BodyFraming = Object.freeze({ kind: 'close' });
const CHUNKED: BodyFraming = Object.freeze({ kind: 'chunked' });
