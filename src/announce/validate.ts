/**
 * The request-side checks of TBSource's announce.php, in the order the code makes them.
 *
 * Source: tbdevnet/tbdev announce.php (TBSource 2005, see reference/tracker-semantics.md):
 *   1. info_hash, peer_id, port, uploaded, downloaded, left not set -> "missing key"
 *      (`isset($_GET[$x])`: present with an empty value counts as set)
 *   2. strlen(info_hash|peer_id) != 20 -> "invalid info_hash (LEN - urlencode(VALUE))"
 *   3. `$port = 0 + $port; $uploaded = 0 + $uploaded; ...`: PHP casts, which NEVER fail
 *   4. User-Agent matching ^Mozilla/ ^Opera/ ^"Links " ^Lynx/ -> "torrent not registered with this tracker"
 *   5. `!$port || $port > 0xffff` -> "invalid port"
 * Checks that need the tracker's state (unknown torrent, unknown user, blacklisted port of a new
 * peer) belong to the state machine.
 *
 * Decision on non-numeric counters: TBSource has no "invalid uploaded" error. `0 + "abc"` is 0 and
 * `0 + "12abc"` is 12 in PHP 5 (TBSource calls ereg(), removed in PHP 7, so it only runs on PHP <= 5),
 * so a garbage counter is silently read as its numeric prefix, or 0. No failure reason is produced
 * here; the decoder (build.ts) reports the counter as a problem instead. phpNumber() gives the value
 * TBSource would have used, and with it the port check is exact: `port=abc` -> "invalid port",
 * `port=-1` passes (PHP: !(-1) is false and -1 > 65535 is false).
 */
import { latin1 } from './bytes.js';
import { paramSmallDigits } from './sent-param.js';
import { knownParams, type KnownParams } from './query.js';
import type { QueryParam } from './types.js';

/** What the TBSource checks look at. */
export interface ValidationInput {
  readonly params: readonly QueryParam[];
  readonly userAgent: string | null;
  /** knownParams(params), when the caller has it already. */
  readonly known?: KnownParams;
}

/** PHP's urlencode(): alphanumerics and -_. kept, space as '+', every other byte as %XX uppercase. */
export function phpUrlencode(b: Uint8Array): string {
  let s = '';
  for (const c of b) {
    const ch = String.fromCharCode(c);
    if (/[A-Za-z0-9_.-]/.test(ch)) s += ch;
    else if (c === 0x20) s += '+';
    else s += '%' + c.toString(16).toUpperCase().padStart(2, '0');
  }
  return s;
}

/**
 * The number PHP 5 makes of a string in `0 + $x`: leading whitespace skipped, then the longest
 * numeric prefix (sign, digits, fraction, exponent, or 0x hex), else 0. Never fails.
 */
export function phpNumber(s: string): number {
  const t = s.replace(/^[ \t\n\r\v\f]+/, '');
  const hex = /^0[xX]([0-9A-Fa-f]+)/.exec(t);
  if (hex !== null) return parseInt(hex[1]!, 16);
  const m = /^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?/.exec(t);
  return m === null ? 0 : Number(m[0]);
}

/** TBSource's length check of info_hash and peer_id. */
function checkLength(out: string[], name: string, p: QueryParam | undefined): void {
  if (p !== undefined && p.bytes.length !== 20) out.push(`invalid ${name} (${p.bytes.length} - ${phpUrlencode(p.bytes)})`);
}

const BROWSER = [/^Mozilla\//, /^Opera\//, /^Links /, /^Lynx\//];

/**
 * The failure reasons TBSource would answer for this request, first one first (it answers only
 * the first). Empty when the request passes every request-side check.
 */
export function tbsourceFailures(input: ValidationInput): string[] {
  const out: string[] = [];
  const k = input.known ?? knownParams(input.params);
  // the required keys: info_hash, peer_id, port, uploaded, downloaded, left
  if (k.infoHash === undefined || k.peerId === undefined || k.port === undefined || k.uploaded === undefined
    || k.downloaded === undefined || k.left === undefined) out.push('missing key');
  checkLength(out, 'info_hash', k.infoHash);
  checkLength(out, 'peer_id', k.peerId);
  const ua = input.userAgent ?? '';
  // every pattern starts with M, O or L: other agents need no regular expression
  const c0 = ua.charCodeAt(0);
  if ((c0 === 0x4d || c0 === 0x4f || c0 === 0x4c) && BROWSER.some((r) => r.test(ua))) out.push('torrent not registered with this tracker');
  const port = k.port;
  if (port !== undefined) {
    const digits = paramSmallDigits(port);
    const n = digits >= 0 ? digits : phpNumber(latin1(port.bytes));
    if (!n || n > 0xffff) out.push('invalid port');
  }
  return out;
}
