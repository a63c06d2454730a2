// Real capture fixtures/udp/capture.pcap (opentracker + Transmission 3.00 + qBittorrent 4.5.2, see fixtures/udp/NOTES.md)
// through UdpTrackerDecoder: checks announce count and order, info_hash, peer_id, events, counters, BEP 41 target,
// replies and the counters, all as read by hand with `tshark -n -2 -x` and udp_table.py.
import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { UdpTrackerDecoder } from '../../src/announce/udp-pairing.js';
import type { Announce, Scrape } from '../../src/announce/types.js';
import type { UdpDatagram } from '../../src/net/types.js';

const FILE = new URL('../../fixtures/udp/capture.pcap', import.meta.url);

/** Minimal classic-pcap (µs, little-endian) + Ethernet + IPv4 + UDP reader, enough for this fixture. */
function udpDatagrams(buf: Uint8Array): UdpDatagram[] {
  const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  expect(v.getUint32(0, true)).toBe(0xa1b2c3d4);
  expect(v.getUint32(20, true)).toBe(1); // LINKTYPE_ETHERNET: tcpdump on lo says "EN10MB (Ethernet)"
  const out: UdpDatagram[] = [];
  let off = 24;
  for (let n = 1; off + 16 <= buf.length; n++) {
    const ts = BigInt(v.getUint32(off, true)) * 1_000_000_000n + BigInt(v.getUint32(off + 4, true)) * 1000n;
    const incl = v.getUint32(off + 8, true);
    const f = off + 16;
    expect(v.getUint16(f + 12)).toBe(0x0800);
    const ip = f + 14;
    const ihl = (buf[ip]! & 0x0f) * 4;
    expect(buf[ip + 9]).toBe(17);
    const dotted = (o: number): string => `${buf[o]}.${buf[o + 1]}.${buf[o + 2]}.${buf[o + 3]}`;
    const udp = ip + ihl;
    const len = v.getUint16(udp + 4);
    out.push({
      src: { ip: dotted(ip + 12), port: v.getUint16(udp) },
      dst: { ip: dotted(ip + 16), port: v.getUint16(udp + 2) },
      payload: buf.subarray(udp + 8, udp + len),
      ts, packet: n, offset: off,
    });
    off = f + incl;
  }
  return out;
}

const hex = (b: Uint8Array | null): string => Buffer.from(b ?? []).toString('hex');
const text = (b: Uint8Array | null): string => Buffer.from(b ?? []).toString('latin1');
const A = '51c737df1f4459015a5989952b17c3859e609aba';
const B = 'cde1e2c996a79224ac0df129e12b8d43b0a9c248';

describe('fixtures/udp/capture.pcap (real opentracker UDP traffic)', () => {
  const announces: Announce[] = [];
  const scrapes: Scrape[] = [];
  const dec = new UdpTrackerDecoder('capture.pcap', (a) => announces.push(a), { onScrape: (s) => scrapes.push(s) });
  const datagrams = udpDatagrams(new Uint8Array(readFileSync(FILE)));
  for (const d of datagrams) dec.datagram(d);
  dec.end();

  it('has 18 datagrams: 2 connects, 6 announces, 1 scrape, each answered, no connect missing', () => {
    expect(datagrams).toHaveLength(18);
    expect(dec.counters).toEqual({
      datagrams: 18, connects: 2, connectReplies: 2, announces: 6, announceReplies: 6, scrapes: 1, scrapeReplies: 1,
      errors: 0, notTracker: 0, retransmits: 0, unmatchedReplies: 0, unanswered: 0, withoutConnect: 0, headerOnlyReplies: 1,
    });
    expect(scrapes.map((s) => [s.origin.packet, s.client.ip, s.infoHashes.map(hex)])).toEqual([[5, '127.0.0.2', [A]]]);
  });

  it('decodes the six announces: packet, client, info_hash, peer_id, event, counters, port, numwant, key, BEP 41 target', () => {
    const rows = announces.map((a) => [
      a.origin.packet, `${a.client.ip}:${a.client.port}`, hex(a.infoHash), text(a.peerId), a.event,
      a.downloaded, a.left, a.uploaded, a.port, a.numwant, a.key, a.target,
    ]);
    expect(rows).toEqual([
      [3, '127.0.0.2:51413', A, '-TR3000-tf6z1za5dp15', 'started', 0n, 0n, 0n, 51413, 80, '3c0ac8e1', ''],
      [7, '127.0.0.2:51413', B, '-TR3000-8bn7w1shafxv', 'started', 0n, 0n, 0n, 51413, 80, '3c0ac8e1', ''],
      [11, '127.0.0.6:6895', A, '-qB4520-sM-GRuXL4VlD', 'started', 0n, 4194304n, 0n, 6895, 200, '248f4c02', '/announce'],
      [13, '127.0.0.6:6895', A, '-qB4520-sM-GRuXL4VlD', 'completed', 4194304n, 0n, 0n, 6895, 200, '248f4c02', '/announce'],
      [15, '127.0.0.6:6895', A, '-qB4520-sM-GRuXL4VlD', 'stopped', 4194304n, 0n, 0n, 6895, 0, '248f4c02', '/announce'],
      [17, '127.0.0.2:51413', A, '-TR3000-tf6z1za5dp15', 'stopped', 0n, 0n, 4197632n, 51413, 0, '3c0ac8e1', ''],
    ]);
    expect(announces.every((a) => a.transport === 'udp' && a.tracker.ip === '127.0.0.1' && a.tracker.port === 6971)).toBe(true);
    expect(announces[0]!.ts).toBe(1795761080911379000n);
    expect(announces[2]!.path).toBe('/announce');
    expect(announces.map((a) => [a.passkey, a.errors.length])).toEqual(new Array(6).fill([null, 0]));
  });

  it('pairs each reply: interval, seeders (complete), leechers (incomplete), peers; the non-whitelisted one is header-only', () => {
    const rows = announces.map((a) => [a.reply?.interval, a.reply?.complete, a.reply?.incomplete, a.reply?.peers.map((p) => `${p.ip}:${p.port}`)]);
    expect(rows).toEqual([
      [1922, 1, 0, ['127.0.0.2:51413']],
      [null, null, null, []],
      [1678, 1, 1, ['127.0.0.6:6895', '127.0.0.2:51413']],
      [1938, 2, 0, ['127.0.0.6:6895', '127.0.0.2:51413']],
      [1836, 1, 0, []],
      [1851, 0, 0, []],
    ]);
    expect(announces[1]!.reply!.problems[0]).toMatch(/8-byte header/);
    expect(announces[1]!.reply!.ts).toBe(1795761084912013000n);
  });

  it('still finds all six announces when the connects (packets 1, 2, 9, 10) are cut out, as after a capture started late', () => {
    const late: Announce[] = [];
    const d = new UdpTrackerDecoder('capture.pcap', (a) => late.push(a));
    for (const x of datagrams) if (![1, 2, 9, 10].includes(x.packet)) d.datagram(x);
    d.end();
    expect(late.map((a) => [a.origin.packet, a.event, a.reply?.interval ?? null])).toEqual([
      [3, 'started', 1922], [7, 'started', null], [11, 'started', 1678], [13, 'completed', 1938], [15, 'stopped', 1836], [17, 'stopped', 1851],
    ]);
    expect(d.counters).toMatchObject({ connects: 0, announces: 6, withoutConnect: 6, notTracker: 0 });
  });
});
