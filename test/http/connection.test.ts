import { describe, it, expect } from 'vitest';
import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { bodyText, bytes, concat, loadCase, run, text, type Step } from './helpers.js';

// Inputs are built from the real Transmission request and nginx reply of
// fixtures/real/a_clean/capture.pcap (tcp.stream 0, packets 4 and 16), varied where a case needs it.
const real = loadCase('a-clean-transmission-keepalive');
const REQ = Buffer.from(real.payloads[0]!.bytes).toString('latin1');
const TARGET = /^GET (\S+) HTTP\/1\.1\r\n/.exec(REQ)![1]!;
/** The bencoded body of nginx's first reply (70 bytes, ends with Transmission's own compact peer). */
const BODY = Buffer.from(real.payloads[1]!.bytes).toString('latin1').split('\r\n\r\n')[1]!.split('\r\n')[1]!;
const HEAD = 'HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Wed, 25 Nov 2026 16:12:08 GMT\r\n';

function reply(headers: string, body: Uint8Array | string): Uint8Array {
  return concat(bytes(HEAD + headers + '\r\n'), typeof body === 'string' ? bytes(body) : body);
}

function chunked(body: Uint8Array, sizes: number[], ext = '', trailer = ''): Uint8Array {
  const parts: Uint8Array[] = [];
  let o = 0;
  for (const n of sizes) {
    parts.push(bytes(`${n.toString(16)}${ext}\r\n`), body.subarray(o, o + n), bytes('\r\n'));
    o += n;
  }
  parts.push(bytes(`0\r\n${trailer}\r\n`));
  return concat(...parts);
}

const bodyBytes = bytes(BODY);

describe('response bodies', () => {
  it('decodes chunked with chunk extensions and trailer fields', () => {
    const r = run([
      text('ab', REQ),
      { kind: 'data', dir: 'ba', packet: 2, ts: 2n, bytes: reply('Transfer-Encoding: chunked\r\n', chunked(bodyBytes, [10, 50, 10], ';name="v"', 'X-Trailer: 1\r\n')) },
    ]);
    expect(r.exchanges).toHaveLength(1);
    expect(bodyText(r.exchanges[0]!)).toBe(BODY);
    expect(r.exchanges[0]!.response!.bodyProblem).toBeNull();
  });

  it('decodes chunked + gzip, split byte by byte', () => {
    const gz = gzipSync(bodyBytes);
    const full = reply('Transfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n', chunked(gz, [7, gz.length - 7]));
    const steps: Step[] = [text('ab', REQ)];
    for (let k = 0; k < full.length; k++) steps.push({ kind: 'data', dir: 'ba', packet: 2, ts: 2n, bytes: full.subarray(k, k + 1) });
    const x = run(steps).exchanges[0]!;
    expect(bodyText(x)).toBe(BODY);
    expect(x.response!.bodyProblem).toBeNull();
  });

  it('decodes x-gzip, deflate zlib-wrapped and deflate raw by Content-Length', () => {
    for (const [coding, enc] of [['x-gzip', gzipSync(bodyBytes)], ['deflate', deflateSync(bodyBytes)], ['deflate', deflateRawSync(bodyBytes)]] as const) {
      const r = run([text('ab', REQ), { kind: 'data', dir: 'ba', packet: 2, ts: 2n, bytes: reply(`Content-Length: ${enc.length}\r\nContent-Encoding: ${coding}\r\n`, enc) }]);
      expect(bodyText(r.exchanges[0]!)).toBe(BODY);
      expect(r.exchanges[0]!.response!.bodyProblem).toBeNull();
    }
  });

  it('keeps an undecodable body as received, with a problem', () => {
    const r = run([text('ab', REQ), text('ba', `${HEAD}Content-Length: ${BODY.length}\r\nContent-Encoding: gzip\r\n\r\n${BODY}`)]);
    expect(bodyText(r.exchanges[0]!)).toBe(BODY);
    expect(r.exchanges[0]!.response!.bodyProblem).toMatch(/content-encoding gzip undecodable/);
  });

  it('emits a Content-Length body cut short at FIN, with a problem', () => {
    const r = run([text('ab', REQ), text('ba', `${HEAD}Content-Length: 70\r\n\r\n${BODY.slice(0, 30)}`), { kind: 'end', reason: 'rst' }]);
    expect(r.beforeEnd).toBe(0);
    expect(bodyText(r.exchanges[0]!)).toBe(BODY.slice(0, 30));
    expect(r.exchanges[0]!.response!.bodyProblem).toBe('body cut short: connection ended (rst) after 30 of 70 bytes');
  });

  it('decodes what it can of a gzip body cut short', () => {
    const big = bytes(BODY.repeat(200));
    const gz = gzipSync(big);
    const r = run([text('ab', REQ), { kind: 'data', dir: 'ba', packet: 2, ts: 2n, bytes: reply(`Content-Length: ${gz.length}\r\nContent-Encoding: gzip\r\n`, gz.subarray(0, gz.length - 40)) }, { kind: 'end', reason: 'eof' }]);
    const x = r.exchanges[0]!;
    expect(x.response!.body.length).toBeGreaterThan(0);
    expect(BODY.repeat(200).startsWith(bodyText(x)!)).toBe(true);
    expect(x.response!.bodyProblem).toMatch(/^body cut short/);
  });

  it('keeps the first maxBodyBytes of a larger body and says so', () => {
    const r = run([text('ab', REQ), text('ba', `${HEAD}Content-Length: 70\r\n\r\n${BODY}`), text('ab', REQ), text('ba', `${HEAD}Content-Length: 2\r\n\r\nok`)], { maxBodyBytes: 16 });
    expect(bodyText(r.exchanges[0]!)).toBe(BODY.slice(0, 16));
    expect(r.exchanges[0]!.response!.bodyProblem).toBe('body larger than 16 bytes: kept the first 16 of 70');
    expect(bodyText(r.exchanges[1]!)).toBe('ok');
  });

  it('gives no body to HEAD, 204 and 304 replies even with Content-Length', () => {
    const r = run([
      text('ab', REQ.replace(/^GET/, 'HEAD') + REQ + REQ + REQ),
      text('ba', `${HEAD}Content-Length: 70\r\n\r\n` + 'HTTP/1.1 204 No Content\r\n\r\n' + 'HTTP/1.1 304 Not Modified\r\nContent-Length: 70\r\n\r\n' + `${HEAD}Content-Length: 70\r\n\r\n${BODY}`),
    ]);
    expect(r.exchanges.map((x) => [x.request.method, x.response!.status, x.response!.body.length])).toEqual([
      ['HEAD', 200, 0], ['GET', 204, 0], ['GET', 304, 0], ['GET', 200, 70],
    ]);
  });

  it('reads a close-delimited body only at end(), from segments of any size', () => {
    const r = run([text('ab', REQ), text('ba', `${HEAD}Connection: close\r\n\r\n${BODY.slice(0, 5)}`), text('ba', BODY.slice(5)), { kind: 'end', reason: 'fin' }]);
    expect(r.beforeEnd).toBe(0);
    expect(bodyText(r.exchanges[0]!)).toBe(BODY);
    expect(r.exchanges[0]!.response!.bodyProblem).toBeNull();
  });
});

