import { describe, expect, it } from 'vitest';
import { bytesWithUnit, grouped, humanBytes, humanBytesOfNumber } from '../../src/format/units.js';

describe('grouped', () => {
  it('puts a comma between every group of three digits, signs kept', () => {
    expect(grouped(0n)).toBe('0');
    expect(grouped(999n)).toBe('999');
    expect(grouped(1000n)).toBe('1,000');
    expect(grouped(67960832n)).toBe('67,960,832');
    expect(grouped(123456789012n)).toBe('123,456,789,012');
    expect(grouped(-1234n)).toBe('-1,234');
    expect(grouped(-123n)).toBe('-123');
    expect(grouped(18446744073709551615n)).toBe('18,446,744,073,709,551,615');
    expect(grouped(1234567.9)).toBe('1,234,567');
  });
});

/** grouped as it was written before its number fast path: the bigint's digits cut into groups. */
function groupedByText(n: bigint): string {
  const text = n.toString();
  const neg = text.startsWith('-');
  const d = neg ? text.slice(1) : text;
  const groups: string[] = [];
  for (let end = d.length; end > 0; end -= 3) groups.unshift(d.slice(Math.max(0, end - 3), end));
  return (neg ? '-' : '') + groups.join(',');
}

describe('grouped on both sides of its fast path', () => {
  it('gives the digits cut into groups, for bigints and numbers, below zero and past 2^53', () => {
    const values = [0n, 7n, 999n, 1000n, 1001n, 999999n, 1000000n, 754384896n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 64n, -1n, -1234n, -(2n ** 60n)];
    for (const v of values) expect(grouped(v)).toBe(groupedByText(v));
    for (const v of [0, 7, 1000, 754384896, 2 ** 53 - 1, 2 ** 60, -1234, -(2 ** 60)]) expect(grouped(v)).toBe(groupedByText(BigInt(v)));
    expect(grouped(-0)).toBe('0');
    expect(grouped(-0.5)).toBe('0');
  });
});

describe('humanBytes', () => {
  it('uses the largest binary unit, one decimal', () => {
    expect(humanBytes(512n)).toBe('512 B');
    expect(humanBytes(1024n)).toBe('1.0 KiB');
    expect(humanBytes(753690875n)).toBe('718.8 MiB');
    expect(humanBytes(-753690875n)).toBe('-718.8 MiB');
    expect(humanBytes(-5n)).toBe('-5 B');
    expect(humanBytes(18446744073709551615n)).toBe('16.0 EiB');
  });
  it('gives the same text for a number as for the bigint', () => {
    for (const n of [0, 1, 1023, 1024, 1536, 753690875, 33554432, 2 ** 40 + 12345, 999999999999999]) {
      expect(humanBytesOfNumber(n)).toBe(humanBytes(BigInt(n)));
    }
  });
});

describe('bytesWithUnit', () => {
  it('groups the count and adds the unit from 1 KiB', () => {
    expect(bytesWithUnit(512n)).toBe('512 bytes');
    expect(bytesWithUnit(67960832n)).toBe('67,960,832 bytes (64.8 MiB)');
  });
});
