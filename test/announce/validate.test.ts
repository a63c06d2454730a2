import { describe, expect, it } from 'vitest';
import { decodeQuery } from '../../src/announce/query.js';
import { phpNumber, phpUrlencode, tbsourceFailures } from '../../src/announce/validate.js';

const ok = 'info_hash=c%97%91%C5jG%951%BE%C7M%F9%BFa%03%F2%2C%ED%EE%0F&peer_id=S588-----gqQ8TqDeqaY';
const fail = (query: string, userAgent: string | null = 'Shad0w/5.8.8'): string[] =>
  tbsourceFailures({ params: decodeQuery(query).params, userAgent });

describe('tbsourceFailures: TBSource announce.php request checks, in its order', () => {
  it('the anatomy page first announce passes', () => {
    expect(fail(`${ok}&port=6882&uploaded=0&downloaded=0&left=753690875&event=started`)).toEqual([]);
  });
  it('missing key: any of the six; an empty value is set (isset), event and ip are optional', () => {
    expect(fail(`${ok}&port=6882&uploaded=0&downloaded=0`)).toEqual(['missing key']);
    expect(fail(`${ok}&port=6882&uploaded=&downloaded=0&left=0`)).toEqual([]);
  });
  it('info_hash / peer_id not 20 bytes: TBSource quotes length and urlencode()', () => {
    expect(fail('info_hash=ab%20c+d%FF&peer_id=S588-----gqQ8TqDeqaY&port=1&uploaded=0&downloaded=0&left=0')).toEqual([
      'invalid info_hash (7 - ab+c+d%FF)',
    ]);
    expect(fail('info_hash=12345678901234567890&peer_id=x.y_z-&port=1&uploaded=0&downloaded=0&left=0')).toEqual([
      'invalid peer_id (6 - x.y_z-)',
    ]);
  });
  it('browser User-Agents are told the torrent is not registered', () => {
    const q = `${ok}&port=6882&uploaded=0&downloaded=0&left=0`;
    for (const ua of ['Mozilla/5.0 (X11)', 'Opera/9.80', 'Links (2.1)', 'Lynx/2.8']) {
      expect(fail(q, ua)).toEqual(['torrent not registered with this tracker']);
    }
    expect(fail(q, 'Transmission/3.00')).toEqual([]);
    expect(fail(q, null)).toEqual([]);
  });
  it('invalid port: 0, above 65535, or PHP-casting to 0; -1 passes as in PHP', () => {
    const q = (port: string): string => `${ok}&port=${port}&uploaded=0&downloaded=0&left=0`;
    expect(fail(q('0'))).toEqual(['invalid port']);
    expect(fail(q('65536'))).toEqual(['invalid port']);
    expect(fail(q('abc'))).toEqual(['invalid port']);
    expect(fail(q(''))).toEqual(['invalid port']);
    expect(fail(q('65535'))).toEqual([]);
    expect(fail(q('6881abc'))).toEqual([]);
    expect(fail(q('-1'))).toEqual([]);
  });
  it('non-numeric counters are no failure in TBSource (0 + "abc" is 0)', () => {
    expect(fail(`${ok}&port=1&uploaded=abc&downloaded=-5&left=1e3`)).toEqual([]);
  });
  it('lists every failing check, first one first', () => {
    expect(fail('info_hash=x&port=0', 'Mozilla/5.0')).toEqual([
      'missing key',
      'invalid info_hash (1 - x)',
      'torrent not registered with this tracker',
      'invalid port',
    ]);
  });
});

describe('phpNumber and phpUrlencode (PHP 5 semantics)', () => {
  it.each([
    ['123', 123],
    ['  42abc', 42],
    ['abc', 0],
    ['', 0],
    ['-7', -7],
    ['1e3', 1000],
    ['0x1A', 26],
    ['.5', 0.5],
    ['18446744073709551615', 18446744073709551615],
  ])('0 + %j == %s', (s, n) => {
    expect(phpNumber(s)).toBe(n);
  });
  it('urlencode keeps alnum and -_. and writes a space as +', () => {
    expect(phpUrlencode(Uint8Array.from(Buffer.from('a-b_c.d e~/\u00ff', 'latin1')))).toBe('a-b_c.d+e%7E%2F%FF');
  });
});
