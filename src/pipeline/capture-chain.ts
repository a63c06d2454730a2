/**
 * The capture side of the pipeline: packets -> IP -> TCP streams -> HTTP exchanges -> announces
 * (and UDP datagrams -> BEP 15 announces). Everything here is synchronous; a packet drives the
 * whole chain for one frame.
 *
 * One chain serves every capture input of a run, so a TCP connection that a rotated capture
 * (tcpdump -C/-G) splits across two files is reassembled as one: a request at the end of one file
 * keeps the reply that the next file holds. Packet numbers are made unique across inputs by giving
 * each input its own range (input k numbers from k * 2^36), and turned back into (file, packet)
 * where a record leaves the chain. What the stages count is attributed to the input that was being
 * read when it was counted.
 */
import type { Origin, Packet, PacketSink } from '../capture/packet.js';
import type { TrackerRequest } from '../announce/types.js';
import type { HttpCounters, HttpExchange } from '../http/types.js';
import { IpDecoder } from '../net/ip-decoder.js';
import { TcpReassembler } from '../net/reassembly.js';
import { decodeUdp } from '../net/udp.js';
import { httpSinkFactory } from '../http/connection.js';
import { buildFromExchange } from '../announce/build.js';
import { UdpTrackerDecoder } from '../announce/udp-pairing.js';
import { bump, mergeCounts, type InputSummary } from './summary.js';
import { Holds } from '../order/holds.js';

export interface ChainOptions {
  readonly announcePath?: RegExp;
  /** Called every `TICK_EVERY` packets, between packets: the run releases what the horizon allows. */
  readonly onTick?: () => void;
}

/** How often (in packets) `onTick` is called: often enough that released requests are still young. */
const TICK_EVERY = 256;
/** Least allowance for packets whose times run backwards (ns). */
const MIN_MARGIN = 10_000_000n;

/** How often (in packets) idle TCP connections and unanswered UDP requests are swept. */
const SWEEP_EVERY = 65536;
/** Packet numbers of input k start at k * RANGE (2^36: far more packets than one file holds). */
const RANGE = 2 ** 36;

/** One capture input as the chain knows it. */
interface ChainInput {
  readonly file: string;
  readonly summary: InputSummary;
  /** Time of this input's newest packet (ns): its clock for the merge of inputs. */
  now: bigint;
}

/** What an input reads into: its packet sink and its clock. */
export interface ChainPort extends PacketSink {
  readonly now: bigint;
}

export class CaptureChain {
  private readonly ip = new IpDecoder();
  private readonly tcp: TcpReassembler;
  private readonly udp: UdpTrackerDecoder;
  private readonly http: HttpCounters = { requests: 0, responses: 0, skipped: new Map() };
  private readonly inputs: ChainInput[] = [];
  private current = -1;
  private now = -1n;
  private sinceSweep = 0;
  private sinceTick = 0;
  /** Largest step back in time seen between consecutive packets of one input (ns). */
  private backStep = 0n;
  /** Oldest times of requests the TCP/HTTP stages could still emit. */
  private readonly holds = new Holds();
  /** Totals already attributed to an input, to attribute only what came since. */
  private attributed = { skipped: new Map<string, number>(), stats: new Map<string, number>() };
  /** Skips counted here (not by a stage), attributed directly to the current input. */
  private ownSkips(): Map<string, number> {
    return this.inputs[this.current]!.summary.skipped;
  }

  constructor(
    private readonly emit: (rec: TrackerRequest) => void,
    private readonly opts: ChainOptions,
  ) {
    // The stages name origins by this placeholder; `origin()` maps packet numbers back to inputs.
    const factory = httpSinkFactory('', { exchange: (x) => this.exchange(x) }, this.http, { holds: this.holds });
    this.tcp = new TcpReassembler('', factory, {}, this.holds);
    this.udp = new UdpTrackerDecoder('', (a) => this.request(a), { onScrape: (sc) => this.request(sc) });
  }

  /** Adds a capture input; its reader feeds the returned port. */
  input(file: string, summary: InputSummary): ChainPort {
    const k = this.inputs.length;
    const input: ChainInput = { file, summary, now: -1n };
    this.inputs.push(input);
    const base = k * RANGE;
    return {
      get now() { return input.now; },
      packet: (p: Packet) => {
        if (p.ts > input.now) input.now = p.ts;
        else if (input.now - p.ts > this.backStep) this.backStep = input.now - p.ts;
        if (this.current !== k) this.switchTo(k);
        this.packet(p, base + p.index);
      },
    };
  }

