/**
 * Reads the worker's record batches written by ByteWriter (byte-writer.ts; the format is described
 * in wire-format.ts).
 */
import type { BufferCoders } from '../../buffer-coders.js';
import { bigintOf } from '../../announce/bytes.js';
import {
  IS_BUFFER, LIST_NEW, MENTIONED_AGAIN, NULL_STR, OFFSET_BITS, SAME_ARRAY, SLICE, TABLE_LONG, TABLE_NEW,
  TABLE_NULL, TABLE_SIZE,
} from './wire-format.js';

/** Reads one batch written by ByteWriter. The string table lives on across batches. */
export class ByteReader {
  private buf: Buffer = Buffer.alloc(0);
  private view = new DataView(new ArrayBuffer(0));
  pos = 0;
  private end = 0;
  private readonly table: string[] = [];
  /** Name lists by number (see ByteWriter.nameList). */
  private readonly lists: string[][] = [];
  /** Where record blobs are copied: views of it are what the records hold. */
  private slab = new ArrayBuffer(0);
  private slabPos = 0;
  private slabBytes = new Uint8Array(this.slab);
  /** The current record's blob: its place in the slab and its length. */
  private blobAt = 0;
  private blobLen = 0;
  /**
   * The current record's arrays flagged MENTIONED_AGAIN, by their index among its arrays, for the
   * second mention (SAME_ARRAY). Only those are stored: a store of a new view into this long-lived
   * list costs a write barrier. Overwritten, never emptied (that would free its storage).
   */
  private readonly arrays: (Uint8Array | null)[] = new Array<Uint8Array | null>(64).fill(null);
  private arrayCount = 0;

  constructor(
    /** Entries of the string table: the writer's. */
    private readonly tableSize = TABLE_SIZE,
  ) {}

  /** Starts reading a batch of `length` bytes. */
  load(buffer: ArrayBuffer, length: number): void {
    this.buf = Buffer.from(buffer, 0, length);
    this.view = new DataView(buffer, 0, length);
    this.pos = 0;
    this.end = length;
  }

  /** True while records remain in the batch. */
  get more(): boolean {
    return this.pos < this.end;
  }

  /** Starts a record: copies its blob into the slab and positions at its first field. */
  beginRecord(): void {
    const fields = this.view.getUint32(this.pos, true);
    const n = this.view.getUint32(this.pos + 4, true);
    this.pos += 8;
    this.blobLen = n;
    this.arrayCount = 0;
    if (n === 0) return;
    if (this.slabPos + n > this.slab.byteLength) {
      // a new slab; the old one lives on while records of it are kept
      this.slab = new ArrayBuffer(Math.max(SLAB_BYTES, n));
      this.slabBytes = new Uint8Array(this.slab);
      this.slabPos = 0;
    }
    const from = this.pos + fields;
    this.slabBytes.set(new Uint8Array(this.buf.buffer, from, n), this.slabPos);
    this.blobAt = this.slabPos;
    this.slabPos += n;
  }

  /** Ends a record: skips its blob. */
  endRecord(): void {
    this.pos += this.blobLen;
  }

  u8(): number {
    return this.buf[this.pos++]!;
  }

  u32(): number {
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  f64(): number {
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  nf64(): number | null {
    return this.buf[this.pos++] === 0 ? null : this.f64();
  }

  nbig(): bigint | null {
    const tag = this.buf[this.pos++];
    if (tag === 0) return null;
    if (tag === 2) return BigInt(this.str()!);
    const view = this.view;
    const at = this.pos;
    this.pos = at + 8;
    // small values (zero counters, mostly) are shared: a BigInt made per read costs ~50 ns
    const lo = view.getUint32(at, true);
    if (lo < 1024 && view.getUint32(at + 4, true) === 0) return bigintOf(lo);
    return view.getBigUint64(at, true);
  }

  str(): string | null {
    const h = this.u32();
    if (h === NULL_STR) return null;
    return this.text(h);
  }

  private text(h: number): string {
    const n = h >>> 1;
    const at = this.pos;
    if ((h & 1) === 0) {
      this.pos = at + n;
      return n === 0 ? '' : (this.buf as BufferCoders).latin1Slice(at, at + n);
    }
    this.pos = at + 2 * n;
    return (this.buf as BufferCoders).ucs2Slice(at, at + 2 * n);
  }

  istr(): string | null {
    const h = this.u32();
    if (h === TABLE_NULL) return null;
    if (h === TABLE_NEW) {
      const s = this.text(this.u32());
      if (this.table.length === this.tableSize) this.table.length = 0;
      this.table.push(s);
      return s;
    }
    // a string too long for the table comes as itself
    if (h === TABLE_LONG) return this.text(this.u32());
    return this.table[h]!;
  }

  /** A name list written by `ByteWriter.nameList` (shared by the records that use it: do not change it). */
  nameList(): readonly string[] {
    const h = this.u32();
    if (h !== LIST_NEW) return this.lists[h]!;
    const id = this.u32();
    const n = this.u32();
    const names = new Array<string>(n);
    for (let i = 0; i < n; i++) names[i] = this.istr()!;
    this.lists[id] = names;
    return names;
  }

  /** A string written by `ByteWriter.sub` against the same `base`. */
  sub(base: string): string {
    const h = this.u32();
    if (h !== SLICE) return this.text(h);
    const at = this.u32();
    const n = this.u32();
    return base.slice(at, at + n);
  }

  nbytes(): Uint8Array | null {
    const n = this.u32();
    if (n === NULL_STR) return null;
    const at = this.u32();
    if (n === SAME_ARRAY) return this.arrays[at]!;
    const from = this.blobAt + (at & OFFSET_BITS);
    const b = at & IS_BUFFER ? Buffer.from(this.slab, from, n) : new Uint8Array(this.slab, from, n);
    const index = this.arrayCount++;
    if (at & MENTIONED_AGAIN) {
      while (this.arrays.length <= index) this.arrays.push(null);
      this.arrays[index] = b;
    }
    return b;
  }
}

/** Size of the reader's slabs: a few hundred records' arrays. */
const SLAB_BYTES = 64 * 1024;
