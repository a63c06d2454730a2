import { describe, it, expect } from 'vitest';
import { PeerTexts, peerIdTexts } from '../../src/report/peer-texts.js';

/** The texts `find` left, read back from the arena. */
function found(t: PeerTexts): { json: string; param: string } {
  const bytes = new Uint8Array(t.view.buffer);
  const text = (at: number, n: number): string => Buffer.from(bytes.subarray(at, at + n)).toString('utf8');
  return { json: text(t.jsonAt, t.jsonLength), param: text(t.paramAt, t.paramLength) };
}

/** A peer_id like a client's: a fixed prefix and `i` spelled out after it. */
function peerId(i: number, prefix = '-qB4620-'): Uint8Array {
  const id = new Uint8Array(20);
  id.set(Buffer.from(prefix, 'latin1'));
  for (let k = prefix.length; k < 20; k++) id[k] = (i >> ((k % 4) * 8)) & 0xff ^ k;
  return id;
}

describe('PeerTexts', () => {
  it('finds the texts peerIdTexts makes, for new and repeated peer_ids alike', () => {
    const t = new PeerTexts();
    const ids = [peerId(1), peerId(2), Buffer.from('-TR4050-\x00\xff"\\abcdefgh', 'latin1'), new Uint8Array(0), Uint8Array.of(0x41)];
    for (let round = 0; round < 3; round++) {
      for (const id of ids) {
        expect(t.find(id)).toBe(true);
        expect(found(t)).toEqual(peerIdTexts(id));
      }
    }
  });

  it('stays right past slot collisions and when its arena fills up and starts again', () => {
    const t = new PeerTexts();
    // more peers than the arena holds: old ones are made again after it starts over
    for (let i = 0; i < 40000; i += 1) {
      const id = peerId(i, i % 2 === 0 ? '-qB4620-' : 'M7-2-3--');
      expect(t.find(id)).toBe(true);
      if (i % 97 === 0) expect(found(t)).toEqual(peerIdTexts(id));
      const again = peerId(i >> 1, (i >> 1) % 2 === 0 ? '-qB4620-' : 'M7-2-3--');
      expect(t.find(again)).toBe(true);
      if (i % 89 === 0) expect(found(t)).toEqual(peerIdTexts(again));
    }
  });

  it('leaves a peer_id longer than any client makes to the caller', () => {
    expect(new PeerTexts().find(new Uint8Array(65))).toBe(false);
  });
});
