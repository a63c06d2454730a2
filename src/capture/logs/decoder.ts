/**
 * The push-style line splitter in front of the log parsers: splits on LF (a CR before it is
 * dropped), decodes each line as latin1 so bytes map 1:1 to chars, bounds line length without
 * buffering overlong lines, counts every line (parsed, or skipped with a reason) and sums the
 * lossy-source flags into one warning a kind.
 */
import { InputError } from '../../errors.js';
import { detectLogFormat } from './detect.js';
import type { LogParser, LogRequest } from './types.js';

/** Default longest line kept, in bytes (without its line ending). */
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024;

/** Options of LogDecoder. */
export interface LogDecoderOptions {
  /** Longer lines are skipped as 'line too long' and never held whole (default 64 KiB). */
  readonly maxLineBytes?: number;
  /** Non-empty lines sampled to detect the format when none is given (default 10). */
  readonly detectLines?: number;
}

interface Held {
  readonly text: string;
  readonly lineNo: number;
  readonly offset: number;
  readonly terminated: boolean;
}

const LF = 0x0a;

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/**
 * Feed it the log's bytes with `push`, then call `end`. Parsed requests go to `sink`
 * synchronously. With `parser` null the format is detected from the first non-empty lines;
 * when none matches, InputError `log.unknown-format` is thrown.
 */
export class LogDecoder {
  /** Lines seen, blank and skipped ones included. */
  lines = 0;
  /** Lines that produced a request. */
  parsed = 0;
  /** reason -> number of lines skipped for it. */
  readonly skipped = new Map<string, number>();
  private parser: LogParser | null;
  private readonly maxLine: number;
  private readonly detectLines: number;
  private parts: Uint8Array[] = [];
  private partLen = 0;
  private overlong = false;
  private base = 0;
  private lineStart = 0;
  private held: Held[] = [];
  private truncatedCount = 0;
  private strippedCount = 0;
  private unterminated = false;

  constructor(
    readonly file: string,
    parser: LogParser | null,
    private readonly sink: (r: LogRequest) => void,
    options: LogDecoderOptions = {},
  ) {
    this.parser = parser;
    this.maxLine = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.detectLines = options.detectLines ?? 10;
  }

  /** The parser in use (given or detected), or null before detection. */
  get format(): string | null {
    return this.parser?.format ?? null;
  }

  /** Bytes held for an incomplete line: never more than maxLineBytes + 1. */
  get pendingBytes(): number {
    return this.partLen;
  }

  /** Feeds bytes. The chunk is not kept after return. */
  push(chunk: Uint8Array): void {
    let i = 0;
    while (i < chunk.length) {
      const nl = chunk.indexOf(LF, i);
      if (nl < 0) {
        this.hold(chunk.subarray(i));
        break;
      }
      if (this.partLen === 0 && !this.overlong) {
        // Common case: the whole line is in this chunk, decode it in place.
        this.line(nl - i > this.maxLine + 1 ? null : latin1(chunk.subarray(i, nl)), true);
      } else {
        this.hold(chunk.subarray(i, nl));
        this.line(this.overlong ? null : this.joined(), true);
      }
      i = nl + 1;
      this.lineStart = this.base + i;
    }
    this.base += chunk.length;
  }

  /** End of input: a last line without LF is still parsed (or counted as cut). */
  end(): void {
    if (this.partLen > 0 || this.overlong) {
      this.unterminated = true;
      this.line(this.overlong ? null : this.joined(), false);
    }
    if (this.parser === null && this.held.length > 0) this.detect();
  }

  /** One line per lossy-source kind, with its fix, plus the parser's standing notes. */
  get warnings(): string[] {
    const out: string[] = [];
    const advice = this.parser?.advice;
    if (this.truncatedCount > 0) {
      out.push(`${this.file}: ${this.truncatedCount} of ${this.parsed} requests are truncated: ` +
        (advice?.truncated ?? 'the log cut the request line'));
    }
    if (this.strippedCount > 0) {
      out.push(`${this.file}: ${this.strippedCount} of ${this.parsed} requests have no query: ` +
        (advice?.queryStripped ?? 'the logger stripped it'));
    }
    if (this.unterminated) out.push(`${this.file}: the last line has no line ending (input cut while being written?)`);
    if (this.parsed > 0) for (const n of this.parser?.notes ?? []) out.push(`${this.file}: ${n}`);
    return out;
  }

  private hold(bytes: Uint8Array): void {
    if (this.overlong) return;
    if (this.partLen + bytes.length > this.maxLine + 1) {
      // +1 leaves room for a CR before the LF. Drop what was held: a 1 MB line is never kept.
      this.overlong = true;
      this.parts = [];
      this.partLen = 0;
      return;
    }
    this.parts.push(bytes.slice());
    this.partLen += bytes.length;
  }

  private joined(): string {
    const all = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.partLen);
    this.parts = [];
    this.partLen = 0;
    return latin1(all);
  }

  private skip(reason: string): void {
    this.skipped.set(reason, (this.skipped.get(reason) ?? 0) + 1);
  }

  /** A complete line (null: too long). */
  private line(text: string | null, terminated: boolean): void {
    this.lines++;
    const lineNo = this.lines;
    const offset = this.lineStart;
    this.overlong = false;
    if (text === null) return this.skip('line too long');
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (text.length > this.maxLine) return this.skip('line too long');
    if (text.trim() === '') return this.skip('blank line');
    if (this.parser === null) {
      this.held.push({ text, lineNo, offset, terminated });
      if (this.held.length >= this.detectLines) this.detect();
      return;
    }
    this.parse(text, lineNo, offset, terminated);
  }

  private parse(text: string, lineNo: number, offset: number, terminated: boolean): void {
    const r = this.parser!.parse(text, lineNo, offset, this.file);
    if (!r.ok) return this.skip(terminated ? r.reason : 'line cut at end of input');
    this.parsed++;
    if (r.request.truncated) this.truncatedCount++;
    if (r.request.queryStripped) this.strippedCount++;
    this.sink(r.request);
  }

  private detect(): void {
    const held = this.held;
    this.held = [];
    this.parser = detectLogFormat(held.map((h) => h.text));
    if (this.parser === null) {
      throw new InputError('log.unknown-format',
        `no known access-log format matches its first ${held.length} non-empty lines ` +
        '(nginx, Apache, HAProxy httplog, Caddy, Traefik, Squid): give the format explicitly',
        this.file, `line ${held[0]!.lineNo} (byte ${held[0]!.offset})`);
    }
    for (const h of held) this.parse(h.text, h.lineNo, h.offset, h.terminated);
  }
}
