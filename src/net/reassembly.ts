/**
 * TCP stream reassembly, following the data-transfer rules of RFC 9293 §3.10.7.4 (segment
 * acceptance, trimming to the expected sequence number) from the point of view of a passive
 * observer. Design after Zeek's TCP_Reassembler and gopacket's tcpassembly: per direction, the
 * next expected sequence number, a bounded out-of-order buffer, and explicit gaps.
 *
 * What a flow is and when it ends:
 * - Flows are keyed by the 4-tuple, normalised so both directions share one entry. A flow is
 *   created by a SYN or by a segment carrying data. A payload-less ACK/FIN/RST for no known flow
 *   carries nothing to deliver and is dropped (FIN/RST are counted as skipped 'no connection').
 * - `a` is the sender of a SYN without ACK; if the first packet is a SYN-ACK, `a` is its
 *   receiver (the client is known in both cases: `synSeen` is true); otherwise `a` is the sender
 *   of the first packet.
 * - Gaps are declared when a direction's out-of-order buffer exceeds its bounds, when the peer
 *   has acknowledged bytes that were never captured (the hole can no longer be filled: a
 *   receiver never acknowledges data it did not get), and when the flow ends with a hole.
 * - After FIN in both directions (with every byte before each FIN delivered) or after RST, the
 *   flow ends and its 4-tuple is remembered as closed for `closedLingerNs` of capture time: late
 *   retransmissions, final ACKs and FINs in that window are dropped instead of opening a bogus
 *   mid-stream connection (data counts as skipped 'after close'); a SYN opens a new connection.
 */
import type {
  Direction,
  Endpoint,
  IpPacket,
  StreamEndReason,
  StreamSinkFactory,
  TcpConnection,
} from './types.js';
import { decodeTcpHeader, newTcpHeader, TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN } from './tcp.js';
import { seqAdd, seqDiff, seqGt, seqGte, seqLte } from './sequence.js';
import { type Holds } from '../order/holds.js';
import { Flow, type Half } from './flow.js';
import { flowHash, FlowTable } from './flow-table.js';

/** Limits and timeouts of a TcpReassembler; every field is optional. */
export interface ReassemblyOptions {
  /** Out-of-order bytes buffered per direction before the first hole is declared a gap. Default 256 KiB. */
  readonly maxBufferedBytes?: number;
  /** Out-of-order segments buffered per direction before the first hole is declared a gap. Default 64. */
  readonly maxBufferedSegments?: number;
  /** `flushIdle` ends flows with no packet for this long, in capture time. Default 5 minutes. */
  readonly idleTimeoutNs?: bigint;
  /** How long a closed flow's 4-tuple is remembered to absorb late packets. Default 10 s. */
  readonly closedLingerNs?: bigint;
}

/**
 * What the reassembler did, for the summary. Plain numbers: they are tallies of one run, exact
 * up to 2^53 (8 PiB of payload), and a bigint increment per packet would allocate.
 */
export interface ReassemblyCounters {
  /** Connections created (each got a sink). */
  connections: number;
  /** TCP segments decoded. */
  segments: number;
  /** Payload bytes handed to sinks. */
  bytesDelivered: number;
  /** Payload bytes seen again (retransmissions, overlaps) and not delivered twice. */
  retransmittedBytes: number;
  /** Segments that arrived ahead of a hole and were buffered. */
  outOfOrderSegments: number;
  /** Holes declared to sinks with `gap`. */
  gaps: number;
  /** Total length of those holes. */
  gapBytes: number;
  /** Connections whose sink declined the data. */
  ignoredConnections: number;
  /** Segments that could not be used, by reason ('bad tcp header', 'not tcp', 'after close', 'no connection'). */
  readonly skipped: Map<string, number>;
}

const DEFAULTS = {
  maxBufferedBytes: 256 * 1024,
  maxBufferedSegments: 64,
  idleTimeoutNs: 300_000_000_000n,
  closedLingerNs: 10_000_000_000n,
};

/**
 * Reassembles the TCP connections of one input file and feeds each to the sink the factory makes
 * for it. Fed one IP packet at a time with `segment`; `flushIdle` ends idle flows; `endAll` ends
 * the input. Holds only open flows, their out-of-order buffers, and small closed-flow markers.
 */
export class TcpReassembler {
  /** Tallies of this reassembler's work. */
  readonly counters: ReassemblyCounters = {
    connections: 0,
    segments: 0,
    bytesDelivered: 0,
    retransmittedBytes: 0,
    outOfOrderSegments: 0,
    gaps: 0,
    gapBytes: 0,
    ignoredConnections: 0,
    skipped: new Map(),
  };
  private readonly opts: Required<ReassemblyOptions>;
  /** Flows by normalised 4-tuple: a packet's flow is found without the text of its addresses. */
  private readonly table = new FlowTable();
  private readonly flows = new Set<Flow>();
  /** The segment being handled (one scratch: segments are handled one at a time, never kept). */
  private readonly seg = newTcpHeader();

