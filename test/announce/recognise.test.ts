import { describe, expect, it } from 'vitest';
import { decodeQuery } from '../../src/announce/query.js';
import { findPasskey, recognisePath } from '../../src/announce/recognise.js';

const KEY = '0123456789abcdef0123456789abcdef';

describe('recognisePath', () => {
  it.each([
    ['/announce', 'announce', null],
    ['/announce.php', 'announce', null],
    ['/tracker/announce', 'announce', null],
    [`/${KEY}/announce`, 'announce', KEY],
    [`/announce/${KEY}`, 'announce', KEY],
    [`/announce.php/${KEY}`, 'announce', KEY],
    ['/scrape', 'scrape', null],
    ['/scrape.php', 'scrape', null],
    [`/${KEY}/scrape`, 'scrape', KEY],
    [`/scrape/${KEY}`, 'scrape', KEY],
  ])('%s is %s (passkey %s)', (path, kind, passkey) => {
    expect(recognisePath(path)).toEqual({ kind, passkey });
  });
  it.each(['/', '/index.php', '/announcements', '/announce/short', '/favicon.ico', '/xannounce'])('%s is not a tracker request', (path) => {
    expect(recognisePath(path)).toBeNull();
  });
  it('a user RegExp replaces the announce path test', () => {
    const opts = { announcePath: /^\/a\/[0-9a-f]{32}$/ };
    expect(recognisePath(`/a/${KEY}`, opts)).toEqual({ kind: 'announce', passkey: null });
    expect(recognisePath('/announce', opts)).toBeNull();
    expect(recognisePath('/scrape', opts)).toEqual({ kind: 'scrape', passkey: null });
  });
});

describe('findPasskey', () => {
  it('passkey= first, then torrent_pass=, then the path', () => {
    expect(findPasskey(decodeQuery(`torrent_pass=t&passkey=${KEY}`).params, 'p')).toBe(KEY);
    expect(findPasskey(decodeQuery('torrent_pass=abc').params, 'p')).toBe('abc');
    expect(findPasskey(decodeQuery('info_hash=x').params, 'p')).toBe('p');
    expect(findPasskey(decodeQuery('passkey=').params, null)).toBeNull();
  });
  it('control bytes in a query passkey are escaped', () => {
    expect(findPasskey(decodeQuery('passkey=a%0Ab').params, null)).toBe('a\\x0ab');
  });
});
