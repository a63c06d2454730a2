import { describe, it, expect } from 'vitest';
import { bodyText, dataSteps, loadCase, run, type Step } from './helpers.js';

// Expected values were read off fixtures/real/{a_clean,b_crash}/capture.pcap with
// `tshark -n -2 -o tcp.reassemble_out_of_order:TRUE -Y 'tcp.stream==N && http' -T fields
//  -e frame.number -e http.request.uri -e http.response.code` and the chunk-size lines of the replies.

const keepAlive = loadCase('a-clean-transmission-keepalive');
const REQ_PACKETS = [4, 18, 31, 44, 280, 535, 790, 942, 1009];
const RES_PACKETS = [16, 29, 42, 55, 291, 546, 801, 953, 1020];
// Chunk sizes of nginx's replies: 0x46 (peers6), 0x7c (scrape), 0x4d (peers12).
const BODY_LENGTHS = [0x46, 0x7c, 0x46, 0x46, 0x4d, 0x4d, 0x4d, 0x4d, 0x4d];
const UPLOADED = ['0', null, '0', '0', '10772829', '21496467', '32630030', '33581056', '33581056'];

describe('real capture a_clean, Transmission keep-alive connection (tcp.stream 0)', () => {
  const steps: Step[] = [...dataSteps(keepAlive.payloads), { kind: 'end', reason: 'fin' }];

  it('pairs 9 requests with 9 chunked nginx replies, in order, each as soon as complete', () => {
    const r = run(steps);
    expect(r.exchanges).toHaveLength(9);
    expect(r.beforeEnd).toBe(9);
    expect(r.exchanges.map((x) => x.request.origin.packet)).toEqual(REQ_PACKETS);
    expect(r.exchanges.map((x) => x.response?.origin.packet)).toEqual(RES_PACKETS);
    expect(r.exchanges.map((x) => x.response?.body.length)).toEqual(BODY_LENGTHS);
    expect(r.exchanges.map((x) => /uploaded=(\d+)/.exec(x.request.target)?.[1] ?? null)).toEqual(UPLOADED);
    expect(r.exchanges[1]!.request.target.startsWith('/scrape?info_hash=%f4r%21')).toBe(true);
    expect(r.exchanges[0]!.request.target.endsWith('&event=started')).toBe(true);
    expect(r.exchanges.every((x) => x.response?.status === 200 && x.response.bodyProblem === null)).toBe(true);
    expect(r.counters).toMatchObject({ requests: 9, responses: 9 });
    expect([...r.counters.skipped]).toEqual([]);
  });

  it('keeps header names as sent, origin offset and ts of the first byte, and client/server', () => {
    const x = run(steps).exchanges[0]!;
    expect(x.request.method).toBe('GET');
    expect(x.request.version).toBe('HTTP/1.1');
    expect(x.request.headers).toEqual([
      { name: 'Host', value: '127.0.0.1:6969' },
      { name: 'User-Agent', value: 'Transmission/3.00' },
      { name: 'Accept', value: '*/*' },
      { name: 'Accept-Encoding', value: 'deflate, gzip, br, zstd' },
    ]);
    expect(x.request.ts).toBe(1795623128_240019000n);
    expect(x.request.origin).toEqual({ file: 'test.pcap', packet: 4, line: null, offset: 4000 });
    expect(x.response!.ts).toBe(1795623128_247625000n);
    expect(x.response!.headers.map((h) => h.name)).toEqual(['Server', 'Date', 'Transfer-Encoding', 'Connection']);
    // first reply: complete=1, peers = Transmission itself, 127.0.0.2:51413 = 7f000002 c8d5
    expect(Buffer.from(x.response!.body).toString('hex')).toBe(
      Buffer.from('d8:completei1e10:incompletei0e8:intervali30e5:peers6:', 'latin1').toString('hex') +
        '7f000002c8d5' + Buffer.from('6:peers60:e', 'latin1').toString('hex'),
    );
    expect(x.client).toEqual({ ip: '10.0.0.1', port: 40000 });
    expect(x.connection).toBe(7);
  });

  it('gives the same exchanges when every byte arrives in its own segment', () => {
    const bytewise: Step[] = [];
    for (const p of keepAlive.payloads) {
      for (let k = 0; k < p.bytes.length; k++) {
        bytewise.push({ kind: 'data', dir: p.dir, bytes: p.bytes.subarray(k, k + 1), packet: p.packet, ts: p.ts });
      }
    }
    bytewise.push({ kind: 'end', reason: 'fin' });
    expect(run(bytewise).exchanges).toEqual(run(steps).exchanges);
  });

  it('pairs all 9 pipelined requests sent in one segment with 9 replies in one segment', () => {
    const reqs = keepAlive.payloads.filter((p) => p.dir === 'ab');
    const ress = keepAlive.payloads.filter((p) => p.dir === 'ba');
    const r = run([
      { kind: 'data', dir: 'ab', bytes: Buffer.concat(reqs.map((p) => p.bytes)), packet: 4, ts: 1n },
      { kind: 'data', dir: 'ba', bytes: Buffer.concat(ress.map((p) => p.bytes)), packet: 16, ts: 2n },
    ]);
    expect(r.exchanges).toHaveLength(9);
    expect(r.exchanges.map((x) => x.response?.body.length)).toEqual(BODY_LENGTHS);
    expect(r.exchanges.map((x) => /uploaded=(\d+)/.exec(x.request.target)?.[1] ?? null)).toEqual(UPLOADED);
  });

  it('recognises the request direction by content when the server is side a', () => {
    const swapped: Step[] = keepAlive.payloads.map((p) => ({
      kind: 'data', dir: p.dir === 'ab' ? 'ba' : 'ab', bytes: p.bytes, packet: p.packet, ts: p.ts,
    }));
    const r = run(swapped, {}, { synSeen: false });
    expect(r.exchanges).toHaveLength(9);
    expect(r.exchanges[0]!.client).toEqual({ ip: '10.0.0.2', port: 80 });
    expect(r.exchanges[0]!.server).toEqual({ ip: '10.0.0.1', port: 40000 });
  });

  it('loses the scrape reply to a gap: the scrape is emitted unanswered, later pairs stay aligned', () => {
    const st: Step[] = [];
    for (const p of keepAlive.payloads) {
      if (p.packet === 29) st.push({ kind: 'gap', dir: 'ba', length: p.bytes.length });
      else st.push(...dataSteps([p]));
    }
    st.push({ kind: 'end', reason: 'fin' });
    const r = run(st);
    expect(r.exchanges).toHaveLength(9);
    const scrape = r.exchanges.find((x) => x.request.target.startsWith('/scrape'))!;
    expect(scrape.response).toBeNull();
    const answered = r.exchanges.filter((x) => x.response !== null);
    expect(answered.map((x) => x.request.origin.packet)).toEqual(REQ_PACKETS.filter((p) => p !== 18));
    expect(answered.map((x) => x.response!.origin.packet)).toEqual(RES_PACKETS.filter((p) => p !== 29));
    expect(r.counters.skipped.get('http message lost in gap')).toBe(1);
  });

  it('loses half of a reply to a gap: the partial reply is dropped, resync at the next status line', () => {
    const st: Step[] = [];
    for (const p of keepAlive.payloads) {
      if (p.packet === 42) {
        st.push({ kind: 'data', dir: 'ba', bytes: p.bytes.subarray(0, 50), packet: 42, ts: p.ts });
        st.push({ kind: 'gap', dir: 'ba', length: p.bytes.length - 50 });
      } else st.push(...dataSteps([p]));
    }
    const r = run(st);
    expect(r.exchanges.map((x) => [x.request.origin.packet, x.response?.origin.packet ?? null])).toEqual([
      [4, 16], [18, 29], [31, null], [44, 55], [280, 291], [535, 546], [790, 801], [942, 953], [1009, 1020],
    ]);
  });

  it('picks a connection up mid-stream: skips to the first request line, drops the orphan reply', () => {
    // Capture starts 100 bytes into the scrape request (packet 18).
    const from = keepAlive.payloads.findIndex((p) => p.packet === 18);
    const p18 = keepAlive.payloads[from]!;
    const st: Step[] = [
      { kind: 'data', dir: 'ab', bytes: p18.bytes.subarray(100), packet: 18, ts: p18.ts },
      ...dataSteps(keepAlive.payloads.slice(from + 1)),
    ];
    const r = run(st, {}, { synSeen: false });
    expect(r.exchanges.map((x) => x.request.origin.packet)).toEqual(REQ_PACKETS.slice(2));
    expect(r.exchanges.map((x) => x.response?.origin.packet)).toEqual(RES_PACKETS.slice(2));
    expect(r.counters.skipped.get('mid-stream bytes before first request')).toBe(p18.bytes.length - 100);
    expect(r.counters.skipped.get('response without request')).toBe(1);
    expect(r.counters.responses).toBe(8);
  });

  it('picks a connection up inside a reply: its tail is skipped, the next exchanges pair', () => {
    // Capture starts 100 bytes into the scrape reply (packet 29, 265 bytes).
    const from = keepAlive.payloads.findIndex((p) => p.packet === 29);
    const p29 = keepAlive.payloads[from]!;
    const st: Step[] = [
      { kind: 'data', dir: 'ba', bytes: p29.bytes.subarray(100), packet: 29, ts: p29.ts },
      ...dataSteps(keepAlive.payloads.slice(from + 1)),
    ];
    const r = run(st, {}, { synSeen: false });
    expect(r.returns.every((v) => v === true)).toBe(true);
    expect(r.exchanges.map((x) => [x.request.origin.packet, x.response?.origin.packet])).toEqual(
      REQ_PACKETS.slice(2).map((q, k) => [q, RES_PACKETS[k + 2]]),
    );
    expect(r.counters.skipped.get('mid-stream bytes before first response')).toBe(165);
  });
});

