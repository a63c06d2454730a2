/**
 * Request-target splitting and query decoding for tracker requests.
 *
 * Follows RFC 3986 (section 2.1 percent-encoding, 3.4 query) and BEP 3 ("tracker GET requests"),
 * with the form decoding PHP's `$_GET` applies (php_default_treat_data + php_url_decode), because
 * TBSource, our reference tracker, is PHP:
 * - pairs are split on '&' only (PHP's default arg_separator.input; ';' is NOT a separator);
 * - a pair without '=' is a parameter with an empty value; empty pairs (`&&`) are skipped;
 * - `+` decodes to a space (0x20) in names AND values, also inside info_hash and peer_id. Node's
 *   querystring (bittorrent-tracker, the backend in the real captures) does the same. Real clients
 *   escape '+' as %2B, so a raw '+' in a binary value is a client bug worth a problem entry;
 * - malformed escapes (`%zz`, a trailing `%4`) are kept literally, as PHP does, and reported.
 *
 * Values are decoded to BYTES: decodeURIComponent/URLSearchParams would turn the non-UTF-8 bytes of
 * an info_hash into U+FFFD. Real clients also leave reserved characters unescaped
 * (Transmission: `%f4r%21%02V%161...`, aria2 uppercase escapes, ctorrent escapes every byte).
 */
import { latin1 } from './bytes.js';
import type { QueryParam } from './types.js';

/** The target split at its first '?'. `query` is null when there is no '?'. */
export interface SplitTarget {
  /** Path as sent (latin1), without scheme and authority for an absolute-form target. */
  readonly path: string;
  readonly query: string | null;
}

/** Splits a request target (latin1, one char per byte) into path and query. Never throws. */
export function splitTarget(target: string): SplitTarget {
  let t = target;
  // absolute-form (RFC 9112 3.2.2), sent to forward proxies: drop scheme and authority
  const abs = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/.exec(t);
  if (abs !== null) t = t.slice(abs[0].length);
  // a fragment is never sent by clients; if it is, it is not part of the query
  const hash = t.indexOf('#');
  if (hash >= 0) t = t.slice(0, hash);
  const q = t.indexOf('?');
  if (q < 0) return { path: t, query: null };
  return { path: t.slice(0, q), query: t.slice(q + 1) };
}

/** The bytes of a percent-decoded string, plus what was odd about it. */
export interface PercentDecoded {
  readonly bytes: Uint8Array;
  /** Malformed escapes kept literally, e.g. ['%zz', '%4']. */
  readonly malformed: readonly string[];
  /** Number of '+' turned into spaces. */
  readonly plus: number;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  return -1;
}

/**
 * Percent-decodes a latin1 string to bytes, PHP `urldecode` style: `%XX` in either case is one
 * byte, `+` is a space, anything else (including chars above 0x7f) is its own byte.
 */
export function percentDecode(s: string): PercentDecoded {
  const out = new Uint8Array(s.length);
  let n = 0;
  let plus = 0;
  const malformed: string[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i) & 0xff;
    if (c === 0x25 /* % */) {
      const hi = i + 1 < s.length ? hexValue(s.charCodeAt(i + 1)) : -1;
      const lo = i + 2 < s.length ? hexValue(s.charCodeAt(i + 2)) : -1;
      if (hi >= 0 && lo >= 0) {
        out[n++] = (hi << 4) | lo;
        i += 2;
        continue;
      }
      malformed.push(s.slice(i, Math.min(s.length, i + 3)));
      out[n++] = c;
      continue;
    }
    if (c === 0x2b /* + */) {
      plus++;
      out[n++] = 0x20;
      continue;
    }
    out[n++] = c;
  }
  return { bytes: out.slice(0, n), malformed, plus };
}

export { latin1 };

/** The parameters of a query in the order sent, and the problems met decoding them. */
export interface DecodedQuery {
  readonly params: readonly QueryParam[];
  /** Human-readable, one per odd thing (malformed escape, '+' decoded as space, duplicate name). */
  readonly problems: readonly string[];
}

// Params whose values are binary: a '+' there is almost surely a client that forgot to escape it.
const BINARY = new Set(['info_hash', 'peer_id']);
const NEEDS_DECODING = /[%+\u0100-\uffff]/;

/**
 * Parameter names as one shared string each. A name sliced from the query would be a new string
 * per request (and keep the query alive); announces are held a while in the reorder window, and
 * every client sends the same dozen names. Bounded: a flood of odd names just stops being interned.
 */
