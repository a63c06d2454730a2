import { describe, expect, it } from 'vitest';
import { decodeBencode, dictGet } from '../../src/announce/bencode.js';

const b = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'latin1'));

describe('decodeBencode: canonical input', () => {
  it('decodes a bittorrent-tracker reply (a_clean frame 13) without problems', () => {
    const body = Buffer.from(
      '64383a636f6d706c65746569316531303a696e636f6d706c657465693065383a696e74657276616c69333065353a7065657273363a7f000002c8d5363a706565727336303a65',
      'hex',
    );
    const d = decodeBencode(body);
    expect(d.problems).toEqual([]);
    expect(dictGet(d.value, 'interval')).toEqual({ kind: 'int', value: 30n });
    expect(dictGet(d.value, 'peers')).toEqual({ kind: 'bytes', value: Uint8Array.from([127, 0, 0, 2, 0xc8, 0xd5]) });
    expect(dictGet(d.value, 'peers6')).toEqual({ kind: 'bytes', value: new Uint8Array(0) });
  });
  it('integers are exact bigints, also beyond 2^64', () => {
    expect(decodeBencode(b('i18446744073709551615e')).value).toEqual({ kind: 'int', value: 18446744073709551615n });
    expect(decodeBencode(b('i-99999999999999999999999e')).value).toEqual({ kind: 'int', value: -99999999999999999999999n });
    expect(decodeBencode(b('i0e'))).toEqual({ value: { kind: 'int', value: 0n }, problems: [] });
  });
  it('lists and nested dicts', () => {
    const d = decodeBencode(b('ld1:ai1eee'));
    expect(d.problems).toEqual([]);
    expect(d.value?.kind).toBe('list');
  });
});

describe('decodeBencode: problems are recorded, not tolerated silently', () => {
  it('non-canonical integers keep their value', () => {
    expect(decodeBencode(b('i03e'))).toEqual({ value: { kind: 'int', value: 3n }, problems: ['non-canonical integer i03e at byte 0'] });
    expect(decodeBencode(b('i-0e')).problems).toEqual(['non-canonical integer i-0e at byte 0']);
    expect(decodeBencode(b('i-03e')).problems).toEqual(['non-canonical integer i-03e at byte 0']);
  });
  it('non-canonical string length', () => {
    expect(decodeBencode(b('03:abc')).problems).toEqual(['non-canonical string length 03 at byte 0']);
  });
  it('unsorted and duplicate keys (first duplicate kept)', () => {
    const d = decodeBencode(b('d1:bi1e1:ai2e1:ai3ee'));
    expect(d.problems).toEqual(['dictionary key "a" out of order at byte 7', 'duplicate dictionary key "a" at byte 13']);
    expect(dictGet(d.value, 'a')).toEqual({ kind: 'int', value: 2n });
  });
  it('keys sort as raw bytes, not as text', () => {
    expect(decodeBencode(b('d1:Zi1e1:ai1e2:\u00e9xi1ee')).problems).toEqual([]);
  });
  it('trailing garbage keeps the value', () => {
    const d = decodeBencode(b('i1e<html>'));
    expect(d.value).toEqual({ kind: 'int', value: 1n });
    expect(d.problems).toEqual(['6 trailing bytes after the value at byte 3']);
  });
  it.each([
    ['d8:intervali30e', 'truncated: dictionary not closed at byte 15'],
    ['6:peers', 'truncated: string of 6 bytes at byte 0, 5 left'],
    ['i12', 'truncated integer at byte 0'],
    ['l', 'truncated: list not closed at byte 1'],
    ['', 'truncated: value expected at byte 0'],
    ['ie', 'empty integer at byte 0'],
    ['i1.5e', 'invalid integer at byte 0: unexpected byte 0x2e'],
    ['di1ei2ee', 'dictionary key is not a string at byte 1'],
    ['x', 'unexpected byte 0x78 at byte 0'],
    ['1x:a', 'invalid string length at byte 0: unexpected byte 0x78'],
  ])('%j is unusable: %s', (input, problem) => {
    const d = decodeBencode(b(input));
    expect(d.value).toBeNull();
    expect(d.problems).toEqual([problem]);
  });
  it('a string that claims more bytes than exist is truncated, not an exception', () => {
    expect(decodeBencode(b('99999999999999999999:a')).problems).toEqual([
      'truncated: string of 99999999999999999999 bytes at byte 0, 1 left',
    ]);
  });
  it('depth limit (default 32, configurable)', () => {
    expect(decodeBencode(b('l'.repeat(32) + 'e'.repeat(32))).problems).toEqual([]);
    const deep = decodeBencode(b('l'.repeat(33) + 'e'.repeat(33)));
    expect(deep.value).toBeNull();
    expect(deep.problems).toEqual(['nested deeper than 32 at byte 32']);
    expect(decodeBencode(b('lle' + 'e'), { maxDepth: 1 }).problems).toEqual(['nested deeper than 1 at byte 1']);
    // a hostile 100000-deep input must not blow the stack
    expect(decodeBencode(b('l'.repeat(100000))).value).toBeNull();
  });
});

describe('decodeBencode never throws', () => {
  it('on arbitrary bytes and on mutated real replies', async () => {
    const fc = await import('fast-check');
    const real = Buffer.from('d8:completei1e10:incompletei0e8:intervali30e5:peers6:\x7f\x00\x00\x02\xc8\xd56:peers60:e', 'latin1');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(real.length - 1), fc.nat(255), (junk, at, byte) => {
        expect(() => decodeBencode(junk)).not.toThrow();
        const m = Uint8Array.from(real);
        m[at] = byte;
        const d = decodeBencode(m);
        expect(d.value !== null || d.problems.length > 0).toBe(true);
      }),
    );
  });
});