describe('real capture a_clean, nginx -> backend (tcp.stream 1)', () => {
  const c = loadCase('a-clean-nginx-backend');

  it('reads an HTTP/1.0 request and a close-delimited reply that completes at FIN', () => {
    const r = run([...dataSteps(c.payloads), { kind: 'end', reason: 'fin' }]);
    expect(r.beforeEnd).toBe(0);
    expect(r.exchanges).toHaveLength(1);
    const x = r.exchanges[0]!;
    expect(x.request.version).toBe('HTTP/1.0');
    expect(x.request.headers.find((h) => h.name === 'X-Forwarded-For')?.value).toBe('127.0.0.2');
    expect(x.response!.status).toBe(200);
    expect(x.response!.version).toBe('HTTP/1.1');
    // 145-byte payload minus the 74-byte head (tshark follow,tcp,ascii of stream 1)
    expect(x.response!.body.length).toBe(70);
    expect(bodyText(x)!.startsWith('d8:completei1e10:incompletei0e')).toBe(true);
    expect(x.response!.bodyProblem).toBeNull();
  });
});

describe('real capture a_clean, aria2 connection reused (tcp.stream 10)', () => {
  it('pairs two keep-alive announces and keeps aria2 header names', () => {
    const r = run([...dataSteps(loadCase('a-clean-aria2-reused').payloads), { kind: 'end', reason: 'fin' }]);
    expect(r.exchanges).toHaveLength(2);
    expect(r.exchanges[1]!.request.target).toContain('&event=completed&');
    expect(r.exchanges[0]!.request.headers.map((h) => h.name)).toEqual(['User-Agent', 'Accept', 'Host', 'Want-Digest']);
    expect(r.exchanges.map((x) => x.response!.body.length)).toEqual([0x4d, 0x4d]);
    expect(bodyText(r.exchanges[1]!)!.startsWith('d8:completei2e10:incompletei0e')).toBe(true);
  });
});