  constructor(
    readonly file: string,
    private readonly factory: StreamSinkFactory,
    opts: ReassemblyOptions = {},
    /** Where flows holding out-of-order segments report the oldest segment time they hold. */
    private readonly holds: Holds | null = null,
  ) {
    this.opts = { ...DEFAULTS, ...opts };
  }

  /** Handles one IP packet whose payload is a TCP segment; `packet`/`offset` locate it in the file. */
  segment(ip: IpPacket, ts: bigint, packet: number, offset: number): void {
    if (ip.protocol !== 6) return this.skip('not tcp');
    const seg = this.seg;
    // read in place: the segment's data is `bytes[seg.payloadStart, seg.payloadEnd)`
    const bytes = ip.payloadBytes;
    if (!decodeTcpHeader(bytes, ip.payloadStart, ip.payloadEnd, seg)) return this.skip('bad tcp header');
    const dataLength = seg.payloadEnd - seg.payloadStart;
    this.counters.segments++;
    const flags = seg.flags;
    // Which end is the lower, for a key both directions share: by address key, then (same address)
    // by port; IPv6 addresses that share a key are told apart by their text.
    const v6 = ip.version === 6;
    const srcKey = ip.srcKey;
    const dstKey = ip.dstKey;
    const srcIsLo =
      srcKey !== dstKey ? srcKey < dstKey : !v6 || ip.src === ip.dst ? seg.srcPort <= seg.dstPort : ip.src < ip.dst;
    const loKey = srcIsLo ? srcKey : dstKey;
    const hiKey = srcIsLo ? dstKey : srcKey;
    const loName = v6 ? (srcIsLo ? ip.src : ip.dst) : null;
    const hiName = v6 ? (srcIsLo ? ip.dst : ip.src) : null;
    // both ports in one int32 (a small integer to V8, not a heap number allocated per packet)
    const ports = srcIsLo ? (seg.srcPort << 16) | seg.dstPort : (seg.dstPort << 16) | seg.srcPort;
    const synOnly = (flags & (TCP_SYN | TCP_ACK)) === TCP_SYN;

    let flow = this.table.get(flowHash(loKey, hiKey, ports), loKey, hiKey, ports, loName, hiName);
    if (flow !== undefined && flow.closed) {
      if (synOnly || ts - flow.closedAt > this.opts.closedLingerNs) {
        this.remove(flow);
        flow = undefined;
      } else {
        if (dataLength > 0) this.skip('after close');
        return;
      }
    }
    if (flow !== undefined && synOnly) {
      const h = (srcIsLo === flow.aIsLo) ? flow.ab : flow.ba;
      // A SYN with the ISN we know is a retransmission; any other SYN is a new connection on a
      // reused 4-tuple (also when the old one is half-closed).
      const same = h.hasIsn ? h.isn === seg.seq : !h.known || h.next === seqAdd(seg.seq, 1);
      if (!same) {
        this.finish(flow, 'reuse', ts, packet);
        this.remove(flow);
        flow = undefined;
      }
    }
    if (flow === undefined) {
      if ((flags & TCP_SYN) === 0 && dataLength === 0) {
        if ((flags & (TCP_FIN | TCP_RST)) !== 0) this.skip('no connection');
        return;
      }
      // A SYN-ACK first means the capture missed the SYN: its receiver is the client.
      const aIsSender = (flags & TCP_SYN) === 0 || synOnly;
      const aIsLo = aIsSender === srcIsLo;
      const src: Endpoint = { ip: ip.src, port: seg.srcPort };
      const dst: Endpoint = { ip: ip.dst, port: seg.dstPort };
      const conn: TcpConnection = {
        id: ++this.counters.connections,
        a: aIsSender ? src : dst,
        b: aIsSender ? dst : src,
        synSeen: (flags & TCP_SYN) !== 0,
        file: this.file,
      };
      flow = new Flow(conn, this.factory(conn), aIsLo, { loKey, hiKey, ports, loName, hiName }, ts, packet);
      this.insert(flow);
    }
    flow.lastTs = ts;
    flow.lastPacket = packet;

    const dir: Direction = srcIsLo === flow.aIsLo ? 'ab' : 'ba';
    const h = dir === 'ab' ? flow.ab : flow.ba;
    const peer = dir === 'ab' ? flow.ba : flow.ab;
    const peerDir: Direction = dir === 'ab' ? 'ba' : 'ab';
    if ((flags & TCP_RST) !== 0) {
      this.finish(flow, 'rst', ts, packet);
      this.close(flow, ts);
      return;
    }
    let seq = seg.seq;
    if ((flags & TCP_SYN) !== 0) {
      if (!h.hasIsn) {
        h.hasIsn = true;
        h.isn = seq;
        if (!h.known) {
          h.known = true;
          h.next = seqAdd(seq, 1);
        }
      }
      seq = seqAdd(seq, 1); // data on a SYN (TCP Fast Open) starts after the SYN's own number
    }
    if ((flags & TCP_ACK) !== 0 && !flow.ignored) this.acknowledge(flow, peerDir, peer, seg.ack, ts, packet);
    if (dataLength > 0 && !flow.ignored) this.data(flow, dir, h, seq, bytes, seg.payloadStart, seg.payloadEnd, ts, packet, offset);
    if (flow.hold.ts !== null && flow.ab.pending.length === 0 && flow.ba.pending.length === 0) this.holds!.clear(flow.hold);
    if ((flags & TCP_FIN) !== 0 && !h.fin) {
      h.fin = true;
      h.finSeq = seqAdd(seq, dataLength);
      if (!h.known) {
        h.known = true;
        h.next = h.finSeq;
      }
    }
    if (flow.ignored ? flow.ab.fin && flow.ba.fin : flow.ab.finished() && flow.ba.finished()) {
      this.finish(flow, 'fin', ts, packet);
      this.close(flow, ts);
    }
  }

