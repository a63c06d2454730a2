import { describe, expect, it } from 'vitest';
import { sanitize, sanitizeLatin1 } from '../../src/report/sanitize.js';

describe('sanitize', () => {
  it('returns plain printable ASCII as it is', () => {
    expect(sanitize('')).toBe('');
    expect(sanitize('uTorrent/3.5.5 (~ok)')).toBe('uTorrent/3.5.5 (~ok)');
  });
  it('escapes control bytes, DEL, C1 and the backslash', () => {
    expect(sanitize('a\\b')).toBe('a\\\\b');
    expect(sanitize('\x1b]0;x\x07')).toBe('\\x1b]0;x\\x07');
    expect(sanitize('x\x7fy\x85')).toBe('x\\x7fy\\x85');
  });
  it('keeps printable non-ASCII, escapes lone surrogates and bidi controls', () => {
    expect(sanitize('µTorrent é')).toBe('µTorrent é');
    expect(sanitize('a\u{1f600}b')).toBe('a\u{1f600}b');
    expect(sanitize('a\ud800b')).toBe('a\\ud800b');
    expect(sanitize('a\u202eb\u2028')).toBe('a\\u202eb\\u2028');
  });
});

describe('sanitizeLatin1', () => {
  it('escapes every byte outside printable ASCII', () => {
    expect(sanitizeLatin1('/announce?x=1')).toBe('/announce?x=1');
    expect(sanitizeLatin1('a\xe9\\\x00')).toBe('a\\xe9\\\\\\x00');
  });
});
