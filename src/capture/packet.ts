/**
 * What every capture reader emits: one captured frame, in file order.
 * Readers are synchronous push parsers; only the I/O edge (src/capture/source.ts) is async.
 */

/** Where a record came from, so any message can name a position. */
export interface Origin {
  /** The input's name as the user gave it (`-` for stdin). */
  readonly file: string;
  /** 1-based packet number in a capture, or null for a log. */
  readonly packet: number | null;
  /** 1-based line number in a log, or null for a capture. */
  readonly line: number | null;
  /** Byte offset of the record in the (decompressed) input. */
  readonly offset: number;
}

/**
 * One captured frame. `data` is a view into the reader's chunk (or, for a record cut by a chunk
 * boundary, into a buffer of its own). Chunks are never overwritten, so a packet may wait in a queue;
 * a stage that keeps bytes longer copies them, so that a 4 MiB chunk is not held for a few bytes.
 */
export interface Packet {
  /** 1-based packet number within its input file. */
  readonly index: number;
  /** Capture time, nanoseconds since the Unix epoch. */
  readonly ts: bigint;
  /** LINKTYPE_* value of the interface that captured it. */
  readonly linkType: number;
  /** The captured bytes (may be shorter than origLen when the snap length cut it). */
  readonly data: Uint8Array;
  /**
   * `data` as a range of a larger buffer, `frame[frameStart, frameEnd)`, for stages that read it by
   * index: a view per packet costs an allocation that most packets need not make.
   */
  readonly frame: Uint8Array;
  readonly frameStart: number;
  readonly frameEnd: number;
  /** Length of the frame on the wire. */
  readonly origLen: number;
  /** Byte offset of the record header in the input. */
  readonly offset: number;
}

/** The Packet the readers emit: its `data` view is made on first read (see `Packet.frame`). */
export class CapturedPacket implements Packet {
  #data: Uint8Array | null = null;

  constructor(
    readonly index: number,
    readonly ts: bigint,
    readonly linkType: number,
    readonly frame: Uint8Array,
    readonly frameStart: number,
    readonly frameEnd: number,
    readonly origLen: number,
    readonly offset: number,
  ) {}

  get data(): Uint8Array {
    return (this.#data ??= this.frame.subarray(this.frameStart, this.frameEnd));
  }
}

/** Receives packets from a reader, synchronously. */
export interface PacketSink {
  packet(p: Packet): void;
}

/** A reason a reader could not use part of its input, counted in the summary. */
export interface ReaderNotice {
  readonly code: string;
  readonly message: string;
  readonly offset: number;
  readonly packet: number | null;
  /** false when nothing was lost: the notice is a warning only, not counted as a skip under `code`. */
  readonly skipped?: false;
}

/**
 * A synchronous push decoder for one capture format. Feed it chunks with `push`, then `end`.
 * Fatal problems (bad magic, corrupt lengths that cannot be resynchronised) throw InputError;
 * recoverable ones are reported through `notices`.
 */
export interface CaptureDecoder {
  push(chunk: Uint8Array): void;
  /** Called at end of input; a partial trailing record becomes a `truncated` notice. */
  end(): void;
  readonly packets: number;
  readonly notices: ReaderNotice[];
}
