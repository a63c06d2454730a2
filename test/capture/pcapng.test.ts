import { describe, it, expect } from 'vitest';
import { PcapngDecoder } from '../../src/capture/pcapng.js';
import { PcapDecoder } from '../../src/capture/pcap.js';
import { InputError } from '../../src/errors.js';
import { Collect, digest, feed, load, randomSizes } from './helpers.js';

/** Builds pcapng blocks in one byte order. */
class Writer {
  private parts: Uint8Array[] = [];
  constructor(private readonly le: boolean) {}

  block(type: number, body: Uint8Array): this {
    const pad = (4 - (body.length % 4)) % 4;
    const len = 12 + body.length + pad;
    const b = new Uint8Array(len);
    const dv = new DataView(b.buffer);
    dv.setUint32(0, type, this.le);
    dv.setUint32(4, len, this.le);
    b.set(body, 8);
    dv.setUint32(len - 4, len, this.le);
    this.parts.push(b);
    return this;
  }

  words(...spec: [number, 1 | 2 | 4 | 8][]): Uint8Array {
    const size = spec.reduce((n, [, w]) => n + w, 0);
    const b = new Uint8Array(size);
    const dv = new DataView(b.buffer);
    let p = 0;
    for (const [v, w] of spec) {
      if (w === 1) dv.setUint8(p, v);
      else if (w === 2) dv.setUint16(p, v, this.le);
      else if (w === 4) dv.setUint32(p, v, this.le);
      else dv.setBigInt64(p, BigInt(v), this.le);
      p += w;
    }
    return b;
  }

  shb(): this {
    return this.block(0x0a0d0d0a, this.words([0x1a2b3c4d, 4], [1, 2], [0, 2], [-1, 8]));
  }

  /** IDB with optional if_tsresol (code 9) and if_tsoffset (code 14). */
  idb(linkType: number, snaplen: number, tsresol?: number, tsoffset?: number): this {
    const opts: Uint8Array[] = [];
    if (tsresol !== undefined) opts.push(this.words([9, 2], [1, 2], [tsresol, 1], [0, 1], [0, 2]));
    if (tsoffset !== undefined) opts.push(this.words([14, 2], [8, 2], [tsoffset, 8]));
    if (opts.length > 0) opts.push(this.words([0, 2], [0, 2]));
    return this.block(1, concat(this.words([linkType, 2], [0, 2], [snaplen, 4]), ...opts));
  }

  epb(ifid: number, ts: bigint, data: number[], orig = data.length): this {
    const head = this.words([ifid, 4], [Number(ts >> 32n), 4], [Number(ts & 0xffffffffn), 4], [data.length, 4], [orig, 4]);
    return this.block(6, concat(head, Uint8Array.from(data)));
  }

  pb(ifid: number, ts: bigint, data: number[]): this {
    const head = this.words([ifid, 2], [0, 2], [Number(ts >> 32n), 4], [Number(ts & 0xffffffffn), 4], [data.length, 4], [data.length, 4]);
    return this.block(2, concat(head, Uint8Array.from(data)));
  }

  spb(orig: number, data: number[]): this {
    return this.block(3, concat(this.words([orig, 4]), Uint8Array.from(data)));
  }

