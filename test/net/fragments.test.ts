import { describe, it, expect } from 'vitest';
import { FragmentReassembler, DEFAULT_FRAGMENT_LIMITS, type FragmentResult } from '../../src/net/fragments.js';

const bytes = (n: number, v: number) => new Uint8Array(n).fill(v);

function payload(r: FragmentResult<number>): number[] {
  if (r.kind !== 'complete') throw new Error(r.kind);
  return [...r.payload];
}

describe('FragmentReassembler', () => {
  it('waits for the hole to fill, whatever the order', () => {
    const drops: number[] = [];
    const f = new FragmentReassembler<number>((n) => drops.push(n));
    expect(f.add('k', 16, false, bytes(4, 3), 0n, 0).kind).toBe('held');
    expect(f.add('k', 0, true, bytes(8, 1), 0n, 0).kind).toBe('held');
    expect(payload(f.add('k', 8, true, bytes(8, 2), 0n, 0))).toEqual([...bytes(8, 1), ...bytes(8, 2), ...bytes(4, 3)]);
    expect(f.size).toBe(0);
    expect(drops).toEqual([]);
  });

  it('overlapping bytes: the first received wins', () => {
    const f = new FragmentReassembler<number>(() => {});
    f.add('k', 0, true, bytes(16, 1), 0n, 0);
    expect(payload(f.add('k', 8, false, bytes(16, 2), 0n, 0))).toEqual([...bytes(16, 1), ...bytes(8, 2)]);
  });

  it('meta comes from the offset-0 fragment', () => {
    const f = new FragmentReassembler<number>(() => {});
    f.add('k', 8, false, bytes(8, 2), 0n, 99);
    const r = f.add('k', 0, true, bytes(8, 1), 0n, 17);
    expect(r.kind === 'complete' && r.meta).toBe(17);
  });

  it('byte limit drops the oldest datagrams; flush reports the rest', () => {
    const drops: number[] = [];
    const f = new FragmentReassembler<number>((n) => drops.push(n), { ...DEFAULT_FRAGMENT_LIMITS, maxBytes: 100 });
    f.add('a', 0, true, bytes(40, 1), 0n, 0);
    f.add('a', 40, true, bytes(40, 1), 0n, 0);
    f.add('b', 0, true, bytes(40, 1), 0n, 0);
    expect(drops).toEqual([2]);
    expect(f.size).toBe(1);
    f.flush();
    expect(drops).toEqual([2, 1]);
    expect(f.size).toBe(0);
  });

  it('copies fragment bytes (the caller reuses its buffers)', () => {
    const f = new FragmentReassembler<number>(() => {});
    const buf = bytes(8, 1);
    f.add('k', 0, true, buf, 0n, 0);
    buf.fill(9);
    expect(payload(f.add('k', 8, false, bytes(8, 2), 0n, 0)).slice(0, 8)).toEqual([...bytes(8, 1)]);
  });
});
