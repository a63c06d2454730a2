/**
 * The capture side of the pipeline, wired for one input: packets -> IP -> TCP streams -> HTTP
 * exchanges -> announces (and UDP datagrams -> BEP 15 announces). Everything here is synchronous;
 * `packet()` drives the whole chain for one frame.
 */
import type { Packet, PacketSink } from '../capture/packet.js';
import type { TrackerRequest } from '../announce/types.js';
import type { HttpCounters, HttpExchange } from '../http/types.js';
import { IpDecoder } from '../net/ip-decoder.js';
import { TcpReassembler } from '../net/reassembly.js';
import { decodeUdp } from '../net/udp.js';
import { httpSinkFactory } from '../http/connection.js';
import { buildFromExchange } from '../announce/build.js';
import { UdpTrackerDecoder } from '../announce/udp-pairing.js';
import { bump, mergeCounts, type InputSummary } from './summary.js';

export interface ChainOptions {
  readonly announcePath?: RegExp;
}

/** How often (in packets) idle TCP connections and unanswered UDP requests are swept. */
const SWEEP_EVERY = 65536;

export class CaptureChain implements PacketSink {
  private readonly ip = new IpDecoder();
  private readonly tcp: TcpReassembler;
  private readonly udp: UdpTrackerDecoder;
  private readonly http: HttpCounters = { requests: 0, responses: 0, skipped: new Map() };
  /** Time of the newest packet seen (ns), the input's clock. */
  now = -1n;
  private sinceSweep = 0;

  constructor(
    private readonly file: string,
    private readonly summary: InputSummary,
    private readonly emit: (rec: TrackerRequest) => void,
    private readonly opts: ChainOptions,
  ) {
    const factory = httpSinkFactory(file, { exchange: (x) => this.exchange(x) }, this.http);
    this.tcp = new TcpReassembler(file, factory);
    this.udp = new UdpTrackerDecoder(file, (a) => this.request(a), { onScrape: (sc) => this.request(sc) });
  }

  packet(p: Packet): void {
    if (p.ts > this.now) this.now = p.ts;
    const ip = this.ip.decode(p.linkType, p.data, p.ts);
    if (ip !== null) {
      if (ip.protocol === 6) {
        this.tcp.segment(ip, p.ts, p.index, p.offset);
      } else if (ip.protocol === 17) {
        const udp = decodeUdp(ip.payload);
        if (udp === null) bump(this.summary.skipped, 'udp header too short');
        else {
          this.udp.datagram({
            src: { ip: ip.src, port: udp.srcPort }, dst: { ip: ip.dst, port: udp.dstPort },
            payload: udp.payload, ts: p.ts, packet: p.index, offset: p.offset,
          });
        }
      } else {
        bump(this.summary.skipped, `ip protocol ${ip.protocol} (not TCP or UDP)`);
      }
    }
    if (++this.sinceSweep >= SWEEP_EVERY) {
      this.sinceSweep = 0;
      this.tcp.flushIdle(this.now);
      this.udp.flush(this.now);
    }
  }

  /** End of this input: close every connection (unanswered requests come out with no reply). */
  end(): void {
    this.tcp.endAll(this.now);
    this.udp.end();
    this.ip.end();
    const s = this.summary;
    mergeCounts(s.skipped, this.ip.skipped);
    mergeCounts(s.stats, this.ip.notes, 'ip: ');
    const t = this.tcp.counters;
    mergeCounts(s.skipped, t.skipped);
    mergeCounts(s.skipped, this.http.skipped);
    const u = this.udp.counters as unknown as Record<string, unknown>;
    for (const [k, v] of Object.entries(u)) {
      if (v instanceof Map) mergeCounts(s.skipped, v as Map<string, number>, 'udp: ');
      else if (typeof v === 'number' && v > 0) bump(s.stats, `udp ${k}`, v);
    }
    for (const [k, v] of Object.entries(t as unknown as Record<string, unknown>)) {
      if (typeof v === 'number' && v > 0) bump(s.stats, `tcp ${k}`, v);
    }
    bump(s.stats, 'http requests', this.http.requests);
    bump(s.stats, 'http responses', this.http.responses);
  }

  private exchange(x: HttpExchange): void {
    const rec = buildFromExchange(x, { announcePath: this.opts.announcePath });
    if (rec === null) { this.summary.otherRequests++; return; }
    this.request(rec);
  }

  private request(rec: TrackerRequest): void {
    this.emit(rec);
  }
}