describe('real capture b_crash, Enhanced-CTorrent (tcp.stream 4)', () => {
  it('reads HTTP/1.0 without Host and a close-delimited nginx reply', () => {
    const r = run([...dataSteps(loadCase('b-crash-ctorrent-http10').payloads), { kind: 'end', reason: 'fin' }]);
    expect(r.exchanges).toHaveLength(1);
    const x = r.exchanges[0]!;
    expect(x.request.headers).toEqual([{ name: 'User-Agent', value: 'Enhanced-CTorrent/dnh3.3.2' }]);
    expect(x.request.target).toContain('peer_id=%2DCD0303%2D%03%2Fj');
    expect(x.response!.body.length).toBe(77);
    expect(x.response!.bodyProblem).toBeNull();
  });
});

describe('real capture a_clean, BitTorrent peer wire (tcp.stream 8)', () => {
  const c = loadCase('a-clean-bittorrent-peer');

  it('returns false on the first segment of a connection seen from its SYN', () => {
    const r = run(dataSteps(c.payloads));
    expect(r.returns[0]).toBe(false);
    expect(r.exchanges).toEqual([]);
    expect(r.counters.skipped.get('non-http connection')).toBe(1);
  });

  it('mid-stream, keeps looking for a request line up to the scan limit, then returns false', () => {
    const r = run(dataSteps(c.payloads), { midStreamScanBytes: 300 }, { synSeen: false });
    const firstFalse = r.returns.indexOf(false);
    expect(firstFalse).toBeGreaterThan(0);
    let held = 0;
    for (let k = 0; k <= firstFalse; k++) if (c.payloads[k]!.dir === c.payloads[firstFalse]!.dir) held += c.payloads[k]!.bytes.length;
    expect(held).toBeGreaterThanOrEqual(300);
    expect(r.counters.skipped.get('non-http connection')).toBe(1);
  });
});
