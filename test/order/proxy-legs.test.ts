/** Proxy-leg merging (src/order/proxy-legs.ts): which pairs of legs merge, whatever the map keys. */
import { describe, expect, it } from 'vitest';
import { ProxyLegMatcher, queryKey, type Pending } from '../../src/order/proxy-legs.js';
import type { TrackerRequest } from '../../src/announce/types.js';

/** A leg with what matching looks at: time, query, source, forwarded-for. */
function leg(query: string, client: string, forwardedFor: string | null, ts = 1n): Pending {
  const rec = {
    kind: 'announce', ts, target: `/announce?${query}`, client: { ip: client, port: 40000 }, forwardedFor, reply: null, proxyMerged: false,
  } as unknown as TrackerRequest;
  return { rec, query, key: queryKey(query), dropped: false, matched: false };
}

describe('ProxyLegMatcher', () => {
  it('merges a back leg into the front leg with the same query from the client it names', () => {
    const m = new ProxyLegMatcher(5_000_000_000n);
    const front = leg('info_hash=a&port=1', '10.0.0.7', null);
    const back = leg('info_hash=a&port=1', '127.0.0.1', '10.0.0.7', 2n);
    m.add(front);
    m.add(back);
    expect(m.merged).toBe(1);
    expect(back.dropped).toBe(true);
    expect(front.rec.proxyMerged).toBe(true);
  });

  it('never merges legs whose queries differ, also where their keys are equal', () => {
    // 64 characters: the key reads every other one, so these two differ only where it does not look
    const q1 = 'a'.repeat(64);
    const q2 = 'ba'.repeat(32);
    expect(queryKey(q1)).toBe(queryKey(q2));
    const m = new ProxyLegMatcher(5_000_000_000n);
    const front = leg(q1, '10.0.0.7', null);
    m.add(front);
    m.add(leg(q2, '127.0.0.1', '10.0.0.7', 2n));
    expect(m.merged).toBe(0);
    // and the right one still finds its front among them
    const back = leg(q1, '127.0.0.1', '10.0.0.7', 3n);
    m.add(back);
    expect(m.merged).toBe(1);
    expect(back.dropped).toBe(true);
  });

  it('keys equal queries alike', () => {
    const q = 'info_hash=%F6x%AA&peer_id=-TR4050-JWIUjjCJFvye&port=51991&uploaded=0&left=1816608768&event=started';
    expect(queryKey(q)).toBe(queryKey(q.slice(0, 40) + q.slice(40)));
    expect(queryKey('')).toBe(queryKey(''));
  });
});
