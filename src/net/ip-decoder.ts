/**
 * Frame → IP datagram: link decapsulation (src/net/link.ts), IPv4 (RFC 791) and IPv6 (RFC 8200)
 * headers, and fragment reassembly. Every frame that yields no datagram is counted by reason.
 */

import type { IpPacket } from './types.js';
import { linkPayload } from './link.js';
import { decodeIpv4, ipv4KeyText, newIpv4Header } from './ipv4.js';
import { decodeIpv6, newIpv6Header, walkExtensions } from './ipv6.js';
import { FragmentReassembler, type FragmentLimits } from './fragments.js';

const EMPTY = new Uint8Array(0);
const TCP = 6;
const UDP = 17;

/** Skip and note reasons that are not built from a number. */
export const SKIP = {
  truncated: 'truncated by snaplen',
  v4Incomplete: 'ipv4 fragment incomplete',
  v6Incomplete: 'ipv6 fragment incomplete',
  v4TooLarge: 'ipv4 fragment beyond 65535 bytes',
  v6TooLarge: 'ipv6 fragment beyond 65535 bytes',
} as const;

/** Notes: frames that were used, but oddly. */
export const NOTE = {
  truncatedDelivered: 'truncated by snaplen, transport header complete (delivered)',
  fragmentHeld: 'fragment held for reassembly',
  reassembled: 'datagram reassembled from fragments',
  zeroLength: 'ipv4 total length 0 (segmentation offload), captured length used',
} as const;

/**
 * An IpPacket whose IPv4 address text and payload view are made on first read: TCP reassembly
 * finds a packet's connection by the address keys and reads the segment in place, so only a new
 * connection (or a UDP datagram) needs the text, and only data it delivers a view.
 */
class Datagram implements IpPacket {
  #src: string | null = null;
  #dst: string | null = null;
  #payload: Uint8Array | null = null;
  version: 4 | 6 = 4;
  srcKey = 0;
  dstKey = 0;
  protocol = 0;
  payloadBytes: Uint8Array = EMPTY;
  payloadStart = 0;
  payloadEnd = 0;

  constructor(
    version: 4 | 6, src: string | null, dst: string | null, srcKey: number, dstKey: number, protocol: number,
    payloadBytes: Uint8Array, payloadStart: number, payloadEnd: number,
  ) {
    this.set(version, src, dst, srcKey, dstKey, protocol, payloadBytes, payloadStart, payloadEnd);
  }

  /** Makes this the datagram given (IpDecoder reuses one for the usual packet). */
  set(
    version: 4 | 6, src: string | null, dst: string | null, srcKey: number, dstKey: number, protocol: number,
    payloadBytes: Uint8Array, payloadStart: number, payloadEnd: number,
  ): this {
    this.version = version;
    this.#src = src;
    this.#dst = dst;
    this.srcKey = srcKey;
    this.dstKey = dstKey;
    this.protocol = protocol;
    this.payloadBytes = payloadBytes;
    this.payloadStart = payloadStart;
    this.payloadEnd = payloadEnd;
    this.#payload = null;
    return this;
  }

