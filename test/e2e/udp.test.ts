/**
 * UDP tracker traffic (fixtures/udp/NOTES.md: opentracker with Transmission 3.00 and qBittorrent
 * 4.5.2) through the whole CLI: the same state machine and report as HTTP announces.
 */
import { describe, expect, it } from 'vitest';
import { cliJson } from './cli.js';

describe('udp/capture.pcap, end to end', () => {
  const { code, doc } = cliJson(['fixtures/udp/capture.pcap']);

  it('finds the 6 announces with their events, counters and replies (NOTES.md timeline)', () => {
    expect(code).toBe(0);
    expect(doc.announces.map((a: any) => [a.transport, a.peerId.text, a.event, a.uploaded, a.downloaded, a.left])).toEqual([
      ['udp', '-TR3000-tf6z1za5dp15', 'started', 0, 0, 0],
      ['udp', '-TR3000-8bn7w1shafxv', 'started', 0, 0, 0], // udp_table.py #7: left=0 (Transmission had B complete)
      ['udp', '-qB4520-sM-GRuXL4VlD', 'started', 0, 0, 4194304],
      ['udp', '-qB4520-sM-GRuXL4VlD', 'completed', 0, 4194304, 0],
      ['udp', '-qB4520-sM-GRuXL4VlD', 'stopped', 0, 4194304, 0],
      ['udp', '-TR3000-tf6z1za5dp15', 'stopped', 4197632, 0, 0],
    ]);
    expect(doc.announces[2].path).toBe('/announce'); // qBittorrent's BEP 41 URL data
    expect(doc.announces[0].response).toMatchObject({ interval: 1922, complete: 1, incomplete: 0, peers: 1 });
    expect(doc.inputs[0]).toMatchObject({ packets: 18, announces: 6, scrapes: 1 });
  });

  it('replays them: qBittorrent completes and stops, Transmission is credited its upload', () => {
    const qb = doc.sessions.find((s: any) => s.peerId.text.startsWith('-qB4520-'));
    expect(qb.finalState).toBe('removed');
    expect(qb.credited).toEqual({ uploaded: 0, downloaded: 4194304 });
    const tr = doc.sessions.find((s: any) => s.peerId.text === '-TR3000-tf6z1za5dp15');
    expect(tr.credited).toEqual({ uploaded: 4197632, downloaded: 0 });
    expect(doc.torrents.find((t: any) => t.infoHash === '51c737df1f4459015a5989952b17c3859e609aba').timesCompleted).toBe(1);
  });
});
