import { describe, expect, it } from 'vitest';
import { decodeQuery, knownParams, lastParam, percentDecode, splitTarget } from '../../src/announce/query.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('splitTarget', () => {
  it('splits at the first ? only', () => {
    expect(splitTarget('/announce?a=1?b=2')).toEqual({ path: '/announce', query: 'a=1?b=2', queryAt: 10 });
    expect(splitTarget('/scrape')).toEqual({ path: '/scrape', query: null, queryAt: -1 });
    expect(splitTarget('/announce?')).toEqual({ path: '/announce', query: '', queryAt: 10 });
  });
  it('drops scheme and authority of an absolute-form target', () => {
    const target = 'http://tracker.example:6969/x/announce?k=v';
    expect(splitTarget(target)).toEqual({ path: '/x/announce', query: 'k=v', queryAt: 39 });
    expect(target.slice(39)).toBe('k=v');
  });
  it('says where the query is in the target, also before a fragment', () => {
    const target = '/announce?k=v#frag';
    const { query, queryAt } = splitTarget(target);
    expect(query).toBe('k=v');
    expect(target.slice(queryAt, queryAt + query!.length)).toBe(query);
  });
});

describe('percentDecode', () => {
  it('decodes both cases of hex escapes to the same bytes (a_clean: Transmission lowercase, aria2 uppercase)', () => {
    const lower = percentDecode('%f4r%21%02V%161%13%a9%f9N8%06%60%e1%f5%edm%f5~');
    const upper = percentDecode('%F4r%21%02V%161%13%A9%F9N8%06%60%E1%F5%EDm%F5~');
    expect(hex(lower.bytes)).toBe('f472210256163113a9f94e380660e1f5ed6df57e');
    expect(hex(upper.bytes)).toBe('f472210256163113a9f94e380660e1f5ed6df57e');
    expect(lower.malformed).toEqual([]);
  });
  it('keeps malformed escapes literally and reports them', () => {
    const d = percentDecode('a%zzb%4');
    expect(Buffer.from(d.bytes).toString('latin1')).toBe('a%zzb%4');
    expect(d.malformed).toEqual(['%zz', '%4']);
    const lone = percentDecode('%');
    expect(Buffer.from(lone.bytes).toString('latin1')).toBe('%');
    expect(lone.malformed).toEqual(['%']);
  });
  it("turns '+' into a space like PHP's urldecode, and %2B into '+'", () => {
    const d = percentDecode('a+b%2Bc');
    expect(Buffer.from(d.bytes).toString('latin1')).toBe('a b+c');
    expect(d.plus).toBe(1);
  });
  it('keeps raw bytes above 0x7f as single bytes', () => {
    expect(hex(percentDecode('\u00e9\u00ff').bytes)).toBe('e9ff');
  });
});

describe('decodeQuery', () => {
  it('splits on & only, keeps order, empty value for a bare name, skips empty pairs', () => {
    const q = decodeQuery('a=1;b=2&&flag&c=');
    expect(q.params.map((p) => [p.name, p.raw])).toEqual([
      ['a', '1;b=2'],
      ['flag', ''],
      ['c', ''],
    ]);
    expect(q.problems).toEqual([]);
  });
  it('ctorrent escapes every byte of its peer_id, prefix included (b_crash)', () => {
    const q = decodeQuery('peer_id=%2DCD0303%2D%03%2Fj%9E%E3%D2%9A%9F%DB%2F%25%A6');
    expect(hex(q.params[0]!.bytes)).toBe('2d4344303330332d032f6a9ee3d29a9fdb2f25a6');
    expect(q.params[0]!.raw).toBe('%2DCD0303%2D%03%2Fj%9E%E3%D2%9A%9F%DB%2F%25%A6');
  });
  it("reports '+' in a binary value and malformed escapes", () => {
    const q = decodeQuery('info_hash=ab+c&peer_id=%zz&key=a+b');
    expect(q.problems).toEqual([
      "'+' in info_hash decoded as a space, as PHP's $_GET does (escape it as %2B)",
      'malformed escape "%zz" in peer_id kept literally',
    ]);
    expect(Buffer.from(q.params[2]!.bytes).toString('latin1')).toBe('a b');
  });
  it('decodes names too (num+want is "num want") and the last duplicate wins', () => {
    const q = decodeQuery('num+want=5&port=1&port=2');
    expect(q.params[0]!.name).toBe('num want');
    expect(lastParam(q.params, 'port')!.raw).toBe('2');
    expect(q.problems).toEqual(['duplicate parameter port: the last one counts, as in PHP']);
  });
  it('flags each repeat of a name once per repeat, in any query after any other', () => {
    decodeQuery('port=1&left=2');
    const q = decodeQuery('left=0&port=1&left=1&x=&left=2&x=');
    expect(q.problems).toEqual([
      'duplicate parameter left: the last one counts, as in PHP',
      'duplicate parameter left: the last one counts, as in PHP',
      'duplicate parameter x: the last one counts, as in PHP',
    ]);
    expect(decodeQuery('port=1&left=2').problems).toEqual([]);
  });
});

describe('knownParams', () => {
  it('finds what lastParam finds for every name it lists', () => {
    const names = { infoHash: 'info_hash', peerId: 'peer_id', port: 'port', uploaded: 'uploaded', downloaded: 'downloaded',
      left: 'left', event: 'event', key: 'key', numWantSpaced: 'num want', numwant: 'numwant', numWant: 'num_want',
      passkey: 'passkey', torrentPass: 'torrent_pass' } as const;
    for (const query of [
      'info_hash=a&peer_id=b&port=1&uploaded=2&downloaded=3&left=4&event=started&key=k&numwant=5&passkey=p',
      'port=1&port=2&num+want=3&num_want=4&torrent_pass=t&info_hash=x&info_hash=y&%70ort=9',
      '',
    ]) {
      const params = decodeQuery(query).params;
      const known = knownParams(params);
      for (const [field, name] of Object.entries(names)) expect(known[field as keyof typeof names], `${query}: ${name}`).toBe(lastParam(params, name));
    }
  });
});

describe('percentDecode properties', () => {
  it('any bytes, escaped with mixed-case %XX or left raw, decode back to the same bytes', async () => {
    const fc = await import('fast-check');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.array(fc.boolean(), { minLength: 64, maxLength: 64 }), (bytes, upper) => {
        let s = '';
        bytes.forEach((c, i) => {
          const raw = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
          const h = c.toString(16).padStart(2, '0');
          s += raw && upper[i] ? String.fromCharCode(c) : '%' + (upper[i] ? h.toUpperCase() : h);
        });
        const d = percentDecode(s);
        expect(hex(d.bytes)).toBe(hex(bytes));
        expect(d.malformed).toEqual([]);
      }),
    );
  });
});
