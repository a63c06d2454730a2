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
import type { BufferCoders } from '../buffer-coders.js';
import { latin1 } from './bytes.js';
import { SentParam } from './sent-param.js';
import type { QueryParam } from './types.js';

/** The target split at its first '?'. `query` is null when there is no '?'. */
export interface SplitTarget {
  /** Path as sent (latin1), without scheme and authority for an absolute-form target. */
  readonly path: string;
  readonly query: string | null;
  /** Where `query` starts in the target (after its first '?'); -1 when there is no query. */
  readonly queryAt: number;
}

/** Splits a request target (latin1, one char per byte) into path and query. Never throws. */
export function splitTarget(target: string): SplitTarget {
  let t = target;
  // absolute-form (RFC 9112 3.2.2), sent to forward proxies: drop scheme and authority (the usual
  // origin-form target starts with '/' and needs no regular expression)
  const abs = t.charCodeAt(0) === 0x2f ? null : /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/.exec(t);
  const dropped = abs === null ? 0 : abs[0].length;
  if (dropped > 0) t = t.slice(dropped);
  // a fragment is never sent by clients; if it is, it is not part of the query
  const hash = t.indexOf('#');
  if (hash >= 0) t = t.slice(0, hash);
  const q = t.indexOf('?');
  if (q < 0) return { path: t, query: null, queryAt: -1 };
  return { path: t.slice(0, q), query: t.slice(q + 1), queryAt: dropped + q + 1 };
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

/**
 * Parameter names as one shared string each, numbered. A name sliced from the query would be a
 * new string per request (and keep the query alive); announces are held a while in the reorder
 * window, and every client sends the same dozen names. The number lets the duplicate check be one
 * array read per parameter. Bounded: a flood of odd names just stops being interned (-1).
 */
const NAME_IDS = new Map<string, number>();
const NAMES: string[] = [];
const MAX_NAMES = 4096;
/** Per name number: the number of the last decodeQuery call that met it (the duplicate check). */
const LAST_MET = new Int32Array(MAX_NAMES);
let call = 0;

/** The number of an interned name, interning it when there is room; -1 when there is none. */
function internId(name: string): number {
  const known = NAME_IDS.get(name);
  if (known !== undefined) return known;
  if (NAMES.length === MAX_NAMES) return -1;
  NAME_IDS.set(name, NAMES.length);
  NAMES.push(name);
  return NAMES.length - 1;
}

// The names the decoders look up, as the literal strings their code compares with: a string
// literal is the one shared copy of its text, so those comparisons are a pointer compare.
for (const n of [
  'info_hash', 'peer_id', 'port', 'uploaded', 'downloaded', 'left', 'event', 'numwant', 'num want', 'num_want', 'key',
  'passkey', 'torrent_pass', 'compact', 'no_peer_id', 'corrupt', 'redundant', 'supportcrypto', 'requirecrypto',
  'cryptoport', 'trackerid', 'ip', 'ipv4', 'ipv6', 'localip',
]) internId(n);

/**
 * Recently met names by a hash of their bytes, so the common name is recognised in place, with
 * no string made and no Map lookup (both showed in profiles: a dozen per announce). A miss falls
 * back to internId; a collision just replaces the slot.
 */
const RECENT = new Int32Array(256).fill(-1);

/** The number of the name `src[from, to)` (plain: no escape, no '+') whose hash is `h`, or -1. */
function plainNameId(src: Buffer, from: number, to: number, h: number): number {
  const slot = h & 255;
  const recent = RECENT[slot]!;
  if (recent >= 0) {
    const known = NAMES[recent]!;
    if (known.length === to - from) {
      let k = 0;
      while (k < known.length && known.charCodeAt(k) === src[from + k]) k++;
      if (k === known.length) return recent;
    }
  }
  // a string of its own (latin1Slice copies): not a slice of this request's query
  const id = internId((src as BufferCoders).latin1Slice(from, to));
  if (id >= 0) RECENT[slot] = id;
  return id;
}

/**
 * The query's characters as bytes (one native copy), read by the decoding loop: indexing a typed
 * array is several times cheaper than charCodeAt on the query, a slice of the target. Chars above
 * 0xff (not in an HTTP target; a log line might have them) become their low byte, as in
 * percentDecode. Decoding is synchronous: one buffer each is enough.
 */
let INPUT = Buffer.allocUnsafe(4096);
/** Where values are decoded before each is copied out. */
let SCRATCH = new Uint8Array(4096);

/**
 * `buf[from, to)` as an array of its own. Values are short: a small typed array lives on the JS
 * heap and costs a bump allocation, while one buffer per query (a few hundred bytes) would be an
 * off-heap backing store, several times dearer to make and to collect, plus a view per value.
 */
function copyOut(buf: Uint8Array, from: number, to: number): Uint8Array {
  const out = new Uint8Array(to - from);
  for (let k = from; k < to; k++) out[k - from] = buf[k]!;
  return out;
}

/** The first '&' in `src[from, len)`, else len. */
function pairEnd(src: Uint8Array, from: number, len: number): number {
  let e = from;
  while (e < len && src[e] !== 0x26) e++;
  return e;
}

/**
 * Splits a query on '&' and decodes each pair into name and bytes, recording problems. Never throws.
 * `query` may be given as a part of a larger text, `source[sourceAt, sourceAt + query.length)`
 * (a request target): the params then name their values' places in it (see SentParam).
 * The query is copied into a byte buffer once; each pair's name is found, hashed and checked for
 * escapes, and its value decoded into a scratch buffer and copied out at its exact size, in one
 * pass over the bytes (percentDecode's rules).
 */
export function decodeQuery(query: string, source = query, sourceAt = 0): DecodedQuery {
  const params: QueryParam[] = [];
  const problems: string[] = [];
  // the duplicate check: interned names by LAST_MET; others (past MAX_NAMES) by a scan, a Set past 32
  if (++call === 0x7fffffff) { call = 1; LAST_MET.fill(0); }
  let seen: Set<string> | null = null;
  const len = query.length;
  if (len > INPUT.length) {
    INPUT = Buffer.allocUnsafe(Math.max(len, 2 * INPUT.length));
    SCRATCH = new Uint8Array(INPUT.length);
  }
  const src = INPUT;
  const buf = SCRATCH;
  if (len > 0) (src as BufferCoders).latin1Write(query, 0, len);
  let n = 0;
  let pos = 0;
  while (pos <= len) {
    // the name: up to the first '=' or '&'
    let i = pos;
    let h = 0;
    let plain = true;
    let c = 0;
    for (; i < len; i++) {
      c = src[i]!;
      if (c === 0x26 /* & */ || c === 0x3d /* = */) break;
      if (c === 0x25 /* % */ || c === 0x2b /* + */) plain = false;
      h = (h * 31 + c) | 0;
    }
    if (i === pos && (i === len || c === 0x26)) { pos = i + 1; continue; } // empty pair
    const hasValue = i < len && c === 0x3d;
    let id: number;
    let name: string;
    let nameMalformed: readonly string[] | null = null;
    if (plain) {
      id = plainNameId(src, pos, i, h);
      name = id >= 0 ? NAMES[id]! : (src as BufferCoders).latin1Slice(pos, i);
    } else {
      // a name with escapes or '+' (rare): the general decoder
      const dn = percentDecode(query.slice(pos, i));
      name = latin1(dn.bytes);
      id = internId(name);
      if (id >= 0) name = NAMES[id]!;
      if (dn.malformed.length > 0) nameMalformed = dn.malformed;
    }
    const start = n;
    let plus = 0;
    let malformed: string[] | null = null;
    let amp = i;
    let from = i;
    let escaped = false;
    if (hasValue) {
      from = i + 1;
      let j = from;
      for (; j < len; j++) {
        const v = src[j]!;
        if (v === 0x26 /* & */) break;
        if (v === 0x25 /* % */) {
          // a hex digit is never '&', so a valid escape cannot run past this pair's end
          const hi = j + 1 < len ? hexValue(src[j + 1]!) : -1;
          const lo = j + 2 < len ? hexValue(src[j + 2]!) : -1;
          escaped = true;
          if (hi >= 0 && lo >= 0) {
            buf[n++] = (hi << 4) | lo;
            j += 2;
            continue;
          }
          (malformed ??= []).push(query.slice(j, Math.min(pairEnd(src, j, len), j + 3)));
          buf[n++] = 0x25;
          continue;
        }
        if (v === 0x2b /* + */) {
          plus++;
          buf[n++] = 0x20;
          continue;
        }
        buf[n++] = v;
      }
      amp = j;
    }
    if (nameMalformed !== null || malformed !== null) {
      for (const m of [...(nameMalformed ?? []), ...(malformed ?? [])]) {
        problems.push(`malformed escape "${m}" in ${name || '(empty name)'} kept literally`);
      }
    }
    if (plus > 0 && BINARY.has(name)) {
      problems.push(`'+' in ${name} decoded as a space, as PHP's $_GET does (escape it as %2B)`);
    }
    let dup: boolean;
    if (id >= 0) {
      dup = LAST_MET[id] === call;
      LAST_MET[id] = call;
    } else if (seen === null) {
      // a name past the table: no interned name has its text, so only uninterned ones can match
      dup = false;
      for (let k = 0; k < params.length; k++) if (params[k]!.name === name) { dup = true; break; }
      if (params.length >= 32) { seen = new Set<string>(); for (const q of params) seen.add(q.name); seen.add(name); }
    } else {
      dup = seen.has(name);
      seen.add(name);
    }
    if (dup) problems.push(`duplicate parameter ${name}: the last one counts, as in PHP`);
    // a plain value's bytes are its characters: made only if read (see SentParam)
    params.push(new SentParam(name, source, sourceAt + from, sourceAt + amp, escaped || plus > 0 ? copyOut(buf, start, n) : null));
    pos = amp + 1;
  }
  return { params, problems };
}

/** The last parameter named `name` (PHP's `$_GET` keeps the last of duplicates), or undefined. */
export function lastParam(params: readonly QueryParam[], name: string): QueryParam | undefined {
  for (let i = params.length - 1; i >= 0; i--) if (params[i]!.name === name) return params[i];
  return undefined;
}

/** The last parameter of each name the announce decoders read (lastParam of each), undefined when absent. */
export interface KnownParams {
  infoHash: QueryParam | undefined;
  peerId: QueryParam | undefined;
  port: QueryParam | undefined;
  uploaded: QueryParam | undefined;
  downloaded: QueryParam | undefined;
  left: QueryParam | undefined;
  event: QueryParam | undefined;
  key: QueryParam | undefined;
  /** `num want`, `numwant`, `num_want`: each spelling apart (TBSource tries them in that order). */
  numWantSpaced: QueryParam | undefined;
  numwant: QueryParam | undefined;
  numWant: QueryParam | undefined;
  passkey: QueryParam | undefined;
  torrentPass: QueryParam | undefined;
}

/**
 * lastParam of every name KnownParams lists, in one pass from the end: an announce asks for a
 * dozen names, and a scan of the parameters per name was a profile entry of its own.
 */
export function knownParams(params: readonly QueryParam[]): KnownParams {
  const k: KnownParams = {
    infoHash: undefined, peerId: undefined, port: undefined, uploaded: undefined, downloaded: undefined, left: undefined,
    event: undefined, key: undefined, numWantSpaced: undefined, numwant: undefined, numWant: undefined, passkey: undefined,
    torrentPass: undefined,
  };
  for (let i = params.length - 1; i >= 0; i--) {
    const p = params[i]!;
    switch (p.name) {
      case 'info_hash': k.infoHash ??= p; break;
      case 'peer_id': k.peerId ??= p; break;
      case 'port': k.port ??= p; break;
      case 'uploaded': k.uploaded ??= p; break;
      case 'downloaded': k.downloaded ??= p; break;
      case 'left': k.left ??= p; break;
      case 'event': k.event ??= p; break;
      case 'key': k.key ??= p; break;
      case 'num want': k.numWantSpaced ??= p; break;
      case 'numwant': k.numwant ??= p; break;
      case 'num_want': k.numWant ??= p; break;
      case 'passkey': k.passkey ??= p; break;
      case 'torrent_pass': k.torrentPass ??= p; break;
    }
  }
  return k;
}

