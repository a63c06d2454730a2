import { describe, it, expect } from 'vitest';
import { httpSinkFactory } from '../../src/http/connection.js';
import type { HttpCounters, HttpExchange } from '../../src/http/types.js';
import { Holds } from '../../src/order/holds.js';
import { bytes, loadCase } from './helpers.js';

// The real Transmission request and nginx reply of fixtures/real/a_clean/capture.pcap (tcp.stream 0).
const real = loadCase('a-clean-transmission-keepalive');
const REQ = real.payloads[0]!.bytes;
const RES = real.payloads[1]!.bytes;

function connection(synSeen = true) {
  const holds = new Holds();
  const exchanges: HttpExchange[] = [];
  const counters: HttpCounters = { requests: 0, responses: 0, skipped: new Map() };
  const sink = httpSinkFactory('t.pcap', { exchange: (x) => exchanges.push(x) }, counters, { holds })({
    id: 1, a: { ip: '10.0.0.1', port: 40000 }, b: { ip: '10.0.0.2', port: 80 }, synSeen, file: 't.pcap',
  });
  return { holds, exchanges, sink };
}

describe('HTTP connection holds', () => {
  it('a request waiting for its reply holds back at its time until the reply pairs it', () => {
    const c = connection();
    c.sink.data('ab', REQ, 10n, 1, 0);
    expect(c.exchanges).toHaveLength(0);
    expect(c.holds.min).toBe(10n);
    c.sink.data('ba', RES, 30n, 2, 0);
    expect(c.exchanges).toHaveLength(1);
    expect(c.exchanges[0]!.request.ts).toBe(10n);
    expect(c.holds.min).toBeNull();
  });

  it('a partly read request holds back at the time of its first bytes', () => {
    const c = connection();
    c.sink.data('ab', REQ.subarray(0, 40), 10n, 1, 0);
    expect(c.holds.min).toBe(10n);
    c.sink.data('ab', REQ.subarray(40), 12n, 2, 0);
    expect(c.holds.min).toBe(10n);
    c.sink.data('ba', RES, 30n, 3, 0);
    expect(c.exchanges[0]!.request.ts).toBe(10n);
    expect(c.holds.min).toBeNull();
  });

  it('an unanswered request is released by the end of its connection', () => {
    const c = connection();
    c.sink.data('ab', REQ, 10n, 1, 0);
    c.sink.end('fin', 40n);
    expect(c.exchanges).toHaveLength(1);
    expect(c.exchanges[0]!.response).toBeNull();
    expect(c.holds.min).toBeNull();
  });

  it('bytes of an undecided mid-stream connection hold back only where a request could begin', () => {
    const tail = connection(false);
    tail.sink.data('ba', bytes('0\r\n\r\n'), 10n, 1, 0); // the end of a chunked body: no request starts in it
    expect(tail.holds.min).toBeNull();
    const start = connection(false);
    start.sink.data('ab', bytes('0\r\n\r\nGE'), 10n, 1, 0); // "GE" may be the start of "GET /…"
    expect(start.holds.min).toBe(10n);
    start.sink.data('ab', REQ.subarray(2), 11n, 2, 0);
    expect(start.holds.min).toBe(10n);
    start.sink.data('ba', RES, 30n, 3, 0);
    expect(start.exchanges.map((x) => x.request.ts)).toEqual([10n]);
    expect(start.holds.min).toBeNull();
  });
});
