/**
 * Classic libpcap file reader, following draft-ietf-opsawg-pcap
 * (https://www.ietf.org/archive/id/draft-ietf-opsawg-pcap-04.html): a 24-byte file header, then
 * records of a 16-byte header plus the captured bytes. Both byte orders, µs and ns magics.
 */

import { InputError } from '../errors.js';
import { Carry } from './carry.js';
import { CapturedPacket, type CaptureDecoder, type PacketSink, type ReaderNotice } from './packet.js';
import { isSupportedLinkType, unsupportedLinkTypeMessage } from './link-types.js';

const FILE_HEADER = 24;
const RECORD_HEADER = 16;
/** libpcap's MAXIMUM_SNAPLEN: no sane writer makes a record longer, whatever the header says. */
const MAX_SNAPLEN = 262144;

/** The four magics, as the file's first 4 bytes read big-endian: µs and ns, each in both byte orders. */
const MAGICS = new Set([0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1]);

/** True when `dv[at..]` starts like a pcap file header: a magic, then version 2.4 in the magic's byte order. */
function isFileHeader(dv: DataView, at: number): boolean {
  if (dv.byteLength - at < 8) return false;
  const m = dv.getUint32(at, false);
  if (!MAGICS.has(m)) return false;
  const le = m === 0xd4c3b2a1 || m === 0x4d3cb2a1;
  return dv.getUint16(at + 4, le) === 2 && dv.getUint16(at + 6, le) === 4;
}

/**
 * Decodes a classic pcap file pushed in chunks of any size. Packets handed to the sink are views
 * into the pushed chunk (or into an internal buffer for a record split across chunks): copy what
 * you keep. Only the partial trailing record is kept between chunks.
 */
export class PcapDecoder implements CaptureDecoder {
  /** Packets delivered so far. */
  packets = 0;
  /** Recoverable problems, e.g. a truncated last record. */
  readonly notices: ReaderNotice[] = [];
  /** LINKTYPE of the file, once the header is read. */
  linkType = -1;
  /** Snap length from the file header, once read. */
  snaplen = 0;
  /** True for the nanosecond magic. */
  nanosecond = false;

