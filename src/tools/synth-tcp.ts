/**
 * Synthetic Ethernet II + IPv4 (RFC 791) + TCP (RFC 9293) / UDP (RFC 768) frames, and whole TCP
 * conversations built from them, for fixtures and the benchmark. Checksums follow RFC 1071 (IPv4
 * header; TCP and UDP over the RFC 9293 §3.1 pseudo-header) so tcpdump -vv and tshark find
 * nothing to complain about. Nothing here touches the network: it only builds bytes.
 */

import { TCP_ACK, TCP_FIN, TCP_PSH, TCP_SYN } from '../net/tcp.js';

/** One side of a synthetic connection. */
export interface SynthHost {
  /** 6-byte MAC address. */
  readonly mac: Uint8Array;
  /** IPv4 address as a uint32 (see `ipv4`). */
  readonly ip: number;
  readonly port: number;
  /** IP TTL this host's packets carry when captured (128 for 2004 Windows, 64 for Linux). */
  readonly ttl: number;
  /** TCP receive window it advertises. */
  readonly window: number;
}

/** What `writeTcpFrame` needs for one segment. */
export interface TcpFrameSpec {
  readonly src: SynthHost;
  readonly dst: SynthHost;
  readonly seq: number;
  readonly ack: number;
  readonly flags: number;
  readonly ipId: number;
  /** Data bytes; `payload.subarray` views are fine. */
  readonly payload?: Uint8Array;
  /** With SYN: the MSS to announce (the option block is MSS, NOP, NOP, SACK-permitted). */
  readonly mss?: number;
}

/** One frame and its capture time (ns since the epoch). */
export interface SynthFrame {
  readonly ts: bigint;
  readonly frame: Uint8Array;
}

/** `ipv4('192.0.2.10')` → uint32. */
export function ipv4(dotted: string): number {
  const p = dotted.split('.').map(Number);
  return (((p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3]) >>> 0);
}

/** `mac('00:0c:29:01:02:03')` → 6 bytes. */
export function mac(text: string): Uint8Array {
  return Uint8Array.from(text.split(':').map((h) => parseInt(h, 16)));
}

/** Bytes `writeTcpFrame` will produce for `spec`. */
export function tcpFrameLength(spec: TcpFrameSpec): number {
  return 14 + 20 + (spec.flags & TCP_SYN ? 28 : 20) + (spec.payload?.length ?? 0);
}

/** Writes one Ethernet/IPv4/TCP frame into `out` at `offset`; returns its length. */
export function writeTcpFrame(spec: TcpFrameSpec, out: Uint8Array, offset = 0): number {
  const tcpHeader = spec.flags & TCP_SYN ? 28 : 20;
  const data = spec.payload ?? EMPTY;
  const ipLen = 20 + tcpHeader + data.length;
  const o = offset;
  writeEthernetIpv4(out, o, spec.src, spec.dst, 6, ipLen, spec.ipId);
  const t = o + 34;
  put16(out, t, spec.src.port);
  put16(out, t + 2, spec.dst.port);
  put32(out, t + 4, spec.seq >>> 0);
  put32(out, t + 8, spec.flags & TCP_ACK ? spec.ack >>> 0 : 0);
  out[t + 12] = (tcpHeader / 4) << 4;
  out[t + 13] = spec.flags;
  put16(out, t + 14, Math.min(spec.src.window, 0xffff));
  put16(out, t + 16, 0);
  put16(out, t + 18, 0);
  if (tcpHeader === 28) {
    out[t + 20] = 2; // MSS
    out[t + 21] = 4;
    put16(out, t + 22, spec.mss ?? 1460);
    out[t + 24] = 1; // NOP, NOP, SACK permitted: what both 2004 Windows and Linux stacks offered
    out[t + 25] = 1;
    out[t + 26] = 4;
    out[t + 27] = 2;
  }
  out.set(data, t + tcpHeader);
  const tcpLen = tcpHeader + data.length;
  put16(out, t + 16, transportChecksum(out, t, tcpLen, spec.src.ip, spec.dst.ip, 6));
  return 34 + tcpLen;
}

/** A new buffer holding one Ethernet/IPv4/TCP frame. */
export function tcpFrame(spec: TcpFrameSpec): Uint8Array {
  const out = new Uint8Array(tcpFrameLength(spec));
  writeTcpFrame(spec, out, 0);
  return out;
}

