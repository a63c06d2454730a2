/**
 * Scenario a_clean (fixtures/real/a_clean/scenario.md): Transmission seeds, aria2 leeches, completes
 * and stops; Transmission is shut down without `stopped`. Times and counters below were read from
 * scenario.md and checked by hand with `tcpdump -n -tt -A -r capture.pcap 'tcp dst port 6969'`.
 * Checks: announce count after proxy-leg merging, time order, client addresses, counters, events,
 * replies, sessions, final states and anomalies.
 */
import { describe, expect, it } from 'vitest';
import { cliJson } from './cli.js';

const PCAP = 'fixtures/real/a_clean/capture.pcap';
const TR = '2d5452333030302d6b68676e3264666f79326977';
const ARIA = '41322d312d33362d302d47b34a811e70fd3f5936';

// [time (tcpdump -tt of the client's GET to nginx), client ip, peer_id hex, event, uploaded, downloaded, left]
const EXPECTED: [string, string, string, string | null, number, number, number][] = [
  ['2026-11-25T16:12:08.240Z', '127.0.0.2', TR, 'started', 0, 0, 0],
  ['2026-11-25T16:12:38.100Z', '127.0.0.2', TR, null, 0, 0, 0],
  ['2026-11-25T16:13:08.159Z', '127.0.0.2', TR, null, 0, 0, 0],
  ['2026-11-25T16:13:12.740Z', '127.0.0.3', ARIA, 'started', 0, 0, 33554432],
  ['2026-11-25T16:13:39.218Z', '127.0.0.2', TR, null, 10772829, 0, 0],
  ['2026-11-25T16:13:43.179Z', '127.0.0.3', ARIA, null, 0, 9256960, 24297472],
  ['2026-11-25T16:14:08.070Z', '127.0.0.2', TR, null, 21496467, 0, 0],
  ['2026-11-25T16:14:38.119Z', '127.0.0.2', TR, null, 32630030, 0, 0],
  ['2026-11-25T16:14:49.430Z', '127.0.0.3', ARIA, 'completed', 0, 33554432, 0],
  ['2026-11-25T16:15:08.187Z', '127.0.0.2', TR, null, 33581056, 0, 0],
  ['2026-11-25T16:15:19.691Z', '127.0.0.3', ARIA, null, 0, 33554432, 0],
  ['2026-11-25T16:15:38.237Z', '127.0.0.2', TR, null, 33581056, 0, 0],
  ['2026-11-25T16:15:50.686Z', '127.0.0.3', ARIA, 'stopped', 0, 33554432, 0],
];

describe('a_clean capture.pcap, end to end', () => {
  const { code, doc } = cliJson([PCAP]);

  it('exits 0 with a schemaVersion 1 document', () => {
    expect(code).toBe(0);
    expect(doc.schemaVersion).toBe(1);
    expect(doc.rules).toBe('tbsource');
  });

  it('finds the 13 announces once each (proxy legs merged), in time order, as the clients sent them', () => {
    expect(doc.announces.map((a: any) => [a.time, a.client.ip, a.peerId.hex, a.event, a.uploaded, a.downloaded, a.left])).toEqual(EXPECTED);
    for (const a of doc.announces) {
      expect(a.infoHash).toBe('f472210256163113a9f94e380660e1f5ed6df57e');
      expect(a.tracker).toEqual({ ip: '127.0.0.1', port: 6969 });
      expect(a.path).toBe('/announce');
      expect(a.proxyMerged).toBe(true);
      expect(a.response.status).toBe(200);
      expect(a.response.interval).toBe(30);
      expect(a.errors).toEqual([]);
    }
    expect(doc.proxyLegsMerged).toBe(14); // 13 announces + 1 scrape, each seen again on port 8000
    expect(doc.inputs[0]).toMatchObject({ format: 'pcap', packets: 1047, announces: 13, scrapes: 1, otherRequests: 0 });
  });

  it('decodes the clients and their own parameters', () => {
    const tr = doc.announces[0];
    expect(tr.peerId).toEqual({ hex: TR, text: '-TR3000-khgn2dfoy2iw', client: 'Transmission 3.00' });
    expect(tr).toMatchObject({ port: 51413, numwant: 80, key: '70672bb6', userAgent: 'Transmission/3.00' });
    expect(tr.response.complete).toBe(1); // the tracker lists Transmission itself: complete=1, one peer
    expect(cliJson(['--peer-list', PCAP]).doc.announces[0].response.peerList).toEqual([{ ip: '127.0.0.2', port: 51413 }]);
    const aria = doc.announces[3];
    expect(aria.peerId.client).toBe('aria2 1.36.0');
    expect(aria.params.key).toBe('J\\x81\\x1ep\\xfd?Y6'); // binary key = last 8 bytes of its peer_id
    expect(aria).toMatchObject({ port: 6881, numwant: 50, userAgent: 'aria2/1.36.0' });
    expect(doc.announces[12].numwant).toBe(0); // aria2's stopped asks for no peers
  });

  it('replays two sessions: Transmission still seeding without stopped, aria2 removed after stopped', () => {
    expect(doc.sessions).toHaveLength(2);
    const tr = doc.sessions.find((s: any) => s.peerId.hex === TR);
    const aria = doc.sessions.find((s: any) => s.peerId.hex === ARIA);
    expect(tr.finalState).toBe('seeding'); // last announce 16:15:38, input ends 16:15:58: inside 1.3 x 30 s
    expect(tr.anomalies.map((f: any) => f.code)).toContain('missing-stopped');
    expect(tr.credited).toEqual({ uploaded: 33581056, downloaded: 0 });
    expect(tr.reported).toEqual({ uploaded: 33581056, downloaded: 0 });
    expect(aria.finalState).toBe('removed');
    expect(aria.reported).toEqual({ uploaded: 0, downloaded: 33554432 });
    expect(aria.anomalies.map((f: any) => f.code)).not.toContain('missing-stopped');
    // aria2 went 66 s without announcing (interval 30): under TBSource's 1.3 x interval it expired in between
    expect(aria.anomalies.map((f: any) => f.code)).toContain('late-announce');
    expect(aria.credited).toEqual({ uploaded: 0, downloaded: 9256960 });
    expect(doc.torrents).toEqual([expect.objectContaining({ infoHash: 'f472210256163113a9f94e380660e1f5ed6df57e', seeders: 1, leechers: 0, timesCompleted: 1 })]);
  });

  it('the pcapng of the same traffic gives the same announces and sessions', () => {
    const ng = cliJson(['fixtures/real/a_clean/capture.pcapng']).doc;
    // two capture processes stamped the packets independently (up to 1.6 µs apart): compare
    // everything but the input's name, format and the nanosecond time
    const strip = (d: any): any => JSON.parse(JSON.stringify(d, (k, v) => (k === 'timeNs' || k === 'source' || k === 'inputs' ? undefined : v)));
    expect(strip(ng)).toEqual(strip(doc));
    expect(ng.inputs[0]).toMatchObject({ format: 'pcapng', packets: 1047, announces: 13, scrapes: 1 });
  });
});
