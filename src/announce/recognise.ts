/**
 * Is a request target a tracker announce or scrape, and which passkey does it carry?
 *
 * BEP 3 names no path; by convention (BEP 48 for scrape) the announce URL's last segment is
 * `announce` (or TBSource's `announce.php`) and the scrape URL replaces it with `scrape`. Private
 * trackers add a passkey: in the query (`passkey=` TBSource, `torrent_pass=` XBT/Gazelle) or in the
 * path (`/<passkey>/announce` as nginx rewrites in the real captures, `/announce/<passkey>` as
 * UNIT3D and Ocelot route it).
 */
import { escapeBytes } from './peer-id.js';
import { lastParam } from './query.js';
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

function match(segs: readonly string[], names: readonly string[]): { passkey: string | null } | null {
  const n = segs.length;
  const last = segs[n - 1] ?? '';
  if (names.includes(last)) {
    const before = n >= 2 ? segs[n - 2]! : '';
    return { passkey: PASSKEY.test(before) ? before : null };
  }
  if (n >= 2 && names.includes(segs[n - 2]!) && PASSKEY.test(last)) return { passkey: last };
  return null;
}

/**
 * Classifies a path (no query). Announce: last segment `announce`/`announce.php`, possibly with a
 * passkey segment before or after it; `opts.announcePath`, when given, decides instead. Scrape:
 * the same with `scrape`/`scrape.php`. Null for anything else.
 */
export function recognisePath(path: string, opts: RecogniseOptions = {}): Recognised | null {
  const segs = path.split('/').filter((s, i, a) => s !== '' || i === a.length - 1);
  const scrape = match(segs, ['scrape', 'scrape.php']);
  if (opts.announcePath !== undefined) {
    if (opts.announcePath.test(path)) {
      const a = match(segs, ['announce', 'announce.php']);
      return { kind: 'announce', passkey: a?.passkey ?? null };
    }
  } else {
    const a = match(segs, ['announce', 'announce.php']);
    if (a !== null) return { kind: 'announce', passkey: a.passkey };
  }
  return scrape === null ? null : { kind: 'scrape', passkey: scrape.passkey };
}

/**
 * The passkey of a request: `passkey=` first (TBSource), then `torrent_pass=` (XBT, Gazelle), then
 * the path segment. Null when there is none. Query values are returned escaped (escapeBytes).
 */
export function findPasskey(params: readonly QueryParam[], pathPasskey: string | null): string | null {
  for (const n of ['passkey', 'torrent_pass']) {
    const p = lastParam(params, n);
    if (p !== undefined && p.bytes.length > 0) return escapeBytes(p.bytes);
  }
  return pathPasskey;
}
