/**
 * The base of the per-direction HTTP/1.x parsers (request.ts, response.ts): keeps the unconsumed
 * tail of a TCP stream between segments and which packet carried which byte; plus the limits and
 * the skip-counter names both directions share.
 */
import type { Origin } from '../capture/packet.js';

/** Where a stream byte came from: the packet that carried it. */
export interface ByteOrigin {
  readonly origin: Origin;
  readonly ts: bigint;
}

/** Where a fed segment began. Mutable: the objects are reused from segment to segment. */
interface Mark {
  /** Stream position (count of delivered bytes before it) of the chunk's first byte. */
  pos: number;
  ts: bigint;
  packet: number;
  offset: number;
}

const EMPTY = new Uint8Array(0);

/**
 * Base of the per-direction parsers: keeps the unconsumed tail of the stream between segments
 * and remembers which packet carried which byte. A segment is parsed in place when nothing is
 * pending; only the bytes of a message still incomplete at its end are copied. Positions are
 * stream positions (bytes delivered so far), so state survives the copy.
 */
export abstract class StreamParser {
  private store: Uint8Array = EMPTY;
  private storeLen = 0;
  /** Stream position of the first unconsumed byte (index 0 of the buffer `parse` sees). */
  protected base = 0;
  /** Marks of the segments still covering unconsumed bytes are `marks[0, nMarks)`; the rest are spares. */
  private readonly marks: Mark[] = [];
  private nMarks = 0;
  /**
   * True while `parse` runs over the held-over buffer, which later segments overwrite: a parser
   * must not hand out views of it. (Otherwise `parse` sees the fed segment itself, whose bytes the
   * capture never overwrites.)
   */
  protected parsingHeld = false;

  constructor(private readonly file: string) {}

  /** Delivers the next in-order bytes; `bytes` is not kept. */
  feed(bytes: Uint8Array, ts: bigint, packet: number, offset: number): void {
    this.addMark(this.base + this.storeLen, ts, packet, offset);
    let used: number;
    if (this.storeLen === 0) {
      used = this.parse(bytes, bytes.length);
      this.base += used;
      if (used < bytes.length) this.append(bytes, used);
    } else {
      this.append(bytes, 0);
      this.parsingHeld = true;
      used = this.parse(this.store, this.storeLen);
      this.parsingHeld = false;
      this.base += used;
      this.store.copyWithin(0, used, this.storeLen);
      this.storeLen -= used;
    }
    // Keep the mark that covers `base` and the later ones.
    let k = 0;
    while (k + 1 < this.nMarks && this.marks[k + 1]!.pos <= this.base) k++;
    if (k > 0) this.dropMarks(k);
  }

  /** Records where a segment begins, in a spare mark when there is one (no object per segment). */
  private addMark(pos: number, ts: bigint, packet: number, offset: number): void {
    const m = this.marks[this.nMarks];
    if (m === undefined) this.marks.push({ pos, ts, packet, offset });
    else {
      m.pos = pos;
      m.ts = ts;
      m.packet = packet;
      m.offset = offset;
    }
    this.nMarks++;
  }

  /** Forgets the first `k` marks, keeping their objects as spares. */
  private dropMarks(k: number): void {
    const ms = this.marks;
    for (let i = 0; i < k; i++) ms.push(ms.shift()!);
    this.nMarks -= k;
  }

  /** Bytes held over from earlier segments (a partial message): a request may still start in them. */
  get held(): number {
    return this.storeLen;
  }

  /** Bytes held over from earlier segments (a partial message). */
  protected get pending(): number {
    return this.storeLen;
  }

  /** Drops the held-over bytes (after a gap they no longer join what follows). */
  protected discard(): void {
    this.base += this.storeLen;
    this.storeLen = 0;
    if (this.nMarks > 1) this.dropMarks(this.nMarks - 1);
  }

  /** The packet that carried stream position `pos`. */
  protected originAt(pos: number): ByteOrigin {
    let m = this.marks[0]!;
    for (let k = 1; k < this.nMarks && this.marks[k]!.pos <= pos; k++) m = this.marks[k]!;
    return { origin: { file: this.file, packet: m.packet, line: null, offset: m.offset }, ts: m.ts };
  }

  /**
   * Parses `buf[0..end)` (index 0 is stream position `base`) and returns how many bytes are
   * consumed; the rest is offered again, with more, on the next call. Must not keep `buf`.
   */
  protected abstract parse(buf: Uint8Array, end: number): number;

  private append(bytes: Uint8Array, from: number): void {
    const n = bytes.length - from;
    if (this.storeLen + n > this.store.length) {
      const grown = new Uint8Array(Math.max(1024, (this.storeLen + n) * 2));
      grown.set(this.store.subarray(0, this.storeLen));
      this.store = grown;
    }
    this.store.set(from === 0 ? bytes : bytes.subarray(from), this.storeLen);
    this.storeLen += n;
  }
}

/** Limits of the parsers; exceeding one is a counted skip, never an error. */
export interface ParserLimits {
  /** Longest header block (start line included) before the message is skipped. */
  readonly maxHeadBytes: number;
}


/** Skip-counter names of this layer (stable: they appear in the summary). */
export const SKIP = {
  midStreamRequest: 'mid-stream bytes before first request',
  midStreamResponse: 'mid-stream bytes before first response',
  resyncRequest: 'bytes skipped to resync requests',
  resyncResponse: 'bytes skipped to resync responses',
  lostInGap: 'http message lost in gap',
  headTooLarge: 'http header block too large',
  badRequestHead: 'unparsable request head',
  badResponseHead: 'unparsable response head',
  responseWithoutRequest: 'response without request',
  incompleteAtEnd: 'incomplete http head at connection end',
  nonHttp: 'non-http connection',
  upgraded: 'connection upgraded to another protocol',
} as const;
