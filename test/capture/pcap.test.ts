import { describe, it, expect } from 'vitest';
import { tempDir } from '../support/temp.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PcapDecoder } from '../../src/capture/pcap.js';
import { InputError } from '../../src/errors.js';
import { Collect, digest, feed, load, randomSizes } from './helpers.js';

const A = 'fixtures/real/a_clean/capture.pcap';
const B = 'fixtures/real/b_crash/capture.pcap';
const B_NANO = 'fixtures/real/b_crash/capture-nano.pcap';

function read(bytes: Uint8Array, size: number | (() => number) = 1 << 20, file = 'x.pcap') {
  const sink = new Collect();
  const dec = new PcapDecoder(file, sink);
  feed(dec, bytes, size);
  return { dec, list: sink.list };
}

/** A pcap file with the given magic (as written big-endian), byte order, link type and records. */
function build(magic: number, le: boolean, linkType: number, records: { sec: number; frac: number; data: number[]; orig?: number }[]): Uint8Array {
  const size = 24 + records.reduce((n, r) => n + 16 + r.data.length, 0);
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, magic, le);
  dv.setUint16(4, 2, le);
  dv.setUint16(6, 4, le);
  dv.setUint32(16, 65535, le);
  dv.setUint32(20, linkType, le);
  let p = 24;
  for (const r of records) {
    dv.setUint32(p, r.sec, le);
    dv.setUint32(p + 4, r.frac, le);
    dv.setUint32(p + 8, r.data.length, le);
    dv.setUint32(p + 12, r.orig ?? r.data.length, le);
    out.set(r.data, p + 16);
    p += 16 + r.data.length;
  }
  return out;
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

describe('PcapDecoder on real captures', () => {
  it('a_clean capture.pcap: 1047 Ethernet packets, µs, first at 1795623128.239703 (tcpdump -tt)', () => {
    const { dec, list } = read(load(A));
    expect(dec.packets).toBe(1047);
    expect(list.length).toBe(1047);
    expect(dec.linkType).toBe(1);
    expect(dec.nanosecond).toBe(false);
    expect(dec.notices).toEqual([]);
    expect(list[0]!.ts).toBe(1795623128239703000n);
    expect(list[0]!.index).toBe(1);
    expect(list[0]!.offset).toBe(24);
    // tcpdump: "length 74" for the first SYN.
    expect(list[0]!.data.length).toBe(74);
    expect(list[0]!.origLen).toBe(74);
    expect(list[1]!.offset).toBe(24 + 16 + 74);
  });

  // The two files are two tcpdump runs at the same time (scenario.md), not one file converted: the
  // kernel stamps each copy separately. Checked with tcpdump -tt --time-stamp-precision=nano on
  // both files: 20 packets differ by 1 µs or more, the largest difference is 19603 ns.
  it('b_crash capture.pcap and capture-nano.pcap: 3149 packets each, same bytes, timestamps within 20 µs', () => {
    const us = read(load(B)).list;
    const ns = read(load(B_NANO)).list;
    expect(us.length).toBe(3149);
    expect(ns.length).toBe(3149);
    // tcpdump -n -tt --time-stamp-precision=nano -c 1 on each file.
    expect(us[0]!.ts).toBe(1795623374003034000n);
    expect(ns[0]!.ts).toBe(1795623374003034164n);
    let apart = 0;
    let max = 0n;
    for (let i = 0; i < us.length; i++) {
      const d = ns[i]!.ts > us[i]!.ts ? ns[i]!.ts - us[i]!.ts : us[i]!.ts - ns[i]!.ts;
      if (d >= 1000n) apart++;
      if (d > max) max = d;
      expect(us[i]!.ts % 1000n).toBe(0n);
      expect(Buffer.compare(ns[i]!.data, us[i]!.data)).toBe(0);
    }
    expect(apart).toBe(20);
    expect(max).toBe(19603n);
  });

  it('gives the same packets whatever the chunk size (1 byte, random, whole file)', () => {
    const bytes = load(A);
    const whole = digest(read(bytes, bytes.length).list);
    expect(digest(read(bytes, 1).list)).toBe(whole);
    expect(digest(read(bytes, randomSizes(7, 300)).list)).toBe(whole);
    expect(digest(read(bytes, randomSizes(9, 70000)).list)).toBe(whole);
  });

  it('hands out views into the chunk when the record is whole inside it', () => {
    const bytes = load(A);
    const seen: Uint8Array[] = [];
    const dec = new PcapDecoder('a', { packet: (p) => void seen.push(p.data) });
    dec.push(bytes);
    dec.end();
    expect(seen[0]!.buffer).toBe(bytes.buffer);
    expect(seen[0]!.byteOffset).toBe(bytes.byteOffset + 40);
  });
});

