import { describe, it, expect } from 'vitest';
import { ExactColumn } from '../../src/tracker/exact-column.js';

describe('ExactColumn', () => {
  it('reads back every value exactly: safe integers, null, negative and huge ones', () => {
    const c = new ExactColumn();
    const values: (bigint | null)[] = [0n, 1n, null, 2n ** 53n - 1n, 2n ** 53n, 2n ** 64n + 7n, -1n, -(2n ** 70n), 754384896n];
    values.forEach((v, i) => c.set(i, v));
    expect(values.map((_, i) => c.get(i))).toEqual(values);
  });

  it('grows past its first capacity and reads unset indices as 0n', () => {
    const c = new ExactColumn();
    c.set(5000, 12n);
    c.set(70_000, null);
    expect(c.get(5000)).toBe(12n);
    expect(c.get(70_000)).toBe(null);
    expect(c.get(4999)).toBe(0n);
    expect(c.get(1_000_000)).toBe(0n);
  });

  it('replaces values in place, an odd one by a plain one and back', () => {
    const c = new ExactColumn();
    c.set(3, 2n ** 80n);
    c.set(3, 5n);
    expect(c.get(3)).toBe(5n);
    c.set(3, -4n);
    expect(c.get(3)).toBe(-4n);
    c.set(3, null);
    expect(c.get(3)).toBe(null);
  });

  it('keeps timestamps as offsets from a base, exact on both sides of it', () => {
    const base = 1_705_320_000_036_010_000n;
    const c = new ExactColumn(base);
    const values = [base, base + 59_000_000_000n, base - 1n, base + 2n ** 60n, 0n];
    values.forEach((v, i) => c.set(i, v));
    expect(values.map((_, i) => c.get(i))).toEqual(values);
    expect(c.offsetOf(base + 5n)).toBe(5);
    expect(c.offsetOf(base - 5n)).toBeNaN();
  });

  it('compares and measures against a time exactly, as the bigint arithmetic would', () => {
    const base = 1_705_320_000_000_000_000n;
    const c = new ExactColumn(base);
    const times = [base + 1_000_000_001n, base - 3_000_000_000n, base + 2n ** 62n];
    times.forEach((v, i) => c.set(i, v));
    const nows = [base + 2_340_000_000_000n, base + 1_000_000_001n + 7n, base - 10n, base + 2n ** 62n + 1n];
    const limits = [0n, 6n, 7n, 2_339_000_000_000n, -5n, 2n ** 63n];
    for (let i = 0; i < times.length; i++) {
      for (const now of nows) {
        expect(c.secondsSince(i, now, c.offsetOf(now))).toBe(Number(now - times[i]!) / 1e9);
        for (const limit of limits) expect(c.exceeds(i, now, c.offsetOf(now), limit, Number(limit))).toBe(now - times[i]! > limit);
      }
    }
  });
});
