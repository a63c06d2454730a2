/**
 * One input (file or stdin) as a pull-driven source: each `pump()` reads one large chunk and pushes
 * it synchronously through the decoders of its format. The format is detected from the content.
 */
import { readChunks } from '../capture/source.js';
import { detectFormat } from '../capture/detect.js';
import { PcapDecoder } from '../capture/pcap.js';
import { PcapngDecoder } from '../capture/pcapng.js';
import type { CaptureDecoder, Packet, PacketSink } from '../capture/packet.js';
import type { LogParser } from '../capture/logs/types.js';
import type { TrackerRequest } from '../announce/types.js';
import { InputError } from '../errors.js';
import type { CaptureChain, ChainPort } from './capture-chain.js';
import { LogChain } from './log-chain.js';
import { bump, newInputSummary, type InputSummary } from './summary.js';

export interface InputOptions {
  readonly inputFormat: 'auto' | 'pcap' | 'pcapng' | 'log';
  readonly logParser: LogParser | null;
  readonly announcePath?: RegExp;
  /** --follow: keep reading growing files until this signal aborts. */
  readonly follow?: AbortSignal;
  /** Bytes per read (default 4 MiB); tests use small ones to put records across chunk boundaries. */
  readonly chunkSize?: number;
}

/**
 * Bytes of a read chunk handed to the capture decoder at a time. Decoding a whole 4 MiB chunk up
 * front queued some 14 000 packets (a Packet, a view and a bigint each), which lived until their
 * turn: every scavenge in between copied them, and most were promoted to the old generation (half
 * of what the worker's scavenges moved). A slice's few hundred packets are fed before they age.
 */
const DECODE_SLICE = 64 * 1024;

export class InputRunner {
  readonly summary: InputSummary;
  done = false;
  /** --follow: the last read found no new data. */
  idle = false;
  /** Set when the input became unusable part-way: the report still covers what came before. */
  fatal: InputError | null = null;
  private readonly chunks: AsyncGenerator<Uint8Array>;
  private capture: { decoder: CaptureDecoder; port: ChainPort } | null = null;
  private log: LogChain | null = null;
  /**
   * Packets decoded from the last chunk, not yet fed to the shared capture chain. The run feeds
   * packets of all capture inputs in timestamp order from these queues, so overlapping or rotated
   * captures reach TCP reassembly in time order. Packets are views into their chunk, which is
   * not reused while any of it is undecoded or queued, so holding them is safe.
   */
  private queue: Packet[] = [];
  private qi = 0;
  /** The capture chunk being decoded a slice at a time (see DECODE_SLICE), and how far. */
  private chunk: Uint8Array = new Uint8Array(0);
  private chunkPos = 0;
  private readonly enqueue: PacketSink = { packet: (p) => { this.queue.push(p); } };

  constructor(
    readonly path: string,
    private readonly opts: InputOptions,
    private readonly emit: (rec: TrackerRequest) => void,
    /** The capture chain every capture input of the run shares (created on first use). */
    private readonly chain: () => CaptureChain,
  ) {
    this.summary = newInputSummary(path);
    this.chunks = readChunks(path, {
      follow: opts.follow ? { signal: opts.follow } : undefined,
      chunkSize: opts.chunkSize,
      // A capture's chunk may be read into again once its packets are all fed: the chain copies
      // what it keeps past a packet (out-of-order segments, fragments, partial messages, bodies,
      // UDP payloads), and the decoder copies a record cut by the chunk's end. (A log's lines may
      // be kept as views: a log always gets fresh chunks.)
      reuse: () => this.capture !== null && this.qi >= this.queue.length && this.chunkPos >= this.chunk.length,
    });
  }

  /** The input's clock: time of the newest record read so far (-1 before any). */
  get now(): bigint {
    return this.capture?.port.now ?? this.log?.now ?? -1n;
  }

  /** True once the input turned out to be an access log (read a chunk at a time, not merged by packet). */
  get isLog(): boolean {
    return this.log !== null;
  }

  /**
   * True for a capture input (or one not yet started) whose chunk is all decoded and fed: it needs
   * its next chunk. (Decodes the chunk's next slice first when nothing is queued.)
   */
  get starved(): boolean {
    if (this.done || this.log !== null) return false;
    this.refill();
    return this.qi >= this.queue.length;
  }

