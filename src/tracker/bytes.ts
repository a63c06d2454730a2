/**
 * A growable byte writer and a reader for the compact encoding of session logs (session-log.ts):
 * varints for small numbers, counters as varints when they fit a double exactly, 8 raw bytes for
 * timestamps. Written on every announce, read only when a session closes.
 */
import { bigintOf } from '../announce/bytes.js';

/** Scratch for moving a 64-bit timestamp in and out of bytes without a BigInt operation. */
const TS = new BigInt64Array(1);
const TS_BYTES = new Uint8Array(TS.buffer);

/** Appends encoded values to a byte array that grows as needed. */
export class ByteWriter {
  bytes: Uint8Array;
  length = 0;

  constructor(capacity = 256) {
    this.bytes = new Uint8Array(capacity);
  }

  private room(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    const next = new Uint8Array(Math.max(this.bytes.length * 2, this.length + n));
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
  }

  byte(v: number): void {
    this.room(1);
    this.bytes[this.length++] = v;
  }

  /** A non-negative integer up to 2^53 (arithmetic, not bit operations: it may exceed 32 bits). */
  varint(n: number): void {
    this.room(8);
    while (n >= 128) {
      this.bytes[this.length++] = (n % 128) | 128;
      n = Math.floor(n / 128);
    }
    this.bytes[this.length++] = n;
  }

  /**
   * Any bigint: a counter in [0, 2^53) as varint(n + 1), anything else (negative, huge) as 0 and
   * its decimal text, so every value stays exact.
   */
  big(v: bigint): void {
    // one conversion, no bigint comparison (each is a call): Number() is exact below 2^53 and
    // rounds monotonically, so n is in [0, 2^53 - 1) exactly when v is
    const n = Number(v);
    if (n >= 0 && n < Number.MAX_SAFE_INTEGER) this.varint(n + 1);
    else {
      this.varint(0);
      this.text(v.toString());
    }
  }

  /** A timestamp (signed 64 bits) as 8 raw bytes. */
  ts(v: bigint): void {
    this.room(8);
    TS[0] = v;
    const b = this.bytes;
    const at = this.length;
    for (let i = 0; i < 8; i++) b[at + i] = TS_BYTES[i]!;
    this.length += 8;
  }

  /** A string as its length and UTF-16 code units (lossless for any JS string). */
  text(s: string): void {
    this.varint(s.length);
    for (let i = 0; i < s.length; i++) this.varint(s.charCodeAt(i));
  }
}

/** Reads what ByteWriter wrote, in the same order. */
export class ByteReader {
  pos = 0;

  constructor(public bytes: Uint8Array) {}

  /** Starts reading `bytes` from the beginning (one reader serves many payloads). */
  reset(bytes: Uint8Array): void {
    this.bytes = bytes;
    this.pos = 0;
  }

  byte(): number {
    return this.bytes[this.pos++]!;
  }

  varint(): number {
    let n = 0;
    let scale = 1;
    for (;;) {
      const b = this.bytes[this.pos++]!;
      n += (b & 127) * scale;
      if (b < 128) return n;
      scale *= 128;
    }
  }

  big(): bigint {
    return this.bigOf(this.varint());
  }

  /**
   * The bigint whose varint big() read as `n` (0: its decimal text comes next). Small values are
   * the shared ones of bigintOf: most counters read back are zero (the credit of most announces, a
   * seeder's left), and BigInt(0) makes a new one each time.
   */
  bigOf(n: number): bigint {
    return n > 0 ? bigintOf(n - 1) : BigInt(this.text());
  }

  ts(): bigint {
    // byte by byte: a subarray to copy from would be an allocation per timestamp
    const b = this.bytes;
    const at = this.pos;
    for (let i = 0; i < 8; i++) TS_BYTES[i] = b[at + i]!;
    this.pos += 8;
    return TS[0]!;
  }

  text(): string {
    const n = this.varint();
    let s = '';
    for (let i = 0; i < n; i++) s += String.fromCharCode(this.varint());
    return s;
  }
}