/** A new buffer holding one Ethernet/IPv4/UDP frame (with its checksum computed). */
export function udpFrame(src: SynthHost, dst: SynthHost, ipId: number, payload: Uint8Array): Uint8Array {
  const udpLen = 8 + payload.length;
  const out = new Uint8Array(34 + udpLen);
  writeEthernetIpv4(out, 0, src, dst, 17, 20 + udpLen, ipId);
  put16(out, 34, src.port);
  put16(out, 36, dst.port);
  put16(out, 38, udpLen);
  out.set(payload, 42);
  const sum = transportChecksum(out, 34, udpLen, src.ip, dst.ip, 17);
  put16(out, 40, sum === 0 ? 0xffff : sum); // RFC 768: a computed 0 is sent as all ones
  return out;
}

function writeEthernetIpv4(
  out: Uint8Array, o: number, src: SynthHost, dst: SynthHost, proto: number, ipLen: number, ipId: number,
): void {
  out.set(dst.mac, o);
  out.set(src.mac, o + 6);
  put16(out, o + 12, 0x0800);
  const ip = o + 14;
  out[ip] = 0x45;
  out[ip + 1] = 0;
  put16(out, ip + 2, ipLen);
  put16(out, ip + 4, ipId & 0xffff);
  put16(out, ip + 6, 0x4000); // DF: every TCP stack of the era did path-MTU discovery
  out[ip + 8] = src.ttl;
  out[ip + 9] = proto;
  put16(out, ip + 10, 0);
  put32(out, ip + 12, src.ip);
  put32(out, ip + 16, dst.ip);
  put16(out, ip + 10, ~sum16(out, ip, 20, 0) & 0xffff);
}

function transportChecksum(out: Uint8Array, at: number, len: number, src: number, dst: number, proto: number): number {
  let pseudo = (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + proto + len;
  return ~sum16(out, at, len, pseudo) & 0xffff;
}

/** RFC 1071 one's-complement sum, folded to 16 bits (not inverted). */
function sum16(b: Uint8Array, at: number, len: number, initial: number): number {
  let s = initial;
  const end = at + (len & ~1);
  for (let i = at; i < end; i += 2) s += (b[i] << 8) | b[i + 1];
  if (len & 1) s += b[at + len - 1] << 8;
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x10000);
  return s;
}

function put16(b: Uint8Array, o: number, v: number): void {
  b[o] = (v >>> 8) & 0xff;
  b[o + 1] = v & 0xff;
}

function put32(b: Uint8Array, o: number, v: number): void {
  b[o] = (v >>> 24) & 0xff;
  b[o + 1] = (v >>> 16) & 0xff;
  b[o + 2] = (v >>> 8) & 0xff;
  b[o + 3] = v & 0xff;
}

const EMPTY = new Uint8Array(0);

/** One request/response on a connection. */
export interface SynthExchange {
  readonly request: Uint8Array;
  readonly response: Uint8Array;
  /**
   * Offsets inside `request` where the client starts a new segment (besides MSS cuts), e.g.
   * `[120]` sends the first 120 bytes alone, as clients that write the request line and the
   * headers separately do.
   */
  readonly requestSplits?: readonly number[];
  /** Send the request's first two segments in swapped order (needs at least two segments). */
  readonly reorderRequest?: boolean;
  /** Capture the request's first segment twice (a retransmission). */
  readonly retransmitRequest?: boolean;
  /** Capture the response's first segment twice (the server retransmitted it). */
  readonly retransmitResponse?: boolean;
  /** Time from the previous exchange's end (or the handshake) to this request, ns. */
  readonly gapNs?: bigint;
  /** Server think time before the response, ns. */
  readonly serverNs?: bigint;
}

/** A whole TCP conversation, captured on the client's side of the link. */
export interface SynthConversation {
  readonly client: SynthHost;
  readonly server: SynthHost;
  readonly clientIsn: number;
  readonly serverIsn: number;
  /** First IP id of each side (they count up per packet, as Windows and Linux 2.4 did). */
  readonly clientIpId: number;
  readonly serverIpId: number;
  /** Time of the SYN, ns since the epoch. */
  readonly start: bigint;
  /** Round-trip time to the server, ns. */
  readonly rttNs: bigint;
  /** Segment size limit for data in both directions. */
  readonly mss: number;
  readonly exchanges: readonly SynthExchange[];
  /** Who sends the first FIN: 'server' after the last response (Connection: close) or 'client'. */
  readonly closeBy: 'server' | 'client';
}

/**
 * Builds every frame of a conversation, in capture order (ts never decreases): handshake,
 * exchanges, FIN/ACK close. Sequence and acknowledgment numbers are consistent, so tcpdump and
 * tshark follow and reassemble the streams.
 */