  /** Time of the next packet to feed, or null when none is queued (or left in the chunk). */
  get nextTs(): bigint | null {
    this.refill();
    return this.qi < this.queue.length ? this.queue[this.qi]!.ts : null;
  }

  /** Feeds packets up to and including time `until` into the capture chain (the whole chunk, if it allows). */
  feed(until: bigint): void {
    const port = this.capture!.port;
    for (;;) {
      const q = this.queue;
      while (this.qi < q.length && q[this.qi]!.ts <= until) port.packet(q[this.qi++]!);
      if (this.qi < q.length) return;
      this.refill();
      if (this.qi >= this.queue.length) return;
    }
  }

  /** When every queued packet is fed, decodes slices of the chunk until one yields a packet or none is left. */
  private refill(): void {
    if (this.qi < this.queue.length) return;
    // reset in place: the queue array keeps its capacity from slice to slice
    this.queue.length = 0;
    this.qi = 0;
    const chunk = this.chunk;
    while (this.queue.length === 0 && this.chunkPos < chunk.length && !this.done) {
      const end = Math.min(chunk.length, this.chunkPos + DECODE_SLICE);
      const slice = this.chunkPos === 0 && end === chunk.length ? chunk : chunk.subarray(this.chunkPos, end);
      this.chunkPos = end;
      try {
        this.capture!.decoder.push(slice);
      } catch (e) {
        this.fail(e);
      }
    }
  }

  /** Reads and processes one chunk; returns false once the input is exhausted. */
  async pump(): Promise<boolean> {
    if (this.done) return false;
    let next: IteratorResult<Uint8Array>;
    try {
      next = await this.chunks.next();
    } catch (e) {
      this.fail(e);
      return false;
    }
    if (next.done) {
      this.finish();
      return false;
    }
    const chunk = next.value;
    this.idle = chunk.length === 0;
    if (this.idle) return true;
    this.summary.bytes += chunk.length;
    try {
      if (this.capture === null && this.log === null) this.start(chunk);
      if (this.log !== null) this.log.push(chunk);
    } catch (e) {
      this.fail(e);
      return false;
    }
    if (this.capture !== null) {
      this.chunk = chunk;
      this.chunkPos = 0;
      // the first slice now, so that a file that is no capture after all fails here as before
      this.refill();
      if (this.done) return false;
    }
    return true;
  }

  private start(first: Uint8Array): void {
    const detected = detectFormat(first);
    let format: string = this.opts.inputFormat === 'auto' ? detected : this.opts.inputFormat;
    if (format === 'text') format = 'log';
    if (format === 'pcap' || format === 'pcapng') {
      const port = this.chain().input(this.path, this.summary);
      const decoder = format === 'pcap' ? new PcapDecoder(this.path, this.enqueue) : new PcapngDecoder(this.path, this.enqueue);
      this.capture = { decoder, port };
      this.summary.format = format;
    } else if (format === 'log') {
      this.log = new LogChain(this.path, this.opts.logParser, this.summary, this.emit, this.opts.announcePath);
      this.summary.format = 'log';
    } else {
      throw new InputError('input.unknown-format',
        'not a pcap, pcapng or text access log (first bytes: ' + hexHead(first) + '); use --input-format to force one', this.path, 'byte 0');
    }
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    if (this.capture) {
      // after a fatal error the decoder's state is unusable: its end() would only report it again
      if (this.fatal === null) {
        try { this.capture.decoder.end(); } catch (e) { this.recordFatal(e); }
      }
      this.summary.packets = this.capture.decoder.packets;
      for (const n of this.capture.decoder.notices) {
        if (n.skipped !== false) bump(this.summary.skipped, n.code);
        this.summary.warnings.push(`${n.packet !== null ? `packet ${n.packet} ` : ''}byte ${n.offset}: ${n.message}`);
      }
    } else if (this.log) {
      this.log.end();
    }
  }

  private fail(e: unknown): void {
    this.recordFatal(e);
    this.finish();
  }

  private recordFatal(e: unknown): void {
    if (!(e instanceof InputError)) throw e;
    this.fatal = e;
    this.summary.warnings.push(`${STOPPED_READING}${e.position ? e.position + ': ' : ''}${e.message}`);
  }
}

/** How an input's warning starts when an error ended its reading (the run prints that error too). */
export const STOPPED_READING = 'stopped reading: ';

function hexHead(b: Uint8Array): string {
  return Buffer.from(b.subarray(0, 8)).toString('hex');
}
