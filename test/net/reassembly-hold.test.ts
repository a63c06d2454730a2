import { describe, it, expect } from 'vitest';
import { TcpReassembler } from '../../src/net/reassembly.js';
import { ipPacket } from '../support/tcp-segment.js';
import { Holds } from '../../src/order/holds.js';

describe('TcpReassembler holds', () => {
  it('an out-of-order segment holds back at its time until the hole before it is filled', () => {
    const holds = new Holds();
    const got: string[] = [];
    const r = new TcpReassembler('t.pcap', () => ({
      data: (_d, bytes) => { got.push(Buffer.from(bytes).toString('latin1')); return true; },
      gap: () => {},
      end: () => {},
    }), {}, holds);
    r.segment(ipPacket('c', 'S', 1000, 0, ''), 1n, 1, 0); // SYN
    r.segment(ipPacket('s', 'SA', 5000, 1001, ''), 2n, 2, 0); // SYN-ACK
    // the second half of a request arrives first: it is held, and a request may start in it
    r.segment(ipPacket('c', 'AP', 1012, 5001, 'HTTP/1.1\r\n\r\n'), 5n, 3, 0);
    expect(got).toEqual([]);
    expect(holds.min).toBe(5n);
    r.segment(ipPacket('c', 'AP', 1001, 5001, 'GET /a?b=c '), 7n, 4, 0);
    expect(got).toEqual(['GET /a?b=c ', 'HTTP/1.1\r\n\r\n']);
    expect(holds.min).toBeNull();
  });

  it('a held segment stops holding when the flow ends', () => {
    const holds = new Holds();
    const r = new TcpReassembler('t.pcap', () => ({ data: () => true, gap: () => {}, end: () => {} }), {}, holds);
    r.segment(ipPacket('c', 'S', 1000, 0, ''), 1n, 1, 0);
    r.segment(ipPacket('s', 'SA', 5000, 1001, ''), 2n, 2, 0);
    r.segment(ipPacket('c', 'AP', 1011, 5001, 'later'), 5n, 3, 0);
    expect(holds.min).toBe(5n);
    r.endAll(9n);
    expect(holds.min).toBeNull();
  });
});
