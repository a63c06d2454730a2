/**
 * pcapng reader, following draft-ietf-opsawg-pcapng
 * (https://www.ietf.org/archive/id/draft-ietf-opsawg-pcapng-02.html): Section Header Blocks set
 * the byte order of their section, Interface Description Blocks give link type, snap length and
 * time resolution, and Enhanced / Simple / obsolete Packet Blocks carry frames. Every other block
 * (statistics, name resolution, custom, decryption secrets, unknown) is skipped by its length.
 */

import { InputError } from '../errors.js';
import { Carry } from './carry.js';
import { CapturedPacket, type CaptureDecoder, type PacketSink, type ReaderNotice } from './packet.js';

const SHB = 0x0a0d0d0a;
const IDB = 1;
const PB = 2;
const SPB = 3;
const EPB = 6;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
/** Wireshark refuses blocks above 16 MiB plus slack; a larger length means a corrupt file. */
const MAX_BLOCK = 16 * 1024 * 1024 + 131072;

/** One interface of a section, as its IDB describes it. */
export interface PcapngInterface {
  /** 0-based section number in the file. */
  readonly section: number;
  /** Interface id within its section. */
  readonly id: number;
  readonly linkType: number;
  /** 0 means no limit. */
  readonly snaplen: number;
  /** Timestamp units per second (if_tsresol), e.g. 1000000 for the default µs. */
  readonly unitsPerSecond: bigint;
  /** if_tsoffset, seconds added to every timestamp. */
  readonly offsetSeconds: bigint;
}

interface Iface extends PcapngInterface {
  /** ns = units * mul / div + offsetNs, with mul/div chosen so integers stay exact. */
  readonly mul: bigint;
  readonly div: bigint;
  readonly offsetNs: bigint;
}

/**
 * Decodes a pcapng file pushed in chunks of any size. Packets handed to the sink are views into the
 * pushed chunk (or into an internal buffer for a block split across chunks): copy what you keep.
 * Packets on interfaces whose link type we cannot decode are still delivered; the link layer
 * counts them.
 */
export class PcapngDecoder implements CaptureDecoder {
  /** Packets delivered so far. */
  packets = 0;
  /** Recoverable problems: truncated tail, packet blocks naming unknown interfaces, bad lengths inside a block. */
  readonly notices: ReaderNotice[] = [];
  /** Every interface seen, in file order, across all sections. */
  readonly interfaces: PcapngInterface[] = [];
  /** Sections (SHBs) seen. */
  sections = 0;
  /** Blocks seen, by type number, for diagnostics. */
  readonly blockCounts = new Map<number, number>();

  private le = true;
  private section: Iface[] = [];
  private lastTs = 0n;
  private base = 0;
  /** A record or block cut by a chunk boundary. */
  private readonly carry = new Carry();

  /** `file` names the input in messages; `sink` receives every packet synchronously. */
  constructor(
    readonly file: string,
    private readonly sink: PacketSink,
  ) {}

  /** Feeds the next chunk. Packets are views into it: the caller must not reuse it while they live. */
  push(chunk: Uint8Array): void {
    const n = chunk.length;
    let pos = 0;
    if (this.carry.len > 0 || this.sections === 0) {
      pos = this.fillCarry(chunk);
      if (pos === n) {
        this.base += n;
        return;
      }
    }
    const dv = new DataView(chunk.buffer, chunk.byteOffset, n);
    while (n - pos >= 12) {
      const len = this.blockLength(dv, pos, this.base + pos);
      if (n - pos < len) break;
      this.block(chunk, dv, pos, len, this.base + pos);
      pos += len;
    }
    if (pos < n) {
      this.carry.start = this.base + pos;
      this.carry.take(chunk, pos, n - pos);
    }
    this.base += n;
  }

  /** Ends the input: an empty or headerless file is an InputError, a partial last block a `truncated` notice. */
  end(): void {
    if (this.sections === 0) {
      throw new InputError(
        'capture.short-header',
        `file is ${this.carry.len} bytes, shorter than a pcapng section header`,
        this.file,
        `byte ${this.carry.len}`,
      );
    }
    if (this.carry.len > 0) {
      this.notices.push({
        code: 'truncated',
        message: `last block cut short: ${this.carry.len} bytes present`,
        offset: this.carry.start,
        packet: this.packets + 1,
      });
      this.carry.len = 0;
    }
  }

  /**
   * Reads the total length of the block at `pos` (12 bytes must be there), switching byte order
   * when it is a section header. Throws on a length that cannot be a block: there is no way to
   * resynchronise a pcapng stream.
   */
  private blockLength(dv: DataView, pos: number, offset: number): number {
    const type = dv.getUint32(pos, true);
    if (type === SHB) {
      const bom = dv.getUint32(pos + 8, true);
      if (bom === BYTE_ORDER_MAGIC) this.le = true;
      else if (bom === 0x4d3c2b1a) this.le = false;
      else {
        throw new InputError(
          'pcapng.bad-byte-order',
          `section header with byte-order magic 0x${bom.toString(16)}`,
          this.file,
          `byte ${offset + 8}`,
        );
      }
    } else if (this.sections === 0) {
      throw new InputError(
        'capture.bad-magic',
        `not a pcapng file: first block type 0x${type.toString(16).padStart(8, '0')}`,
        this.file,
        `byte ${offset}`,
      );
    }
    const len = dv.getUint32(pos + 4, this.le);
    if (len < 12 || len % 4 !== 0 || len > MAX_BLOCK) {
      throw new InputError(
        'pcapng.bad-block-length',
        `block length ${len} is impossible (corrupt file?)`,
        this.file,
        `packet ${this.packets + 1} (byte ${offset})`,
      );
    }
    return len;
  }