  get payload(): Uint8Array {
    return (this.#payload ??= this.payloadBytes.subarray(this.payloadStart, this.payloadEnd));
  }

  get src(): string {
    return (this.#src ??= ipv4KeyText(this.srcKey));
  }

  get dst(): string {
    return (this.#dst ??= ipv4KeyText(this.dstKey));
  }
}

/**
 * Turns captured frames into IP datagrams. Feed frames in capture order with `decode`, then call
 * `end`. A frame either yields an IpPacket, or is held as a fragment (counted in `notes`, and
 * later part of a reassembled datagram or counted in `skipped` as an incomplete fragment), or is
 * counted in `skipped` with its reason.
 */
export class IpDecoder {
  /** Frames that yielded nothing, by reason (e.g. `non-ip ethertype 0x0806`). */
  readonly skipped = new Map<string, number>();
  /** Frames used despite an oddity, and fragment bookkeeping, by reason. */
  readonly notes = new Map<string, number>();

  private readonly v4 = newIpv4Header();
  private readonly v6 = newIpv6Header();
  /** The datagram decodeFrame hands out for an unfragmented IPv4 packet, reused (see decodeFrame). */
  private readonly reused = new Datagram(4, null, null, 0, 0, 0, EMPTY, 0, 0);
  private readonly frag4: FragmentReassembler<number>;
  private readonly frag6: FragmentReassembler<number>;

  /** `limits` overrides the fragment reassembly limits (for tests). */
  constructor(limits?: FragmentLimits) {
    this.frag4 = new FragmentReassembler<number>((n) => this.count(this.skipped, SKIP.v4Incomplete, n), limits);
    this.frag6 = new FragmentReassembler<number>((n) => this.count(this.skipped, SKIP.v6Incomplete, n), limits);
  }

  /**
   * Decodes one frame captured at `ts` (ns). Returns the datagram, or null when the frame was
   * skipped or held as a fragment. The payload is a view into `data` (or a fresh buffer for a
   * reassembled datagram): copy what you keep.
   */
  decode(linkType: number, data: Uint8Array, ts: bigint): IpPacket | null {
    return this.frame(linkType, data, 0, data.length, ts, null);
  }

  /**
   * `decode` of the frame `buf[start, end)`; the datagram's payload is then a range of `buf` too.
   * The datagram may be one object this decoder reuses: read it before the next call, keep none
   * of it but its fields (TCP reassembly and the UDP decoder do so: an object per packet was
   * garbage the worker made for every packet).
   */
  decodeFrame(linkType: number, buf: Uint8Array, start: number, end: number, ts: bigint): IpPacket | null {
    return this.frame(linkType, buf, start, end, ts, this.reused);
  }

  /** decodeFrame, with `into` the datagram to reuse, or null for a new one. */
  private frame(linkType: number, buf: Uint8Array, start: number, end: number, ts: bigint, into: Datagram | null): IpPacket | null {
    // Fast path for the usual frame, untagged Ethernet II carrying IPv4: no link result object and
    // no view of the frame per packet (linkPayload gives the same answer, more generally).
    if (linkType === 1 && end - start >= 14 && buf[start + 12] === 0x08 && buf[start + 13] === 0x00) {
      return this.ipv4(buf, ts, start + 14, end, into);
    }
    const link = linkPayload(linkType, start === 0 && end === buf.length ? buf : buf.subarray(start, end));
    if (!link.ok) return this.skip(link.reason);
    return link.version === 4 ? this.ipv4(link.ip, ts, 0, link.ip.length, into) : this.ipv6(link.ip, ts);
  }

  /** End of input: fragments still waiting are counted as incomplete. */
  end(): void {
    this.frag4.flush();
    this.frag6.flush();
  }

  /** The IPv4 packet `ip[at, limit)`. */
  private ipv4(ip: Uint8Array, ts: bigint, at: number, limit: number, into: Datagram | null): IpPacket | null {
    const h = this.v4;
    const bad = decodeIpv4(ip, h, at, limit);
    if (bad !== null) return this.skip(bad);
    if (h.zeroLength) this.note(NOTE.zeroLength);
    if (h.more || h.fragOffset !== 0) {
      if (h.truncated) return this.skip(SKIP.truncated);
      const key = `${ipv4KeyText(h.srcKey)} ${ipv4KeyText(h.dstKey)} ${h.id} ${h.protocol}`;
      const r = this.frag4.add(key, h.fragOffset, h.more, ip.subarray(h.payloadStart, h.payloadEnd), ts, h.protocol);
      if (r.kind === 'too-large') return this.skip(SKIP.v4TooLarge);
      if (r.kind === 'held') return this.note(NOTE.fragmentHeld);
      this.note(NOTE.reassembled);
      return new Datagram(4, null, null, h.srcKey, h.dstKey, h.protocol, r.payload, 0, r.payload.length);
    }
    this.frag4.expire(ts);
    if (h.truncated && !this.transportComplete(h.protocol, ip, h.payloadStart, h.payloadEnd)) return this.skip(SKIP.truncated);
    if (into !== null) return into.set(4, null, null, h.srcKey, h.dstKey, h.protocol, ip, h.payloadStart, h.payloadEnd);
    return new Datagram(4, null, null, h.srcKey, h.dstKey, h.protocol, ip, h.payloadStart, h.payloadEnd);
  }

  private ipv6(ip: Uint8Array, ts: bigint): IpPacket | null {
    const h = this.v6;
    const bad = decodeIpv6(ip, h);
    if (bad !== null) return this.skip(bad);
    let payload = h.payload;
    let protocol = h.protocol;
    if (h.fragment) {
      if (h.truncated) return this.skip(SKIP.truncated);
      const key = `${h.src} ${h.dst} ${h.fragId}`;
      const r = this.frag6.add(key, h.fragOffset, h.more, payload, ts, h.protocol);
      if (r.kind === 'too-large') return this.skip(SKIP.v6TooLarge);
      if (r.kind === 'held') return this.note(NOTE.fragmentHeld);
      this.note(NOTE.reassembled);
      // The fragmentable part may begin with more extension headers (e.g. destination options).
      h.fragment = false;
      const again = walkExtensions(r.payload, 0, r.payload.length, r.meta, h);
      if (again !== null) return this.skip(again);
      if (h.fragment) return this.skip('ipv6 nested fragment header');
      payload = h.payload;
      protocol = h.protocol;
    } else {
      this.frag6.expire(ts);
      if (h.truncated && !this.transportComplete(protocol, payload, 0, payload.length)) return this.skip(SKIP.truncated);
    }
    return new Datagram(6, h.src, h.dst, h.srcKey, h.dstKey, protocol, payload, 0, payload.length);
  }

  /**
   * A snap-length cut datagram is still worth delivering when its TCP or UDP header is whole:
   * the reassembler sees the missing bytes as a gap. Otherwise the ports are unknown.
   */
  private transportComplete(protocol: number, buf: Uint8Array, start: number, end: number): boolean {
    let ok: boolean;
    const n = end - start;
    if (protocol === TCP) ok = n >= 20 && n >= (buf[start + 12]! >> 4) * 4;
    else if (protocol === UDP) ok = n >= 8;
    else ok = false;
    if (ok) this.note(NOTE.truncatedDelivered);
    return ok;
  }

  private skip(reason: string): null {
    this.count(this.skipped, reason, 1);
    return null;
  }

  private note(reason: string): null {
    this.count(this.notes, reason, 1);
    return null;
  }

  private count(m: Map<string, number>, reason: string, n: number): void {
    m.set(reason, (m.get(reason) ?? 0) + n);
  }
}