export function synthConversation(c: SynthConversation): SynthFrame[] {
  const frames: SynthFrame[] = [];
  let t = c.start;
  let cSeq = c.clientIsn >>> 0;
  let sSeq = c.serverIsn >>> 0;
  let cId = c.clientIpId;
  let sId = c.serverIpId;
  const fromClient = (ts: bigint, seq: number, ack: number, flags: number, payload?: Uint8Array, mss?: number): void => {
    frames.push({ ts, frame: tcpFrame({ src: c.client, dst: c.server, seq, ack, flags, ipId: cId++, payload, mss }) });
  };
  const fromServer = (ts: bigint, seq: number, ack: number, flags: number, payload?: Uint8Array, mss?: number): void => {
    frames.push({ ts, frame: tcpFrame({ src: c.server, dst: c.client, seq, ack, flags, ipId: sId++, payload, mss }) });
  };
  const step = 40_000n; // 40 µs between back-to-back packets of one host

  fromClient(t, cSeq, 0, TCP_SYN, undefined, c.mss);
  cSeq = add(cSeq, 1);
  t += c.rttNs;
  fromServer(t, sSeq, cSeq, TCP_SYN | TCP_ACK, undefined, c.mss);
  sSeq = add(sSeq, 1);
  t += step;
  fromClient(t, cSeq, sSeq, TCP_ACK);

  c.exchanges.forEach((x, n) => {
    t += x.gapNs ?? step;
    // Request: cut at the requested splits, then at the MSS.
    const segs = segment(x.request, x.requestSplits ?? [], c.mss);
    const sent = segs.map((s) => ({ seq: add(cSeq, s[0]), bytes: x.request.subarray(s[0], s[1]) }));
    const order = x.reorderRequest && sent.length >= 2 ? [1, 0, ...sent.slice(2).map((_, i) => i + 2)] : sent.map((_, i) => i);
    const lastSent = t + step * BigInt(order.length - 1);
    order.forEach((i, k) => fromClient(t + step * BigInt(k), sent[i].seq, sSeq, TCP_ACK | TCP_PSH, sent[i].bytes));
    t = lastSent;
    if (x.retransmitRequest) {
      t += step;
      fromClient(t, sent[0].seq, sSeq, TCP_ACK | TCP_PSH, sent[0].bytes);
    }
    cSeq = add(cSeq, x.request.length);
    // The server acknowledges a multi-segment request on its own before it answers.
    const reqEnd = t;
    const ackFirst = sent.length > 1 || x.retransmitRequest === true;
    if (ackFirst) fromServer(reqEnd + c.rttNs, sSeq, cSeq, TCP_ACK);
    t = reqEnd + c.rttNs + (x.serverNs ?? 0n) + (ackFirst ? step : 0n);
    const rsegs = segment(x.response, [], c.mss);
    const last = n === c.exchanges.length - 1;
    rsegs.forEach((s, k) => {
      const fin = last && c.closeBy === 'server' && k === rsegs.length - 1 ? TCP_FIN : 0;
      fromServer(t, add(sSeq, s[0]), cSeq, TCP_ACK | TCP_PSH | fin, x.response.subarray(s[0], s[1]));
      if (k < rsegs.length - 1) t += step;
    });
    if (x.retransmitResponse && rsegs.length > 0) {
      t += step;
      const s = rsegs[0];
      fromServer(t, add(sSeq, s[0]), cSeq, TCP_ACK | TCP_PSH, x.response.subarray(s[0], s[1]));
    }
    sSeq = add(sSeq, x.response.length);
    if (!(last && c.closeBy === 'server')) {
      t += step;
      fromClient(t, cSeq, sSeq, TCP_ACK);
    }
  });

  if (c.closeBy === 'server') {
    sSeq = add(sSeq, 1); // the FIN rode on the last response segment
    t += step;
    fromClient(t, cSeq, sSeq, TCP_ACK | TCP_FIN);
    cSeq = add(cSeq, 1);
    t += c.rttNs;
    fromServer(t, sSeq, cSeq, TCP_ACK);
  } else {
    t += step;
    fromClient(t, cSeq, sSeq, TCP_ACK | TCP_FIN);
    cSeq = add(cSeq, 1);
    t += c.rttNs;
    fromServer(t, sSeq, cSeq, TCP_ACK | TCP_FIN);
    sSeq = add(sSeq, 1);
    t += step;
    fromClient(t, cSeq, sSeq, TCP_ACK);
  }
  return frames;
}

/** [start, end) ranges of `bytes` cut at `splits` and then every `mss` bytes. */
function segment(bytes: Uint8Array, splits: readonly number[], mss: number): [number, number][] {
  const cuts = [0, ...splits.filter((s) => s > 0 && s < bytes.length), bytes.length].sort((a, b) => a - b);
  const out: [number, number][] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    for (let s = cuts[i]; s < cuts[i + 1]; s += mss) out.push([s, Math.min(s + mss, cuts[i + 1])]);
  }
  return out;
}

function add(seq: number, n: number): number {
  return (seq + n) >>> 0;
}
