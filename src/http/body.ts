/**
 * HTTP/1.x message bodies: collecting bytes under a size limit, the chunked transfer coding
 * (RFC 9112 §7.1, with chunk extensions and trailer fields) as an incremental decoder, and
 * content codings (RFC 9110 §8.4.1: gzip / x-gzip, deflate, br) decoded with node:zlib.
 */
import * as zlib from 'node:zlib';
import { indexOfByte } from './bytes.js';

const NO_PROBLEMS: readonly string[] = Object.freeze([]);
const EMPTY = new Uint8Array(0);

/**
 * Collects a body's bytes, keeping at most `limit` of them. The first piece is held as a view of
 * the caller's buffer, not copied: most bodies arrive whole in one segment and are decoded before
 * the parse call returns, so they need no copy at all. A second piece, or `settle()` (which the
 * parser calls before its buffer can be reused), copies it. `problems` gathers why the body may be
 * incomplete.
 */
export class BodyCollector {
  /** Copied pieces; null while there are none. */
  private parts: Uint8Array[] | null = null;
  /** The first piece while it is still a view of the caller's buffer: `view[viewStart, viewEnd)`. */
  private view: Uint8Array | null = null;
  private viewStart = 0;
  private viewEnd = 0;
  private kept = 0;
  /** All body bytes seen (kept or not). */
  total = 0;
  /** Set when bytes went missing (gap): later bytes are counted but not kept, since the body has a hole. */
  private holed = false;
  /** Why the body may be incomplete (a shared empty list until there is a reason). */
  problems: readonly string[] = NO_PROBLEMS;

  constructor(readonly limit: number) {}

  /** Adds `buf[start..end)`; `buf` must stay unchanged until `settle()`, or while `bytes()` is used. */
  push(buf: Uint8Array, start: number, end: number): void {
    const n = end - start;
    if (n <= 0) return;
    this.total += n;
    if (this.holed) return;
    const room = this.limit - this.kept;
    if (room <= 0) return;
    const take = Math.min(room, n);
    this.kept += take;
    if (this.view === null && this.parts === null) {
      this.view = buf;
      this.viewStart = start;
      this.viewEnd = start + take;
      return;
    }
    this.settle();
    this.parts!.push(buf.slice(start, start + take));
  }

  /** Copies a piece still held as a view: the caller's buffer is about to be reused. */
  settle(): void {
    if (this.view === null) return;
    (this.parts ??= []).push(this.view.slice(this.viewStart, this.viewEnd));
    this.view = null;
  }

  /** `n` body bytes were never captured. */
  hole(n: number): void {
    if (!this.holed) this.problems = [...this.problems, `${n} body bytes lost in a capture gap; body kept up to the gap`];
    this.holed = true;
    this.total += n;
  }

  /** True when the limit cut the body. */
  get truncated(): boolean {
    return this.total > this.kept && !this.holed;
  }

  /**
   * The kept bytes as one array. Unless `own`, this may be a view of the buffer last pushed (valid
   * as long as that buffer is); with `own`, it is never a view of a caller's buffer.
   */
  bytes(own = false): Uint8Array {
    if (this.view !== null) {
      if (own) this.settle();
      else return this.viewStart === 0 && this.viewEnd === this.view.length ? this.view : this.view.subarray(this.viewStart, this.viewEnd);
    }
    const parts = this.parts;
    if (parts === null) return EMPTY;
    if (parts.length === 1) return parts[0]!;
    const out = new Uint8Array(this.kept);
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    this.parts = [out];
    return out;
  }
}

const LF = 10;
const CR = 13;

/** Longest chunk-size line (with extensions) or trailer line accepted before the body is called broken. */
const MAX_CHUNK_LINE = 4096;

type ChunkState = 'size' | 'data' | 'data-crlf' | 'trailer' | 'done' | 'broken';