describe('PcapDecoder on captures joined with cat', () => {
  // a_clean (µs, little-endian) then b_crash's nanosecond copy: what `cat a.pcap b.pcap > c.pcap` makes
  const a = load(A);
  const b = load(B_NANO);
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);

  it('reads on past the second file header: every packet of both, the second part in ns, one warning that skips nothing', () => {
    const { dec, list } = read(joined);
    expect(list.length).toBe(1047 + 3149);
    expect(list[1046]!.ts).toBe(read(a).list[1046]!.ts);
    // the second part's first packet, as tcpdump -tt --time-stamp-precision=nano shows it in capture-nano.pcap
    expect(list[1047]!.ts).toBe(1795623374003034164n);
    expect(list[1047]!.index).toBe(1048);
    // the second part is the nanosecond file's packets, time and bytes
    const second = read(b).list;
    for (let i = 0; i < second.length; i++) {
      expect(list[1047 + i]!.ts).toBe(second[i]!.ts);
      expect(Buffer.compare(list[1047 + i]!.data, second[i]!.data)).toBe(0);
    }
    expect(dec.nanosecond).toBe(true);
    expect(dec.notices).toEqual([{
      code: 'pcap header of a joined capture',
      message: 'another pcap file header (captures joined with cat?): read on as link type 1 with ns times',
      offset: a.length,
      packet: null,
      skipped: false,
    }]);
  });

  it('gives the same packets whatever the chunk size (the second header split across chunks too)', () => {
    const whole = digest(read(joined, joined.length).list);
    expect(digest(read(joined, 1).list)).toBe(whole);
    expect(digest(read(joined, randomSizes(3, 40)).list)).toBe(whole);
    expect(digest(read(joined, randomSizes(5, 70000)).list)).toBe(whole);
    // a boundary inside the header, 20 bytes after its start (after the record-sized part)
    const parts = [a.length + 20, joined.length - a.length - 20];
    expect(digest(read(joined, () => parts.shift()!).list)).toBe(whole);
  });

  it('an empty record that is not a file header is still an ordinary empty packet', () => {
    const bytes = build(0xa1b2c3d4, false, 1, [{ sec: 1, frac: 0, data: [] }, { sec: 2, frac: 0, data: [1, 2] }]);
    const { dec, list } = read(bytes);
    expect(list.map((p) => p.data.length)).toEqual([0, 2]);
    expect(dec.notices).toEqual([]);
  });
});

describe('PcapDecoder truncated and broken files', () => {
  const bytes = load(A);
  const offsets = read(bytes).list.map((p) => p.offset);
  const dir = tempDir('pcap-test-');

  it('a file cut inside record 500 delivers 499 packets and a truncated notice at its offset', () => {
    const cut = offsets[499]! + 16 + 10;
    const path = join(dir, 'cut.pcap');
    writeFileSync(path, bytes.subarray(0, cut));
    for (const size of [1, 4096, cut]) {
      const { dec, list } = read(load(path), size);
      expect(list.length).toBe(499);
      expect(dec.notices).toHaveLength(1);
      expect(dec.notices[0]).toMatchObject({ code: 'truncated', offset: offsets[499], packet: 500 });
    }
  });

  it('a file cut inside a record header is truncated too', () => {
    const { dec, list } = read(bytes.subarray(0, offsets[10]! + 5), 3);
    expect(list.length).toBe(10);
    expect(dec.notices[0]).toMatchObject({ code: 'truncated', offset: offsets[10], packet: 11 });
  });

  it('an absurd captured length is an InputError naming packet and byte', () => {
    const bad = bytes.slice();
    new DataView(bad.buffer).setUint32(offsets[2]! + 8, 0x10000000, true);
    for (const size of [1, 1 << 20]) {
      const e = inputError(() => read(bad, size));
      expect(e.code).toBe('pcap.bad-record-length');
      expect(e.position).toBe(`packet 3 (byte ${offsets[2]})`);
    }
  });

  it('bad magic, short header and empty file are InputErrors', () => {
    const e1 = inputError(() => read(new TextEncoder().encode('GET / HTTP/1.1\r\nHost: x\r\n\r\n')));
    expect(e1.code).toBe('capture.bad-magic');
    expect(e1.position).toBe('byte 0');
    const e2 = inputError(() => read(bytes.subarray(0, 10)));
    expect(e2.code).toBe('capture.short-header');
    expect(e2.position).toBe('byte 10');
    expect(inputError(() => read(new Uint8Array(0))).code).toBe('capture.short-header');
  });

  it('an unsupported link type in the header names its number and name', () => {
    const e = inputError(() => read(build(0xa1b2c3d4, false, 147, [])));
    expect(e.code).toBe('capture.unsupported-link-type');
    expect(e.message).toBe('unsupported link type 147 (USER0)');
  });

  it('a header with no records is zero packets, no notice', () => {
    const { dec } = read(bytes.subarray(0, 24));
    expect(dec.packets).toBe(0);
    expect(dec.notices).toEqual([]);
  });
});

describe('PcapDecoder magics and byte orders', () => {
  const rec = [
    { sec: 1700000000, frac: 123456, data: [1, 2, 3], orig: 60 },
    { sec: 1700000001, frac: 999999, data: [4] },
  ];
  const cases: [string, number, boolean, bigint][] = [
    ['big-endian µs', 0xa1b2c3d4, false, 1700000000123456000n],
    ['little-endian µs', 0xa1b2c3d4, true, 1700000000123456000n],
    ['big-endian ns', 0xa1b23c4d, false, 1700000000000123456n],
    ['little-endian ns', 0xa1b23c4d, true, 1700000000000123456n],
  ];
  for (const [name, magic, le, ts0] of cases) {
    it(name, () => {
      const { dec, list } = read(build(magic, le, 101, rec), 5);
      expect(dec.linkType).toBe(101);
      expect(list.map((p) => [...p.data])).toEqual([[1, 2, 3], [4]]);
      expect(list[0]!.ts).toBe(ts0);
      expect(list[0]!.origLen).toBe(60);
      expect(list[1]!.offset).toBe(24 + 16 + 3);
    });
  }
});