  /** Completes a block split across chunks from the start of `chunk`; returns bytes used. */
  private fillCarry(chunk: Uint8Array): number {
    if (this.carry.len === 0) this.carry.start = this.base;
    let pos = this.carry.take(chunk, 0, 12);
    if (this.carry.len < 12) {
      // Reject a non-pcapng file as soon as its first word is known.
      if (this.sections === 0 && this.carry.len >= 4 && this.carry.view.getUint32(0, true) !== SHB) {
        this.blockLength(this.carry.view, 0, this.carry.start);
      }
      return chunk.length;
    }
    const len = this.blockLength(this.carry.view, 0, this.carry.start);
    pos = this.carry.take(chunk, pos, len);
    if (this.carry.len < len) return chunk.length;
    const start = this.carry.start;
    const held = this.carry.detach();
    this.block(held.bytes, held.view, 0, len, start);
    return pos;
  }



  private block(buf: Uint8Array, dv: DataView, pos: number, len: number, offset: number): void {
    const le = this.le;
    const type = dv.getUint32(pos, le);
    this.blockCounts.set(type, (this.blockCounts.get(type) ?? 0) + 1);
    switch (type) {
      case EPB:
      case PB: {
        // The obsolete Packet Block is an EPB with a 16-bit interface id (and drops count after it).
        const name = type === EPB ? 'enhanced packet block' : 'packet block';
        if (len < 32) return this.notice('pcapng.short-block', `${name} too short`, offset);
        const ifid = type === EPB ? dv.getUint32(pos + 8, le) : dv.getUint16(pos + 8, le);
        const caplen = dv.getUint32(pos + 20, le);
        if (28 + caplen > len - 4) {
          return this.notice('pcapng.bad-caplen', `captured length ${caplen} overruns its block`, offset);
        }
        const iface = this.iface(ifid, offset);
        if (iface === undefined) return;
        const ts = this.ts(iface, dv.getUint32(pos + 12, le), dv.getUint32(pos + 16, le));
        this.emit(iface, ts, buf, pos + 28, pos + 28 + caplen, dv.getUint32(pos + 24, le), offset);
        return;
      }
      case SPB: {
        if (len < 16) return this.notice('pcapng.short-block', 'simple packet block too short', offset);
        const iface = this.iface(0, offset);
        if (iface === undefined) return;
        const origLen = dv.getUint32(pos + 8, le);
        // The captured length is not stored: it is the original length cut by the snap length,
        // and never more than the block holds.
        let caplen = Math.min(origLen, len - 16);
        if (iface.snaplen !== 0 && iface.snaplen < caplen) caplen = iface.snaplen;
        // An SPB has no timestamp: reuse the previous packet's so capture time stays monotonic.
        this.emit(iface, this.lastTs, buf, pos + 12, pos + 12 + caplen, origLen, offset);
        return;
      }
      case IDB:
        this.readIdb(buf, dv, pos, len, offset);
        return;
      case SHB:
        if (len < 28) throw new InputError('pcapng.short-block', 'section header block too short', this.file, `byte ${offset}`);
        this.sections++;
        this.section = [];
        return;
      default:
        return;
    }
  }

  private readIdb(buf: Uint8Array, dv: DataView, pos: number, len: number, offset: number): void {
    if (len < 20) return this.notice('pcapng.short-block', 'interface description block too short', offset);
    const le = this.le;
    const linkType = dv.getUint16(pos + 8, le);
    const snaplen = dv.getUint32(pos + 12, le);
    let unitsPerSecond = 1_000_000n;
    let offsetSeconds = 0n;
    let o = pos + 16;
    const end = pos + len - 4;
    while (o + 4 <= end) {
      const code = dv.getUint16(o, le);
      const olen = dv.getUint16(o + 2, le);
      if (code === 0 || o + 4 + olen > end) break;
      if (code === 9 && olen >= 1) {
        const v = buf[o + 4]!;
        // High bit set: a negative power of two; clear: a negative power of ten.
        unitsPerSecond = v & 0x80 ? 1n << BigInt(v & 0x7f) : 10n ** BigInt(v);
      } else if (code === 14 && olen >= 8) {
        offsetSeconds = dv.getBigInt64(o + 4, le);
      }
      o += 4 + ((olen + 3) & ~3);
    }
    const g = gcd(1_000_000_000n, unitsPerSecond);
    const iface: Iface = {
      section: this.sections - 1,
      id: this.section.length,
      linkType,
      snaplen,
      unitsPerSecond,
      offsetSeconds,
      mul: 1_000_000_000n / g,
      div: unitsPerSecond / g,
      offsetNs: offsetSeconds * 1_000_000_000n,
    };
    this.section.push(iface);
    this.interfaces.push(iface);
  }

  private iface(id: number, offset: number): Iface | undefined {
    const iface = this.section[id];
    if (iface === undefined) {
      this.notice('pcapng.unknown-interface', `packet names interface ${id}, not described in its section`, offset);
    }
    return iface;
  }

  private ts(iface: Iface, high: number, low: number): bigint {
    const units = high === 0 ? BigInt(low) : (BigInt(high) << 32n) | BigInt(low);
    const ns = iface.div === 1n ? units * iface.mul : (units * iface.mul) / iface.div;
    return ns + iface.offsetNs;
  }

  /** Emits the packet whose bytes are `buf[start, end)`. */
  private emit(iface: Iface, ts: bigint, buf: Uint8Array, start: number, end: number, origLen: number, offset: number): void {
    this.lastTs = ts;
    this.sink.packet(new CapturedPacket(++this.packets, ts, iface.linkType, buf, start, end, origLen, offset));
  }

  private notice(code: string, message: string, offset: number): void {
    this.notices.push({ code, message, offset, packet: this.packets + 1 });
  }
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}
