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
