/**
 * The anatomy page's own session (fixtures/anatomy.pcap, made by src/tools/make-anatomy-pcap.ts and
 * checked with tcpdump in test/tools/anatomy-pcap.test.ts). Expected values are the issue's, worked
 * out from TBSource's rules: credit = max(0, new - stored) per counter, first announce = baseline.
 */
import { describe, expect, it } from 'vitest';
import { cli, cliJson } from './cli.js';

describe('anatomy.pcap: the TBSource anatomy page session', () => {
  const { code, doc } = cliJson(['fixtures/anatomy.pcap']);

  it('decodes the three GETs of the page', () => {
    expect(code).toBe(0);
    expect(doc.announces.map((a: any) => [a.time.slice(0, 19), a.event, a.uploaded, a.downloaded, a.left, a.numwant])).toEqual([
      ['2004-04-14T21:00:00', 'started', 0, 0, 753690875, null],
      ['2004-04-14T21:15:00', null, 67960832, 40828928, 715417851, 0],
      ['2004-04-14T21:30:00', 'completed', 754384896, 754215163, 0, 0],
    ]);
    for (const a of doc.announces) {
      expect(a.infoHash).toBe('639791c56a479531bec74df9bf6103f22cedee0f');
      expect(a.peerId).toEqual({ hex: Buffer.from('S588-----gqQ8TqDeqaY').toString('hex'), text: 'S588-----gqQ8TqDeqaY', client: 'Shad0w 5.8.8' });
      expect(a.port).toBe(6882);
      expect(a.path).toBe('/announce.php');
    }
  });

  it('credits 0/0, then +67,960,832/+40,828,928, then +686,424,064/+713,386,235', () => {
    expect(doc.announces.map((a: any) => [a.replay.credited.uploaded, a.replay.credited.downloaded])).toEqual([
      [0, 0], [67960832, 40828928], [686424064, 713386235],
    ]);
    expect(doc.announces.map((a: any) => `${a.replay.state.before}>${a.replay.state.after}`)).toEqual([
      'none>leeching', 'leeching>leeching', 'leeching>seeding',
    ]);
    expect(doc.users).toEqual([expect.objectContaining({ user: '192.0.2.10', credited: { uploaded: 754384896, downloaded: 754215163 } })]);
  });

  it('ends still listed as seeding: missing-stopped, and over-download by 524,288 bytes', () => {
    const [s] = doc.sessions;
    expect(doc.sessions).toHaveLength(1);
    expect(s.finalState).toBe('seeding');
    expect(s.credited).toEqual({ uploaded: 754384896, downloaded: 754215163 });
    const codes = s.anomalies.map((f: any) => f.code);
    expect(codes).toContain('missing-stopped');
    const over = s.anomalies.find((f: any) => f.code === 'over-download');
    expect(over.severity).toBe('info');
    expect(over.message).toContain('524,288');
    expect(doc.torrents[0]).toMatchObject({ seeders: 1, leechers: 0, timesCompleted: 1 });
  });

  it('says where the page and the code disagree about completed', () => {
    const text = cli(['fixtures/anatomy.pcap']).stdout;
    expect(text).toContain('does NOT remove the torrent from the profile (the anatomy page says it does; the code does not)');
    expect(text).toContain('+686,424,064 bytes (654.6 MiB) uploaded, +713,386,235 bytes (680.3 MiB) downloaded');
    expect(text).toContain('still listed as seeding at the end of the input; the tracker drops it 39 min after its last announce');
  });
});
