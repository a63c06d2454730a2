/**
 * A minimal classic-pcap (little-endian, µs) + Ethernet + IPv4 walker for tests of the TCP and
 * HTTP stages, so they read the real captures without depending on our capture or IP stages.
 */
import { expect } from 'vitest';
import type { IpPacket } from '../../src/net/types.js';

export function* ipv4Packets(buf: Buffer): Generator<{ ip: IpPacket; ts: bigint; packet: number; offset: number }> {
  expect(buf.readUInt32LE(0)).toBe(0xa1b2c3d4);
  expect(buf.readUInt32LE(20)).toBe(1); // LINKTYPE_ETHERNET
  let off = 24;
  let packet = 0;
  while (off + 16 <= buf.length) {
    const ts = BigInt(buf.readUInt32LE(off)) * 1_000_000_000n + BigInt(buf.readUInt32LE(off + 4)) * 1000n;
    const incl = buf.readUInt32LE(off + 8);
    const frame = new Uint8Array(buf.buffer, buf.byteOffset + off + 16, incl);
    packet++;
    if (frame[12] === 0x08 && frame[13] === 0x00) {
      const ihl = (frame[14]! & 0x0f) * 4;
      const total = (frame[16]! << 8) | frame[17]!;
      const ip = (i: number): string => `${frame[i]}.${frame[i + 1]}.${frame[i + 2]}.${frame[i + 3]}`;
      const key = (i: number): number => (frame[i]! << 24) | (frame[i + 1]! << 16) | (frame[i + 2]! << 8) | frame[i + 3]!;
      yield {
        ip: {
          version: 4, src: ip(26), dst: ip(30), srcKey: key(26), dstKey: key(30), protocol: frame[23]!,
          payload: frame.subarray(14 + ihl, 14 + total), payloadBytes: frame, payloadStart: 14 + ihl, payloadEnd: 14 + total,
        },
        ts, packet, offset: off,
      };
    }
    off += 16 + incl;
  }
}
