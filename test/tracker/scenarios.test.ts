/**
 * The real scenarios, announces built from the "What happened" tables of
 * fixtures/real/{a_clean,b_crash}/scenario.md (every request got HTTP 200 with interval 30, so each
 * carries a reply { interval: 30 }). Dead time under TBSource: 1.3 x 30 = 39 s.
 */
import { describe, expect, it } from 'vitest';
import { TrackerReplay } from '../../src/tracker/replay.js';
import type { ReplayOptions, ReplayResult, Session } from '../../src/tracker/types.js';
import { ann, ns } from './helpers.js';

type Row = [time: string, who: string, event: string | null, up: bigint, down: bigint, left: bigint];

function replay(rows: Row[], who: Record<string, { ip: string; port: number; peerId: string }>, ih: string, day: string, end: string, opts: ReplayOptions = {}): ReplayResult {
  const r = new TrackerReplay(opts);
  rows.forEach(([time, w, event, uploaded, downloaded, left], i) => {
    const c = who[w]!;
    r.step(ann({ ts: `${day}T${time}Z`, infoHash: ih, peerId: c.peerId, ip: c.ip, port: c.port, event, uploaded, downloaded, left, reply: { interval: 30 } }), i);
  });
  return r.finish(ns(`${day}T${end}Z`));
}

const codes = (s: Session) => s.anomalies.map((f) => f.code);

describe('a_clean: Transmission seeds, aria2 leeches (scenario.md)', () => {
  const who = {
    tr: { ip: '127.0.0.2', port: 51413, peerId: '2d5452333030302d6b68676e3264666f79326977' },
    a2: { ip: '127.0.0.3', port: 6881, peerId: '41322d312d33362d302d47b34a811e70fd3f5936' },
  };
  const rows: Row[] = [
    ['16:12:08.240', 'tr', 'started', 0n, 0n, 0n],
    ['16:12:38.100', 'tr', null, 0n, 0n, 0n],
    ['16:13:08.159', 'tr', null, 0n, 0n, 0n],
    ['16:13:12.740', 'a2', 'started', 0n, 0n, 33554432n],
    ['16:13:39.218', 'tr', null, 10772829n, 0n, 0n],
    ['16:13:43.179', 'a2', null, 0n, 9256960n, 24297472n],
    ['16:14:08.070', 'tr', null, 21496467n, 0n, 0n],
    ['16:14:38.119', 'tr', null, 32630030n, 0n, 0n],
    ['16:14:49.430', 'a2', 'completed', 0n, 33554432n, 0n],
    ['16:15:08.187', 'tr', null, 33581056n, 0n, 0n],
    ['16:15:19.691', 'a2', null, 0n, 33554432n, 0n],
    ['16:15:38.237', 'tr', null, 33581056n, 0n, 0n],
    ['16:15:50.686', 'a2', 'stopped', 0n, 33554432n, 0n],
  ];
  // end of the capture: 16:15:58.2896 (scenario.md, Files)
  const res = replay(rows, who, 'f472210256163113a9f94e380660e1f5ed6df57e', '2026-11-25', '16:15:58.2896');
  const tr = res.sessions.find((s) => s.ip === '127.0.0.2')!;
  const a2 = res.sessions.find((s) => s.ip === '127.0.0.3')!;

  it('Transmission: every upload delta credited, still listed seeding 20 s after its last announce, missing-stopped', () => {
    expect(res.sessions).toHaveLength(2);
    expect(tr.announces.map((x) => x.credited.uploaded)).toEqual([0n, 0n, 0n, 10772829n, 10723638n, 11133563n, 951026n, 0n]);
    expect(tr.credited).toEqual({ uploaded: 33581056n, downloaded: 0n });
    expect(tr.finalState).toBe('seeding');
    expect(codes(tr)).toEqual(['missing-stopped']);
    expect(tr.cadence.interval).toBe(30);
    expect(tr.deadTime).toBeCloseTo(39);
  });

  it('aria2: the 66 s gap before completed (> 39 s) drops the peer; stopped removes it', () => {
    // 16:13:43.179 -> 16:14:49.430 = 66.25 s: the completed announce is a new row, zero credit
    expect(a2.announces.map((x) => x.credited.downloaded)).toEqual([0n, 9256960n, 0n, 0n, 0n]);
    expect(a2.announces.map((x) => x.state.after)).toEqual(['leeching', 'leeching', 'seeding', 'seeding', 'removed']);
    expect(a2.announces[2]!.state.before).toBe('expired');
    expect(a2.finalState).toBe('removed');
    expect(a2.reported).toEqual({ uploaded: 0n, downloaded: 33554432n });
    expect(a2.credited).toEqual({ uploaded: 0n, downloaded: 9256960n });
    expect(codes(a2)).toContain('late-announce');
    expect(codes(a2)).not.toContain('missing-stopped');
    expect(codes(a2)).not.toContain('missing-completed');
    // port 6881 is on TBSource's blacklist for new peers; the real tracker accepted it
    expect(a2.anomalies.filter((f) => f.code === 'rules-disagree').map((f) => f.announce)).toEqual([0, 2]);
  });

  it('torrent: one snatch, Transmission still seeding, size from aria2 first announce', () => {
    expect(res.torrents).toEqual([
      { infoHash: 'f472210256163113a9f94e380660e1f5ed6df57e', seeders: 1, leechers: 0, timesCompleted: 1, size: 33554432n, sizeSource: 'announces' },
    ]);
  });

  it('with --dead-time 2340 (the 1800 s default interval) aria2 is credited its whole download', () => {
    const r2 = replay(rows, who, 'f472210256163113a9f94e380660e1f5ed6df57e', '2026-11-25', '16:15:58.2896', { deadTime: 2340 });
    const s = r2.sessions.find((x) => x.ip === '127.0.0.3')!;
    expect(s.credited.downloaded).toBe(33554432n);
    expect(codes(s)).not.toContain('late-announce');
  });
});

