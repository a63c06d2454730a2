import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { Hold, Holds } from '../../src/order/holds.js';

describe('Holds', () => {
  it('tracks the oldest hold as holds start, move and stop', () => {
    const hs = new Holds();
    const a = new Hold();
    const b = new Hold();
    expect(hs.min).toBeNull();
    hs.lower(a, 10n);
    hs.lower(b, 5n);
    expect(hs.min).toBe(5n);
    hs.lower(b, 7n); // lowering to a later time changes nothing
    expect(hs.min).toBe(5n);
    hs.clear(b);
    expect(hs.min).toBe(10n);
    hs.set(a, 20n); // set may move a hold later (a stale entry at 10 is left behind)
    expect(hs.min).toBe(20n);
    hs.clear(a);
    expect(hs.min).toBeNull();
  });

  it('agrees with a plain minimum over any sequence of changes', () => {
    const op = fc.record({ who: fc.nat(7), ts: fc.option(fc.bigInt(0n, 50n), { nil: null }), kind: fc.constantFrom('set', 'lower') });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 3000 }), (ops) => {
        const hs = new Holds();
        const holds = Array.from({ length: 8 }, () => new Hold());
        const model: (bigint | null)[] = new Array(8).fill(null);
        for (const o of ops) {
          if (o.kind === 'set') { hs.set(holds[o.who]!, o.ts); model[o.who] = o.ts; }
          else if (o.ts !== null) {
            hs.lower(holds[o.who]!, o.ts);
            const m = model[o.who];
            if (m === null || m === undefined || o.ts < m) model[o.who] = o.ts;
          }
          let want: bigint | null = null;
          for (const m of model) if (m !== null && (want === null || m < want)) want = m;
          if (hs.min !== want) return false;
        }
        return true;
      }),
      { numRuns: 200 },
    );
  });
});
