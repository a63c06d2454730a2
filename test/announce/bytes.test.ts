/** Byte helpers shared by the announce decoders (src/announce/bytes.ts). */
import { describe, expect, it } from 'vitest';
import { keepBytes, latin1, smallDigits } from '../../src/announce/bytes.js';

describe('keepBytes', () => {
  it('copies a range into a plain Uint8Array that later changes to the source do not reach', () => {
    const body = Buffer.from('xxpeersyy', 'latin1');
    const kept = keepBytes(body, 2, 7);
    expect(kept).not.toBeInstanceOf(Buffer);
    expect(Object.getPrototypeOf(kept)).toBe(Uint8Array.prototype);
    expect(latin1(kept)).toBe('peers');
    body.fill(0);
    expect(latin1(kept)).toBe('peers');
  });
  it('keeps many copies apart, across slabs, and large ones too', () => {
    const src = new Uint8Array(70_000).map((_, i) => i * 7);
    const kept = [];
    for (let i = 0; i < 400; i++) kept.push({ at: i * 100, copy: keepBytes(src, i * 100, i * 100 + 300) });
    const large = keepBytes(src, 1, 5001);
    for (const { at, copy } of kept) expect(Array.from(copy)).toEqual(Array.from(src.subarray(at, at + 300)));
    expect(Array.from(large)).toEqual(Array.from(src.subarray(1, 5001)));
    expect(keepBytes(src, 3, 3).length).toBe(0);
  });
});

describe('smallDigits', () => {
  it('reads 1 to 15 plain digits, and nothing else', () => {
    expect(smallDigits(Buffer.from('0'))).toBe(0);
    expect(smallDigits(Buffer.from('123456789012345'))).toBe(123456789012345);
    expect(smallDigits(Buffer.from('1234567890123456'))).toBe(-1);
    expect(smallDigits(Buffer.from(''))).toBe(-1);
    expect(smallDigits(Buffer.from('12a'))).toBe(-1);
  });
});