/**
 * Incremental decoder of the chunked transfer coding. Feed it bytes with `push`; it takes what
 * belongs to the body (up to and including the final CRLF after trailers) and hands chunk data to
 * `out`. Keeps at most one partial line between calls, so segments of any size work.
 */
export class ChunkedDecoder {
  private state: ChunkState = 'size';
  private remaining = 0;
  private line: number[] = [];
  /** Why the coding could not be followed, or null. */
  problem: string | null = null;

  constructor(private readonly out: BodyCollector | null) {}

  /** True after the last chunk and trailer section. */
  get done(): boolean {
    return this.state === 'done';
  }

  /** True when the framing was broken (bad size line); the rest of the stream is not this body. */
  get broken(): boolean {
    return this.state === 'broken';
  }

  /** True while inside chunk data (where a gap of at most `remainingData` bytes can be absorbed). */
  get remainingData(): number {
    return this.state === 'data' ? this.remaining : 0;
  }

  /** Skips `n` bytes of chunk data that were never captured (caller checked `n <= remainingData`). */
  skipData(n: number): void {
    this.remaining -= n;
    this.out?.hole(n);
    if (this.remaining === 0) this.state = 'data-crlf';
  }

  /** Consumes from `buf[start..end)`; returns the index after the last byte that belongs to the body. */
  push(buf: Uint8Array, start: number, end: number): number {
    let i = start;
    while (i < end) {
      switch (this.state) {
        case 'data': {
          const take = Math.min(this.remaining, end - i);
          this.out?.push(buf, i, i + take);
          i += take;
          this.remaining -= take;
          if (this.remaining === 0) this.state = 'data-crlf';
          break;
        }
        case 'size':
        case 'data-crlf':
        case 'trailer': {
          const lf = indexOfByte(buf, LF, i);
          const stop = lf < 0 || lf >= end ? end : lf;
          const held = this.line;
          if (held.length + (stop - i) > MAX_CHUNK_LINE) {
            for (let k = i; k < stop; k++) held.push(buf[k]!);
            return this.fail('chunk-size or trailer line too long', stop);
          }
          if (stop === end) {
            for (let k = i; k < stop; k++) held.push(buf[k]!);
            return end;
          }
          // The line is complete. Usually it lies whole in `buf`: read it there, without copying.
          let line: ArrayLike<number> = buf;
          let from = i;
          let to = lf;
          if (held.length > 0) {
            for (let k = i; k < stop; k++) held.push(buf[k]!);
            this.line = [];
            line = held;
            from = 0;
            to = held.length;
          }
          i = lf + 1;
          if (to > from && line[to - 1] === CR) to--;
          if (this.state === 'data-crlf') {
            // Chunk data must be followed by CRLF; tolerate anything on that line (seen in sloppy servers).
            this.state = 'size';
          } else if (this.state === 'trailer') {
            if (to === from) {
              this.state = 'done';
              return i;
            }
          } else {
            const size = parseChunkSize(line, from, to);
            if (size < 0) return this.fail('bad chunk-size line', i);
            if (size === 0) this.state = 'trailer';
            else {
              this.remaining = size;
              this.state = 'data';
            }
          }
          break;
        }
        case 'done':
        case 'broken':
          return i;
      }
    }
    return i;
  }

  private fail(why: string, at: number): number {
    this.problem = why;
    this.state = 'broken';
    return at;
  }
}

/** Hex chunk size before any `;ext` or whitespace; -1 when malformed or absurd (> 2^48). */
function parseChunkSize(line: ArrayLike<number>, from: number, to: number): number {
  let n = 0;
  let digits = 0;
  for (let k = from; k < to; k++) {
    const b = line[k]!;
    let d: number;
    if (b >= 48 && b <= 57) d = b - 48;
    else if (b >= 97 && b <= 102) d = b - 87;
    else if (b >= 65 && b <= 70) d = b - 55;
    else if (b === 59 /* ; */ || b === 32 || b === 9) break;
    else return -1;
    n = n * 16 + d;
    digits++;
    if (digits > 12) return -1;
  }
  return digits === 0 ? -1 : n;
}

