/**
 * Scenario b_crash (fixtures/real/b_crash/scenario.md): rtorrent seeds (started and stopped only);
 * Enhanced CTorrent is killed mid-download, restarts with a new peer_id, stops at 100% without
 * `completed`. Request times checked by hand with
 * `tcpdump -n -tt -r capture.pcap 'tcp dst port 6969 and tcp[((tcp[12]>>4)*4):4] = 0x47455420'`.
 */
import { describe, expect, it } from 'vitest';
import { cliJson } from './cli.js';

const RT = '2d6c74304438302de1f81c4ad371b11bb5f8294c';
const CT1 = '2d4344303330332d032f6a9ee3d29a9fdb2f25a6';
const CT2 = '2d4344303330332d1c1965988b7b1d4b7e192c64';

describe('b_crash capture.pcap, end to end', () => {
  const { code, doc } = cliJson(['fixtures/real/b_crash/capture.pcap']);

  it('finds the 7 client requests once each with the clients own addresses and counters', () => {
    expect(code).toBe(0);
    expect(doc.announces.map((a: any) => [a.time, a.client.ip, a.peerId.hex, a.event, a.uploaded, a.downloaded, a.left])).toEqual([
      ['2026-11-25T16:16:14.004Z', '127.0.0.5', RT, 'started', 0, 0, 0],
      ['2026-11-25T16:16:19.241Z', '127.0.0.4', CT1, 'started', 0, 0, 25165824],
      ['2026-11-25T16:16:49.020Z', '127.0.0.4', CT1, null, 0, 8912896, 16252928],
      ['2026-11-25T16:17:44.264Z', '127.0.0.4', CT2, 'started', 0, 0, 24903680],
      ['2026-11-25T16:18:14.046Z', '127.0.0.4', CT2, null, 0, 8912896, 2621440],
      ['2026-11-25T16:18:29.794Z', '127.0.0.4', CT2, 'stopped', 0, 11534336, 0],
      ['2026-11-25T16:18:35.661Z', '127.0.0.5', RT, 'stopped', 25673728, 0, 0],
    ]);
    expect(doc.proxyLegsMerged).toBe(7);
    // ctorrent speaks HTTP/1.0 without Host; rtorrent sends ip=
    expect(doc.announces[1].httpVersion).toBe('HTTP/1.0');
    expect(doc.announces[0].params.ip).toBe('127.0.0.5');
    expect(doc.announces[0].peerId.client).toBe('rTorrent/libtorrent 0.13.8');
    expect(doc.announces[1].peerId.client).toBe('Enhanced CTorrent 3.3');
  });

  it('the killed leecher is missing-stopped and credited exactly its last announce minus its first', () => {
    const s = doc.sessions.find((x: any) => x.peerId.hex === CT1);
    expect(s.anomalies.map((f: any) => f.code)).toContain('missing-stopped');
    expect(s.credited).toEqual({ uploaded: 0, downloaded: 8912896 });
    expect(s.reported).toEqual({ uploaded: 0, downloaded: 8912896 });
  });

  it('the restarted leecher stops at left=0 without completed: missing-completed, removed, no snatch counted', () => {
    const s = doc.sessions.find((x: any) => x.peerId.hex === CT2);
    expect(s.finalState).toBe('removed');
    expect(s.anomalies.map((f: any) => f.code)).toContain('missing-completed');
    expect(s.credited).toEqual({ uploaded: 0, downloaded: 11534336 });
    expect(doc.torrents[0].timesCompleted).toBe(0);
  });

  it('rtorrent announced only at start and stop, 141.7 s apart: with interval 30 it expired in between (TBSource rules)', () => {
    const s = doc.sessions.find((x: any) => x.peerId.hex === RT);
    const codes = s.anomalies.map((f: any) => f.code);
    expect(codes).toEqual(expect.arrayContaining(['late-announce', 'stopped-unknown']));
    expect(s.credited).toEqual({ uploaded: 0, downloaded: 0 });
    // with the TBSource default interval (1800 s) the same stopped is credited in full
    const long = cliJson(['--interval', '1800', 'fixtures/real/b_crash/capture.pcap']).doc;
    const t = long.sessions.find((x: any) => x.peerId.hex === RT);
    expect(t.credited).toEqual({ uploaded: 25673728, downloaded: 0 });
    expect(t.finalState).toBe('removed');
  });

  it('the nanosecond capture of the same traffic gives the same replay', () => {
    const nano = cliJson(['fixtures/real/b_crash/capture-nano.pcap']).doc;
    const strip = (d: any): any => JSON.parse(JSON.stringify(d, (k, v) => (k === 'timeNs' || k === 'source' || k === 'inputs' ? undefined : v)));
    expect(strip(nano)).toEqual(strip(doc));
  });
});
