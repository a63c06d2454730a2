import { describe, it, expect } from 'vitest';
import { TcpReassembler } from '../../src/net/reassembly.js';
import type { IpPacket } from '../../src/net/types.js';
import { Holds } from '../../src/order/holds.js';

const C = { ip: '10.0.0.1', port: 40000 };
const S = { ip: '10.0.0.2', port: 80 };

/** A TCP segment (20-byte header, ACK|PSH unless `flags` says otherwise) inside an IPv4 IpPacket. */
function seg(from: 'c' | 's', seq: number, ack: number, data: string, flags = 0x18): IpPacket {
  const src = from === 'c' ? C : S;
  const dst = from === 'c' ? S : C;
  const body = Buffer.from(data, 'latin1');
  const b = new Uint8Array(20 + body.length);
  const v = new DataView(b.buffer);
  v.setUint16(0, src.port);
  v.setUint16(2, dst.port);
  v.setUint32(4, seq >>> 0);
  v.setUint32(8, ack >>> 0);
  b[12] = 5 << 4;
  b[13] = flags;
  b.set(body, 20);
  return { version: 4, src: src.ip, dst: dst.ip, protocol: 6, payload: b };
}

describe('TcpReassembler holds', () => {
  it('an out-of-order segment holds back at its time until the hole before it is filled', () => {
    const holds = new Holds();
    const got: string[] = [];
    const r = new TcpReassembler('t.pcap', () => ({
      data: (_d, bytes) => { got.push(Buffer.from(bytes).toString('latin1')); return true; },
      gap: () => {},
      end: () => {},
    }), {}, holds);
    r.segment(seg('c', 1000, 0, '', 0x02), 1n, 1, 0); // SYN
    r.segment(seg('s', 5000, 1001, '', 0x12), 2n, 2, 0); // SYN-ACK
    // the second half of a request arrives first: it is held, and a request may start in it
    r.segment(seg('c', 1012, 5001, 'HTTP/1.1\r\n\r\n'), 5n, 3, 0);
    expect(got).toEqual([]);
    expect(holds.min).toBe(5n);
    r.segment(seg('c', 1001, 5001, 'GET /a?b=c '), 7n, 4, 0);
    expect(got).toEqual(['GET /a?b=c ', 'HTTP/1.1\r\n\r\n']);
    expect(holds.min).toBeNull();
  });

  it('a held segment stops holding when the flow ends', () => {
    const holds = new Holds();
    const r = new TcpReassembler('t.pcap', () => ({ data: () => true, gap: () => {}, end: () => {} }), {}, holds);
    r.segment(seg('c', 1000, 0, '', 0x02), 1n, 1, 0);
    r.segment(seg('s', 5000, 1001, '', 0x12), 2n, 2, 0);
    r.segment(seg('c', 1011, 5001, 'later'), 5n, 3, 0);
    expect(holds.min).toBe(5n);
    r.endAll(9n);
    expect(holds.min).toBeNull();
  });
});
