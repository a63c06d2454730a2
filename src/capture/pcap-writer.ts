/**
 * Classic libpcap file writer (https://www.ietf.org/archive/id/draft-ietf-opsawg-pcap-04.html;
 * also https://wiki.wireshark.org/Development/LibpcapFileFormat).
 *
 * Writes little-endian files, microsecond (magic a1b2c3d4) or nanosecond (magic a1b23c4d)
 * resolution, one link type for the whole file. Records are copied into one reusable buffer and
 * flushed with fs.writeSync, so a multi-gigabyte capture is written in flat memory: the bench
 * generator depends on that.
 */

import { closeSync, openSync, writeSync } from 'node:fs';

/** LINKTYPE_ETHERNET: the only link type our synthetic frames use. */
export const LINKTYPE_ETHERNET = 1;

/** How a PcapWriter is set up. */
export interface PcapWriterOptions {
  /** Timestamp resolution written to the file: 'us' (the classic default) or 'ns'. */
  readonly precision?: 'us' | 'ns';
  /** LINKTYPE_* of every record; default Ethernet. */
  readonly linkType?: number;
  /** Snap length announced in the header; frames longer than it are cut. Default 262144. */
  readonly snaplen?: number;
  /** Size of the write buffer; default 4 MiB. */
  readonly bufferBytes?: number;
}

const HEADER_BYTES = 24;
const RECORD_HEADER_BYTES = 16;

/**
 * Streams pcap records to a file descriptor through a reusable buffer.
 * `write` copies the frame, so the caller may reuse its frame buffer right after the call.
 * Call `close` (or `flush` when the caller owns the fd) or the tail of the file is lost.
 */
export class PcapWriter {
  private readonly buf: Uint8Array;
  private readonly view: DataView;
  private used = 0;
  private closed = false;
  private readonly nanos: boolean;
  private readonly snaplen: number;
  /** Records written so far. */
  packets = 0;
  /** Bytes handed to the file so far plus bytes still buffered (the final file size). */
  bytes = 0;

  /**
   * Starts a file on `fd` (writes the global header at once into the buffer).
   * `ownsFd` makes `close` close the descriptor too.
   */
  constructor(
    private readonly fd: number,
    options: PcapWriterOptions = {},
    private readonly ownsFd = false,
  ) {
    const size = Math.max(options.bufferBytes ?? 4 * 1024 * 1024, 64 * 1024);
    this.buf = new Uint8Array(size);
    this.view = new DataView(this.buf.buffer);
    this.nanos = options.precision === 'ns';
    this.snaplen = options.snaplen ?? 262144;
    const v = this.view;
    v.setUint32(0, this.nanos ? 0xa1b23c4d : 0xa1b2c3d4, true);
    v.setUint16(4, 2, true);
    v.setUint16(6, 4, true);
    v.setInt32(8, 0, true); // thiszone: always UTC
    v.setUint32(12, 0, true); // sigfigs
    v.setUint32(16, this.snaplen, true);
    v.setUint32(20, options.linkType ?? LINKTYPE_ETHERNET, true);
    this.used = HEADER_BYTES;
    this.bytes = HEADER_BYTES;
  }

  /** Creates (truncates) `path` and returns a writer that closes it on `close`. */
  static create(path: string, options: PcapWriterOptions = {}): PcapWriter {
    return new PcapWriter(openSync(path, 'w'), options, true);
  }

  /**
   * Appends one record. `ts` is nanoseconds since the Unix epoch (as in Packet.ts); with 'us'
   * precision it is truncated to microseconds. `origLen` defaults to the frame length.
   */
  write(ts: bigint, frame: Uint8Array, origLen: number = frame.length): void {
    if (this.closed) throw new Error('PcapWriter: write after close');
    const incl = Math.min(frame.length, this.snaplen);
    const need = RECORD_HEADER_BYTES + incl;
    if (this.used + need > this.buf.length) this.flush();
    if (need > this.buf.length) {
      // A record larger than the buffer: write its header, then the frame straight from the caller.
      this.putRecordHeader(ts, incl, origLen);
      this.flush();
      writeAll(this.fd, frame.subarray(0, incl));
    } else {
      this.putRecordHeader(ts, incl, origLen);
      this.buf.set(incl === frame.length ? frame : frame.subarray(0, incl), this.used);
      this.used += incl;
    }
    this.packets++;
    this.bytes += need;
  }

  /** Hands the buffered bytes to the file. */
  flush(): void {
    if (this.used > 0) writeAll(this.fd, this.buf.subarray(0, this.used));
    this.used = 0;
  }

  /** Flushes, and closes the descriptor when this writer opened it. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    if (this.ownsFd) closeSync(this.fd);
  }

  private putRecordHeader(ts: bigint, incl: number, origLen: number): void {
    const sec = ts / 1_000_000_000n;
    const frac = ts % 1_000_000_000n;
    const v = this.view;
    const o = this.used;
    v.setUint32(o, Number(sec), true);
    v.setUint32(o + 4, Number(this.nanos ? frac : frac / 1000n), true);
    v.setUint32(o + 8, incl, true);
    v.setUint32(o + 12, origLen, true);
    this.used = o + RECORD_HEADER_BYTES;
  }
}

/** writeSync may write less than asked (pipes, signals): loop until all is out. */
function writeAll(fd: number, bytes: Uint8Array): void {
  let off = 0;
  while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
}
