/**
 * Writes the worker's record batches (the format is described in wire-format.ts; ByteReader in
 * byte-reader.ts reads them back).
 */
import type { BufferCoders } from '../../buffer-coders.js';
import {
  IS_BUFFER, LIST_NEW, MAX_LEN, MENTIONED_AGAIN, NULL_STR, SAME_ARRAY, SITES, SLICE, TABLE_LONG, TABLE_NEW,
  TABLE_NULL, TABLE_SIZE,
} from './wire-format.js';

/** Strings longer than this are not worth a table entry. */
const TABLE_MAX_CHARS = 256;

/** Writes one batch; `finish` hands out the buffer to transfer, `reset` starts the next (in one sent back). */
export class ByteWriter {
  private buf: Buffer;
  private view: DataView;
  pos = 0;
  /**
   * The current record's byte arrays in order of first mention, and the blob size so far: they are
   * copied after its fields when it ends (see `endRecord`). Cleared then, so that no array is kept.
   */
  private readonly arrays: (Uint8Array | null)[] = new Array<Uint8Array | null>(64).fill(null);
  /** Where each array's offset field is in the batch (to flag it MENTIONED_AGAIN). */
  private readonly arrayFields: number[] = new Array<number>(64).fill(0);
  /**
   * For an entry of `arrays` that is null: where its bytes are in this batch already (see
   * `textBytes`), and how many.
   */
  private readonly copyFrom: number[] = new Array<number>(64).fill(0);
  private readonly copyLen: number[] = new Array<number>(64).fill(0);
  private arrayCount = 0;
  private blobLen = 0;
  private recordStart = -1;
  private readonly table = new Map<string, number>();
  /** Per `istrAt` site: the string it sent last and that string's number (forgotten with the table). */
  private readonly siteText: (string | null)[] = new Array<string | null>(SITES).fill(null);
  private readonly siteId = new Int32Array(SITES);
  /** Name lists sent, by a hash of their shape (see nameList), with their numbers. */
  private readonly lists: (readonly string[] | null)[] = new Array<readonly string[] | null>(LIST_SLOTS).fill(null);
  private readonly listIds = new Int32Array(LIST_SLOTS);
  private nextList = 0;

  constructor(
    private readonly initial = 1 << 20,
    /** Entries of the string table (the reader must be given the same; tests make it small). */
    private readonly tableSize = TABLE_SIZE,
  ) {
    this.buf = Buffer.from(new ArrayBuffer(initial));
    this.view = new DataView(this.buf.buffer);
  }

  /** Bytes written to the batch so far. */
  get length(): number {
    return this.pos;
  }

  /** Starts the batch over in `ab` (a buffer the reader sent back), or in a fresh one. */
  reset(ab?: ArrayBuffer): void {
    this.buf = Buffer.from(ab ?? new ArrayBuffer(this.initial));
    this.view = new DataView(this.buf.buffer);
    this.pos = 0;
  }

  /** The batch written so far: its buffer (to transfer) and length. Call `reset` before writing more. */
  finish(): { buffer: ArrayBuffer; length: number } {
    return { buffer: this.buf.buffer as ArrayBuffer, length: this.pos };
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.from(new ArrayBuffer(size));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  /** Starts a record; its header (field and blob lengths) is filled in by `endRecord`. */
  beginRecord(): void {
    this.ensure(8);
    this.recordStart = this.pos;
    this.pos += 8;
    this.blobLen = 0;
    this.arrayCount = 0;
  }

  /** Ends a record: copies its byte arrays, in order, into its blob, and fills in its header. */
  endRecord(): void {
    const fields = this.pos - this.recordStart - 8;
    const blobLen = this.blobLen;
    this.view.setUint32(this.recordStart, fields, true);
    this.view.setUint32(this.recordStart + 4, blobLen, true);
    this.ensure(blobLen);
    const buf = this.buf;
    const arrays = this.arrays;
    let at = this.pos;
    for (let i = 0; i < this.arrayCount; i++) {
      const b = arrays[i];
      if (b === null) {
        // bytes this record's fields hold already (textBytes)
        const from = this.copyFrom[i]!;
        const n = this.copyLen[i]!;
        if (n <= LOOP_COPY) for (let k = 0; k < n; k++) buf[at + k] = buf[from + k]!;
        else buf.copyWithin(at, from, from + n);
        at += n;
        continue;
      }
      arrays[i] = null;
      const n = b.length;
      // Copied by value, never by its .buffer: the query's arrays are small typed arrays on the JS
      // heap, and asking one for its buffer moves it off the heap (an ArrayBuffer and a backing
      // store per array). A loop is cheaper than a call of set() or copyWithin() (builtins of a few
      // hundred instructions each) for short arrays: counters, ids (20 bytes).
      if (n <= LOOP_COPY) for (let k = 0; k < n; k++) buf[at + k] = b[k]!;
      else buf.set(b, at);
      at += n;
    }
    this.arrayCount = 0;
    this.pos = at;
  }

  u8(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v;
  }

  u32(v: number): void {
    this.ensure(4);
    this.view.setUint32(this.pos, v, true);
    this.pos += 4;
  }

  /** Any JS number, exactly. */
  f64(v: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, v, true);
    this.pos += 8;
  }