  /**
   * The oldest request time the chain could still emit, given that no packet older than `now`
   * (the oldest clock among the inputs still being read) is still to come: requests waiting for
   * their reply or partly read, bytes held undecided or out of order, UDP announces waiting. Packets
   * whose times run backwards are allowed for by a margin (twice the largest step back seen).
   */
  horizon(now: bigint): bigint {
    let margin = 2n * this.backStep;
    if (margin < MIN_MARGIN) margin = MIN_MARGIN;
    let h = now - margin;
    const held = this.holds.min;
    if (held !== null && held < h) h = held;
    const udp = this.udp.oldestPending;
    if (udp !== null && udp < h) h = udp;
    return h;
  }

  private switchTo(k: number): void {
    if (this.current >= 0) this.attribute();
    this.current = k;
  }

  private packet(p: Packet, index: number): void {
    if (p.ts > this.now) this.now = p.ts;
    // the frame is read in place (p.frame[p.frameStart, p.frameEnd)): no view of it per packet
    const ip = this.ip.decodeFrame(p.linkType, p.frame, p.frameStart, p.frameEnd, p.ts);
    if (ip !== null) {
      if (ip.protocol === 6) {
        this.tcp.segment(ip, p.ts, index, p.offset);
      } else if (ip.protocol === 17) {
        const udp = decodeUdp(ip.payload);
        if (udp === null) bump(this.ownSkips(), 'udp header too short');
        else {
          this.udp.datagram({
            src: { ip: ip.src, port: udp.srcPort }, dst: { ip: ip.dst, port: udp.dstPort },
            payload: udp.payload, ts: p.ts, packet: index, offset: p.offset,
          });
        }
      } else {
        bump(this.ownSkips(), `ip protocol ${ip.protocol} (not TCP or UDP)`);
      }
    }
    if (++this.sinceSweep >= SWEEP_EVERY) {
      this.sinceSweep = 0;
      this.tcp.flushIdle(this.now);
      this.udp.flush(this.now);
    }
    if (++this.sinceTick >= TICK_EVERY && this.opts.onTick !== undefined) {
      this.sinceTick = 0;
      this.opts.onTick();
    }
  }

  /** End of every capture input: close every connection (unanswered requests come out with no reply). */
  end(): void {
    if (this.current < 0) return;
    this.tcp.endAll(this.now);
    this.udp.end();
    this.ip.end();
    this.attribute();
  }

  /** Everything the stages counted so far. */
  private totals(): { skipped: Map<string, number>; stats: Map<string, number> } {
    const skipped = new Map<string, number>();
    const stats = new Map<string, number>();
    mergeCounts(skipped, this.ip.skipped);
    mergeCounts(stats, this.ip.notes, 'ip: ');
    const t = this.tcp.counters;
    mergeCounts(skipped, t.skipped);
    mergeCounts(skipped, this.http.skipped);
    for (const [k, v] of Object.entries(t as unknown as Record<string, unknown>)) {
      if (typeof v === 'number' && v > 0) bump(stats, `tcp ${k}`, v);
    }
    for (const [k, v] of Object.entries(this.udp.counters as unknown as Record<string, unknown>)) {
      if (v instanceof Map) mergeCounts(skipped, v as Map<string, number>, 'udp: ');
      else if (typeof v === 'number' && v > 0) bump(stats, `udp ${k}`, v);
    }
    bump(stats, 'http requests', this.http.requests);
    bump(stats, 'http responses', this.http.responses);
    return { skipped, stats };
  }

  /** Adds what was counted since the last call to the current input's summary. */
  private attribute(): void {
    const now = this.totals();
    const s = this.inputs[this.current]!.summary;
    for (const [key, into, before] of [
      ['skipped', s.skipped, this.attributed.skipped],
      ['stats', s.stats, this.attributed.stats],
    ] as const) {
      for (const [k, v] of now[key]) {
        const d = v - (before.get(k) ?? 0);
        if (d !== 0) bump(into, k, d);
      }
    }
    this.attributed = now;
  }

  /** (file, packet) of a chain-wide packet number. */
  private origin(o: Origin): Origin {
    if (o.packet === null) return o;
    const k = Math.floor(o.packet / RANGE);
    return { file: this.inputs[k]!.file, packet: o.packet - k * RANGE, line: null, offset: o.offset };
  }

  private exchange(x: HttpExchange): void {
    const request = { ...x.request, origin: this.origin(x.request.origin) };
    const rec = buildFromExchange({ ...x, request }, { announcePath: this.opts.announcePath });
    if (rec === null) {
      const k = Math.floor((x.request.origin.packet ?? 0) / RANGE);
      this.inputs[k]!.summary.otherRequests++;
      return;
    }
    this.emit(rec);
  }

  /** UDP records carry the placeholder origin: name their input. */
  private request(rec: TrackerRequest): void {
    this.emit(rec.origin.file === '' ? { ...rec, origin: this.origin(rec.origin) } : rec);
  }
}
