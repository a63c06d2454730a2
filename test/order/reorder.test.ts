import { describe, it, expect } from 'vitest';
import { ReorderBuffer } from '../../src/order/reorder.js';
import type { TrackerRequest } from '../../src/announce/types.js';

/** A request with only what the buffer looks at (time, target, client) filled in. */
function req(ts: bigint, n: number): TrackerRequest {
  return {
    kind: 'scrape', ts, target: `/scrape?n=${n}`, infoHashes: [],
    origin: { file: 'f', packet: n, line: null, offset: 0 },
    client: { ip: `10.0.0.${n}`, port: 1000 + n },
  } as unknown as TrackerRequest;
}

describe('ReorderBuffer.releaseBefore', () => {
  it('releases, in time order, exactly the requests strictly older than the horizon', () => {
    const out: bigint[] = [];
    const b = new ReorderBuffer((r) => out.push(r.ts));
    for (const [ts, n] of [[30n, 1], [10n, 2], [20n, 3], [20n, 4]] as const) b.push(req(ts, n));
    b.releaseBefore(20n);
    expect(out).toEqual([10n]); // the two at 20 may still be joined by another at 20
    b.releaseBefore(21n);
    expect(out).toEqual([10n, 20n, 20n]);
    b.push(req(25n, 5));
    b.flush();
    expect(out).toEqual([10n, 20n, 20n, 25n, 30n]);
    expect(b.late).toBe(0);
  });

  it('gives the same order as the time window alone when the horizon is a true bound', () => {
    const times = [5n, 3n, 9n, 1n, 7n, 7n, 2n, 8n, 6n, 4n];
    const windowOnly: number[] = [];
    const a = new ReorderBuffer((r) => windowOnly.push(r.origin.packet!));
    const early: number[] = [];
    const b = new ReorderBuffer((r) => early.push(r.origin.packet!));
    // request k arrives at time k+10 and nothing older than min(remaining) is still to come
    times.forEach((ts, k) => {
      a.push(req(ts, k));
      b.push(req(ts, k));
      const rest = times.slice(k + 1);
      b.releaseBefore(rest.length ? rest.reduce((x, y) => (y < x ? y : x)) : 100n);
    });
    a.flush();
    b.flush();
    expect(early).toEqual(windowOnly);
    expect(b.late).toBe(0);
  });
});
