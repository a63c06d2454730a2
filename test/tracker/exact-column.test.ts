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
});
