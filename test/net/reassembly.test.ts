import { describe, it, expect } from 'vitest';
import { TcpReassembler, type ReassemblyOptions } from '../../src/net/reassembly.js';
import type { Direction, TcpConnection } from '../../src/net/types.js';
import { C, S, ipPacket, ipPayload, ipv4Key } from '../support/tcp-segment.js';


type Event =
  | { conn: number; kind: 'data'; dir: Direction; text: string; packet: number; ts: bigint }
  | { conn: number; kind: 'gap'; dir: Direction; length: number; packet: number }
  | { conn: number; kind: 'end'; reason: string; ts: bigint };

/** A reassembler whose sinks record every call; `send` numbers packets 1, 2, … at 1 s apart. */
function harness(opts?: ReassemblyOptions, decline = false) {
  const events: Event[] = [];
  const conns: TcpConnection[] = [];
  const r = new TcpReassembler('t.pcap', (conn) => {
    conns.push(conn);
    return {
      data(dir, bytes, ts, packet) {
        events.push({ conn: conn.id, kind: 'data', dir, text: Buffer.from(bytes).toString('latin1'), packet, ts });
        return decline ? false : undefined;
      },
      gap(dir, length, _ts, packet) {
        events.push({ conn: conn.id, kind: 'gap', dir, length, packet });
      },
      end(reason, ts) {
        events.push({ conn: conn.id, kind: 'end', reason, ts });
      },
    };
  }, opts);
  let n = 0;
  const h = {
    r,
    events,
    conns,
    /** Feeds one segment; returns its packet number. */
    send(from: 'c' | 's', flags: string, seq: number, ack: number, data: string | Uint8Array = '', tsSeconds?: number): number {
      n++;
      r.segment(ipPacket(from, flags, seq, ack, data), BigInt(tsSeconds ?? n) * 1_000_000_000n, n, n * 100);
      return n;
    },
    /** Concatenated delivered text of one direction, with `[gap N]` where gaps were declared. */
    stream(conn: number, dir: Direction): string {
      return events
        .filter((e) => e.conn === conn && e.kind !== 'end' && e.dir === dir)
        .map((e) => (e.kind === 'data' ? e.text : e.kind === 'gap' ? `[gap ${e.length}]` : ''))
        .join('');
    },
    ends(): string[] {
      return events.filter((e) => e.kind === 'end').map((e) => `${e.conn}:${(e as { reason: string }).reason}`);
    },
    /** Client ISN 1000, server ISN 5000: handshake done. */
    handshake(cIsn = 1000, sIsn = 5000): void {
      h.send('c', 'S', cIsn, 0);
      h.send('s', 'SA', sIsn, cIsn + 1);
      h.send('c', 'A', cIsn + 1, sIsn + 1);
    },
  };
  return h;
}

