import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { IpDecoder, NOTE, SKIP } from '../../src/net/ip-decoder.js';
import { ipv4Text } from '../../src/net/ipv4.js';
import { ipv6Text } from '../../src/net/ipv6.js';
import { PcapDecoder } from '../../src/capture/pcap.js';
import { load } from '../capture/helpers.js';
import { cat, eth, hex, ipv4, ipv6, tcp } from './ip-helpers.js';

function counts(m: Map<string, number>): Record<string, number> {
  return Object.fromEntries(m);
}

describe('address text', () => {
  it('IPv4 dotted quad', () => {
    expect(ipv4Text(hex('0a000001'), 0)).toBe('10.0.0.1');
    expect(ipv4Text(hex('00ff7f0a c0a80102'), 4)).toBe('192.168.1.2');
    expect(ipv4Text(hex('ffffffff'), 0)).toBe('255.255.255.255');
    expect(ipv4Text(hex('00000000'), 0)).toBe('0.0.0.0');
  });

  it('IPv6 per RFC 5952 examples', () => {
    const t = (h: string) => ipv6Text(hex(h), 0);
    expect(t('20010db8000000000000000000000001')).toBe('2001:db8::1');
    expect(t('20010db8000000000001000000000001')).toBe('2001:db8::1:0:0:1');
    expect(t('20010db8000000010001000100010001')).toBe('2001:db8:0:1:1:1:1:1');
    expect(t('20010000000000010000000000000001')).toBe('2001:0:0:1::1');
    expect(t('00000000000000000000000000000000')).toBe('::');
    expect(t('00000000000000000000000000000001')).toBe('::1');
    expect(t('00010000000000000000000000000000')).toBe('1::');
    expect(t('fe800000000000000000000000000000')).toBe('fe80::');
    expect(t('00000000000000000000ffffc0000201')).toBe('::ffff:192.0.2.1');
    expect(t('20010DB8ABCD00120000000000000000'.toLowerCase())).toBe('2001:db8:abcd:12::');
  });

  it('IPv6 text matches the WHATWG URL serializer (same compression rules) on random addresses', () => {
    const group = fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 0, max: 0xffff }));
    fc.assert(
      fc.property(fc.array(group, { minLength: 8, maxLength: 8 }), (g) => {
        const b = new Uint8Array(16);
        g.forEach((x, i) => {
          b[2 * i] = x >> 8;
          b[2 * i + 1] = x & 255;
        });
        const mapped = g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff;
        fc.pre(!mapped);
        const url = new URL(`http://[${g.map((x) => x.toString(16)).join(':')}]/`).hostname.slice(1, -1);
        expect(ipv6Text(b, 0)).toBe(url);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('IpDecoder IPv4', () => {
  it('plain TCP over Ethernet, padding trimmed to the total length', () => {
    const d = new IpDecoder();
    const frame = cat(eth(0x0800), ipv4(tcp([1, 2])), new Uint8Array(6));
    const p = d.decode(1, frame, 0n)!;
    expect(p).toMatchObject({ version: 4, src: '10.0.0.1', dst: '192.168.1.2', protocol: 6 });
    expect(p.payload.length).toBe(22);
    expect([...p.payload.subarray(20)]).toEqual([1, 2]);
  });

  it('decodeFrame reuses one datagram for unfragmented IPv4 (its fields, text and payload are the latest frame\'s); decode does not', () => {
    const d = new IpDecoder();
    const a = cat(eth(0x0800), ipv4(tcp([1, 2]), { src: '10.0.0.7' }));
    const b = cat(eth(0x0800), ipv4(tcp([3]), { src: '10.0.0.8', proto: 17 }));
    const first = d.decodeFrame(1, a, 0, a.length, 0n)!;
    expect(first).toMatchObject({ src: '10.0.0.7', protocol: 6 });
    expect([...first.payload.subarray(20)]).toEqual([1, 2]);
    const second = d.decodeFrame(1, b, 0, b.length, 0n)!;
    expect(second).toBe(first);
    expect(second).toMatchObject({ src: '10.0.0.8', dst: '192.168.1.2', protocol: 17 });
    expect([...second.payload.subarray(20)]).toEqual([3]);
    expect(second.payloadBytes).toBe(b);
    const kept = d.decode(1, a, 0n)!;
    expect(d.decode(1, b, 0n)).not.toBe(kept);
    expect(kept.src).toBe('10.0.0.7');
  });

  it('options (IHL 7) are skipped', () => {
    const d = new IpDecoder();
    const p = d.decode(228, ipv4(tcp([9]), { options: hex('94040000 01010100') }), 0n)!;
    expect(p.payload.length).toBe(21);
    expect(p.payload[20]).toBe(9);
  });

  it('bad headers are counted, never thrown', () => {
    const d = new IpDecoder();
    expect(d.decode(228, hex('4500'), 0n)).toBeNull();
    const badIhl = ipv4(tcp());
    badIhl[0] = 0x44;
    expect(d.decode(228, badIhl, 0n)).toBeNull();
    expect(d.decode(228, ipv4(tcp(), { total: 10 }), 0n)).toBeNull();
    expect(d.decode(1, cat(eth(0x0800), ipv6(6, tcp())), 0n)).toBeNull();
    expect(d.decode(1, cat(eth(0x0806), hex('0001')), 0n)).toBeNull();
    expect(counts(d.skipped)).toEqual({
      'ipv4 header truncated': 1,
      'ipv4 bad header length': 1,
      'ipv4 bad total length': 1,
      'ipv4 bad version': 1,
      'non-ip ethertype 0x0806': 1,
    });
  });

  it('snap-length cut: delivered when the TCP header is whole (and noted), skipped otherwise', () => {
    const d = new IpDecoder();
    const whole = ipv4(tcp(Array.from({ length: 100 }, (_, i) => i)));
    const p = d.decode(228, whole.subarray(0, 50), 0n)!;
    expect(p.payload.length).toBe(30);
    expect(d.decode(228, whole.subarray(0, 30), 0n)).toBeNull();
    expect(counts(d.skipped)).toEqual({ [SKIP.truncated]: 1 });
    expect(counts(d.notes)).toEqual({ [NOTE.truncatedDelivered]: 1 });
  });

  it('total length 0 (segmentation offload) takes the captured length', () => {
    const d = new IpDecoder();
    const p = d.decode(228, ipv4(tcp([1, 2, 3]), { total: 0 }), 0n)!;
    expect(p.payload.length).toBe(23);
    expect(d.notes.get(NOTE.zeroLength)).toBe(1);
  });
});

/** A UDP datagram of `n` payload bytes split into IPv4 fragments of `size` bytes (multiple of 8). */
function v4Fragments(n: number, size: number, id = 7): { frames: Uint8Array[]; body: Uint8Array } {
  const body = Uint8Array.from({ length: n + 8 }, (_, i) => (i * 7) & 255);
  const frames: Uint8Array[] = [];
  for (let off = 0; off < body.length; off += size) {
    const part = body.subarray(off, Math.min(off + size, body.length));
    frames.push(ipv4(part, { proto: 17, id, offset: off, more: off + size < body.length }));
  }
  return { frames, body };
}

describe('IpDecoder IPv4 fragments', () => {
  it('in order: one datagram on the last fragment, others held', () => {
    const d = new IpDecoder();
    const { frames, body } = v4Fragments(3000, 1480);
    const out = frames.map((f, i) => d.decode(101, f, BigInt(i)));
    expect(out.slice(0, -1)).toEqual([null, null]);
    const p = out[2]!;
    expect(p).toMatchObject({ protocol: 17, src: '10.0.0.1' });
    expect(Buffer.compare(p.payload, body)).toBe(0);
    expect(counts(d.notes)).toEqual({ [NOTE.fragmentHeld]: 2, [NOTE.reassembled]: 1 });
    expect(d.skipped.size).toBe(0);
  });

  it('out of order, interleaved with another datagram, with a duplicate', () => {
    const d = new IpDecoder();
    const a = v4Fragments(4000, 800, 1);
    const b = v4Fragments(1000, 512, 2);
    expect([a.frames.length, b.frames.length]).toEqual([6, 2]);
    const order = [a.frames[3]!, b.frames[1]!, a.frames[0]!, a.frames[5]!, a.frames[4]!, a.frames[0]!, b.frames[0]!, a.frames[2]!, a.frames[1]!];
    const got = order.map((f) => d.decode(228, f, 0n)).filter((p) => p !== null);
    expect(got.length).toBe(2);
    expect(Buffer.compare(got[0]!.payload, b.body)).toBe(0);
    expect(Buffer.compare(got[1]!.payload, a.body)).toBe(0);
  });

  it('incomplete datagrams time out after 60 s of capture time and are counted per fragment', () => {
    const d = new IpDecoder();
    const { frames } = v4Fragments(3000, 1480);
    d.decode(228, frames[0]!, 0n);
    d.decode(228, frames[1]!, 1_000_000_000n);
    expect(d.skipped.size).toBe(0);
    d.decode(228, ipv4(tcp()), 61_000_000_000n);
    expect(counts(d.skipped)).toEqual({ [SKIP.v4Incomplete]: 2 });
    // The late last fragment starts a new (incomplete) datagram, flushed at the end.
    expect(d.decode(228, frames[2]!, 62_000_000_000n)).toBeNull();
    d.end();
    expect(counts(d.skipped)).toEqual({ [SKIP.v4Incomplete]: 3 });
  });

  it('memory is bounded: beyond the datagram limit the oldest is dropped', () => {
    const d = new IpDecoder({ timeoutNs: 60_000_000_000n, maxDatagrams: 2, maxBytes: 1 << 20, maxDatagramBytes: 65535 });
    for (let id = 1; id <= 3; id++) d.decode(228, v4Fragments(3000, 1480, id).frames[0]!, 0n);
    expect(counts(d.skipped)).toEqual({ [SKIP.v4Incomplete]: 1 });
    // Datagrams 2 and 3 are still there.
    const f = v4Fragments(3000, 1480, 3).frames;
    expect(d.decode(228, f[1]!, 0n)).toBeNull();
    expect(d.decode(228, f[2]!, 0n)).not.toBeNull();
  });

  it('a fragment beyond 65535 bytes is skipped', () => {
    const d = new IpDecoder();
    expect(d.decode(228, ipv4(new Uint8Array(100), { proto: 17, offset: 65528, more: false }), 0n)).toBeNull();
    expect(counts(d.skipped)).toEqual({ [SKIP.v4TooLarge]: 1 });
  });
});

describe('IpDecoder IPv6', () => {
  it('plain TCP, payload length trims trailing bytes', () => {
    const d = new IpDecoder();
    const p = d.decode(1, cat(eth(0x86dd), ipv6(6, tcp([5])), hex('0000')), 0n)!;
    expect(p).toMatchObject({ version: 6, src: '2001:db8::1', dst: '2001:db8::2', protocol: 6 });
    expect(p.payload.length).toBe(21);
  });

  it('walks hop-by-hop, routing, destination options and AH', () => {
    const d = new IpDecoder();
    const hbh = hex('2b00 010400000000'); // next 43 routing, 8 bytes
    const rt = hex('3c02 0000 00000000' + '00'.repeat(16)); // next 60, 24 bytes
    const dst = hex('3300 0104 00000000'); // next 51 AH, 8 bytes
    const ah = hex('0604 0000 00000001 00000001' + '00'.repeat(12)); // next 6, (4+2)*4 = 24 bytes
    const p = d.decode(229, ipv6(0, cat(hbh, rt, dst, ah, tcp([7]))), 0n)!;
    expect(p.protocol).toBe(6);
    expect(p.payload.length).toBe(21);
    expect(p.payload[20]).toBe(7);
  });

  it('ESP and no-next-header are skipped with a reason; truncated extension headers too', () => {
    const d = new IpDecoder();
    expect(d.decode(229, ipv6(50, hex('00000001 00000001')), 0n)).toBeNull();
    expect(d.decode(229, ipv6(59, new Uint8Array(0)), 0n)).toBeNull();
    expect(d.decode(229, ipv6(0, hex('0605')), 0n)).toBeNull();
    expect(counts(d.skipped)).toEqual({
      'ipv6 esp (encrypted)': 1,
      'ipv6 no next header': 1,
      'ipv6 extension header truncated': 1,
    });
  });

  it('fragments out of order with a destination-options header inside the fragmentable part', () => {
    const d = new IpDecoder();
    const body = cat(hex('1100 0104 00000000'), Uint8Array.from({ length: 2000 }, (_, i) => i & 255));
    const frag = (off: number, more: boolean, nh: number) =>
      ipv6(44, cat(Uint8Array.of(nh, 0, (off >> 8) & 0xff, (off & 0xf8) | (more ? 1 : 0)), hex('abcdef01'), body.subarray(off, Math.min(off + 1000, body.length))));
    expect(d.decode(229, frag(1000, true, 60), 0n)).toBeNull();
    expect(d.decode(229, frag(2000, false, 60), 0n)).toBeNull();
    const p = d.decode(229, frag(0, true, 60), 0n)!;
    expect(counts(d.skipped)).toEqual({});
    expect(p.protocol).toBe(17);
    expect(p.payload.length).toBe(2000);
    expect(p.payload[1999]).toBe(1999 & 255);
  });

  it('an atomic fragment (offset 0, no more) is an ordinary packet', () => {
    const d = new IpDecoder();
    const p = d.decode(229, ipv6(44, cat(hex('0600 0000 00000001'), tcp())), 0n)!;
    expect(p.protocol).toBe(6);
    expect(p.payload.length).toBe(20);
  });
});

describe('IpDecoder on real captures', () => {
  // tshark -n -r ... -T fields -e ip.src -e ip.len -e ip.hdr_len: every frame is IPv4 TCP;
  // sum(ip.len - ip.hdr_len) is 56010 for a_clean and 135253 for b_crash.
  for (const [path, frames, bytes, sources] of [
    ['fixtures/real/a_clean/capture.pcap', 1047, 56010, { '127.0.0.1': 169, '127.0.0.2': 313, '127.0.0.3': 565 }],
    ['fixtures/real/b_crash/capture.pcap', 3149, 135253, { '127.0.0.1': 1819, '127.0.0.4': 25, '127.0.0.5': 1305 }],
  ] as const) {
    it(`${path}: ${frames} IPv4 TCP datagrams, payload bytes and sources as tshark counts them`, () => {
      const d = new IpDecoder();
      let n = 0;
      let sum = 0;
      const src: Record<string, number> = {};
      const pcap = new PcapDecoder(path, {
        packet: (p) => {
          const ip = d.decode(p.linkType, p.data, p.ts);
          if (ip === null || ip.protocol !== 6 || ip.version !== 4) return;
          n++;
          sum += ip.payload.length;
          src[ip.src] = (src[ip.src] ?? 0) + 1;
        },
      });
      pcap.push(load(path));
      pcap.end();
      d.end();
      expect(n).toBe(frames);
      expect(sum).toBe(bytes);
      expect(src).toEqual(sources);
      expect(d.skipped.size).toBe(0);
    });
  }
});