  /** A number or null. */
  nf64(v: number | null): void {
    if (v === null) { this.u8(0); return; }
    this.ensure(9);
    this.buf[this.pos++] = 1;
    this.view.setFloat64(this.pos, v, true);
    this.pos += 8;
  }

  /** A bigint of any size or null: 0 to 2^64 - 1 as eight bytes, others as decimal text. */
  nbig(v: bigint | null): void {
    if (v === null) { this.u8(0); return; }
    if (v >= 0n && v <= 0xffffffffffffffffn) {
      this.ensure(9);
      this.buf[this.pos++] = 1;
      this.view.setBigUint64(this.pos, v, true);
      this.pos += 8;
      return;
    }
    this.u8(2);
    this.str(v.toString());
  }

  /**
   * A string or null, written out. Returns where its characters are in the batch when they went
   * one byte each (see `textBytes`), else -1.
   */
  str(s: string | null): number {
    if (s === null) { this.u32(NULL_STR); return -1; }
    const n = s.length;
    if (n > MAX_LEN >>> 1) throw new RangeError('string too long for a batch');
    this.ensure(4 + 3 * n);
    const at = this.pos + 4;
    if (n <= SHORT_STR) {
      // a short ASCII string byte by byte: cheaper than a call into the encoder
      const buf = this.buf;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c > 0x7f) break;
        buf[at + i] = c;
      }
      if (i === n) {
        this.view.setUint32(this.pos, n << 1, true);
        this.pos = at + n;
        return at;
      }
    }
    // one pass for the usual ASCII string: its UTF-8 is one byte a character
    const written = n === 0 ? 0 : (this.buf as BufferCoders).utf8Write(s, at, 3 * n);
    if (written === n) {
      this.view.setUint32(this.pos, n << 1, true);
      this.pos = at + n;
      return at;
    }
    (this.buf as BufferCoders).ucs2Write(s, at, 2 * n);
    this.view.setUint32(this.pos, (n << 1) | 1, true);
    this.pos = at + 2 * n;
    return -1;
  }

  /** A string or null that is likely to repeat: sent once, then by its number in the table. */
  istr(s: string | null): void {
    if (s === null) { this.u32(TABLE_NULL); return; }
    this.tableString(s);
  }

  /**
   * `istr` for a field that mostly repeats from one record to the next (a file name, the tracker's
   * address, the transport): `site` (below SITES) names the field, and a string equal to the one it
   * sent last goes by that number without a table lookup (a Map lookup hashes a string made per
   * request, such as a user agent, before it can find it).
   */
  istrAt(site: number, s: string | null): void {
    if (s === null) { this.u32(TABLE_NULL); return; }
    if (s === this.siteText[site]) { this.u32(this.siteId[site]!); return; }
    const id = this.tableString(s);
    if (id >= 0) {
      this.siteText[site] = s;
      this.siteId[site] = id;
    }
  }

  /** Writes non-null `s` as istr does; returns its number in the table, or -1 when it has none. */
  private tableString(s: string): number {
    const known = this.table.get(s);
    if (known !== undefined) { this.u32(known); return known; }
    if (s.length > TABLE_MAX_CHARS) { this.u32(TABLE_LONG); this.str(s); return -1; }
    if (this.table.size === this.tableSize) {
      this.table.clear();
      this.siteText.fill(null);
    }
    const id = this.table.size;
    this.table.set(s, id);
    this.u32(TABLE_NEW);
    this.str(s);
    return id;
  }

  /**
   * The names of `items` (an announce's parameters), as a list sent once and then by its number:
   * announces from one client send the same names in the same order, and one comparison of the
   * list beats a table lookup per name. Lists are found by a hash of their length and their first
   * and last names' lengths; a list that meets another in its slot is sent anew.
   */
  nameList(items: readonly { readonly name: string }[]): void {
    const n = items.length;
    const slot = (n === 0 ? 0 : n * 31 + items[0]!.name.length * 7 + items[n - 1]!.name.length) & (LIST_SLOTS - 1);
    const known = this.lists[slot];
    if (known != null && known.length === n) {
      let i = 0;
      while (i < n && known[i] === items[i]!.name) i++;
      if (i === n) { this.u32(this.listIds[slot]!); return; }
    }
    // numbers start over once MAX_LISTS are out: the reader keeps a list by its number, so a
    // number sent anew simply replaces the old list there
    if (this.nextList === MAX_LISTS) { this.nextList = 0; this.lists.fill(null); }
    const id = this.nextList++;
    const names = new Array<string>(n);
    for (let i = 0; i < n; i++) names[i] = items[i]!.name;
    this.lists[slot] = names;
    this.listIds[slot] = id;
    this.u32(LIST_NEW);
    this.u32(id);
    this.u32(n);
    for (let i = 0; i < n; i++) this.istr(names[i]!);
  }

  /** A string that is `base[at, at + n)` of the `base` the reader's `sub` is given (n > 0). */
  slice(at: number, n: number): void {
    this.ensure(12);
    this.view.setUint32(this.pos, SLICE, true);
    this.view.setUint32(this.pos + 4, at, true);
    this.view.setUint32(this.pos + 8, n, true);
    this.pos += 12;
  }

  /**
   * `s`, sent as a range of `base` when it is found there at or after `from` (the reader slices it
   * out: no copy of its characters); returns where the search may go on from.
   */
  sub(s: string, base: string, from: number): number {
    const at = s.length === 0 ? -1 : base.indexOf(s, from);
    if (at < 0) { this.str(s); return from; }
    this.slice(at, s.length);
    return at + s.length;
  }

  /**
   * A byte array (a Uint8Array, not a Buffer) whose bytes this record has written already:
   * `batch[from, from + n)`, e.g. a plain parameter value's characters inside the target that
   * `str` wrote one byte each. Read back as `nbytes` reads any array; no array is needed here.
   */
  textBytes(from: number, n: number): void {
    const count = this.arrayCount;
    const at = this.blobLen;
    this.ensure(8);
    if (count === this.arrays.length) {
      this.arrays.push(null);
      this.arrayFields.push(this.pos + 4);
      this.copyFrom.push(from);
      this.copyLen.push(n);
    } else {
      this.arrays[count] = null;
      this.arrayFields[count] = this.pos + 4;
      this.copyFrom[count] = from;
      this.copyLen[count] = n;
    }
    this.arrayCount = count + 1;
    this.blobLen = at + n;
    this.view.setUint32(this.pos, n, true);
    this.view.setUint32(this.pos + 4, at, true);
    this.pos += 8;
  }

  /**
   * A byte array or null, as a range of the record's blob (read back as a view into the reader's
   * copy). A Buffer comes back a Buffer (the UDP decoder's arrays are), any other a Uint8Array.
   */
  nbytes(b: Uint8Array | null): void {
    if (b === null) { this.u32(NULL_STR); return; }
    // an array the record holds twice (an announce's info_hash is also one of its params) goes once
    const arrays = this.arrays;
    const count = this.arrayCount;
    this.ensure(8);
    for (let i = 0; i < count; i++) {
      if (arrays[i] === b) {
        // the reader keeps only the arrays flagged so (one store each, for the few mentioned twice)
        const field = this.arrayFields[i]!;
        this.view.setUint32(field, (this.view.getUint32(field, true) | MENTIONED_AGAIN) >>> 0, true);
        this.view.setUint32(this.pos, SAME_ARRAY, true);
        this.view.setUint32(this.pos + 4, i, true);
        this.pos += 8;
        return;
      }
    }
    const n = b.length;
    const at = this.blobLen;
    if (count === arrays.length) { arrays.push(b); this.arrayFields.push(this.pos + 4); this.copyFrom.push(0); this.copyLen.push(0); }
    else { arrays[count] = b; this.arrayFields[count] = this.pos + 4; }
    this.arrayCount = count + 1;
    this.blobLen = at + n;
    this.view.setUint32(this.pos, n, true);
    // a record's blob is far below 2^31 bytes: the top bit is free to say Buffer
    this.view.setUint32(this.pos + 4, (b instanceof Buffer ? IS_BUFFER : 0) + at, true);
    this.pos += 8;
  }
}

/** Slots of the writer's name-list cache (a power of two), and numbers before they start over. */
const LIST_SLOTS = 256;
const MAX_LISTS = 4096;
/** Byte arrays up to this long are copied by a loop, longer ones by a builtin (see endRecord). */
const LOOP_COPY = 12;
/** Strings up to this long are written by a loop, not by the encoder (whose call costs more). */
const SHORT_STR = 24;
