/**
 * Byte search and latin1 text for the HTTP parsers, through Node's Buffer methods called on plain
 * Uint8Arrays (they accept any ArrayBufferView as `this`), so no Buffer view is made per call.
 */
import type { BufferCoders } from '../buffer-coders.js';

const bufferIndexOf = Buffer.prototype.indexOf as (this: Uint8Array, value: number, byteOffset: number) => number;

/** Node's undocumented but long-standing native slicer behind `buf.toString('latin1', start, end)`. */
const latin1Slice = (Buffer.prototype as BufferCoders).latin1Slice as (this: Uint8Array, start: number, end: number) => string;

/**
 * The index of the first `byte` in `buf` at or after `from` (>= 0), or -1: what `buf.indexOf(byte,
 * from)` gives. TypedArray#indexOf walks element by element (about 110 ns over a 300-byte announce
 * request line); Buffer#indexOf searches with memchr (about 12 ns).
 */
export function indexOfByte(buf: Uint8Array, byte: number, from: number): number {
  return bufferIndexOf.call(buf, byte, from);
}

/** `buf[start, end)` as latin1 text (one char per byte), without a Buffer view (half the time of `Buffer.from(…).toString`). */
export function latin1Text(buf: Uint8Array, start: number, end: number): string {
  return start === end ? '' : latin1Slice.call(buf, start, end);
}
