import { describe, it, expect } from 'vitest';
import { written } from '../support/byte-out-text.js';
import { piece } from '../../src/report/piece.js';
import { isoTime } from '../../src/format/units.js';
import { latin1ToSafe } from '../../src/report/announce-json.js';


const STRINGS = [
  '', 'plain', 'with "quote"', 'back\\slash', 'tab\there', 'nl\n', '\u0000\u001f\u007f', 'caf\u00e9', '\u20ac', '\ud83d\ude00',
  'lone \ud800 surrogate', 'x'.repeat(31), 'x'.repeat(33), 'y'.repeat(5000), 'y'.repeat(40) + '"', 'z'.repeat(40) + '\u00ff',
  '/announce?info_hash=%F6%9F%26%3B%D4E%AA2I%05&peer_id=-qB4620-wCtOHqLorDT8&port=52099',
  '\ufffd', 'a\ufffd', 'credited +0 up (0 \u2212 0) and +0 down (0 \u2212 0)', 'x'.repeat(40) + '\ud800', 'x'.repeat(40) + '\ufffd\u007f',
  'x'.repeat(40) + '\udc00\ud800', 'x'.repeat(40) + '\ud83d\ude00', 'caf\u00e9'.repeat(20), '\u007f'.repeat(40),
];

describe('ByteOut', () => {
  it('writes strings exactly as JSON.stringify, across buffer flushes', () => {
    const text = written((b) => { for (let r = 0; r < 50; r++) for (const s of STRINGS) b.str(s); });
    expect(text).toBe(Array.from({ length: 50 }, () => STRINGS.map((s) => JSON.stringify(s)).join('')).join(''));
  });

  it('writes wire text exactly as JSON.stringify(latin1ToSafe(text))', () => {
    const wire = STRINGS.filter((s) => /^[\x00-\xff]*$/.test(s)).concat(['\xff\xfe', 'x'.repeat(40) + '\x80', 'k\x7f']);
    const text = written((b) => { for (let r = 0; r < 50; r++) for (const s of wire) b.safeStr(s, latin1ToSafe); });
    expect(text).toBe(Array.from({ length: 50 }, () => wire.map((s) => JSON.stringify(latin1ToSafe(s))).join('')).join(''));
  });

  it('copies pieces of any length, across buffer flushes', () => {
    const texts = Array.from({ length: 12 }, (_, n) => 'abcdefghijk\u00e9'.slice(0, n)).concat(['x'.repeat(2047), 'y'.repeat(2049), 'z'.repeat(9000)]);
    const pieces = texts.map(piece);
    const text = written((b) => { for (let r = 0; r < 40; r++) for (const p of pieces) b.put(p); });
    expect(text).toBe(Array.from({ length: 40 }, () => texts.join('')).join(''));
  });

  it('writes numbers and counters as JSON.stringify and jsonCounter', () => {
    const nums = [0, 1, 9, 10, 99, 100, 12345, 2 ** 31, 2 ** 32 + 7, 9007199254740991, 9007199254740992, -1, -0, 0.063, 1e21, 1.5e-7, NaN, Infinity,
      1.5, 2.05, 0.001, 0.0005, 0.1 + 0.2, 123456789.123, 999999999999.999, 1e12 + 0.5, 5e-324, -0.063, 1234567.89, 100.1, 1e-7, 2 ** 31 + 0.25];
    expect(written((b) => nums.forEach((n) => { b.num(n); b.raw(Uint8Array.of(0x2c)); }))).toBe(nums.map((n) => JSON.stringify(n)).join(',') + ',');
    const big = [0n, 5692620800n, 9007199254740991n, 9007199254740992n, -9007199254740991n, -9007199254740992n, 18446744073709551615n];
    const want = big.map((n) => (n <= 9007199254740991n && n >= -9007199254740991n ? String(n) : `"${n}"`)).join(',');
    expect(written((b) => big.forEach((n, i) => { if (i > 0) b.raw(Uint8Array.of(0x2c)); b.counter(n); }))).toBe(want);
  });

  it('copies digits as a number only when they are one exactly (no leading zero, at most 15)', () => {
    const cases = ['0', '7', '12345', '999999999999999', '00', '0123', '1234567890123456', '', '12a', '-1', '1.5'];
    const out = cases.map((c) => {
      let took = false;
      const text = written((b) => { took = b.plainDigits(Buffer.from(c, 'latin1')); });
      return [took, text];
    });
    expect(out).toEqual(cases.map((c) => (/^(0|[1-9][0-9]{0,14})$/.test(c) ? [true, c] : [false, ''])));
  });

  it('writes ISO times as isoTime, in and out of order', () => {
    const ts = [1705320000024701000n, 1705320000999999999n, 1705320001000000000n, 0n, 999999999n, 1000000000n, 86399999999999n,
      951782400123000000n, 1705320000024701000n, 253402300799999000000n, 253402300800000000000n, 4102444800000000000n];
    expect(written((b) => ts.forEach((t) => b.iso(t)))).toBe(ts.map((t) => `"${isoTime(t)}"`).join(''));
  });

  it('writes times as their decimal ns and ISO text, however far apart in either direction', () => {
    const ts = [1705320000024701000n, 1705320000024701000n, 1705320000024700999n, 1705320001000000000n, 1705319999999999999n,
      0n, 1n, 999999999n, 1000000000n, 1705320000024701000n, -1n, -1000000001n, 1705320000024701000n, 253402300800000000000n, 253402300799999000000n,
      1705320000024701000n + 4000000000000000n, 1705320000024701000n, 18446744073709551615n, 7n];
    expect(written((b) => ts.forEach((t) => { b.nsText(t); b.iso(t); }))).toBe(ts.map((t) => `"${t}""${isoTime(t)}"`).join(''));
    expect(written((b) => b.nsText(9007199254740993000000001n))).toBe('"9007199254740993000000001"');
  });
});
