/**
 * Credit rules and refusal texts shared by several profiles
 * (see /work/shared/reference/tracker-semantics.md, "Credit" and "Other engines").
 */
import type { CreditResult, PeerRow } from '../types.js';

function regressedOf(row: Readonly<PeerRow>, up: bigint, down: bigint): ('uploaded' | 'downloaded')[] {
  const r: ('uploaded' | 'downloaded')[] = [];
  if (up < row.uploaded) r.push('uploaded');
  if (down < row.downloaded) r.push('downloaded');
  return r;
}

/** TBSource / UNIT3D / NexusPHP: each counter on its own, max(0, new - stored). */
export function perCounterCredit(row: Readonly<PeerRow>, up: bigint, down: bigint): CreditResult {
  const d = (n: bigint, o: bigint): bigint => (n > o ? n - o : 0n);
  return {
    credited: { uploaded: d(up, row.uploaded), downloaded: d(down, row.downloaded) },
    regressed: regressedOf(row, up, down),
    reset: false,
  };
}

/** XBT / Ocelot: nothing at all unless BOTH counters are >= the stored ones. */
export function allOrNothingCredit(row: Readonly<PeerRow>, up: bigint, down: bigint): CreditResult {
  const regressed = regressedOf(row, up, down);
  if (regressed.length > 0) return { credited: { uploaded: 0n, downloaded: 0n }, regressed, reset: true };
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
