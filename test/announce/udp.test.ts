// BEP 15 / BEP 41 datagrams built by hand, byte for byte as the BEPs lay them out, through decodeUdpTracker and UdpTrackerDecoder.
import { describe, it, expect } from 'vitest';
import { decodeUdpTracker } from '../../src/announce/udp.js';
import { UdpTrackerDecoder } from '../../src/announce/udp-pairing.js';
import type { Announce } from '../../src/announce/types.js';
import type { UdpDatagram } from '../../src/net/types.js';

/** Big-endian writer for hand-built datagrams. */
class W {
  private readonly out: number[] = [];
  u8(...v: number[]): this { this.out.push(...v); return this; }
  u16(v: number): this { return this.u8((v >>> 8) & 0xff, v & 0xff); }
  u32(v: number): this { return this.u8((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff); }
  u64(v: bigint): this { return this.u32(Number(v >> 32n)).u32(Number(v & 0xffffffffn)); }
  bytes(b: Uint8Array | string): this {
    return this.u8(...(typeof b === 'string' ? [...b].map((c) => c.charCodeAt(0)) : b));
  }
  done(): Uint8Array { return Uint8Array.from(this.out); }
}

const IH = Uint8Array.from({ length: 20 }, (_, i) => 0xa0 + i);
const PID = '-qB4520-abcdefghijkl';
const CID = 0x1122334455667788n;

function announceReq(opts: { tid?: number; event?: number; cid?: bigint; tail?: number[]; left?: bigint; numWant?: number } = {}): Uint8Array {
  return new W()
    .u64(opts.cid ?? CID).u32(1).u32(opts.tid ?? 0xdeadbeef)
    .bytes(IH).bytes(PID)
    .u64(1234n).u64(opts.left ?? 0x1_0000_0000n).u64(5_000_000_000n) // downloaded, left, uploaded
    .u32(opts.event ?? 2).u32(0).u32(0x0badf00d).u32((opts.numWant ?? -1) >>> 0).u16(6881)
    .u8(...(opts.tail ?? []))
    .done();
}

describe('decodeUdpTracker (BEP 15 layouts)', () => {
  it('decodes a connect request by its protocol id and a connect response', () => {
    const req = new W().u64(0x41727101980n).u32(0).u32(0x01020304).done();
    expect(decodeUdpTracker(req)).toEqual({ kind: 'connect-request', transactionId: 0x01020304 });
    const resp = new W().u32(0).u32(0x01020304).u64(CID).done();
    expect(decodeUdpTracker(resp)).toEqual({ kind: 'connect-response', transactionId: 0x01020304, connectionId: CID });
  });

  it('decodes a 98-byte announce with no connect seen, 64-bit counters as bigint, num_want signed', () => {
    const m = decodeUdpTracker(announceReq());
    expect(m.kind).toBe('announce-request');
    if (m.kind !== 'announce-request') return;
    expect(m.connectionId).toBe(CID);
    expect(m.transactionId).toBe(0xdeadbeef);
    expect(m.infoHash).toEqual(IH);
    expect(Buffer.from(m.peerId).toString('latin1')).toBe(PID);
    expect([m.downloaded, m.left, m.uploaded]).toEqual([1234n, 0x1_0000_0000n, 5_000_000_000n]);
    expect([m.event, m.ip, m.key, m.numWant, m.port]).toEqual([2, '0.0.0.0', 0x0badf00d, -1, 6881]);
    expect(m.urlData).toBeNull();
    expect(m.problems).toEqual([]);
  });

  it('concatenates BEP 41 URLData options, skips NOP, stops at EndOfOptions', () => {
    const tail = [0x01, 0x02, 5, ...Buffer.from('/ann/'), 0x01, 0x02, 14, ...Buffer.from('announce?pk=ab'), 0x00, 0x02, 3, 0x41, 0x41, 0x41];
    const m = decodeUdpTracker(announceReq({ tail }));
    expect(m.kind === 'announce-request' && m.urlData).toBe('/ann/announce?pk=ab');
  });

  it('keeps a truncated URLData option and says so, without throwing', () => {
    const m = decodeUdpTracker(announceReq({ tail: [0x02, 40, ...Buffer.from('/x')] }));
    expect(m.kind === 'announce-request' && m.urlData).toBe('/x');
    expect(m.kind === 'announce-request' && m.problems[0]).toMatch(/truncated/);
  });

  it('decodes an announce response with 6-byte peers, and 18-byte peers over IPv6', () => {
    const v4 = new W().u32(1).u32(7).u32(1800).u32(3).u32(9).u8(10, 0, 0, 1).u16(51413).u8(127, 0, 0, 2).u16(6881).done();
    expect(decodeUdpTracker(v4)).toEqual({
      kind: 'announce-response', transactionId: 7, interval: 1800, leechers: 3, seeders: 9,
      peers: [{ ip: '10.0.0.1', port: 51413 }, { ip: '127.0.0.2', port: 6881 }], trailing: 0,
    });
    const v6 = new W().u32(1).u32(7).u32(1800).u32(0).u32(1).u8(...new Array(15).fill(0), 1).u16(6881).done();
    const m = decodeUdpTracker(v6, { ipv6: true });
    expect(m.kind === 'announce-response' && m.peers).toEqual([{ ip: '::1', port: 6881 }]);
  });

  it('decodes scrape request/response and an error message (trailing NUL dropped)', () => {
    const sreq = new W().u64(CID).u32(2).u32(9).bytes(IH).bytes(IH).done();
    const s = decodeUdpTracker(sreq);
    expect(s.kind === 'scrape-request' && s.infoHashes.length).toBe(2);
    const sresp = new W().u32(2).u32(9).u32(5).u32(10).u32(2).done();
    expect(decodeUdpTracker(sresp)).toEqual({ kind: 'scrape-response', transactionId: 9, entries: [{ seeders: 5, completed: 10, leechers: 2 }] });
    const err = new W().u32(3).u32(9).bytes('Requested download is not authorized for use with this tracker.').u8(0).done();
    expect(decodeUdpTracker(err)).toEqual({
      kind: 'error-response', transactionId: 9, message: 'Requested download is not authorized for use with this tracker.',
    });
  });

  it('reports non-tracker payloads instead of throwing', () => {
    for (const p of [new Uint8Array(0), Uint8Array.of(1, 2, 3), new W().u32(9).u32(1).done(), announceReq({ event: 7 })]) {
      expect(decodeUdpTracker(p).kind).toBe('not-tracker');
    }
    expect(decodeUdpTracker(new W().u64(CID).u32(0).u32(1).done(), { direction: 'request' }).kind).toBe('not-tracker');
  });
});

function dg(src: string, sport: number, dst: string, dport: number, payload: Uint8Array, tsSec: number, packet: number): UdpDatagram {
  return { src: { ip: src, port: sport }, dst: { ip: dst, port: dport }, payload, ts: BigInt(tsSec) * 1_000_000_000n, packet, offset: packet * 100 };
}

describe('UdpTrackerDecoder (pairing)', () => {
  it('pairs an announce seen without its connect with its reply, by endpoints and transaction id', () => {
    const out: Announce[] = [];
    const d = new UdpTrackerDecoder('hand.pcap', (a) => out.push(a));
    const req = announceReq({ tid: 42, tail: [0x02, 0x12, ...Buffer.from('/announce?passkey='), 0x02, 0x20, ...Buffer.from('0123456789abcdef0123456789abcdef')] });
    d.datagram(dg('10.0.0.5', 6881, '10.0.0.1', 6969, req, 100, 1));
    // a reply to another client with the same transaction id must not pair with it
    d.datagram(dg('10.0.0.1', 6969, '10.0.0.6', 6881, new W().u32(1).u32(42).u32(1).u32(1).u32(1).done(), 100, 2));
    expect(out).toHaveLength(0);
    d.datagram(dg('10.0.0.1', 6969, '10.0.0.5', 6881, new W().u32(1).u32(42).u32(900).u32(4).u32(2).u8(10, 0, 0, 7).u16(1).done(), 100, 3));
    expect(out).toHaveLength(1);
    const a = out[0]!;
    expect([a.transport, a.path, a.target, a.passkey]).toEqual(['udp', '/announce', '/announce?passkey=0123456789abcdef0123456789abcdef', '0123456789abcdef0123456789abcdef']);
    expect(a.origin).toEqual({ file: 'hand.pcap', packet: 1, line: null, offset: 100 });
    expect([a.event, a.port, a.left, a.uploaded, a.numwant, a.key]).toEqual(['started', 6881, 0x1_0000_0000n, 5_000_000_000n, -1, '0badf00d']);
    expect(a.params.map((p) => p.name)).toEqual(['info_hash', 'peer_id', 'port', 'uploaded', 'downloaded', 'left', 'event', 'key', 'numwant', 'passkey']);
    expect(a.params[0]!.raw).toBe('%A0%A1%A2%A3%A4%A5%A6%A7%A8%A9%AA%AB%AC%AD%AE%AF%B0%B1%B2%B3');
    expect(a.reply).toMatchObject({ status: 200, interval: 900, complete: 2, incomplete: 4, peers: [{ ip: '10.0.0.7', port: 1 }], peerForms: ['compact'] });
    expect(a.errors).toEqual([]);
    expect(d.counters).toMatchObject({ announces: 1, announceReplies: 2, unmatchedReplies: 1, withoutConnect: 1 });
  });

  it('applies the TBSource request checks: port 0 is an invalid port', () => {
    const out: Announce[] = [];
    const d = new UdpTrackerDecoder('hand.pcap', (a) => out.push(a));
    const req = announceReq({ tid: 5 });
    req[96] = 0; req[97] = 0;
    d.datagram(dg('10.0.0.5', 6881, '10.0.0.1', 6969, req, 100, 1));
    d.end();
    expect(out.map((a) => [a.port, a.errors, a.reply])).toEqual([[0, ['invalid port'], null]]);
    expect(d.counters.unanswered).toBe(1);
  });

  it('turns an error datagram into a failure, counts retransmissions, times out and keeps request order', () => {
    const out: Announce[] = [];
    const d = new UdpTrackerDecoder('hand.pcap', (a) => out.push(a));
    d.datagram(dg('10.0.0.5', 6881, '10.0.0.1', 6969, announceReq({ tid: 1, event: 0 }), 100, 1));
    d.datagram(dg('10.0.0.5', 6881, '10.0.0.1', 6969, announceReq({ tid: 2, event: 3 }), 101, 2));
    d.datagram(dg('10.0.0.1', 6969, '10.0.0.5', 6881, new W().u32(3).u32(2).bytes('unregistered torrent').done(), 101, 3));
    expect(out).toHaveLength(0); // tid 1 still pending: tid 2 waits behind it
    d.datagram(dg('10.0.0.5', 6881, '10.0.0.1', 6969, announceReq({ tid: 1, event: 0 }), 115, 4)); // BEP 15 retransmit at 15 s
    d.datagram(dg('10.0.0.9', 5, '10.0.0.1', 53, Uint8Array.of(0x12, 0x34, 1, 0, 0, 1), 122, 5)); // DNS-ish: not tracker, and time passes
    expect(out.map((a) => [a.event, a.reply?.failure ?? null, a.reply === null])).toEqual([[null, null, true], ['stopped', 'unregistered torrent', false]]);
    expect(out[1]!.reply).toMatchObject({ status: 0, interval: null });
    expect(d.counters).toMatchObject({ datagrams: 5, announces: 2, retransmits: 1, errors: 1, notTracker: 1, unanswered: 1 });
  });
});
