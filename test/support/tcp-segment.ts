/** Hand-built TCP segments for reassembly tests: a client C and a server S on IPv4. */
import type { IpPacket } from '../../src/net/types.js';

export const C = { ip: '10.0.0.1', port: 40000 };
export const S = { ip: '10.0.0.2', port: 80 };
const FLAG: Record<string, number> = { F: 0x01, S: 0x02, R: 0x04, P: 0x08, A: 0x10 };

/** A TCP segment (20-byte header) inside an IPv4 IpPacket; `flags` as letters, e.g. 'AP', 'S', 'FA'. */
export function ipPacket(from: 'c' | 's', flags: string, seq: number, ack: number, data: string | Uint8Array): IpPacket {
  const src = from === 'c' ? C : S;
  const dst = from === 'c' ? S : C;
  const body = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
  const b = new Uint8Array(20 + body.length);
  const v = new DataView(b.buffer);
  v.setUint16(0, src.port);
  v.setUint16(2, dst.port);
  v.setUint32(4, seq >>> 0);
  v.setUint32(8, ack >>> 0);
  b[12] = 5 << 4;
  b[13] = [...flags].reduce((f, c) => f | FLAG[c]!, 0);
  b.set(body, 20);
  return { version: 4, src: src.ip, dst: dst.ip, srcKey: ipv4Key(src.ip), dstKey: ipv4Key(dst.ip), protocol: 6, ...ipPayload(b) };
}

/** The payload fields of an IpPacket whose payload is all of `b` (the view and the range agree). */
export function ipPayload(b: Uint8Array): Pick<IpPacket, 'payload' | 'payloadBytes' | 'payloadStart' | 'payloadEnd'> {
  return { payload: b, payloadBytes: b, payloadStart: 0, payloadEnd: b.length };
}

/** An IpPacket's key of a dotted quad (the address as an int32). */
export function ipv4Key(text: string): number {
  return text.split('.').reduce((k, octet) => (k << 8) | Number(octet), 0);
}
