/** Builders of small hand-made frames for the link/IP tests. */

export function hex(s: string): Uint8Array {
  const clean = s.replace(/\s+/g, '');
  return Uint8Array.from(clean.match(/../g) ?? [], (b) => parseInt(b, 16));
}

export function cat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** A 20-byte TCP header from port 40000 to 80, data offset 5, then `data`. */
export function tcp(data: number[] = []): Uint8Array {
  return cat(hex('9c40 0050 00000001 00000000 5018 ffff 0000 0000'), Uint8Array.from(data));
}

export interface V4 {
  src?: string;
  dst?: string;
  proto?: number;
  id?: number;
  more?: boolean;
  offset?: number;
  options?: Uint8Array;
  /** Total length to write; default the true one. */
  total?: number;
}

/** An IPv4 packet around `payload`. */
export function ipv4(payload: Uint8Array, o: V4 = {}): Uint8Array {
  const opts = o.options ?? new Uint8Array(0);
  const ihl = 20 + opts.length;
  const h = new Uint8Array(ihl);
  const dv = new DataView(h.buffer);
  h[0] = 0x40 | (ihl / 4);
  dv.setUint16(2, o.total ?? ihl + payload.length);
  dv.setUint16(4, o.id ?? 0x1234);
  dv.setUint16(6, (o.more ? 0x2000 : 0) | ((o.offset ?? 0) / 8));
  h[8] = 64;
  h[9] = o.proto ?? 6;
  (o.src ?? '10.0.0.1').split('.').forEach((x, i) => (h[12 + i] = Number(x)));
  (o.dst ?? '192.168.1.2').split('.').forEach((x, i) => (h[16 + i] = Number(x)));
  h.set(opts, 20);
  return cat(h, payload);
}

/** An IPv6 header (src 2001:db8::1, dst 2001:db8::2 unless given as hex) with next header `nh` around `rest`. */
export function ipv6(nh: number, rest: Uint8Array, src = '20010db8000000000000000000000001', dst = '20010db8000000000000000000000002'): Uint8Array {
  const h = new Uint8Array(40);
  h[0] = 0x60;
  new DataView(h.buffer).setUint16(4, rest.length);
  h[6] = nh;
  h[7] = 64;
  h.set(hex(src), 8);
  h.set(hex(dst), 24);
  return cat(h, rest);
}

/** An Ethernet II header with the given ethertype (and VLAN tags before it). */
export function eth(ethertype: number, ...tags: number[]): Uint8Array {
  const parts = [hex('ffffffffffff 020000000001')];
  for (const t of tags) parts.push(Uint8Array.of(t >> 8, t & 255, 0x00, 0x64));
  parts.push(Uint8Array.of(ethertype >> 8, ethertype & 255));
  return cat(...parts);
}
