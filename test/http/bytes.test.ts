import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { indexOfByte, latin1Text } from '../../src/http/bytes.js';

describe('http byte helpers', () => {
  it('indexOfByte finds what TypedArray#indexOf finds, in views at any offset', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(40), fc.nat(320), fc.integer({ min: 0, max: 255 }), (bytes, skip, from, byte) => {
        const view = bytes.subarray(Math.min(skip, bytes.length));
        expect(indexOfByte(view, byte, from)).toBe(view.indexOf(byte, from));
      }),
      { numRuns: 2000 },
    );
  });

  it('latin1Text keeps every byte as one char, also in views', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const text = latin1Text(all, 0, 256);
    expect(text.length).toBe(256);
    expect([...text].every((c, i) => c.charCodeAt(0) === i)).toBe(true);
    const view = all.subarray(100, 200);
    expect(latin1Text(view, 10, 13)).toBe(String.fromCharCode(110, 111, 112));
    expect(latin1Text(view, 5, 5)).toBe('');
  });
});