describe('TcpReassembler', () => {
  it('delivers in-order data of both directions and names the SYN sender a', () => {
    const h = harness();
    h.handshake();
    h.send('c', 'PA', 1001, 5001, 'GET / HTTP/1.1\r\n');
    h.send('c', 'PA', 1017, 5001, '\r\n');
    h.send('s', 'PA', 5001, 1019, 'HTTP/1.1 200 OK\r\n\r\n');
    expect(h.conns).toHaveLength(1);
    expect(h.conns[0]).toEqual({ id: 1, a: C, b: S, synSeen: true, file: 't.pcap' });
    expect(h.stream(1, 'ab')).toBe('GET / HTTP/1.1\r\n\r\n');
    expect(h.stream(1, 'ba')).toBe('HTTP/1.1 200 OK\r\n\r\n');
    expect(h.r.counters).toMatchObject({ connections: 1, segments: 6, bytesDelivered: 37, outOfOrderSegments: 0, gaps: 0 });
  });

  it('buffers an out-of-order segment and delivers it, with its own packet number, once the hole fills', () => {
    const h = harness();
    h.handshake();
    const late = h.send('c', 'PA', 1006, 5001, 'world');
    expect(h.stream(1, 'ab')).toBe('');
    const first = h.send('c', 'PA', 1001, 5001, 'hello');
    expect(h.stream(1, 'ab')).toBe('helloworld');
    const data = h.events.filter((e) => e.kind === 'data');
    expect(data.map((e) => e.packet)).toEqual([first, late]);
    expect(h.r.counters.outOfOrderSegments).toBe(1);
    expect(h.r.counters.gaps).toBe(0);
  });

  it('copies buffered bytes: the reader may reuse its buffer after segment() returns', () => {
    const h = harness();
    h.handshake();
    const p = ipPacket('c', 'PA', 1006, 5001, 'world');
    h.r.segment(p, 10n, 10, 0);
    p.payload.fill(0x58, 20); // the reader overwrites its chunk
    h.send('c', 'PA', 1001, 5001, 'hello');
    expect(h.stream(1, 'ab')).toBe('helloworld');
  });

  it('drops a full retransmission and delivers only the new tail of a partial overlap', () => {
    const h = harness();
    h.handshake();
    h.send('c', 'PA', 1001, 5001, 'abcdefghij');
    h.send('c', 'PA', 1001, 5001, 'abcdefghij');
    h.send('c', 'PA', 1006, 5001, 'fghijKLMNO');
    expect(h.stream(1, 'ab')).toBe('abcdefghijKLMNO');
    expect(h.r.counters.retransmittedBytes).toBe(15);
    expect(h.r.counters.bytesDelivered).toBe(15);
  });

  it('trims overlapping out-of-order segments against each other', () => {
    const h = harness();
    h.handshake();
    h.send('c', 'PA', 1011, 5001, 'KLMNO'); // [10, 15)
    h.send('c', 'PA', 1006, 5001, 'fghijKL'); // [5, 12)
    h.send('c', 'PA', 1011, 5001, 'KLMNO'); // the same again while waiting
    h.send('c', 'PA', 1001, 5001, 'abcde');
    expect(h.stream(1, 'ab')).toBe('abcdefghijKLMNO');
    expect(h.r.counters.retransmittedBytes).toBe(2 + 5);
  });

  it('declares a lost segment a gap when the buffer bound is exceeded, then delivers what follows', () => {
    const h = harness({ maxBufferedSegments: 2 });
    h.handshake();
    h.send('c', 'PA', 1001, 5001, 'aaaa');
    // 'bbbbb' at 1005 is never captured
    const after = h.send('c', 'PA', 1010, 5001, 'ccc');
    h.send('c', 'PA', 1013, 5001, 'dd');
    expect(h.stream(1, 'ab')).toBe('aaaa');
    h.send('c', 'PA', 1015, 5001, 'e');
    expect(h.stream(1, 'ab')).toBe('aaaa[gap 5]cccdde');
    expect(h.events.find((e) => e.kind === 'gap')).toMatchObject({ dir: 'ab', length: 5, packet: after });
    expect(h.r.counters).toMatchObject({ gaps: 1, gapBytes: 5, outOfOrderSegments: 3 });
  });

  it('declares the gap as soon as the peer acknowledges past the hole (the bytes can no longer come)', () => {
    const h = harness();
    h.handshake();
    h.send('c', 'PA', 1006, 5001, 'world'); // 'hello' at 1001 missed by the capture
    expect(h.stream(1, 'ab')).toBe('');
    h.send('s', 'A', 5001, 1011);
    expect(h.stream(1, 'ab')).toBe('[gap 5]world');
  });

  it('keeps a hole open on a duplicate ACK that does not cover it (loss in the network, retransmission to come)', () => {
    const h = harness();
    h.handshake();
    h.send('c', 'PA', 1006, 5001, 'world');
    h.send('s', 'A', 5001, 1001);
    h.send('c', 'PA', 1001, 5001, 'hello');
    expect(h.stream(1, 'ab')).toBe('helloworld');
    expect(h.r.counters.gaps).toBe(0);
  });

  it('handles sequence numbers wrapping at 2^32 (ISN 0xfffffff0), in and out of order', () => {
    const h = harness();
    h.handshake(0xfffffff0, 0xffffffff);
    // client data starts at 0xfffffff1: 'x'*15 ends at 0, then 'y'*10 at 0, 'z'*5 at 10
    h.send('c', 'PA', 0x0000000a, 0, 'zzzzz');
    h.send('c', 'PA', 0xfffffff1, 0, 'xxxxxxxxxxxxxxx');
    h.send('c', 'PA', 0x00000000, 0, 'yyyyyyyyyy');
    h.send('s', 'PA', 0x00000000, 0x0f, 'ok'); // server ISN 0xffffffff: its data starts at 0
    expect(h.stream(1, 'ab')).toBe('x'.repeat(15) + 'y'.repeat(10) + 'z'.repeat(5));
    expect(h.stream(1, 'ba')).toBe('ok');
    expect(h.r.counters.gaps).toBe(0);
    h.send('c', 'FA', 0x0f, 0x02);
    h.send('s', 'FA', 0x02, 0x10);
    expect(h.ends()).toEqual(['1:fin']);
  });

  it('picks a connection up mid-stream (no SYN): a is the first sender, and the peer ACK reveals a missed first segment', () => {
    const h = harness();
    h.send('s', 'PA', 777000, 123000, 'rest of a response');
    expect(h.conns[0]).toMatchObject({ a: S, b: C, synSeen: false });
    expect(h.stream(1, 'ab')).toBe('rest of a response');
    // the server's ACK said the client's next byte is 123000; the capture missed 'GET ' there
    h.send('c', 'PA', 123004, 777018, '/next');
    h.r.endAll(99_000_000_000n);
    expect(h.stream(1, 'ba')).toBe('[gap 4]/next');
    expect(h.ends()).toEqual(['1:eof']);
  });

  it('names the receiver of a SYN-ACK a when the capture starts after the SYN', () => {
    const h = harness();
    h.send('s', 'SA', 5000, 1001);
    h.send('c', 'PA', 1001, 5001, 'GET');
    expect(h.conns[0]).toMatchObject({ a: C, b: S, synSeen: true });
    expect(h.stream(1, 'ab')).toBe('GET');
  });

  it('ends with fin only when both FINs are reached, even if a FIN arrives ahead of data', () => {
    const h = harness();
    h.handshake();
    h.send('c', 'PA', 1001, 5001, 'req');
    h.send('s', 'FA', 5006, 1004); // FIN after 'reply' which is still in flight
    h.send('c', 'FA', 1004, 5001);
    expect(h.ends()).toEqual([]);
    h.send('s', 'PA', 5001, 1004, 'reply');
    expect(h.ends()).toEqual(['1:fin']);
    expect(h.stream(1, 'ba')).toBe('reply');
    expect(h.r.openFlows).toBe(0);
    // the last ACK and a late retransmission do not open a new connection
    h.send('c', 'A', 1005, 5007);
    h.send('c', 'PA', 1001, 5001, 'req');
    expect(h.conns).toHaveLength(1);
    expect(h.r.counters.skipped.get('after close')).toBe(1);
  });

  it('ends on RST, declaring the hole before buffered data first', () => {
    const h = harness();
    h.handshake();
    h.send('c', 'PA', 1004, 5001, 'def');
    h.send('s', 'RA', 5001, 1001);
    expect(h.stream(1, 'ab')).toBe('[gap 3]def');
    expect(h.ends()).toEqual(['1:rst']);
    h.send('c', 'A', 1007, 5001);
    expect(h.conns).toHaveLength(1);
  });

  it('treats a new SYN after FIN as a new connection, and a SYN with another ISN on an open flow as port reuse', () => {
    const h = harness();
    h.handshake();
    h.send('c', 'FA', 1001, 5001);
    h.send('s', 'FA', 5001, 1002);
    h.send('c', 'S', 9000, 0); // within the linger time: a SYN still opens a new connection
    h.send('s', 'SA', 7000, 9001);
    h.send('c', 'S', 9000, 0); // retransmitted SYN: same connection
    h.send('c', 'PA', 9001, 7001, 'second');
    h.send('c', 'S', 20000, 0); // new ISN without a close: reuse
    h.send('c', 'PA', 20001, 0, 'third');
    expect(h.conns.map((c) => c.id)).toEqual([1, 2, 3]);
    expect(h.ends()).toEqual(['1:fin', '2:reuse']);
    expect(h.stream(2, 'ab')).toBe('second');
    expect(h.stream(3, 'ab')).toBe('third');
    expect(h.conns[2]).toMatchObject({ a: C, synSeen: true });
  });

  it('opens a mid-stream connection for data on a closed 4-tuple after the linger time', () => {
    const h = harness({ closedLingerNs: 5_000_000_000n });
    h.handshake();
    h.send('c', 'FA', 1001, 5001, '', 10);
    h.send('s', 'FA', 5001, 1002, '', 10);
    h.send('c', 'PA', 1001, 5001, 'late', 12);
    expect(h.conns).toHaveLength(1);
    h.send('c', 'PA', 1001, 5001, 'later', 16);
    expect(h.conns).toHaveLength(2);
    expect(h.conns[1]).toMatchObject({ synSeen: false, a: C });
  });

  it('stops delivering to a sink that declines, counts it, and still removes the flow on FIN', () => {
    const h = harness(undefined, true);
    h.handshake();
    h.send('c', 'PA', 1001, 5001, 'SSH-2.0');
    h.send('c', 'PA', 1008, 5001, 'more');
    h.send('c', 'PA', 1020, 5001, 'out of order');
    h.send('s', 'PA', 5001, 1012, 'reply');
    expect(h.events.filter((e) => e.kind === 'data')).toHaveLength(1);
    expect(h.r.counters.ignoredConnections).toBe(1);
    h.send('c', 'FA', 1032, 5006);
    h.send('s', 'FA', 5006, 1033);
    expect(h.ends()).toEqual(['1:fin']);
    expect(h.r.counters.gaps).toBe(0);
    expect(h.r.openFlows).toBe(0);
  });

  it('ends idle flows on flushIdle and leaves recent ones open', () => {
    const h = harness({ idleTimeoutNs: 60_000_000_000n });
    h.send('c', 'S', 1000, 0, '', 10);
    h.send('c', 'PA', 1001, 0, 'x', 20);
    h.r.segment({ ...ipPacket('c', 'S', 50, 0, ''), src: '10.0.0.9', srcKey: ipv4Key('10.0.0.9') }, 65_000_000_000n, 99, 0);
    h.r.flushIdle(81_000_000_000n);
    expect(h.ends()).toEqual(['1:idle']);
    expect(h.events.at(-1)).toMatchObject({ kind: 'end', ts: 20_000_000_000n });
    expect(h.r.openFlows).toBe(1);
    h.r.flushIdle(126_000_000_000n);
    expect(h.ends()).toEqual(['1:idle', '2:idle']);
  });

  it('ends every open flow with eof on endAll, declaring holes first, and never ends a closed one twice', () => {
    const h = harness();
    h.handshake();
    h.send('c', 'PA', 1001, 5001, 'abc');
    h.send('c', 'PA', 1010, 5001, 'xyz'); // 6 bytes missing
    h.r.segment({ ...ipPacket('c', 'S', 50, 0, ''), src: '10.0.0.9', srcKey: ipv4Key('10.0.0.9') }, 5n, 50, 0);
    h.r.segment({ ...ipPacket('c', 'RA', 51, 0, ''), src: '10.0.0.9', srcKey: ipv4Key('10.0.0.9') }, 6n, 51, 0);
    h.r.endAll(100n);
    expect(h.stream(1, 'ab')).toBe('abc[gap 6]xyz');
    expect(h.ends()).toEqual(['2:rst', '1:eof']);
    expect(h.r.openFlows).toBe(0);
  });

  it('counts what it cannot use', () => {
    const h = harness();
    h.r.segment({ ...ipPacket('c', 'A', 1, 1, ''), ...ipPayload(new Uint8Array(12)) }, 1n, 1, 0);
    h.r.segment({ ...ipPacket('c', 'A', 1, 1, ''), protocol: 17 }, 1n, 2, 0);
    h.send('c', 'FA', 1, 1);
    h.send('c', 'A', 1, 1);
    expect(h.conns).toHaveLength(0);
    expect([...h.r.counters.skipped]).toEqual([['bad tcp header', 1], ['not tcp', 1], ['no connection', 1]]);
  });

  it('keeps IPv6 4-tuples apart and both directions together', () => {
    const h = harness();
    const v6 = (from: 'c' | 's', flags: string, seq: number, ack: number, data = ''): IpPacket => {
      const p = ipPacket(from, flags, seq, ack, data);
      // the IPv4 packet's keys are kept: an IPv6 flow whose keys equal an IPv4 one's stays apart by its address text
      return { ...p, version: 6, src: from === 'c' ? '2001:db8::1' : '2001:db8::2', dst: from === 'c' ? '2001:db8::2' : '2001:db8::1' };
    };
    h.r.segment(v6('c', 'S', 1000, 0), 1n, 1, 0);
    h.r.segment(v6('s', 'SA', 5000, 1001), 2n, 2, 0);
    h.r.segment(v6('c', 'PA', 1001, 5001, 'v6'), 3n, 3, 0);
    h.r.segment(v6('s', 'PA', 5001, 1003, 'ok'), 4n, 4, 0);
    h.send('c', 'PA', 1, 1, 'v4');
    expect(h.conns.map((c) => c.a.ip)).toEqual(['2001:db8::1', '10.0.0.1']);
    expect(h.stream(1, 'ab') + h.stream(1, 'ba')).toBe('v6ok');
  });
});
