/**
 * A small strict bencode decoder for tracker replies.
 *
 * Follows BEP 3 ("bencoding"): integers `i<n>e` without leading zeros or `-0`, strings
 * `<len>:<bytes>`, lists `l...e`, dictionaries `d...e` with byte-string keys sorted as raw bytes.
 * Unlike the lenient decoders trackers are tested with, it records every deviation as a problem
 * instead of accepting it silently, because a sloppy reply is itself worth reporting.
 * Recoverable deviations (non-canonical integer or length, unsorted or duplicate keys, trailing
 * bytes) keep the value; fatal ones (truncation, a byte that starts no value, too deep) give null.
 */
import { latin1 } from './bytes.js';

/** A decoded bencode value. Byte strings stay bytes; integers are bigint (any size). */
export type BValue =
  | { readonly kind: 'int'; readonly value: bigint }
  | { readonly kind: 'bytes'; readonly value: Uint8Array }
  | { readonly kind: 'list'; readonly items: readonly BValue[] }
  | {
      readonly kind: 'dict';
      /** Keys as latin1 text (one char per byte). The first of duplicate keys is kept. */
      readonly entries: ReadonlyMap<string, BValue>;
    };

/** The decoded value (null when the input is unusable) and every problem found, with byte offsets. */
export interface BDecoded {
  readonly value: BValue | null;
  readonly problems: readonly string[];
}

/** Options for decodeBencode. */
export interface BDecodeOptions {
  /** Maximum nesting of lists and dicts; deeper input is a fatal problem. Default 32. */
  readonly maxDepth?: number;
}

/** Internal: aborts decoding; caught in decodeBencode, never escapes it. */
class Fatal {
  constructor(readonly message: string) {}
}

class Decoder {
  pos = 0;
  readonly problems: string[] = [];
  constructor(
    readonly buf: Uint8Array,
    readonly maxDepth: number,
  ) {}

  value(depth: number): BValue {
    const c = this.buf[this.pos];
    if (c === undefined) throw new Fatal(`truncated: value expected at byte ${this.pos}`);
    if (c === 0x69 /* i */) return this.int();
    if (c >= 0x30 && c <= 0x39) return { kind: 'bytes', value: this.bytes() };
    if (c === 0x6c /* l */ || c === 0x64 /* d */) {
      if (depth >= this.maxDepth) throw new Fatal(`nested deeper than ${this.maxDepth} at byte ${this.pos}`);
      return c === 0x6c ? this.list(depth + 1) : this.dict(depth + 1);
    }
    throw new Fatal(`unexpected byte 0x${c.toString(16).padStart(2, '0')} at byte ${this.pos}`);
  }

  /** Reads digits up to `end`; returns the digit text. */
  digitsUntil(end: number, what: string, at: number): string {
    const start = this.pos;
    while (this.pos < this.buf.length && this.buf[this.pos] !== end) {
      const d = this.buf[this.pos]!;
      if (!((d >= 0x30 && d <= 0x39) || (d === 0x2d && this.pos === start && what === 'integer'))) {
        throw new Fatal(`invalid ${what} at byte ${at}: unexpected byte 0x${d.toString(16).padStart(2, '0')}`);
      }
      this.pos++;
    }
    if (this.pos >= this.buf.length) throw new Fatal(`truncated ${what} at byte ${at}`);
    let s = '';
    for (let i = start; i < this.pos; i++) s += String.fromCharCode(this.buf[i]!);
    this.pos++; // the terminator
    return s;
  }

  int(): BValue {
    const at = this.pos;
    this.pos++; // 'i'
    const s = this.digitsUntil(0x65 /* e */, 'integer', at);
    if (s === '' || s === '-') throw new Fatal(`empty integer at byte ${at}`);
    if (s === '-0' || /^-?0[0-9]/.test(s)) this.problems.push(`non-canonical integer i${s}e at byte ${at}`);
    return { kind: 'int', value: BigInt(s) };
  }

  bytes(): Uint8Array {
    const at = this.pos;
    const s = this.digitsUntil(0x3a /* : */, 'string length', at);
    if (s.length > 1 && s[0] === '0') this.problems.push(`non-canonical string length ${s} at byte ${at}`);
    const len = Number(s);
    if (len > this.buf.length - this.pos) {
      throw new Fatal(`truncated: string of ${s} bytes at byte ${at}, ${this.buf.length - this.pos} left`);
    }
    // a copy, and a plain Uint8Array even when the input is a Buffer (whose slice is a view)
    const v = new Uint8Array(this.buf.subarray(this.pos, this.pos + len));
    this.pos += len;
    return v;
  }

  list(depth: number): BValue {
    this.pos++; // 'l'
    const items: BValue[] = [];
    for (;;) {
      const c = this.buf[this.pos];
      if (c === undefined) throw new Fatal(`truncated: list not closed at byte ${this.pos}`);
      if (c === 0x65) break;
      items.push(this.value(depth));
    }
    this.pos++;
    return { kind: 'list', items };
  }

  dict(depth: number): BValue {
    this.pos++; // 'd'
    const entries = new Map<string, BValue>();
    let prev: Uint8Array | null = null;
    for (;;) {
      const c = this.buf[this.pos];
      if (c === undefined) throw new Fatal(`truncated: dictionary not closed at byte ${this.pos}`);
      if (c === 0x65) break;
      const at = this.pos;
      if (c < 0x30 || c > 0x39) throw new Fatal(`dictionary key is not a string at byte ${at}`);
      const key = this.bytes();
      const value = this.value(depth);
      const name = latin1(key);
      if (prev !== null) {
        const order = compareBytes(prev, key);
        if (order === 0) this.problems.push(`duplicate dictionary key "${printable(name)}" at byte ${at}`);
        else if (order > 0) this.problems.push(`dictionary key "${printable(name)}" out of order at byte ${at}`);
      }
      if (!entries.has(name)) entries.set(name, value);
      prev = key;
    }
    this.pos++;
    return { kind: 'dict', entries };
  }
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

function printable(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, (c) => '\\x' + c.charCodeAt(0).toString(16).padStart(2, '0'));
}

/** Decodes one bencoded value that must fill `buf` exactly. Never throws: problems are returned. */
export function decodeBencode(buf: Uint8Array, opts: BDecodeOptions = {}): BDecoded {
  const d = new Decoder(buf, opts.maxDepth ?? 32);
  try {
    const value = d.value(0);
    if (d.pos < buf.length) d.problems.push(`${buf.length - d.pos} trailing bytes after the value at byte ${d.pos}`);
    return { value, problems: d.problems };
  } catch (e) {
    if (e instanceof Fatal) return { value: null, problems: [...d.problems, e.message] };
    throw e;
  }
}

/** The entry `key` of a dict value, or undefined (also when `v` is not a dict). */
export function dictGet(v: BValue | null, key: string): BValue | undefined {
  return v !== null && v.kind === 'dict' ? v.entries.get(key) : undefined;
}
