import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { ipv4Packets } from '../support/ipv4-walker.js';
import { TcpReassembler } from '../../src/net/reassembly.js';
import { httpSinkFactory } from '../../src/http/connection.js';
import type { HttpCounters, HttpExchange } from '../../src/http/types.js';

function exchanges(file: string): { xs: HttpExchange[]; counters: HttpCounters } {
  const xs: HttpExchange[] = [];
  const counters: HttpCounters = { requests: 0, responses: 0, skipped: new Map() };
  const r = new TcpReassembler(file, httpSinkFactory(file, { exchange: (x) => xs.push(x) }, counters));
  let last = 0n;
  for (const { ip, ts, packet, offset } of ipv4Packets(readFileSync(file))) {
    r.segment(ip, ts, packet, offset);
    last = ts;
  }
  r.endAll(last);
  return { xs, counters };
}

// Purpose: reassembler + HTTP layer over whole real captures find every tracker exchange and nothing else.
// Checks: exchange count per server port, all 200 with a clean body, connections per client.
// Expected values: scenario.md of each capture ("14 client requests to nginx", "7 client requests in all,
// all HTTP 200"; nginx opens one backend connection per request), and tshark -z conv,tcp.
describe('HTTP layer over the reassembled real captures', () => {
  it('a_clean: 14 client->nginx and 14 nginx->backend exchanges, all 200; BitTorrent connections skipped', () => {
    const { xs, counters } = exchanges('fixtures/real/a_clean/capture.pcap');
    expect(xs.filter((x) => x.server.port === 6969)).toHaveLength(14);
    expect(xs.filter((x) => x.server.port === 8000)).toHaveLength(14);
    expect(xs.every((x) => x.response?.status === 200 && x.response.bodyProblem === null)).toBe(true);
    // Transmission: 9 requests on 127.0.0.2:34744; aria2: 5 requests over 4 connections.
    expect(xs.filter((x) => x.client.ip === '127.0.0.2').map((x) => x.client.port)).toEqual(Array(9).fill(34744));
    expect(new Set(xs.filter((x) => x.client.ip === '127.0.0.3').map((x) => x.connection)).size).toBe(4);
    // 27 TCP conversations: 5 client + 14 backend are HTTP, the 8 peer-wire ones are not.
    expect(counters.skipped.get('non-http connection')).toBe(8);
    expect(counters).toMatchObject({ requests: 28, responses: 28 });
  });

  it('b_crash: 7 client->nginx exchanges and 7 backend ones, all 200', () => {
    const { xs } = exchanges('fixtures/real/b_crash/capture.pcap');
    expect(xs.filter((x) => x.server.port === 6969)).toHaveLength(7);
    expect(xs.filter((x) => x.server.port === 8000)).toHaveLength(7);
    expect(xs.every((x) => x.response?.status === 200 && x.response.bodyProblem === null)).toBe(true);
  });
});
