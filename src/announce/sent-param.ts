/**
 * A query parameter as decodeQuery found it: a place in its query, with the raw text and the bytes
 * made on first read. The worker reads the values of a few parameters (the counters, the ids, the
 * event); the rest only cross to the main thread, and the batch writer copies their bytes from the
 * target it sends anyway (record-codec.ts). Making a Uint8Array and a string for each of a dozen
 * parameters cost the worker about a quarter of its allocation.
 */
import { smallDigits } from './bytes.js';
import { escapeBytes } from './peer-id.js';
import type { QueryParam } from './types.js';

export class SentParam implements QueryParam {
  #raw: string | null = null;
  #bytes: Uint8Array | null;

  constructor(
    readonly name: string,
    /**
     * The text the parameter was found in: its query, or the request target that holds the query
     * (then the batch writer sends the raw value as a range of the target it sends anyway).
     */
    readonly source: string,
    /** Where the raw value is in `source` (an absent value is an empty range). */
    readonly valueStart: number,
    readonly valueEnd: number,
    /**
     * The decoded bytes, given for a value with escapes or '+'; null for a plain value (its bytes
     * are its raw characters, made on first read).
     */
    bytes: Uint8Array | null,
  ) {
    this.#bytes = bytes;
  }

  get raw(): string {
    return (this.#raw ??= this.source.slice(this.valueStart, this.valueEnd));
  }

  /** The same array on every read (announce fields share it: `infoHash` is its param's bytes). */
  get bytes(): Uint8Array {
    return (this.#bytes ??= this.plainBytes());
  }

  /**
   * The bytes when they exist as an array already (read before, or decoded from escapes); null when
   * they are still just the raw characters (`source[valueStart, valueEnd)`, one byte each).
   */
  get madeBytes(): Uint8Array | null {
    return this.#bytes;
  }

  /** smallDigits of the bytes, read from the raw characters when the bytes were not made. */
  smallDigits(): number {
    const made = this.#bytes;
    if (made !== null) return smallDigits(made);
    const q = this.source;
    const from = this.valueStart;
    const n = this.valueEnd - from;
    if (n === 0 || n > 15) return -1;
    let v = 0;
    for (let i = 0; i < n; i++) {
      const d = (q.charCodeAt(from + i) & 0xff) - 48; // a char's low byte, as the bytes would hold
      if (d < 0 || d > 9) return -1;
      v = v * 10 + d;
    }
    return v;
  }

  /** The value's length in bytes, without making them. */
  get byteLength(): number {
    const made = this.#bytes;
    return made !== null ? made.length : this.valueEnd - this.valueStart;
  }

  /** Whether the bytes are the characters of `text` (ASCII), without making them. */
  bytesAre(text: string): boolean {
    const made = this.#bytes;
    if (made !== null) {
      if (made.length !== text.length) return false;
      for (let i = 0; i < made.length; i++) if (made[i] !== text.charCodeAt(i)) return false;
      return true;
    }
    const q = this.source;
    const from = this.valueStart;
    if (this.valueEnd - from !== text.length) return false;
    for (let i = 0; i < text.length; i++) if ((q.charCodeAt(from + i) & 0xff) !== text.charCodeAt(i)) return false;
    return true;
  }

  /**
   * escapeBytes of the bytes (peer-id.ts): a plain value of printable ASCII without a backslash is
   * its raw text, and needs no bytes made.
   */
  escapedText(): string {
    if (this.#bytes === null) {
      const q = this.source;
      let i = this.valueStart;
      const end = this.valueEnd;
      while (i < end) {
        const c = q.charCodeAt(i);
        if (c < 0x20 || c > 0x7e || c === 0x5c) break;
        i++;
      }
      if (i === end) return this.raw;
    }
    return escapeBytes(this.bytes);
  }

  /** Serialised as the plain QueryParam it stands for (its own fields are bookkeeping). */
  toJSON(): QueryParam {
    return { name: this.name, raw: this.raw, bytes: this.bytes };
  }

  private plainBytes(): Uint8Array {
    const q = this.source;
    const from = this.valueStart;
    const out = new Uint8Array(this.valueEnd - from);
    // chars above 0xff (not in an HTTP target) become their low byte, as in percentDecode
    for (let k = 0; k < out.length; k++) out[k] = q.charCodeAt(from + k);
    return out;
  }
}

/** escapeBytes of a parameter's bytes, without making them when it is a plain SentParam. */
export function paramEscapedText(p: QueryParam): string {
  return p instanceof SentParam ? p.escapedText() : escapeBytes(p.bytes);
}

/** A parameter's length in bytes, without making them when it is a SentParam. */
export function paramByteLength(p: QueryParam): number {
  return p instanceof SentParam ? p.byteLength : p.bytes.length;
}

/** smallDigits of a parameter's bytes, without making them when it is a SentParam. */
export function paramSmallDigits(p: QueryParam): number {
  return p instanceof SentParam ? p.smallDigits() : smallDigits(p.bytes);
}
