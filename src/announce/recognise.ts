/**
 * Is a request target a tracker announce or scrape, and which passkey does it carry?
 *
 * BEP 3 names no path; by convention (BEP 48 for scrape) the announce URL's last segment is
 * `announce` (or TBSource's `announce.php`) and the scrape URL replaces it with `scrape`. Private
 * trackers add a passkey: in the query (`passkey=` TBSource, `torrent_pass=` XBT/Gazelle) or in the
 * path (`/<passkey>/announce` as nginx rewrites in the real captures, `/announce/<passkey>` as
 * UNIT3D and Ocelot route it).
 */
import { paramByteLength, paramEscapedText } from './sent-param.js';
import { lastParam, type KnownParams } from './query.js';
import type { QueryParam } from './types.js';

/** What recogniseTarget found. `passkey` is the one in the path, if any. */
export interface Recognised {
  readonly kind: 'announce' | 'scrape';
  readonly passkey: string | null;
}

/** Options: `announcePath` replaces the built-in announce path test. */
export interface RecogniseOptions {
  readonly announcePath?: RegExp;
}

// a passkey path segment: 16-64 letters/digits (TBSource: 32 hex, UNIT3D: 32 alnum, nginx in a_clean: 16-64)
const PASSKEY = /^[A-Za-z0-9]{16,64}$/;

/**
 * The last path segment (possibly '' when the path ends in '/') and the non-empty segment before
 * it (null when there is none): all the classification looks at, found without splitting the path.
 */
function lastTwo(path: string): { prev: string | null; last: string } {
  const ls = path.lastIndexOf('/');
  const last = path.slice(ls + 1);
  if (ls <= 0) return { prev: null, last };
  let e = ls;
  while (e > 0 && path.charCodeAt(e - 1) === 0x2f) e--;
  if (e === 0) return { prev: null, last };
  return { prev: path.slice(path.lastIndexOf('/', e - 1) + 1, e), last };
}

function isAnnounce(s: string): boolean {
  return s === 'announce' || s === 'announce.php';
}

function isScrape(s: string): boolean {
  return s === 'scrape' || s === 'scrape.php';
}

/** The passkey found next to a segment `is` accepts, or undefined when neither segment is one. */
function match(prev: string | null, last: string, is: (s: string) => boolean): string | null | undefined {
  if (is(last)) return prev !== null && PASSKEY.test(prev) ? prev : null;
  if (prev !== null && is(prev) && PASSKEY.test(last)) return last;
  return undefined;
}

/**
 * Classifies a path (no query). Announce: last segment `announce`/`announce.php`, possibly with a
 * passkey segment before or after it; `opts.announcePath`, when given, decides instead. Scrape:
 * the same with `scrape`/`scrape.php`. Null for anything else.
 */
export function recognisePath(path: string, opts: RecogniseOptions = {}): Recognised | null {
  const { prev, last } = lastTwo(path);
  if (opts.announcePath !== undefined) {
    if (opts.announcePath.test(path)) return { kind: 'announce', passkey: match(prev, last, isAnnounce) ?? null };
  } else {
    const a = match(prev, last, isAnnounce);
    if (a !== undefined) return { kind: 'announce', passkey: a };
  }
  const scrape = match(prev, last, isScrape);
  return scrape === undefined ? null : { kind: 'scrape', passkey: scrape };
}

/**
 * The passkey of a request: `passkey=` first (TBSource), then `torrent_pass=` (XBT, Gazelle), then
 * the path segment. Null when there is none. Query values are returned escaped (escapeBytes).
 */
export function findPasskey(params: readonly QueryParam[], pathPasskey: string | null): string | null {
  return passkeyOf(lastParam(params, 'passkey'), lastParam(params, 'torrent_pass'), pathPasskey);
}

/** findPasskey with the parameters already looked up (knownParams). */
export function findKnownPasskey(known: KnownParams, pathPasskey: string | null): string | null {
  return passkeyOf(known.passkey, known.torrentPass, pathPasskey);
}

function passkeyOf(passkey: QueryParam | undefined, torrentPass: QueryParam | undefined, pathPasskey: string | null): string | null {
  if (passkey !== undefined && paramByteLength(passkey) > 0) return paramEscapedText(passkey);
  if (torrentPass !== undefined && paramByteLength(torrentPass) > 0) return paramEscapedText(torrentPass);
  return pathPasskey;
}
