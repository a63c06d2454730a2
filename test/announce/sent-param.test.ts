import { describe, expect, it } from 'vitest';
import { smallDigits } from '../../src/announce/bytes.js';
import { decodeQuery, percentDecode } from '../../src/announce/query.js';
import { escapeBytes } from '../../src/announce/peer-id.js';
import { SentParam, paramByteLength, paramEscapedText, paramSmallDigits } from '../../src/announce/sent-param.js';

const QUERY = 'port=6881&left=000123&big=1234567890123456&e=&bare&plus=1+2&esc=%31%32&hex=%F4r&odd=%zz&wide=1\u0131'
  + '&slash=a\\b&tab=a\tb&del=\x7f&event=started&ev=start&k=4FB793B4';

describe('SentParam', () => {
  it('gives the raw text and the bytes percentDecode gives, whether plain or escaped', () => {
    for (const p of decodeQuery(QUERY).params) {
      expect(p).toBeInstanceOf(SentParam);
      const pair = QUERY.split('&').find((x) => x === p.name || x.startsWith(`${p.name}=`))!;
      const raw = pair.includes('=') ? pair.slice(pair.indexOf('=') + 1) : '';
      expect(p.raw).toBe(raw);
      expect(Buffer.from(p.bytes).equals(Buffer.from(percentDecode(raw).bytes))).toBe(true);
    }
  });

  it('makes a plain value only when read, then hands out that same array', () => {
    const port = decodeQuery('port=6881').params[0] as SentParam;
    expect(port.madeBytes).toBeNull();
    const b = port.bytes;
    expect(port.bytes).toBe(b);
    expect(port.madeBytes).toBe(b);
    // an escaped value is decoded at once
    expect((decodeQuery('x=%41').params[0] as SentParam).madeBytes).not.toBeNull();
  });

  it('reads small numbers as smallDigits reads the bytes, without making them', () => {
    for (const p of decodeQuery(QUERY).params) {
      const fresh = decodeQuery(QUERY).params.find((q) => q.name === p.name) as SentParam;
      expect(paramSmallDigits(fresh), p.name).toBe(smallDigits(p.bytes));
    }
    expect(paramSmallDigits({ name: 'n', raw: '7', bytes: new Uint8Array([0x37]) })).toBe(7);
  });

  it('gives escapeBytes, the length and comparisons of the bytes without making plain ones', () => {
    for (const p of decodeQuery(QUERY).params) {
      const fresh = decodeQuery(QUERY).params.find((q) => q.name === p.name) as SentParam;
      const made = fresh.madeBytes;
      expect(paramByteLength(fresh), p.name).toBe(p.bytes.length);
      expect(paramEscapedText(fresh), p.name).toBe(escapeBytes(p.bytes));
      expect(fresh.bytesAre('started'), p.name).toBe(Buffer.from(p.bytes).toString('latin1') === 'started');
      expect(fresh.bytesAre('1'), p.name).toBe(Buffer.from(p.bytes).toString('latin1') === '1');
      // printable ASCII without a backslash is its own escaped text: its bytes need not be made
      if (/^[\x20-\x5b\x5d-\x7e]*$/.test(p.raw)) expect(fresh.madeBytes, p.name).toBe(made);
    }
  });

  it('names its place in the larger text the query was given in', () => {
    const target = '/announce?a=1&bb=22';
    const [a, bb] = decodeQuery(target.slice(10), target, 10).params as SentParam[];
    expect(a!.source).toBe(target);
    expect(target.slice(a!.valueStart, a!.valueEnd)).toBe('1');
    expect(target.slice(bb!.valueStart, bb!.valueEnd)).toBe('22');
    expect(bb!.raw).toBe('22');
  });

  it('serialises as the plain param it stands for', () => {
    const p = decodeQuery('k=v%21').params[0]!;
    expect(JSON.parse(JSON.stringify(p))).toEqual({ name: 'k', raw: 'v%21', bytes: { 0: 0x76, 1: 0x21 } });
  });
});
