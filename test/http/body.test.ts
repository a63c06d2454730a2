import { describe, it, expect } from 'vitest';
import { brotliCompressSync, deflateRawSync, gzipSync } from 'node:zlib';
import { BodyCollector, ChunkedDecoder, decodeContent } from '../../src/http/body.js';
import { bytes, loadCase } from './helpers.js';

// nginx's first chunked reply in fixtures/real/a_clean/capture.pcap (tcp.stream 0, packet 16): "46\r\n<70 bytes>\r\n0\r\n\r\n"
const RES = loadCase('a-clean-transmission-keepalive').payloads[1]!.bytes;
const BODY_START = RES.indexOf(10, Buffer.from(RES).indexOf('\r\n\r\n') + 4) + 1;

describe('ChunkedDecoder', () => {
  it('decodes the real nginx chunked body fed one byte at a time and stops after the last CRLF', () => {
    const start = Buffer.from(RES).indexOf('\r\n\r\n') + 4;
    const extra = new Uint8Array([...RES, 72, 84]); // next message begins right after
    const out = new BodyCollector(1 << 20);
    const d = new ChunkedDecoder(out);
    let k = start;
    while (!d.done) k = d.push(extra, k, k + 1);
    expect(k).toBe(RES.length);
    expect(out.bytes()).toEqual(RES.subarray(BODY_START, BODY_START + 0x46));
  });

  it('reports a bad size line as broken', () => {
    const d = new ChunkedDecoder(null);
    d.push(bytes('zz\r\n'), 0, 4);
    expect(d.broken).toBe(true);
    expect(d.problem).toBe('bad chunk-size line');
  });
});

describe('BodyCollector', () => {
  it('keeps at most limit bytes, a copy once settled, and counts the rest', () => {
    const c = new BodyCollector(4);
    const src = bytes('abcdef');
    c.push(src, 0, 6);
    c.settle(); // what the parser does before the pushed buffer can be reused
    src.fill(0);
    expect(Buffer.from(c.bytes()).toString()).toBe('abcd');
    expect(c.total).toBe(6);
    expect(c.truncated).toBe(true);
  });
});

describe('decodeContent', () => {
  const plain = bytes('d8:intervali30ee');
  it('decodes what it can of a brotli stream cut short', () => {
    const long = bytes('d8:intervali30e5:peers'.repeat(500));
    const br = brotliCompressSync(long);
    const r = decodeContent(br.subarray(0, br.length - 3), ['br'], 1 << 20, true);
    expect(r.body.length).toBeGreaterThan(0);
    expect(Buffer.from(long).subarray(0, r.body.length)).toEqual(Buffer.from(r.body));
  });

  it('undoes gzip, raw deflate and br; identity is a no-op', () => {
    expect(decodeContent(gzipSync(plain), ['gzip'], 1000, false)).toEqual({ body: plain, problem: null });
    expect(decodeContent(deflateRawSync(plain), ['deflate'], 1000, false)).toEqual({ body: plain, problem: null });
    expect(decodeContent(brotliCompressSync(plain), ['br'], 1000, false)).toEqual({ body: plain, problem: null });
    expect(decodeContent(plain, ['identity'], 1000, false)).toEqual({ body: plain, problem: null });
  });

  it('undoes stacked codings in reverse order', () => {
    expect(decodeContent(gzipSync(deflateRawSync(plain)), ['deflate', 'gzip'], 1000, false).body).toEqual(plain);
  });

  it('keeps unsupported codings as received', () => {
    expect(decodeContent(plain, ['zstd'], 1000, false)).toEqual({ body: plain, problem: 'unsupported content-encoding zstd; body kept as received' });
  });

  it('keeps the first limit bytes of a body that inflates beyond the limit (gzip bomb)', () => {
    const big = new Uint8Array(1 << 20).fill(65);
    const r = decodeContent(gzipSync(big), ['gzip'], 1000, false);
    expect(r.body.length).toBeLessThanOrEqual(1000);
    expect(r.body.length).toBeGreaterThan(500);
    expect(r.body.every((b) => b === 65)).toBe(true);
    expect(r.problem).toMatch(/^decoded body larger than 1000 bytes/);
  });
});
