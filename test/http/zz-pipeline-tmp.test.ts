import { it } from 'vitest';
import { readFileSync } from 'node:fs';
import { TcpReassembler } from '../../src/net/reassembly.js';
import { httpSinkFactory } from '../../src/http/connection.js';
import type { HttpCounters, HttpExchange } from '../../src/http/types.js';
import type { IpPacket } from '../../src/net/types.js';

function* ipv4Packets(buf: Buffer) {
  let off = 24; let packet = 0;
  while (off + 16 <= buf.length) {
    const ts = BigInt(buf.readUInt32LE(off)) * 1_000_000_000n + BigInt(buf.readUInt32LE(off + 4)) * 1000n;
    const incl = buf.readUInt32LE(off + 8);
    const frame = new Uint8Array(buf.buffer, buf.byteOffset + off + 16, incl);
    packet++;
    if (frame[12] === 0x08 && frame[13] === 0x00) {
      const ihl = (frame[14]! & 0x0f) * 4; const total = (frame[16]! << 8) | frame[17]!;
      const ip = (i: number) => `${frame[i]}.${frame[i + 1]}.${frame[i + 2]}.${frame[i + 3]}`;
      yield { ip: { version: 4, src: ip(26), dst: ip(30), protocol: frame[23]!, payload: frame.subarray(14 + ihl, 14 + total) } as IpPacket, ts, packet, offset: off };
    }
    off += 16 + incl;
  }
}
for (const FILE of ['fixtures/real/a_clean/capture.pcap', 'fixtures/real/b_crash/capture.pcap']) it(FILE, () => {
  const xs: HttpExchange[] = [];
  const counters: HttpCounters = { requests: 0, responses: 0, skipped: new Map() };
  const r = new TcpReassembler(FILE, httpSinkFactory(FILE, { exchange: (x) => xs.push(x) }, counters));
  let last = 0n;
  for (const { ip, ts, packet, offset } of ipv4Packets(readFileSync(FILE))) { r.segment(ip, ts, packet, offset); last = ts; }
  r.endAll(last);
  console.log(FILE, counters, (r as any).counters);
  for (const x of xs) console.log(x.connection, x.client.port, '->', x.server.port, x.request.origin.packet, x.request.method, x.request.target.slice(0, 50), x.response?.status, x.response?.origin.packet, x.response?.body.length, x.response?.bodyProblem);
});
