import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { ipv4Packets } from '../support/ipv4-walker.js';
import { createHash } from 'node:crypto';
import { TcpReassembler } from '../../src/net/reassembly.js';
import type { Direction, StreamEndReason, TcpConnection } from '../../src/net/types.js';

const FILE = 'fixtures/real/a_clean/capture.pcap';

interface Conn {
  conn: TcpConnection;
  bytes: Record<Direction, Buffer[]>;
  gaps: number;
  ends: StreamEndReason[];
}

function run(): { r: TcpReassembler; conns: Conn[] } {
  const conns: Conn[] = [];
  const r = new TcpReassembler(FILE, (conn) => {
    const c: Conn = { conn, bytes: { ab: [], ba: [] }, gaps: 0, ends: [] };
    conns.push(c);
    return {
      data(dir, bytes) {
        c.bytes[dir].push(Buffer.from(bytes)); // copy: the view is reused
      },
      gap() {
        c.gaps++;
      },
      end(reason) {
        c.ends.push(reason);
      },
    };
  });
  let last = 0n;
  for (const { ip, ts, packet, offset } of ipv4Packets(readFileSync(FILE))) {
    r.segment(ip, ts, packet, offset);
    last = ts;
  }
  r.endAll(last);
  return { r, conns };
}

const sha256 = (parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest('hex');

describe('TcpReassembler on fixtures/real/a_clean/capture.pcap', () => {
  // Purpose: the reassembled Transmission -> nginx keep-alive connection is byte-exact.
  // Checks: a/b endpoints, synSeen, both directions' length and SHA-256, 9 requests, end reason.
  // Expected values: tshark -n -2 -o tcp.reassemble_out_of_order:TRUE -q -z follow,tcp,raw,0
  // (2734 bytes a->b, 1988 bytes b->a, hashed), and -Y 'tcp.srcport==34744 && http.request' (9 rows).
  it('delivers exactly the 9 HTTP requests of 127.0.0.2:34744 -> 127.0.0.1:6969 and their responses', () => {
    const { conns } = run();
    const c = conns.find((x) => x.conn.a.port === 34744)!;
    expect(c.conn).toMatchObject({ id: 1, a: { ip: '127.0.0.2', port: 34744 }, b: { ip: '127.0.0.1', port: 6969 }, synSeen: true });
    const ab = Buffer.concat(c.bytes.ab);
    expect(ab.length).toBe(2734);
    expect(ab.toString('latin1').split('GET /').length - 1).toBe(9);
    expect(sha256(c.bytes.ab)).toBe('73bbea681addd237518b2dc51fc22df59b8b16eba824b64fa2be8a71a6c69d1b');
    expect(Buffer.concat(c.bytes.ba).length).toBe(1988);
    expect(sha256(c.bytes.ba)).toBe('e5bea51ba7e93088ea3bf5926bef27d5be75171be558df7692e9332dc87f4991');
    expect(c.gaps).toBe(0);
    expect(c.ends).toEqual(['fin']);
  });

  // Purpose: whole-file totals, including the peer connections whose bulk data the capture filter
  // dropped (scenario.md: peer ports keep only packets <= 400 bytes), which must surface as gaps.
  // Checks: connections, delivered bytes, gaps and gap bytes, end reasons, no flow left open.
  // Expected values: tshark -q -z conv,tcp (27 conversations, each with SYN and 2 FINs, no RST);
  // per direction, unique payload and holes up to the FIN computed from
  // tshark -T fields -e tcp.stream -e tcp.srcport -e tcp.seq -e tcp.len -e tcp.flags.fin
  // (22074 payload bytes, no retransmission; 17 holes, 33617551 bytes, all on peer ports).
  it('reassembles all 27 connections, with the filtered-out peer data reported as 17 gaps', () => {
    const { r, conns } = run();
    expect(conns).toHaveLength(27);
    expect(conns.every((c) => c.conn.synSeen && c.ends.length === 1 && c.ends[0] === 'fin')).toBe(true);
    expect(r.counters).toMatchObject({
      connections: 27,
      segments: 1047,
      bytesDelivered: 22074,
      retransmittedBytes: 0,
      gaps: 17,
      gapBytes: 33617551,
      ignoredConnections: 0,
    });
    expect(r.counters.skipped.size).toBe(0);
    const tracker = conns.filter((c) => c.conn.b.port === 6969 || c.conn.b.port === 8000);
    expect(tracker).toHaveLength(19);
    expect(tracker.every((c) => c.gaps === 0)).toBe(true);
    expect(r.openFlows).toBe(0);
  });
});