describe('b_crash: ctorrent killed, restarted; rtorrent seeds (scenario.md)', () => {
  const who = {
    rt: { ip: '127.0.0.5', port: 6890, peerId: '2d6c74304438302de1f81c4ad371b11bb5f8294c' },
    c1: { ip: '127.0.0.4', port: 6882, peerId: '2d4344303330332d032f6a9ee3d29a9fdb2f25a6' },
    c2: { ip: '127.0.0.4', port: 6882, peerId: '2d4344303330332d1c1965988b7b1d4b7e192c64' },
  };
  const rows: Row[] = [
    ['16:16:14.004', 'rt', 'started', 0n, 0n, 0n],
    ['16:16:19.241', 'c1', 'started', 0n, 0n, 25165824n],
    ['16:16:49.020', 'c1', null, 0n, 8912896n, 16252928n],
    ['16:17:44.264', 'c2', 'started', 0n, 0n, 24903680n],
    ['16:18:14.046', 'c2', null, 0n, 8912896n, 2621440n],
    ['16:18:29.794', 'c2', 'stopped', 0n, 11534336n, 0n],
    ['16:18:35.661', 'rt', 'stopped', 25673728n, 0n, 0n],
  ];
  const ih = '190d49d6c5e2573351d54fe3a57a59ce56c47ef6';
  // end of the capture: 16:18:35.664432
  const run = (o: ReplayOptions = {}) => replay(rows, who, ih, '2026-11-25', '16:18:35.664432', o);
  const peer = (r: ReplayResult, hex: string) => r.sessions.find((s) => s.peerId.hex === hex)!;

  it('ctorrent #1 (killed): expired, missing-stopped, credited = last minus first announce', () => {
    const s = peer(run(), who.c1.peerId);
    expect(s.credited).toEqual({ uploaded: 0n, downloaded: 8912896n });
    expect(s.reported).toEqual(s.credited);
    expect(s.finalState).toBe('expired');
    expect(codes(s)).toContain('missing-stopped');
  });

  it('ctorrent #2: stops at left = 0 without completed -> missing-completed, removed', () => {
    const r = run();
    const s = peer(r, who.c2.peerId);
    expect(s.announces.map((x) => x.credited.downloaded)).toEqual([0n, 8912896n, 2621440n]);
    expect(s.finalState).toBe('removed');
    const f = s.anomalies.find((x) => x.code === 'missing-completed')!;
    expect(f.announce).toBe(2);
    expect(codes(s)).not.toContain('multi-location'); // #1 had expired 55 s after its last announce
    expect(r.users.find((u) => u.user === '127.0.0.4')!.credited).toEqual({ uploaded: 0n, downloaded: 8912896n + 11534336n });
    expect(r.torrents[0]!.timesCompleted).toBe(0);
    expect(r.torrents[0]!.size).toBe(25165824n);
  });

  it('rtorrent: silent 141.7 s > 39 s, so under TBSource it expired and its stopped credits nothing', () => {
    const s = peer(run(), who.rt.peerId);
    expect(s.reported).toEqual({ uploaded: 25673728n, downloaded: 0n });
    expect(s.credited).toEqual({ uploaded: 0n, downloaded: 0n });
    expect(codes(s)).toEqual(expect.arrayContaining(['late-announce', 'stopped-unknown']));
    expect(s.finalState).toBe('expired');
    expect(s.notes[0]).toContain('expired between announces');
  });

  it('rtorrent: credited 25673728 up when the dead time covers its silence (1800 s interval)', () => {
    const s = peer(run({ interval: 1800 }), who.rt.peerId);
    expect(s.credited).toEqual({ uploaded: 25673728n, downloaded: 0n });
    expect(s.finalState).toBe('removed');
    expect(codes(s)).toEqual([]);
  });
});
