/**
 * Bytes held per key until the key is done, with a fixed memory budget: a shared in-memory arena,
 * then an append-only temp file. Things that stay open to the end of a large input (the tracker's
 * session logs, the text reports' open sessions) would otherwise grow memory with the input.
 * Every append is an entry in the arena chained to the same chain's previous entry; when the arena
 * is full its entries are regrouped into one block per chain and written to the file, each block
 * pointing back to the chain's previous one. A chain keeps only where its last block and its last
 * in-memory entry are, and reads its bytes back (one read per block, through read-ahead windows)
 * when asked.
 */
import { TempFile } from './temp-file.js';

/** Default bytes of in-memory entries before they move to the temp file. */
const BUDGET = 8 << 20;
/** In-memory entry header: previous entry of the chain + 1 (0: none), payload length. */
const ENTRY_HEAD = 8;
/** File block header: payload length, previous block's length, previous block's offset (-1: none). */
const BLOCK_HEAD = 16;
/** Bytes of read-ahead windows in all (one per spill), and the bounds of one window. */
const READ_AHEAD = 8 << 20;
const MAX_WINDOW = 256 << 10;
const MIN_WINDOW = 32 << 10;

/**
 * Where one key's bytes are: the fields a ChainStore keeps on the caller's object (a session log
 * is its own chain: no second object per key). Start with newChain()'s values.
 */
export interface Chain {
  /** Arena offset of the newest in-memory entry, or -1. */
  hotTail: number;
  /** File offset and length of the newest block, or -1 and 0. */
  diskTail: number;
  diskLength: number;
}

/** An empty chain. */
export function newChain(): Chain {
  return { hotTail: -1, diskTail: -1, diskLength: 0 };
}

/** Forgets a chain's bytes (they are left behind in the arena and file); the chain is empty afterwards. */
export function releaseChain(c: Chain): void {
  c.hotTail = c.diskTail = -1;
  c.diskLength = 0;
}

function u32(b: Uint8Array, at: number, v: number): void {
  b[at] = v;
  b[at + 1] = v >>> 8;
  b[at + 2] = v >>> 16;
  b[at + 3] = v >>> 24;
}

function getU32(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}

/** The shared arena and temp file of many chains. */
export class ChainStore {
  private hot: Uint8Array;
  private hotLength = 0;
  /** Chains with entries in the arena (a chain may be listed again after a release, or be released). */
  private owners: Chain[] = [];
  private file: TempFile | null = null;
  private fileLength = 0;
  /** File offset where each spill's blocks start. */
  private spills: number[] = [];
  /** The stretch of the file last read ahead in each spill (see block()). */
  private windows = new Map<number, { start: number; bytes: Buffer }>();

  /**
   * `budget`: bytes of entries kept in memory (tests make it small to exercise the file);
   * `name`: part of the temp file's name.
   */
  constructor(private readonly budget = BUDGET, private readonly name = 'spill') {
    this.hot = new Uint8Array(Math.min(budget, 1 << 16));
  }

  /** Appends the first `length` bytes of `bytes` to `chain` as its newest entry. */
  append(chain: Chain, bytes: Uint8Array, length = bytes.length): void {
    const need = ENTRY_HEAD + length;
    if (this.hotLength + need > this.hot.length) {
      if (this.hot.length < this.budget || need > this.hot.length) this.growHot(need);
      else this.spill();
    }
    const at = this.hotLength;
    u32(this.hot, at, chain.hotTail + 1);
    u32(this.hot, at + 4, length);
    // entries are mostly a few dozen bytes: copied in place, a subarray to copy from was an allocation each
    if (length > 64) this.hot.set(length === bytes.length ? bytes : bytes.subarray(0, length), at + ENTRY_HEAD);
    else for (let i = 0, hot = this.hot, to = at + ENTRY_HEAD; i < length; i++) hot[to + i] = bytes[i]!;
    this.hotLength += need;
    if (chain.hotTail < 0) this.owners.push(chain);
    chain.hotTail = at;
  }

  private growHot(need: number): void {
    let size = this.hot.length * 2;
    while (size < this.hotLength + need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.hot.subarray(0, this.hotLength));
    this.hot = next;
  }

  /** The payloads of `chain`'s in-memory entries, in order. */
  private hotPayloads(chain: Chain, out: Uint8Array[]): void {
    const from = out.length;
    for (let at = chain.hotTail; at >= 0; at = getU32(this.hot, at) - 1) {
      out.push(this.hot.subarray(at + ENTRY_HEAD, at + ENTRY_HEAD + getU32(this.hot, at + 4)));
    }
    reverseFrom(out, from);
  }