/** A decoded body and why it may be wrong. */
export interface DecodedBody {
  readonly body: Uint8Array;
  readonly problem: string | null;
}

type Decoder = (input: Uint8Array, opts: zlib.ZlibOptions) => Buffer;

/** Decoders for one coding; deflate is tried zlib-wrapped first, then raw, because servers send both. */
const CODINGS: Record<string, readonly Decoder[]> = {
  gzip: [zlib.gunzipSync],
  'x-gzip': [zlib.gunzipSync],
  deflate: [zlib.inflateSync, zlib.inflateRawSync],
  br: [
    (input, opts) =>
      zlib.brotliDecompressSync(input, {
        maxOutputLength: opts.maxOutputLength,
        finishFlush: opts.finishFlush === undefined ? undefined : zlib.constants.BROTLI_OPERATION_FLUSH,
      }),
  ],
};

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function isTooLarge(e: unknown): boolean {
  return e instanceof RangeError || (e instanceof Error && /maxOutputLength|larger than/i.test(e.message));
}

function runDecoder(dec: Decoder, input: Uint8Array, limit: number, partial: boolean): DecodedBody {
  // A cut-short stream would throw "unexpected end of file"; a sync flush returns what was decoded.
  const opts: zlib.ZlibOptions = { maxOutputLength: limit };
  if (partial) opts.finishFlush = zlib.constants.Z_SYNC_FLUSH;
  try {
    return { body: new Uint8Array(dec(input, opts)), problem: null };
  } catch (e) {
    if (!isTooLarge(e)) {
      // The compressed stream stops early although the body was complete: keep what decodes.
      if (partial || !/unexpected end/i.test(errorText(e))) throw e;
      const r = runDecoder(dec, input, limit, true);
      const why = 'compressed stream ends early';
      return { body: r.body, problem: r.problem === null ? why : `${why}; ${r.problem}` };
    }
  }
  // Larger than the limit when decoded. node:zlib's sync API gives no partial output, so search for
  // the longest input prefix whose output fits (a rare path: gzip bombs, huge replies).
  let lo = 0;
  let hi = input.length;
  let best = new Uint8Array(0);
  const prefixOpts: zlib.ZlibOptions = { maxOutputLength: limit, finishFlush: zlib.constants.Z_SYNC_FLUSH };
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    try {
      best = new Uint8Array(dec(input.subarray(0, mid), prefixOpts));
      lo = mid;
    } catch {
      hi = mid;
    }
  }
  return { body: best, problem: `decoded body larger than ${limit} bytes: kept the first ${best.length}` };
}

/**
 * Undoes the Content-Encoding `codings` (as listed in the header, applied in that order, so
 * decoded in reverse). `partial` says the input is cut short (truncated capture or size limit):
 * decoding then returns what it can. Undecodable input is returned as received, with a problem.
 */
export function decodeContent(input: Uint8Array, codings: readonly string[], limit: number, partial: boolean): DecodedBody {
  let body = input;
  const problems: string[] = [];
  for (let k = codings.length - 1; k >= 0; k--) {
    const coding = codings[k]!;
    if (coding === 'identity') continue;
    const decoders = CODINGS[coding];
    if (decoders === undefined) {
      problems.push(`unsupported content-encoding ${coding}; body kept as received`);
      break;
    }
    let done: DecodedBody | null = null;
    let lastError = '';
    for (const dec of decoders) {
      try {
        done = runDecoder(dec, body, limit, partial);
        break;
      } catch (e) {
        lastError = errorText(e);
      }
    }
    if (done === null) {
      problems.push(`content-encoding ${coding} undecodable (${lastError}); body kept as received`);
      break;
    }
    body = done.body;
    if (done.problem !== null) problems.push(done.problem);
  }
  return { body, problem: problems.length > 0 ? problems.join('; ') : null };
}