const NAMES = new Map<string, string>();
const MAX_NAMES = 4096;

function internName(name: string): string {
  const known = NAMES.get(name);
  if (known !== undefined) return known;
  if (NAMES.size < MAX_NAMES) {
    // a copy with its own storage, not a slice of this request's query
    const own = Buffer.from(name, 'latin1').toString('latin1');
    NAMES.set(own, own);
    return own;
  }
  return name;
}

/** What decodeInto met, besides the bytes (module state: decoding is synchronous). */
let plusSeen = 0;
let malformedSeen: string[] | null = null;

/**
 * Percent-decodes s[from, to) into out at n (percentDecode's rules), returns the new end. Counts '+'
 * in plusSeen and collects malformed escapes in malformedSeen.
 */
function decodeInto(s: string, from: number, to: number, out: Uint8Array, n: number): number {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) & 0xff;
    if (c === 0x25 /* % */) {
      const hi = i + 1 < to ? hexValue(s.charCodeAt(i + 1)) : -1;
      const lo = i + 2 < to ? hexValue(s.charCodeAt(i + 2)) : -1;
      if (hi >= 0 && lo >= 0) {
        out[n++] = (hi << 4) | lo;
        i += 2;
        continue;
      }
      (malformedSeen ??= []).push(s.slice(i, Math.min(to, i + 3)));
      out[n++] = c;
      continue;
    }
    if (c === 0x2b /* + */) {
      plusSeen++;
      out[n++] = 0x20;
      continue;
    }
    out[n++] = c;
  }
  return n;
}

/**
 * Splits a query on '&' and decodes each pair into name and bytes, recording problems. Never throws.
 * Every value's bytes are a view into one buffer for the whole query (one allocation per request,
 * not one or two per parameter).
 */
export function decodeQuery(query: string): DecodedQuery {
  const params: QueryParam[] = [];
  const problems: string[] = [];
  // names so far: params itself while few (no second array per request), a Set past 32
  let seen: Set<string> | null = null;
  const buf = new Uint8Array(query.length);
  let n = 0;
  let pos = 0;
  const len = query.length;
  while (pos <= len) {
    let amp = query.indexOf('&', pos);
    if (amp < 0) amp = len;
    if (amp === pos) { pos = amp + 1; continue; }
    let eq = query.indexOf('=', pos);
    if (eq >= amp) eq = -1;
    const nameEnd = eq < 0 ? amp : eq;
    const rawName = query.slice(pos, nameEnd);
    // a plain name (no escape, no '+', latin1) decodes to itself: skip the byte round trip
    const dn = NEEDS_DECODING.test(rawName) ? percentDecode(rawName) : null;
    const name = internName(dn === null ? rawName : latin1(dn.bytes));
    const raw = eq < 0 ? '' : query.slice(eq + 1, amp);
    plusSeen = 0;
    malformedSeen = null;
    const start = n;
    if (eq >= 0) n = decodeInto(query, eq + 1, amp, buf, n);
    if ((dn !== null && dn.malformed.length > 0) || malformedSeen !== null) {
      for (const m of [...(dn?.malformed ?? []), ...(malformedSeen ?? [])]) {
        problems.push(`malformed escape "${m}" in ${name || '(empty name)'} kept literally`);
      }
    }
    if (plusSeen > 0 && BINARY.has(name)) {
      problems.push(`'+' in ${name} decoded as a space, as PHP's $_GET does (escape it as %2B)`);
    }
    // duplicates: a linear scan of the few names so far beats a Set per request
    if (seen === null) {
      let dup = false;
      for (let k = 0; k < params.length; k++) if (params[k]!.name === name) { dup = true; break; }
      if (dup) problems.push(`duplicate parameter ${name}: the last one counts, as in PHP`);
      if (params.length >= 32) { seen = new Set<string>(); for (const q of params) seen.add(q.name); seen.add(name); }
    } else {
      if (seen.has(name)) problems.push(`duplicate parameter ${name}: the last one counts, as in PHP`);
      seen.add(name);
    }
    params.push({ name, raw, bytes: buf.subarray(start, n) });
    pos = amp + 1;
  }
  return { params, problems };
}

/** The last parameter named `name` (PHP's `$_GET` keeps the last of duplicates), or undefined. */
export function lastParam(params: readonly QueryParam[], name: string): QueryParam | undefined {
  for (let i = params.length - 1; i >= 0; i--) if (params[i]!.name === name) return params[i];
  return undefined;
}