  private headerDone = false;
  private le = true;
  private fracMul = 1000n;
  private maxLen = MAX_SNAPLEN;
  /** Bytes consumed before the current chunk. */
  private base = 0;
  /** A record (or the file header) cut by a chunk boundary is assembled here. */
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
    if (!this.headerDone || this.carry.len > 0) {
      pos = this.fillCarry(chunk);
      if (pos === n) {
        this.base += n;
        return;
      }
    }
    const dv = new DataView(chunk.buffer, chunk.byteOffset, n);
    let le = this.le;
    let max = this.maxLen;
    while (n - pos >= RECORD_HEADER) {
      const incl = dv.getUint32(pos + 8, le);
      if (incl > max) this.badLength(incl, this.base + pos);
      // an empty record is rare; a file header read as a record is empty (its thiszone is 0)
      if (incl === 0 && isFileHeader(dv, pos)) {
        if (n - pos < FILE_HEADER) break;
        this.joinedHeader(dv, pos, this.base + pos);
        pos += FILE_HEADER;
        le = this.le;
        max = this.maxLen;
        continue;
      }
      if (n - pos - RECORD_HEADER < incl) break;
      this.emit(chunk, dv, pos, incl, this.base + pos);
      pos += RECORD_HEADER + incl;
    }
    if (pos < n) {
      this.carry.start = this.base + pos;
      this.carry.take(chunk, pos, n - pos);
    }
    this.base += n;
  }

  /** Ends the input: a short file is an InputError, a partial last record a `truncated` notice. */
  end(): void {
    if (!this.headerDone) {
      throw new InputError(
        'capture.short-header',
        `file is ${this.carry.len} bytes, shorter than the ${FILE_HEADER}-byte pcap header`,
        this.file,
        `byte ${this.carry.len}`,
      );
    }
    if (this.carry.len > 0) {
      const want =
        this.carry.len >= RECORD_HEADER
          ? RECORD_HEADER + this.carry.view.getUint32(8, this.le)
          : RECORD_HEADER;
      this.notices.push({
        code: 'truncated',
        message: `last record cut short: ${this.carry.len} of ${want} bytes present`,
        offset: this.carry.start,
        packet: this.packets + 1,
      });
      this.carry.len = 0;
    }
  }

  /** Completes the file header or the split record from the start of `chunk`; returns bytes used. */
  private fillCarry(chunk: Uint8Array): number {
    let pos = 0;
    if (!this.headerDone) {
      if (this.carry.len === 0) this.carry.start = this.base;
      pos = this.carry.take(chunk, pos, FILE_HEADER);
      if (this.carry.len >= 4) this.checkMagic();
      if (this.carry.len < FILE_HEADER) return chunk.length;
      this.readFileHeader();
      this.carry.len = 0;
      return pos;
    }
    pos = this.carry.take(chunk, pos, RECORD_HEADER);
    if (this.carry.len < RECORD_HEADER) return chunk.length;
    const incl = this.carry.view.getUint32(8, this.le);
    if (incl > this.maxLen) this.badLength(incl, this.carry.start);
    if (incl === 0 && isFileHeader(this.carry.view, 0)) {
      pos = this.carry.take(chunk, pos, FILE_HEADER);
      if (this.carry.len < FILE_HEADER) return chunk.length;
      this.joinedHeader(this.carry.view, 0, this.carry.start);
      this.carry.len = 0;
      return pos;
    }
    pos = this.carry.take(chunk, pos, RECORD_HEADER + incl);
    if (this.carry.len < RECORD_HEADER + incl) return chunk.length;
    const start = this.carry.start;
    const held = this.carry.detach();
    this.emit(held.bytes, held.view, 0, incl, start);
    return pos;
  }



  private checkMagic(): void {
    const m = this.carry.view.getUint32(0, false);
    if (!MAGICS.has(m)) {
      throw new InputError('capture.bad-magic', `not a pcap file: magic 0x${m.toString(16).padStart(8, '0')}`, this.file, 'byte 0');
    }
  }

  private readFileHeader(): void {
    this.useHeader(this.carry.view, 0, this.carry.start);
    this.headerDone = true;
  }

  /**
   * Another file header where a record should start: captures joined with `cat` or appended with
   * `>>` (tcpdump -w - >> file). Each part has its own byte order, time unit and link type;
   * reading goes on with the new ones, and the summary says where the part began.
   */
  private joinedHeader(dv: DataView, at: number, offset: number): void {
    this.useHeader(dv, at, offset);
    this.notices.push({
      code: 'pcap header of a joined capture',
      message: `another pcap file header (captures joined with cat?): read on as link type ${this.linkType} with ${this.nanosecond ? 'ns' : 'µs'} times`,
      offset,
      packet: null,
      skipped: false,
    });
  }

  /** Takes byte order, time unit, snap length and link type from the file header at `dv[at..]` (input offset `offset`). */
  private useHeader(dv: DataView, at: number, offset: number): void {
    const m = dv.getUint32(at, false);
    this.le = m === 0xd4c3b2a1 || m === 0x4d3cb2a1;
    this.nanosecond = m === 0xa1b23c4d || m === 0x4d3cb2a1;
    this.snaplen = dv.getUint32(at + 16, this.le);
    // The upper bits of the link-type field carry FCS information (draft-ietf-opsawg-pcap §4).
    this.linkType = dv.getUint32(at + 20, this.le) & 0xffff;
    this.fracMul = this.nanosecond ? 1n : 1000n;
    this.maxLen = Math.max(this.snaplen, MAX_SNAPLEN);
    if (!isSupportedLinkType(this.linkType)) {
      throw new InputError('capture.unsupported-link-type', unsupportedLinkTypeMessage(this.linkType), this.file, `byte ${offset + 20}`);
    }
  }

  private badLength(incl: number, offset: number): never {
    const packet = this.packets + 1;
    throw new InputError(
      'pcap.bad-record-length',
      `record captured length ${incl} exceeds the limit ${this.maxLen} (corrupt file?)`,
      this.file,
      `packet ${packet} (byte ${offset})`,
    );
  }

  private emit(buf: Uint8Array, dv: DataView, pos: number, incl: number, offset: number): void {
    const le = this.le;
    const sec = dv.getUint32(pos, le);
    const frac = dv.getUint32(pos + 4, le);
    const origLen = dv.getUint32(pos + 12, le);
    const start = pos + RECORD_HEADER;
    // µs records: uint32 seconds × 10^6 plus a uint32 fraction stays below 2^53, an exact double,
    // so the time takes two BigInt operations instead of five; ns ones could overflow a double.
    const ts = !this.nanosecond
      ? BigInt(sec * 1_000_000 + frac) * 1000n
      : BigInt(sec) * 1_000_000_000n + BigInt(frac) * this.fracMul;
    this.sink.packet(new CapturedPacket(++this.packets, ts, this.linkType, buf, start, start + incl, origLen, offset));
  }
}
