import { describe, expect, it } from 'vitest';
import { describeBytes, describeParamValue, findParam, PARAMS } from '../../src/announce/params.js';
import { decodeQuery } from '../../src/announce/query.js';

const ALL = [
  'info_hash', 'peer_id', 'port', 'uploaded', 'downloaded', 'left', 'event', 'numwant', 'num want', 'num_want',
  'compact', 'no_peer_id', 'key', 'trackerid', 'corrupt', 'redundant', 'supportcrypto', 'requirecrypto',
  'cryptoport', 'ip', 'ipv4', 'ipv6', 'localip', 'passkey', 'torrent_pass',
];

describe('PARAMS', () => {
  it('knows every parameter of the brief, aliases included', () => {
    for (const n of ALL) expect(findParam(n), n).toBeDefined();
    expect(findParam('num want')!.name).toBe('numwant');
    expect(findParam('torrent_pass')!.name).toBe('passkey');
    expect(findParam('foo')).toBeUndefined();
  });
  it('every row has a one-sentence meaning and unique names', () => {
    const names = PARAMS.flatMap((p) => [p.name, ...p.aliases]);
    expect(new Set(names).size).toBe(names.length);
    for (const p of PARAMS) expect(p.meaning).toMatch(/^[^.\n]{10,}$/);
  });
});

describe('describeParamValue', () => {
  const show = (q: string): string[] => decodeQuery(q).params.map(describeParamValue);
  it('decodes by type (a_clean aria2 announce)', () => {
    expect(
      show('info_hash=%F4r%21%02V%161%13%A9%F9N8%06%60%E1%F5%EDm%F5~&peer_id=A2-1-36-0-G%B3J%81%1Ep%FD%3FY6&left=33554432&compact=1&key=J%81%1Ep%FD%3FY6&numwant=50&port=6881&event=started'),
    ).toEqual([
      'f472210256163113a9f94e380660e1f5ed6df57e',
      'A2-1-36-0-G\\xb3J\\x81\\x1ep\\xfd?Y6 (aria2 1.36.0)',
      '33554432 bytes (32.0 MiB)',
      '1 (yes)',
      'J\\x81\\x1ep\\xfd?Y6',
      '50 peers',
      '6881',
      'started',
    ]);
  });
  it('flags bad values and keeps unknown params as safe text', () => {
    expect(show('info_hash=abc&uploaded=-1&port=70000&event=&x=%00y')).toEqual([
      '616263 (3 bytes, not 20)',
      '-1 (not a number)',
      '70000 (not a port)',
      '(empty: a periodic announce)',
      '\\x00y',
    ]);
  });
  it('describeBytes', () => {
    expect(describeBytes(0n)).toBe('0 bytes');
    expect(describeBytes(753690875n)).toBe('753690875 bytes (718.8 MiB)');
    expect(describeBytes(10772829n)).toBe('10772829 bytes (10.3 MiB)');
    expect(describeBytes(18446744073709551615n)).toBe('18446744073709551615 bytes (16.0 EiB)');
  });
});

describe('describeParamValue numbers', () => {
  const show = (q: string): string[] => decodeQuery(q).params.map((p) => describeParamValue(p));
  it('reads counters, ports and numwant with leading zeros and beyond 15 digits', () => {
    expect(show('uploaded=007&left=0001024&downloaded=18446744073709551615&corrupt=1234567890123456&redundant=')).toEqual([
      '7 bytes',
      '1024 bytes (1.0 KiB)',
      '18446744073709551615 bytes (16.0 EiB)',
      '1234567890123456 bytes (1.1 PiB)',
      ' (not a number)',
    ]);
    expect(show('port=065535&port=00080&port=&cryptoport=000080&numwant=0050&numwant=x')).toEqual([
      '065535 (not a port)',
      '80',
      ' (not a port)',
      '000080 (not a port)',
      '50 peers',
      'x (not a number)',
    ]);
  });
});

describe('describeParamValue ids', () => {
  const show = (q: string): string[] => decodeQuery(q).params.map((p) => describeParamValue(p));
  it('describes a repeated id the same way each time, and a short id with its length', () => {
    const q = 'peer_id=-qB4250-abcdefghijkl&info_hash=%F4r%21%02V%161%13%A9%F9N8%06%60%E1%F5%EDm%F5~';
    const first = show(q);
    expect(first).toEqual(['-qB4250-abcdefghijkl (qBittorrent 4.2.5)', 'f472210256163113a9f94e380660e1f5ed6df57e']);
    expect(show(q)).toEqual(first);
    expect(show('peer_id=-qB4250-abc%5C&info_hash=%F4r')).toEqual(['-qB4250-abc\\\\ (12 bytes, not 20)', 'f472 (2 bytes, not 20)']);
  });
});