describe('requests and pairing', () => {
  it('pairs two pipelined requests in one segment with two replies in one segment', () => {
    const second = REQ.replace('event=started', 'event=stopped');
    const r = run([text('ab', REQ + second), text('ba', `${HEAD}Content-Length: 70\r\n\r\n${BODY}${HEAD}Content-Length: 2\r\n\r\nok`)]);
    expect(r.exchanges.map((x) => [x.request.target.slice(-13), bodyText(x)])).toEqual([
      ['event=started', BODY], ['event=stopped', 'ok'],
    ]);
  });

  it('skips an interim 100 Continue and a request body by Content-Length', () => {
    const post = 'POST /announce HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n';
    const r = run([text('ab', post), text('ba', 'HTTP/1.1 100 Continue\r\n\r\n'), text('ab', 'hello' + REQ), text('ba', `${HEAD}Content-Length: 2\r\n\r\nok${HEAD}Content-Length: 70\r\n\r\n${BODY}`)]);
    expect(r.exchanges.map((x) => [x.request.method, x.response!.status, bodyText(x)])).toEqual([
      ['POST', 200, 'ok'], ['GET', 200, BODY],
    ]);
    expect(r.counters.responses).toBe(2);
  });

  it('skips a chunked request body', () => {
    const post = 'POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n';
    const r = run([text('ab', post + REQ), text('ba', `${HEAD}Content-Length: 0\r\n\r\n${HEAD}Content-Length: 2\r\n\r\nok`)]);
    expect(r.exchanges.map((x) => x.request.method)).toEqual(['POST', 'GET']);
    expect(r.counters.requests).toBe(2);
  });

  it('keeps header names of any case as sent and values as latin1', () => {
    const done = run([text('ab', `GET /announce HTTP/1.0\nhOsT: tracker\nUSER-AGENT:  ctorrent \t\nx-folded: a\n  b\n\n`), { kind: 'end', reason: 'fin' }]);
    expect(done.exchanges[0]!.request.headers).toEqual([
      { name: 'hOsT', value: 'tracker' }, { name: 'USER-AGENT', value: 'ctorrent' }, { name: 'x-folded', value: 'a b' },
    ]);
    expect(done.exchanges[0]!.response).toBeNull();
  });

  it('keeps a non-UTF-8 byte in the target 1:1 as latin1', () => {
    // info_hash with its first byte 0xf4 sent raw instead of as %f4
    const raw = REQ.replace('info_hash=%f4', 'info_hash=\xf4');
    const r = run([text('ab', raw), { kind: 'end', reason: 'fin' }]);
    const t = r.exchanges[0]!.request.target;
    expect(t.charCodeAt('/announce?info_hash='.length)).toBe(0xf4);
    expect(Buffer.from(t, 'latin1')).toEqual(Buffer.from(TARGET.replace('info_hash=%f4', 'info_hash=\xf4'), 'latin1'));
  });

  it('emits every unanswered request with response null at end()', () => {
    const r = run([text('ab', REQ + REQ), text('ba', `${HEAD}Content-Length: 2\r\n\r\nok`), { kind: 'end', reason: 'idle' }]);
    expect(r.exchanges.map((x) => bodyText(x))).toEqual(['ok', null]);
  });

  it('resyncs at the next request line after a gap inside a request', () => {
    const r = run([
      text('ab', REQ, 1, 1n),
      text('ba', `${HEAD}Content-Length: 2\r\n\r\nok`, 2, 2n),
      text('ab', REQ.slice(0, 120), 3, 3n),
      { kind: 'gap', dir: 'ab', length: REQ.length - 120 },
      text('ab', REQ.replace('event=started', 'event=completed'), 5, 5n),
      text('ba', `${HEAD}Content-Length: 3\r\n\r\nyes`, 6, 6n),
    ]);
    expect(r.exchanges.map((x) => [x.request.target.split('&').pop(), x.request.origin.packet, bodyText(x)])).toEqual([
      ['event=started', 1, 'ok'], ['event=completed', 5, 'yes'],
    ]);
    expect(r.counters.skipped.get('http message lost in gap')).toBe(1);
  });

  it('absorbs a gap inside a Content-Length body: the response stays, its body is cut', () => {
    const r = run([text('ab', REQ), text('ba', `${HEAD}Content-Length: 70\r\n\r\n${BODY.slice(0, 20)}`), { kind: 'gap', dir: 'ba', length: 30 }, text('ba', BODY.slice(50) + `${HEAD}Content-Length: 2\r\n\r\nok`), text('ab', REQ)]);
    expect(r.exchanges).toHaveLength(1);
    expect(bodyText(r.exchanges[0]!)).toBe(BODY.slice(0, 20));
    expect(r.exchanges[0]!.response!.bodyProblem).toMatch(/30 body bytes lost in a capture gap/);
    expect(r.counters.responses).toBe(2);
    expect(r.counters.skipped.get('response without request')).toBe(1);
  });

  it('stops parsing after 101 Switching Protocols', () => {
    const r = run([text('ab', 'GET /ws HTTP/1.1\r\nUpgrade: websocket\r\n\r\n'), text('ba', 'HTTP/1.1 101 Switching Protocols\r\n\r\n\x81\x05hello'), text('ab', REQ), { kind: 'end', reason: 'fin' }]);
    expect(r.exchanges.map((x) => x.response?.status)).toEqual([101]);
    expect(r.counters.requests).toBe(1);
  });

  it('skips a header block over the limit and resyncs', () => {
    const huge = `GET /a HTTP/1.1\r\nX: ${'y'.repeat(2000)}\r\n\r\n`;
    const r = run([text('ab', huge + REQ), { kind: 'end', reason: 'fin' }], { maxHeadBytes: 1000 });
    expect(r.exchanges.map((x) => x.request.target)).toEqual([TARGET]);
    expect(r.counters.skipped.get('http header block too large')).toBe(1);
  });

  it('waits on a short first segment, then recognises the request line', () => {
    const r = run([text('ab', 'GE'), text('ab', REQ.slice(2)), { kind: 'end', reason: 'fin' }]);
    expect(r.returns).toEqual([true, true]);
    expect(r.exchanges.map((x) => x.request.target)).toEqual([TARGET]);
  });

  it('rejects a TLS ClientHello at once', () => {
    const r = run([{ kind: 'data', dir: 'ab', packet: 1, ts: 1n, bytes: Uint8Array.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01]) }]);
    expect(r.returns).toEqual([false]);
  });
});
