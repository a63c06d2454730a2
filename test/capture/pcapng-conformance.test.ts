// Every file of the pcapng-test-generator suite must read with the packet blocks (EPB, SPB, PB)
// and IDBs its .txt lists under "Block counts", in both byte orders, whole and in 1-byte chunks.
import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PcapngDecoder } from '../../src/capture/pcapng.js';
import { Collect, digest, feed, load } from './helpers.js';

const ROOT = 'fixtures/conformance/pcapng';

function expected(txt: string): { packets: number; idbs: number; shbs: number } {
  const count = (name: string): number => Number(new RegExp(`^\\s+${name}:\\s+(\\d+)\\s*$`, 'm').exec(txt)?.[1] ?? 0);
  return { packets: count('EPB') + count('SPB') + count('PB'), idbs: count('IDB'), shbs: count('SHB') };
}

const files: string[] = [];
for (const order of ['output_le', 'output_be']) {
  for (const cat of readdirSync(join(ROOT, order)).sort()) {
    for (const f of readdirSync(join(ROOT, order, cat)).sort()) {
      if (f.endsWith('.pcapng')) files.push(join(ROOT, order, cat, f));
    }
  }
}

describe('pcapng conformance suite', () => {
  it('has the 48 files of both byte orders', () => {
    expect(files.length).toBe(48);
  });

  for (const path of files) {
    it(path.slice(ROOT.length + 1), () => {
      const want = expected(readFileSync(path.replace(/\.pcapng$/, '.txt'), 'utf8'));
      expect(want.shbs).toBeGreaterThan(0);
      const bytes = load(path);
      const sink = new Collect();
      const dec = new PcapngDecoder(path, sink);
      feed(dec, bytes, bytes.length);
      expect(dec.packets).toBe(want.packets);
      expect(dec.interfaces.length).toBe(want.idbs);
      expect(dec.sections).toBe(want.shbs);
      expect(dec.notices).toEqual([]);
      const small = new Collect();
      feed(new PcapngDecoder(path, small), bytes, 1);
      expect(digest(small.list)).toBe(digest(sink.list));
    });
  }
});