  /** Moves every in-memory entry to the file: one block per chain, written in one pass. */
  private spill(): void {
    this.file ??= new TempFile(this.name);
    this.spills.push(this.fileLength);
    let out = Buffer.allocUnsafe(1 << 20);
    let used = 0;
    const hot = this.hot;
    for (const chain of this.owners) {
      if (chain.hotTail < 0) continue; // released since
      let size = BLOCK_HEAD;
      for (let e = chain.hotTail; e >= 0; e = getU32(hot, e) - 1) size += getU32(hot, e + 4);
      if (used + size > out.length) {
        this.write(out, used);
        used = 0;
        if (size > out.length) out = Buffer.allocUnsafe(size);
      }
      out.writeUInt32LE(size - BLOCK_HEAD, used);
      out.writeUInt32LE(chain.diskLength, used + 4);
      out.writeDoubleLE(chain.diskTail, used + 8);
      // the chain runs newest first: fill the block from its end (entries are mostly a few dozen bytes, copied in place)
      let at = used + size;
      for (let e = chain.hotTail; e >= 0; e = getU32(hot, e) - 1) {
        const n = getU32(hot, e + 4);
        at -= n;
        if (n > 64) out.set(hot.subarray(e + ENTRY_HEAD, e + ENTRY_HEAD + n), at);
        else for (let i = 0, from = e + ENTRY_HEAD; i < n; i++) out[at + i] = hot[from + i]!;
      }
      chain.diskTail = this.fileLength + used;
      chain.diskLength = size;
      chain.hotTail = -1;
      used += size;
    }
    this.write(out, used);
    this.owners = [];
    this.hotLength = 0;
  }

  private write(b: Buffer, n: number): void {
    this.file!.write(b, 0, n, this.fileLength);
    this.fileLength += n;
  }

  /**
   * Every payload of `chain` (file blocks, then in-memory entries), in order: file blocks hold
   * many entries run together, in-memory entries come one by one. Views into the store's memory:
   * use them before the next append.
   */
  payloads(chain: Chain): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (let off = chain.diskTail, len = chain.diskLength; off >= 0; ) {
      const b = this.block(off, len);
      out.push(b.subarray(BLOCK_HEAD, BLOCK_HEAD + b.readUInt32LE(0)));
      len = b.readUInt32LE(4);
      off = b.readDoubleLE(8);
    }
    out.reverse();
    this.hotPayloads(chain, out);
    return out;
  }

  /**
   * The `len` bytes at `off` in the file. A spill writes the blocks of chains in the order of
   * their first entry since the previous spill, which is close to the order they are read in at
   * the end of the input, when most chains are read; but each chain has a block in many spills.
   * So each spill has its own read-ahead window that moves forward through it: one read serves
   * many chains (one readSync per block cost about a second per million blocks), and a chain read
   * does not evict the windows of the other spills (with a few shared windows, text reports read
   * a whole window per block). A block behind its spill's window (a chain read out of that order)
   * is read alone.
   */
  private block(off: number, len: number): Buffer {
    let lo = 0;
    for (let hi = this.spills.length - 1; lo < hi; ) {
      const mid = (lo + hi + 1) >> 1;
      if (this.spills[mid]! <= off) lo = mid;
      else hi = mid - 1;
    }
    const w = this.windows.get(lo);
    if (w !== undefined && off >= w.start && off + len <= w.start + w.bytes.length) return w.bytes.subarray(off - w.start, off - w.start + len);
    const size = Math.max(MIN_WINDOW, Math.min(MAX_WINDOW, Math.floor(READ_AHEAD / this.spills.length)));
    const ahead = w === undefined || (off >= w.start + w.bytes.length && off < w.start + w.bytes.length + size);
    const end = lo + 1 < this.spills.length ? this.spills[lo + 1]! : this.fileLength;
    // a fresh buffer per read: views handed out from a replaced window stay valid
    const b = Buffer.allocUnsafe(ahead ? Math.max(len, Math.min(size, end - off)) : len);
    let done = 0;
    while (done < b.length) {
      const n = this.file!.read(b, done, b.length - done, off + done);
      if (n === 0) {
        if (done >= len) break;
        throw new Error('spill store: temp file shorter than written');
      }
      done += n;
    }
    if (ahead) this.windows.set(lo, { start: off, bytes: b.subarray(0, done) });
    return b.subarray(0, len);
  }

  /** Closes and removes the temp file (the store may be used again afterwards: it opens a new one). */
  close(): void {
    this.file?.close();
    this.file = null;
    this.fileLength = 0;
    this.spills = [];
    this.windows = new Map();
  }
}

function reverseFrom<T>(xs: T[], from: number): void {
  for (let i = from, j = xs.length - 1; i < j; i++, j--) {
    const t = xs[i]!;
    xs[i] = xs[j]!;
    xs[j] = t;
  }
}
