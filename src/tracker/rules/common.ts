/**
 * Credit rules and refusal texts shared by several profiles
 * (see /work/shared/reference/tracker-semantics.md, "Credit" and "Other engines").
 */
import type { Counters, CreditResult, PeerRow } from '../types.js';

type Counter = 'uploaded' | 'downloaded';
/** The credit of nothing, shared (counters are immutable): the replay skips adding it by identity. */
export const NOTHING: Counters = { uploaded: 0n, downloaded: 0n };
/** Shared by every credit without a regression (nearly all): no array for them. */
const NONE: readonly Counter[] = [];
const UPLOADED: readonly Counter[] = ['uploaded'];
const DOWNLOADED: readonly Counter[] = ['downloaded'];
const BOTH: readonly Counter[] = ['uploaded', 'downloaded'];

function regressedOf(row: Readonly<PeerRow>, up: bigint, down: bigint): readonly Counter[] {
  const u = up < row.uploaded;
  const d = down < row.downloaded;
  return u ? (d ? BOTH : UPLOADED) : d ? DOWNLOADED : NONE;
}

/** TBSource / UNIT3D / NexusPHP: each counter on its own, max(0, new - stored). */
export function perCounterCredit(row: Readonly<PeerRow>, up: bigint, down: bigint): CreditResult {
  const u = up > row.uploaded ? up - row.uploaded : 0n;
  const d = down > row.downloaded ? down - row.downloaded : 0n;
  return {
    credited: u === 0n && d === 0n ? NOTHING : { uploaded: u, downloaded: d },
    regressed: regressedOf(row, up, down),
    reset: false,
  };
}

/** XBT / Ocelot: nothing at all unless BOTH counters are >= the stored ones. */
export function allOrNothingCredit(row: Readonly<PeerRow>, up: bigint, down: bigint): CreditResult {
  const regressed = regressedOf(row, up, down);
  if (regressed.length > 0) return { credited: NOTHING, regressed, reset: true };
  return { credited: { uploaded: up - row.uploaded, downloaded: down - row.downloaded }, regressed, reset: false };
}

/** TBSource's port blacklist for new peers (announce.php): DC++, Kazaa, Gnutella, eDonkey, WinMX and BitTorrent's own 6881-6889. */
export const TBS_PORT_BLACKLIST: readonly (readonly [number, number])[] = [
  [411, 413],
  [6881, 6889],
  [1214, 1214],
  [6346, 6347],
  [4662, 4662],
  [6699, 6699],
];

/** The text TBSource answers for a blacklisted port. */
export function blacklistedPortText(port: number): string {
  return `Port ${port} is blacklisted.`;
}