  /** Ends (reason 'idle') every flow with no packet for `idleTimeoutNs` before `now`, and forgets expired closed markers. */
  flushIdle(now: bigint): void {
    for (const flow of this.flows) {
      if (flow.closed) {
        if (now - flow.closedAt > this.opts.closedLingerNs) this.remove(flow);
      } else if (now - flow.lastTs > this.opts.idleTimeoutNs) {
        // The connection was last alive at its last packet: that is its end time.
        this.finish(flow, 'idle', flow.lastTs, flow.lastPacket);
        this.remove(flow);
      }
    }
  }

  /** Ends every open flow with 'eof' (declaring gaps for holes first) at the end of the input. */
  endAll(ts: bigint): void {
    for (const flow of this.flows) {
      if (!flow.closed) this.finish(flow, 'eof', ts, flow.lastPacket);
    }
    this.flows.clear();
    this.table.clear();
  }

  /** Number of flows still open (closed markers excluded). */
  get openFlows(): number {
    let n = 0;
    for (const flow of this.flows) if (!flow.closed) n++;
    return n;
  }

  private skip(reason: string): void {
    this.counters.skipped.set(reason, (this.counters.skipped.get(reason) ?? 0) + 1);
  }

  /** The payload `bytes[start, end)` of one segment for direction `dir`, starting at sequence number `seq`. */
  private data(
    flow: Flow, dir: Direction, h: Half, seq: number, bytes: Uint8Array, start: number, end: number,
    ts: bigint, packet: number, offset: number,
  ): void {
    if (!h.known) {
      h.known = true;
      h.next = seq;
    }
    const length = end - start;
    const d = seqDiff(seq, h.next);
    if (d <= 0) {
      const dup = -d;
      if (dup >= length) {
        this.counters.retransmittedBytes += length;
        return;
      }
      this.counters.retransmittedBytes += dup;
      // the one view a data segment gets, of what is new in it
      this.deliver(flow, dir, h, bytes.subarray(start + dup, end), ts, packet, offset);
      this.drain(flow, dir, h);
      return;
    }
    this.buffer(flow, h, seq, bytes, start, end, ts, packet, offset);
    while (
      !flow.ignored &&
      h.pending.length > 0 &&
      (h.pendingBytes > this.opts.maxBufferedBytes ||
        h.pending.length > this.opts.maxBufferedSegments ||
        (h.ackValid && seqGte(h.acked, h.pending[0]!.seq)))
    ) {
      this.skipHole(flow, dir, h);
    }
  }

  /** Stores a copy of the out-of-order payload `bytes[start, end)`, kept sorted by sequence number. */
  private buffer(
    flow: Flow, h: Half, seq: number, bytes: Uint8Array, start: number, end: number, ts: bigint, packet: number, offset: number,
  ): void {
    this.counters.outOfOrderSegments++;
    const length = end - start;
    const p = h.pending;
    let i = p.length;
    while (i > 0 && seqGt(p[i - 1]!.seq, seq)) i--;
    // the same segment retransmitted while still waiting: keep the one copy
    if (i > 0 && p[i - 1]!.seq === seq && p[i - 1]!.bytes.length >= length) {
      this.counters.retransmittedBytes += length;
      return;
    }
    p.splice(i, 0, { seq, bytes: bytes.slice(start, end), ts, packet, offset });
    h.pendingBytes += length;
    this.holds?.lower(flow.hold, ts);
  }

