import { describe, it, expect } from 'vitest';
import { decodeTcp, TCP_ACK, TCP_FIN, TCP_PSH, TCP_SYN } from '../../src/net/tcp.js';

/** Bytes from hex, spaces ignored. */
function hex(s: string): Uint8Array {
  return Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
}

describe('decodeTcp', () => {
  it('decodes the SYN of packet 1 of a_clean (tcpdump -x: 34744 > 6969 seq 2589500078, 40-byte header)', () => {
    // tcpdump -n -x -c1 -r fixtures/real/a_clean/capture.pcap, TCP part of the frame
    const seg = decodeTcp(
      hex('87b8 1b39 9a58 a2ae 0000 0000 a002 0c00 fe31 0000 0204 ffd7 0402 080a cac4 6d42 0000 0000 0103 0300'),
    );
    expect(seg).not.toBeNull();
    expect(seg!.srcPort).toBe(34744);
    expect(seg!.dstPort).toBe(6969);
    expect(seg!.seq).toBe(2589500078);
    expect(seg!.ack).toBe(0);
    expect(seg!.flags).toBe(TCP_SYN);
    expect(seg!.headerLength).toBe(40);
    expect(seg!.payload.length).toBe(0);
  });

  it('returns the payload after the header and uint32 sequence numbers above 2^31', () => {
    const seg = decodeTcp(hex('0050 9c40 ffff fff0 8000 0001 5019 0100 0000 0000 4745 5420'));
    expect(seg).toMatchObject({ srcPort: 80, dstPort: 40000, seq: 0xfffffff0, ack: 0x80000001, headerLength: 20 });
    expect(seg!.flags).toBe(TCP_ACK | TCP_PSH | TCP_FIN);
    expect(Buffer.from(seg!.payload).toString('latin1')).toBe('GET ');
  });

  it('rejects a data offset below 5, beyond the bytes, and a header shorter than 20 bytes', () => {
    expect(decodeTcp(hex('0050 9c40 0000 0001 0000 0000 4010 0100 0000 0000'))).toBeNull();
    expect(decodeTcp(hex('0050 9c40 0000 0001 0000 0000 6010 0100 0000 0000'))).toBeNull();
    expect(decodeTcp(hex('0050 9c40 0000 0001 0000 0000 5010 0100 0000'))).toBeNull();
  });
});
