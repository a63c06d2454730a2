import { describe, it, expect } from 'vitest';
import { findHeadEnd, findRequestBoundary, findStatusBoundary, looksLikeRequestLine, looksLikeStatusLine } from '../../src/http/recognise.js';
import { bodyFraming, parseRequestHead, parseResponseHead, parseResponseStart, responseFields } from '../../src/http/head.js';
import { bytes, loadCase } from './helpers.js';

const real = loadCase('a-clean-transmission-keepalive');
const REQ = real.payloads[0]!.bytes;
const RES = real.payloads[1]!.bytes;

describe('looksLikeRequestLine', () => {
  it('says true for the real Transmission request and null for each of its proper prefixes up to the LF', () => {
    const lf = REQ.indexOf(10);
    expect(looksLikeRequestLine(REQ, 0)).toBe(true);
    for (let n = 0; n <= lf; n++) expect(looksLikeRequestLine(REQ, 0, n)).toBeNull();
  });

  it('accepts bare LF and unknown methods unless knownOnly', () => {
    expect(looksLikeRequestLine(bytes('GET /a HTTP/1.0\n'), 0)).toBe(true);
    expect(looksLikeRequestLine(bytes('FOO /a HTTP/1.1\r\n'), 0)).toBe(true);
    expect(looksLikeRequestLine(bytes('FOO /a HTTP/1.1\r\n'), 0, undefined, true)).toBe(false);
    expect(looksLikeRequestLine(bytes('GET a HTTP/1.1\r\n'), 0, undefined, true)).toBe(false);
  });

  it('fails fast on binary and on the BitTorrent handshake', () => {
    expect(looksLikeRequestLine(bytes('\x13BitTorrent protocol'), 0)).toBe(false);
    expect(looksLikeRequestLine(bytes('GET\x00'), 0)).toBe(false);
    expect(looksLikeRequestLine(bytes('GET /a HTTP/2.0\r\n'), 0)).toBe(false);
    expect(looksLikeRequestLine(bytes('HTTP/1.1 200 OK\r\n'), 0)).toBe(false);
  });
});

describe('looksLikeStatusLine', () => {
  it('recognises the real nginx status line, and prefixes are undecided', () => {
    expect(looksLikeStatusLine(RES, 0)).toBe(true);
    expect(looksLikeStatusLine(RES, 0, 10)).toBeNull();
    expect(looksLikeStatusLine(bytes('HTTP/1.1 20x'), 0)).toBe(false);
    expect(looksLikeStatusLine(bytes('HTTP/1.0 200\r\n'), 0)).toBe(true);
  });
});

describe('boundary search', () => {
  it('finds a request line only at a line start, and resumes across pieces', () => {
    const s = bytes('xx GET /a HTTP/1.1\r\nbody\nGET /announce?x HTTP/1.1\r\n');
    const at = s.length - 'GET /announce?x HTTP/1.1\r\n'.length;
    expect(findRequestBoundary(s, 0, s.length, false)).toEqual({ found: true, at, lineStart: true });
    // Split in the middle of the method: the candidate is kept for the next call.
    const part = findRequestBoundary(s, 0, at + 2, false);
    expect(part).toEqual({ found: false, at, lineStart: true });
    expect(findRequestBoundary(s, part.at, s.length, part.lineStart).found).toBe(true);
  });

  it('finds HTTP/1.x NNN at a line start', () => {
    const s = bytes('tail of body\r\nHTTP/1.1 200 OK\r\n');
    expect(findStatusBoundary(s, 0, s.length, false)).toEqual({ found: true, at: 14, lineStart: true });
    expect(findStatusBoundary(s, 0, 14, false)).toEqual({ found: false, at: 14, lineStart: true });
  });
});

describe('heads', () => {
  it('parses the real nginx reply head and its chunked framing', () => {
    const he = findHeadEnd(RES, 0, 0, RES.length);
    expect(Buffer.from(RES.subarray(he, he + 4)).toString('latin1')).toBe('46\r\n');
    const h = parseResponseHead(RES, 0, he)!;
    expect(h).toMatchObject({ status: 200, reason: 'OK', version: 'HTTP/1.1' });
    expect(bodyFraming(h.headers, true)).toEqual({ kind: 'chunked' });
  });

  it('finds a CRLF CRLF split across calls when resuming 2 bytes back', () => {
    const s = bytes('GET / HTTP/1.1\r\nA: b\r\n\r\n');
    expect(findHeadEnd(s, 0, 0, s.length - 1)).toBe(-1);
    expect(findHeadEnd(s, 0, s.length - 3, s.length)).toBe(s.length);
  });

  it('frames by Content-Length, Transfer-Encoding first, conflicting lengths as close', () => {
    const h = (t: string) => parseRequestHead(bytes(`GET / HTTP/1.1\r\n${t}\r\n`), 0, t.length + 18)!.headers;
    expect(bodyFraming(h('Content-Length: 5\r\n'), false)).toEqual({ kind: 'length', length: 5 });
    expect(bodyFraming(h('Content-Length: 5\r\nTransfer-Encoding: chunked\r\n'), true)).toEqual({ kind: 'chunked' });
    expect(bodyFraming(h('Content-Length: 5\r\nContent-Length: 6\r\n'), true)).toEqual({ kind: 'close' });
    expect(bodyFraming(h(''), false)).toEqual({ kind: 'none' });
  });
});

describe('parseResponseStart', () => {
  const heads = [
    'Content-Length: 5\r\nServer: x\r\n',
    'server: a\r\n  folded\r\ncontent-LENGTH : 7\r\n',
    'Transfer-Encoding: gzip,\r\n chunked\r\nX: 1\r\n',
    'X-Other: 1\r\n\tchunked\r\nContent-Length: 3\r\n',
    ' Content-Length: 4\r\nno colon here\r\n more\r\nContent-Encoding: gzip\r\n',
    'Content-Length: 4\r\nno colon here\r\n more\r\n',
    'Content-Length: 5\r\nContent-Length: 6\r\nContent-Lengthy: 1\r\n',
    '',
  ];
  it('keeps exactly the body fields of parseResponseHead, and lists every field on demand', () => {
    for (const fields of heads) {
      const text = `HTTP/1.1 200 OK\r\n${fields}\r\n`;
      const full = parseResponseHead(bytes(text), 0, text.length)!;
      const start = parseResponseStart(bytes(text), 0, text.length)!;
      const body = full.headers.filter((f) => ['content-length', 'transfer-encoding', 'content-encoding'].includes(f.name.toLowerCase()));
      expect(start.bodyFields, fields).toEqual(body);
      expect(bodyFraming(start.bodyFields, true), fields).toEqual(bodyFraming(full.headers, true));
      expect(responseFields(start), fields).toEqual(full.headers);
      expect([start.status, start.reason, start.version]).toEqual([full.status, full.reason, full.version]);
    }
  });
  it('rejects the status lines parseResponseHead rejects', () => {
    for (const line of ['HTTP/1.1 20', 'HTTP/1.1 2x0 OK', 'HTTP/1.1 200x', 'HTTX/1.1 200 OK', ' HTTP/1.1 200']) {
      const text = `${line}\r\n\r\n`;
      expect(parseResponseStart(bytes(text), 0, text.length), line).toBeNull();
      expect(parseResponseHead(bytes(text), 0, text.length), line).toBeNull();
    }
  });
});