  private deliver(flow: Flow, dir: Direction, h: Half, bytes: Uint8Array, ts: bigint, packet: number, offset: number): void {
    h.next = seqAdd(h.next, bytes.length);
    this.counters.bytesDelivered += bytes.length;
    if (flow.sink.data(dir, bytes, ts, packet, offset) === false) this.ignore(flow);
  }

  /** Delivers buffered segments that the expected sequence number has reached. */
  private drain(flow: Flow, dir: Direction, h: Half): void {
    while (!flow.ignored && h.pending.length > 0 && seqLte(h.pending[0]!.seq, h.next)) {
      const p = h.pending.shift()!;
      h.pendingBytes -= p.bytes.length;
      const dup = seqDiff(h.next, p.seq);
      this.counters.retransmittedBytes += Math.min(dup, p.bytes.length);
      if (dup < p.bytes.length) this.deliver(flow, dir, h, p.bytes.subarray(dup), p.ts, p.packet, p.offset);
    }
  }

  /** Declares the first hole of `h` lost and delivers what follows it. */
  private skipHole(flow: Flow, dir: Direction, h: Half): void {
    const p = h.pending[0]!;
    this.gap(flow, dir, seqDiff(p.seq, h.next), p.ts, p.packet);
    h.next = p.seq;
    this.drain(flow, dir, h);
  }

  private gap(flow: Flow, dir: Direction, length: number, ts: bigint, packet: number): void {
    this.counters.gaps++;
    this.counters.gapBytes += length;
    flow.sink.gap(dir, length, ts, packet);
  }

  /**
   * The peer acknowledged `ack` for direction `dir`. A receiver only acknowledges bytes it got,
   * so data before `ack` that the capture lacks will never be seen: the hole becomes a gap.
   */
  private acknowledge(flow: Flow, dir: Direction, h: Half, ack: number, ts: bigint, packet: number): void {
    if (!h.ackValid || seqGt(ack, h.acked)) {
      h.ackValid = true;
      h.acked = ack;
    }
    if (!h.known) {
      // Mid-stream pickup: the peer tells us where this direction's data stands, so a first
      // captured segment that starts later reveals a hole instead of hiding it.
      h.known = true;
      h.next = ack;
      return;
    }
    while (!flow.ignored && h.pending.length > 0 && seqGte(h.acked, h.pending[0]!.seq)) this.skipHole(flow, dir, h);
    // the FIN's own number is acknowledged too: a hole right before the FIN is lost as well
    if (!flow.ignored && h.fin && h.pending.length === 0 && seqGt(h.acked, h.finSeq) && seqGt(h.finSeq, h.next)) {
      this.gap(flow, dir, seqDiff(h.finSeq, h.next), ts, packet);
      h.next = h.finSeq;
    }
  }

  /** Declares the remaining holes of both directions, then calls `end` once. */
  private finish(flow: Flow, reason: StreamEndReason, ts: bigint, packet: number): void {
    for (const dir of DIRS) {
      const h = dir === 'ab' ? flow.ab : flow.ba;
      while (!flow.ignored && h.pending.length > 0) this.skipHole(flow, dir, h);
      // a trailing hole whose end is known from the FIN or the peer's acknowledgment
      const end = h.fin ? h.finSeq : h.ackValid ? h.acked : h.next;
      if (!flow.ignored && h.known && seqGt(end, h.next)) {
        this.gap(flow, dir, seqDiff(end, h.next), ts, packet);
        h.next = end;
      }
      h.pending = [];
      h.pendingBytes = 0;
    }
    this.holds?.clear(flow.hold);
    flow.sink.end(reason, ts);
    flow.release();
  }

  private ignore(flow: Flow): void {
    flow.ignored = true;
    this.counters.ignoredConnections++;
    for (const h of [flow.ab, flow.ba]) {
      h.pending = [];
      h.pendingBytes = 0;
    }
    this.holds?.clear(flow.hold);
  }

  /** Turns an ended flow into a closed marker that absorbs late packets. */
  private close(flow: Flow, ts: bigint): void {
    flow.closed = true;
    flow.closedAt = ts;
  }

  private insert(flow: Flow): void {
    this.table.add(flow);
    this.flows.add(flow);
  }

  private remove(flow: Flow): void {
    this.flows.delete(flow);
    this.table.delete(flow);
  }
}

const DIRS: readonly Direction[] = ['ab', 'ba'];
