/**
 * Report output built as bytes in one reused buffer: the JSON writers encode each field straight
 * into it (constant pieces copied a 32-bit word at a time, ASCII values char by char, escaping
 * only where a field needs it) instead of building a string per announce that is then UTF-8
 * encoded. On a large capture that string was the report's biggest cost: ~1.7 KB of concatenated
 * pieces per announce, flattened, encoded and collected.
 * Every method writes exactly what JSON.stringify would write for the same value.
 */
import type { BufferCoders } from '../buffer-coders.js';
import { isoTime } from '../format/units.js';
import { dayText, splitTime, splitTs } from './split-time.js';
import { piece, type Piece } from './piece.js';

const jstr = JSON.stringify as (s: string) => string;

/** A constant ASCII text as bytes (for callers that hand raw bytes over). */
export function ascii(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

/** Any text as UTF-8 bytes. */
export function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

const NULL = piece('null');
const TRUE = piece('true');
const FALSE = piece('false');
/** Lower-case hex pairs as little-endian 16-bit words, one per byte value. */
const HEX2 = Uint16Array.from({ length: 256 }, (_, i) => {
  const pair = i.toString(16).padStart(2, '0');
  return pair.charCodeAt(0) | (pair.charCodeAt(1) << 8);
});

/** Pairs of decimal digits as little-endian 16-bit words, one per value below 100. */
const DIGITS2 = Uint16Array.from({ length: 100 }, (_, i) => (0x30 + Math.floor(i / 10)) | ((0x30 + (i % 10)) << 8));

/** Largest integer written by the digit loop: every integer up to here is exact as a double. */
const MAX_EXACT = 9007199254740991;

/** Strings up to this length are copied char by char; longer ones by one native encode and a byte scan. */
const SHORT = 40;

/** Receives filled chunks; the bytes are reused after it returns. */
export type ByteSink = (bytes: Uint8Array) => void;

/** A byte buffer that report text is written into, handed to a sink whenever it fills up. */
export class ByteOut {
  /**
   * The bytes; `u8` is the same memory as a plain Uint8Array (byte stores stay monomorphic), and
   * `words` the same again four bytes at a time (long strings are checked a word a step).
   */
  private readonly buf: BufferCoders;
  private readonly u8: Uint8Array;
  private readonly words: Int32Array;
  /** The same memory for word and half-word stores at any position. */
  private readonly view: DataView;
  private pos = 0;

  /** `size` is at least 4 KiB, so that every fixed-size piece fits after a flush. */
  constructor(private readonly sink: ByteSink, size = 1 << 20) {
    size = Math.max(size, 4096) & ~3;
    // a word copied last may pass the end of its piece by up to 3 bytes: room for that past `size`
    const mem = new ArrayBuffer(size + 4);
    this.u8 = new Uint8Array(mem, 0, size);
    this.buf = Buffer.from(mem, 0, size) as BufferCoders;
    this.words = new Int32Array(mem, 0, size >> 2);
    this.view = new DataView(mem);
  }

  /** Bytes held and not yet handed to the sink. */
  get held(): number {
    return this.pos;
  }

  /** Hands what is held to the sink. */
  flush(): void {
    if (this.pos === 0) return;
    const n = this.pos;
    this.pos = 0;
    this.sink(this.buf.subarray(0, n));
  }

  /** Moves what is held into `to` instead of the sink (output held back, then released in order). */
  flushTo(to: ByteOut): void {
    const n = this.pos;
    this.pos = 0;
    if (n > 0) to.raw(this.buf.subarray(0, n));
  }

  /** Makes room for `n` more bytes (n at most the buffer's size). */
  private room(n: number): void {
    if (this.pos + n > this.buf.length) this.flush();
  }

  /** A constant piece. */
  put(c: Piece): void {
    const n = c.length;
    if (this.pos + n > this.buf.length) {
      if (n > this.buf.length >> 1) return this.raw(c.bytes());
      this.flush();
    }
    const w = c.words;
    const v = this.view;
    let p = this.pos;
    // the bytes past the piece's end that its last word overwrites are written over next
    for (let i = 0; i < w.length; i++, p += 4) v.setInt32(p, w[i]!, true);
    this.pos += n;
  }

  /** `n` bytes of `from` (a view of a table of pieces, with 3 bytes to spare after them) from `at`. */
  putFrom(from: DataView, at: number, n: number): void {
    if (this.pos + n > this.buf.length) this.flush();
    const v = this.view;
    const end = this.pos + n;
    for (let p = this.pos; p < end; p += 4, at += 4) v.setInt32(p, from.getInt32(at, true), true);
    this.pos = end;
  }

  /** Raw bytes (a chunk of already encoded output of any size). */
  raw(b: Uint8Array): void {
    const n = b.length;
    if (n > 64) return this.block(b);
    this.room(n);
    const u = this.u8;
    let p = this.pos;
    // a loop beats TypedArray.set for short pieces
    for (let i = 0; i < n; i++) u[p++] = b[i]!;
    this.pos = p;
  }

  private block(b: Uint8Array): void {
    // a big chunk (a spool's read) goes to the sink as it is rather than copied through the buffer
    if (b.length >= this.buf.length >> 1) {
      this.flush();
      return this.sink(b);
    }
    if (this.pos + b.length > this.buf.length) this.flush();
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** Any text, UTF-8 encoded as it is (no JSON quoting). */
  text(s: string): void {
    if (this.pos + s.length * 3 > this.buf.length) {
      this.flush();
      // UTF-8 takes at most 3 bytes per UTF-16 unit
      if (s.length * 3 > this.buf.length) return this.sink(Buffer.from(s, 'utf8'));
    }
    this.pos += this.buf.utf8Write(s, this.pos);
  }

  /** A string as JSON. */
  str(s: string): void {
    if (!this.plain(s, true)) this.text(jstr(s));
  }

  /** A string or null as JSON. */
  strOrNull(s: string | null): void {
    if (s === null) this.put(NULL);
    else if (!this.plain(s, true)) this.text(jstr(s));
  }

  /**
   * Wire text (latin1) as JSON after `latin1ToSafe`: the same bytes when nothing needs escaping,
   * else `safe(s)`'s JSON (the slow path is never taken for plain ASCII).
   */
  safeStr(s: string, safe: (s: string) => string): void {
    if (!this.plain(s, false)) this.text(jstr(safe(s)));
  }

  /**
   * Writes `"s"` when no char needs escaping, and says whether it did. Printable ASCII other than
   * `"` and `\` always qualifies (JSON.stringify and latin1ToSafe keep those); with `wide`, so does
   * any other char JSON.stringify keeps as it is (DEL and above, except lone surrogates).
   */
  private plain(s: string, wide: boolean): boolean {
    const n = s.length;
    if (n + 2 > this.buf.length) return false;
    if (n <= SHORT) {
      this.room(n + 2);
      const u = this.u8;
      let p = this.pos;
      u[p++] = 0x22;
      for (let i = 0; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c < 0x20 || c === 0x22 || c === 0x5c) return false;
        if (c > 0x7e) return wide && this.encoded(s, true);
        u[p++] = c;
      }
      u[p] = 0x22;
      this.pos = p + 1;
      return true;
    }
    return this.encoded(s, wide);
  }

  /** plain() by one native encode and a scan of the bytes. */
  private encoded(s: string, wide: boolean): boolean {
    const n = s.length;
    // UTF-8 takes at most 3 bytes per UTF-16 unit
    if (this.pos + n * 3 + 2 > this.buf.length) {
      this.flush();
      if (n * 3 + 2 > this.buf.length) return false;
    }
    const u = this.u8;
    const from = this.pos + 1;
    const w = this.buf.utf8Write(s, from);
    // a char above 0x7f shows as more bytes than chars
    if (w !== n && !wide) return false;
    const end = from + w;
    let p = from;
    for (;;) {
      // whole words of plain ASCII are passed over; a word with anything else is looked at byte by byte
      p = this.plainRun(p, end);
      if (p === end) break;
      const stop = Math.min((p | 3) + 1, end);
      for (; p < stop; p++) {
        const c = u[p]!;
        if (c < 0x20 || c === 0x22 || c === 0x5c) return false;
        if (c > 0x7e) {
          if (!wide) return false;
          // EF BF BD is U+FFFD, which is also what a lone surrogate was encoded as: let JSON.stringify decide
          if (c === 0xef && u[p + 1] === 0xbf && u[p + 2] === 0xbd) return false;
        }
      }
    }
    u[from - 1] = 0x22;
    u[end] = 0x22;
    this.pos = end + 1;
    return true;
  }

  /**
   * The end of the run of printable ASCII other than `"` and `\` in the buffer from `p`, up to
   * `end`: exact to the byte before the first word boundary, then a word at a time (the position
   * returned is then the start of the first word holding any other byte).
   */
  private plainRun(p: number, end: number): number {
    const u = this.u8;
    for (; p < end && (p & 3) !== 0; p++) {
      const c = u[p]!;
      if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) return p;
    }
    const words = this.words;
    const last = end >> 2;
    let i = p >> 2;
    for (; i < last; i++) {
      const x = words[i]!;
      const q = x ^ 0x22222222;
      const s = x ^ 0x5c5c5c5c;
      // per byte, the top bit of each term: below 0x20 | above 0x7e | a quote | a backslash
      if ((((x - 0x20202020) & ~x) | (x + 0x01010101) | x | ((q - 0x01010101) & ~q) | ((s - 0x01010101) & ~s)) & 0x80808080) break;
    }
    if (i < last) return i << 2;
    for (p = Math.max(p, last << 2); p < end; p++) {
      const c = u[p]!;
      if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) return p;
    }
    return end;
  }

  /**
   * Bytes as the JSON string of their latin1 text when all are printable ASCII other than `"`
   * and `\` (what escapeBytes keeps unchanged), and says whether it did.
   */
  plainBytes(b: Uint8Array): boolean {
    const n = b.length;
    if (n + 2 > this.buf.length) return false;
    this.room(n + 2);
    const u = this.u8;
    let p = this.pos;
    u[p++] = 0x22;
    for (let i = 0; i < n; i++) {
      const c = b[i]!;
      if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) return false;
      u[p++] = c;
    }
    u[p] = 0x22;
    this.pos = p + 1;
    return true;
  }

  /**
   * Bytes that are a decimal integer's JSON (digits, no leading zero, at most 15 so that the
   * number is exact) copied as they are, and says whether they were.
   */
  plainDigits(b: Uint8Array): boolean {
    const n = b.length;
    if (n === 0 || n > 15 || (b[0] === 0x30 && n > 1)) return false;
    this.room(n);
    const u = this.u8;
    const p = this.pos;
    for (let i = 0; i < n; i++) {
      const c = b[i]!;
      if (c < 0x30 || c > 0x39) return false;
      u[p + i] = c;
    }
    this.pos = p + n;
    return true;
  }

  /** Bytes as a quoted lower-case hex string. */
  hex(b: Uint8Array): void {
    const n = b.length;
    if (n * 2 + 2 > this.buf.length) return this.text(`"${Buffer.from(b).toString('hex')}"`);
    this.room(n * 2 + 2);
    const u = this.u8;
    const v = this.view;
    let p = this.pos;
    u[p++] = 0x22;
    for (let i = 0; i < n; i++, p += 2) v.setUint16(p, HEX2[b[i]!]!, true);
    u[p++] = 0x22;
    this.pos = p;
  }

  /** A number as JSON.stringify writes it (null for NaN and infinities). */
  num(x: number): void {
    if (x >= 0 && x <= MAX_EXACT && Number.isInteger(x)) this.uint(x);
    else if (!this.millis(x)) {
      if (Number.isFinite(x)) this.text(String(x));
      else this.put(NULL);
    }
  }

  /**
   * A positive number that is a whole count of thousandths (a time in seconds to the
   * millisecond, as the session cadence has), and says whether it was one. Such a number's
   * shortest decimal, which JSON.stringify writes, is the count with a point before its last
   * three digits and their trailing zeros dropped: no shorter decimal reads back as it.
   */
  private millis(x: number): boolean {
    const v = Math.round(x * 1000);
    if (!(v > 0 && v < 1e15 && v / 1000 === x)) return false;
    const whole = Math.floor(v / 1000);
    let frac = v - whole * 1000;
    this.uint(whole);
    this.room(4);
    const u = this.u8;
    let p = this.pos;
    u[p++] = 0x2e;
    u[p++] = 0x30 + Math.floor(frac / 100);
    frac %= 100;
    if (frac !== 0) {
      u[p++] = 0x30 + Math.floor(frac / 10);
      if (frac % 10 !== 0) u[p++] = 0x30 + (frac % 10);
    }
    this.pos = p;
    return true;
  }

  /** A number or null as JSON. */
  numOrNull(x: number | null): void {
    if (x === null) this.put(NULL);
    else this.num(x);
  }

  /** An integer in [0, 2^53] in decimal. */
  private uint(v: number): void {
    this.room(16);
    if (v <= 0x7fffffff) {
      this.pos = this.small(this.pos, v);
      return;
    }
    // past 31 bits, two parts of int32 arithmetic beat one of float division
    const hi = Math.floor(v / 1e8);
    let lo = v - hi * 1e8;
    const p = this.small(this.pos, hi) + 8;
    const view = this.view;
    for (let q = p - 2; q >= p - 8; q -= 2) {
      const t = (lo / 100) | 0;
      view.setUint16(q, DIGITS2[lo - t * 100]!, true);
      lo = t;
    }
    this.pos = p;
  }

  /** Writes v (an integer in [0, 2^31)) in decimal at `p`; returns the position after it. */
  private small(p: number, v: number): number {
    const end = p + (v < 10 ? 1 : v < 100 ? 2 : v < 1000 ? 3 : v < 10000 ? 4 : v < 100000 ? 5 : v < 1000000 ? 6
      : v < 10000000 ? 7 : v < 100000000 ? 8 : v < 1000000000 ? 9 : 10);
    const view = this.view;
    let q = end;
    // two digits a step
    while (v >= 100) {
      const t = (v / 100) | 0;
      q -= 2;
      view.setUint16(q, DIGITS2[v - t * 100]!, true);
      v = t;
    }
    if (v >= 10) view.setUint16(q - 2, DIGITS2[v]!, true);
    else this.u8[q - 1] = 0x30 + v;
    return end;
  }

  /** A 64-bit counter as jsonCounter writes it: a number when exact, else a decimal string. */
  counter(n: bigint | null): void {
    if (n === null) this.put(NULL);
    else {
      // exact exactly when it lands on a safe integer (cheaper than two BigInt comparisons)
      const x = Number(n);
      if (Number.isSafeInteger(x)) this.num(x);
      else this.text(`"${n}"`);
    }
  }

  /** true or false. */
  bool(b: boolean): void {
    this.put(b ? TRUE : FALSE);
  }

  /** A list of strings as JSON. */
  strList(xs: readonly string[]): void {
    this.room(2);
    this.u8[this.pos++] = 0x5b;
    for (let i = 0; i < xs.length; i++) {
      if (i > 0) {
        this.room(1);
        this.u8[this.pos++] = 0x2c;
      }
      this.str(xs[i]!);
    }
    this.room(1);
    this.u8[this.pos++] = 0x5d;
  }

  /** The quoted ISO time of `ts` (ns since the epoch), as isoTime writes it. */
  iso(ts: bigint): void {
    // the date comes from a per-day cache, the time of day from arithmetic: no Date, no string
    const date = splitTime(ts) ? dayText(Math.floor(splitTs.sec / 86400)) : null;
    if (date === null) return this.text(`"${isoTime(ts)}"`);
    this.put(date);
    const sec = splitTs.sec;
    let t = sec - Math.floor(sec / 86400) * 86400;
    const h = Math.floor(t / 3600);
    t -= h * 3600;
    const m = Math.floor(t / 60);
    t -= m * 60;
    const ms = Math.floor(splitTs.nano / 1e6);
    this.room(14);
    const u = this.u8;
    let p = this.pos;
    u[p++] = 0x30 + Math.floor(h / 10);
    u[p++] = 0x30 + (h % 10);
    u[p++] = 0x3a;
    u[p++] = 0x30 + Math.floor(m / 10);
    u[p++] = 0x30 + (m % 10);
    u[p++] = 0x3a;
    u[p++] = 0x30 + Math.floor(t / 10);
    u[p++] = 0x30 + (t % 10);
    u[p++] = 0x2e;
    u[p++] = 0x30 + Math.floor(ms / 100);
    u[p++] = 0x30 + (Math.floor(ms / 10) % 10);
    u[p++] = 0x30 + (ms % 10);
    u[p++] = 0x5a; // Z
    u[p++] = 0x22;
    this.pos = p;
  }

  /** The quoted decimal text of `ts` (ns since the epoch), as `"${ts}"`. */
  nsText(ts: bigint): void {
    if (!splitTime(ts)) return this.text(`"${ts}"`);
    this.room(24);
    const u = this.u8;
    u[this.pos++] = 0x22;
    if (splitTs.sec > 0) {
      this.uint(splitTs.sec);
      // the nanoseconds as nine digits
      let v = splitTs.nano;
      const p = this.pos;
      for (let q = p + 8; q >= p; q--) {
        const t = (v / 10) | 0;
        u[q] = 0x30 + v - t * 10;
        v = t;
      }
      this.pos = p + 9;
    } else this.uint(splitTs.nano);
    u[this.pos++] = 0x22;
  }
}
