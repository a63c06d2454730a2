import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { decodeReply, decodeReplyStrict } from '../../src/announce/reply.js';
import { scanReply } from '../../src/announce/reply-scan.js';

// Canonical bencode of a JS value (strings latin1, dict keys sorted as bytes).
type V = number | string | V[] | { [k: string]: V };
function enc(v: V): string {
  if (typeof v === 'number') return `i${v}e`;
  if (typeof v === 'string') return `${v.length}:${v}`;
  if (Array.isArray(v)) return 'l' + v.map(enc).join('') + 'e';
  return 'd' + Object.keys(v).sort().map((k) => enc(k) + enc(v[k]!)).join('') + 'e';
}
const bytes = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const plain = (r: object): unknown => ({ ...r, peers: (r as { peers: unknown }).peers, peerCount: (r as { peerCount?: number }).peerCount });

const value: fc.Arbitrary<V> = fc.letrec<{ v: V }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.integer({ min: -1e6, max: 1e6 }),
    fc.string({ maxLength: 8 }),
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 4 }), tie('v'), { maxKeys: 3 }),
  ),
})).v;
const reply = fc.record(
  {
    'failure reason': fc.oneof(fc.string(), value), 'warning message': fc.string(), interval: fc.oneof(fc.integer(), value),
    'min interval': fc.integer(), complete: fc.nat(), incomplete: fc.nat(), downloaded: fc.nat(), 'tracker id': fc.string(),
    'external ip': fc.oneof(fc.constant('\x0a\x00\x00\x01'), fc.string({ maxLength: 17 })),
    peers: fc.oneof(fc.string({ maxLength: 40 }), value), peers6: fc.string({ maxLength: 40 }), extra: value,
  },
  { requiredKeys: [] },
);

describe('decodeReply fast path', () => {
  it('gives the strict decoder\'s reply for canonical bodies and every one-byte corruption of them', () => {
    fc.assert(
      fc.property(reply, fc.nat(), fc.integer({ min: 0, max: 255 }), (r, at, byte) => {
        const body = bytes(enc(r as V));
        expect(plain(decodeReply(body, 200, 1n))).toEqual(plain(decodeReplyStrict(body, 200, 1n)));
        const bad = body.slice();
        bad[at % bad.length] = byte;
        expect(plain(decodeReply(bad, 200, 1n))).toEqual(plain(decodeReplyStrict(bad, 200, 1n)));
        const cut = body.subarray(0, at % body.length);
        expect(plain(decodeReply(cut, 200, 1n))).toEqual(plain(decodeReplyStrict(cut, 200, 1n)));
      }),
      { numRuns: 3000 },
    );
  });

  it('takes the fast path for a canonical reply and leaves odd ones to the strict decoder', () => {
    expect(scanReply(bytes('d8:completei3e10:incompletei1e8:intervali1800e5:peers6:\x0a\x00\x00\x01\x1a\xe1e'))).not.toBeNull();
    expect(scanReply(bytes('d8:intervali01800ee'))).toBeNull(); // non-canonical integer
    expect(scanReply(bytes('d8:intervali1800e8:completei3ee'))).toBeNull(); // keys out of order
    expect(scanReply(bytes('d8:intervali1800eex'))).toBeNull(); // trailing byte
    expect(scanReply(bytes('d5:peersld2:ip8:10.0.0.14:porti6881eeee'))).toBeNull(); // dict peers
  });

  it('decodes the real a_clean replies as the strict decoder does', () => {
    // every reply body in the capture is a canonical dict: the fast path answers them
    const cap = readFileSync('fixtures/real/a_clean/capture.pcap');
    const s = cap.toString('latin1');
    let n = 0;
    for (let i = s.indexOf('d8:complete'); i >= 0; i = s.indexOf('d8:complete', i + 1)) {
      const end = s.indexOf('\r\n', i) < 0 ? s.length : s.indexOf('\r\n', i);
      // the body runs to the end of the packet; try each length until the scan accepts one
      for (let e = i + 10; e <= Math.min(end, i + 4000); e++) {
        const body = bytes(s.slice(i, e));
        if (scanReply(body) === null) continue;
        expect(plain(decodeReply(body, 200, 1n))).toEqual(plain(decodeReplyStrict(body, 200, 1n)));
        n++;
        break;
      }
    }
    expect(n).toBeGreaterThan(0);
  });
});