  bytes(): Uint8Array {
    return concat(...this.parts);
  }
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function read(bytes: Uint8Array, size: number | (() => number) = 1 << 20) {
  const sink = new Collect();
  const dec = new PcapngDecoder('t.pcapng', sink);
  feed(dec, bytes, size);
  return { dec, list: sink.list };
}

function inputError(f: () => void): InputError {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('no InputError thrown');
}

describe('PcapngDecoder blocks', () => {
  for (const le of [true, false]) {
    const order = le ? 'little-endian' : 'big-endian';

    it(`${order}: EPB timestamps with default µs, decimal ns, binary 2^-20 resolution and if_tsoffset`, () => {
      const w = new Writer(le)
        .shb()
        .idb(1, 0)
        .idb(101, 0, 9)
        .idb(228, 0, 0x80 | 20, 100)
        .epb(0, 1_700_000_000_123_456n, [1, 2, 3])
        .epb(1, 1_700_000_000_123_456_789n, [4])
        .epb(2, (5n << 20n) + (1n << 19n), [5, 6]);
      const { dec, list } = read(w.bytes(), 3);
      expect(list.map((p) => p.ts)).toEqual([1_700_000_000_123_456_000n, 1_700_000_000_123_456_789n, 105_500_000_000n]);
      expect(list.map((p) => p.linkType)).toEqual([1, 101, 228]);
      expect(list.map((p) => [...p.data])).toEqual([[1, 2, 3], [4], [5, 6]]);
      expect(dec.interfaces.map((i) => i.unitsPerSecond)).toEqual([1_000_000n, 1_000_000_000n, 1n << 20n]);
      expect(dec.interfaces[2]!.offsetSeconds).toBe(100n);
      expect(dec.notices).toEqual([]);
    });

    it(`${order}: SPB takes interface 0's snap length and the previous timestamp; PB (type 2) reads`, () => {
      const w = new Writer(le)
        .shb()
        .idb(1, 4)
        .pb(0, 2_000_000n, [9, 9, 9])
        .spb(10, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
        .spb(2, [7, 8, 0, 0]);
      const { list } = read(w.bytes());
      expect(list.map((p) => [...p.data])).toEqual([[9, 9, 9], [1, 2, 3, 4], [7, 8]]);
      expect(list.map((p) => p.origLen)).toEqual([3, 10, 2]);
      expect(list.map((p) => p.ts)).toEqual([2_000_000_000n, 2_000_000_000n, 2_000_000_000n]);
    });
  }

  it('skips unknown and custom blocks, restarts interface ids per section, switches byte order per section', () => {
    const a = new Writer(true).shb().idb(1, 0).block(0x40000bad, new Uint8Array(10)).block(0xbad, new Uint8Array(0)).epb(0, 1n, [1]);
    const b = new Writer(false).shb().idb(113, 0).epb(0, 2n, [2]);
    const { dec, list } = read(concat(a.bytes(), b.bytes()), 7);
    expect(list.map((p) => [p.linkType, p.ts, p.data[0]])).toEqual([
      [1, 1000n, 1],
      [113, 2000n, 2],
    ]);
    expect(dec.sections).toBe(2);
    expect(dec.interfaces.map((i) => [i.section, i.id])).toEqual([
      [0, 0],
      [1, 0],
    ]);
  });

  it('a packet on an undescribed interface is a notice, not a crash; unsupported link types are delivered', () => {
    const w = new Writer(true).shb().idb(147, 0).epb(3, 1n, [1]).epb(0, 1n, [2]);
    const { dec, list } = read(w.bytes());
    expect(list.map((p) => [p.linkType, p.data[0]])).toEqual([[147, 2]]);
    expect(dec.notices.map((n) => n.code)).toEqual(['pcapng.unknown-interface']);
  });

  it('a truncated last block is a notice at its offset; earlier packets are delivered', () => {
    const w = new Writer(true).shb().idb(1, 0).epb(0, 1n, [1, 2, 3]).epb(0, 2n, [4, 5, 6]);
    const bytes = w.bytes();
    const lastStart = bytes.length - 36;
    const { dec, list } = read(bytes.subarray(0, bytes.length - 5), 1);
    expect(list.length).toBe(1);
    expect(dec.notices).toEqual([expect.objectContaining({ code: 'truncated', offset: lastStart, packet: 2 })]);
  });

  it('bad first block, impossible block length, empty input are InputErrors', () => {
    expect(inputError(() => read(load('fixtures/real/a_clean/capture.pcap'))).code).toBe('capture.bad-magic');
    const bytes = new Writer(true).shb().idb(1, 0).epb(0, 1n, [1]).bytes();
    const bad = bytes.slice();
    const idbAt = 28;
    new DataView(bad.buffer).setUint32(idbAt + 4, 13, true);
    const e = inputError(() => read(bad));
    expect(e.code).toBe('pcapng.bad-block-length');
    expect(e.position).toBe(`packet 1 (byte ${idbAt})`);
    expect(inputError(() => read(new Uint8Array(0))).code).toBe('capture.short-header');
    expect(inputError(() => read(bytes.subarray(0, 10))).code).toBe('capture.short-header');
  });
});

describe('PcapngDecoder on a real capture', () => {
  const ng = load('fixtures/real/a_clean/capture.pcapng');

  it('a_clean capture.pcapng: 1047 Ethernet packets, ns; first at 1795623128.239703222 (tcpdump -tt --time-stamp-precision=nano)', () => {
    const { dec, list } = read(ng);
    expect(dec.packets).toBe(1047);
    expect(dec.interfaces.map((i) => [i.linkType, i.unitsPerSecond])).toEqual([[1, 1_000_000_000n]]);
    expect(list[0]!.ts).toBe(1795623128239703222n);
    expect(list[1]!.ts).toBe(1795623128239717323n);
    expect(dec.notices).toEqual([]);
  });

  // Two captures taken at the same time (tcpdump µs and dumpcap ns, scenario.md), so the kernel
  // stamped each copy separately. tcpdump -tt --time-stamp-precision=nano on both: 22 packets are
  // 1 µs or more apart, 1559 ns at most.
  it('a_clean pcap and pcapng: same packet bytes, timestamps within 1559 ns', () => {
    const ngList = read(ng).list;
    const sink = new Collect();
    const pcap = new PcapDecoder('a', sink);
    feed(pcap, load('fixtures/real/a_clean/capture.pcap'), 1 << 20);
    expect(sink.list.length).toBe(ngList.length);
    let apart = 0;
    let max = 0n;
    for (let i = 0; i < ngList.length; i++) {
      const a = ngList[i]!.ts;
      const b = sink.list[i]!.ts;
      const d = a > b ? a - b : b - a;
      if (d >= 1000n) apart++;
      if (d > max) max = d;
      expect(Buffer.compare(ngList[i]!.data, sink.list[i]!.data)).toBe(0);
      expect(ngList[i]!.origLen).toBe(sink.list[i]!.origLen);
    }
    expect(apart).toBe(22);
    expect(max).toBe(1559n);
  });

  it('same packets in 1-byte and random chunks', () => {
    const whole = digest(read(ng).list);
    expect(digest(read(ng, 1).list)).toBe(whole);
    expect(digest(read(ng, randomSizes(3, 500)).list)).toBe(whole);
  });
});
