/**
 * One row per anomaly code of the reference table (plus rules-disagree / rules-refused):
 * a short announce sequence -> the code, the announce (index in its session) and severity.
 * Times are seconds; the default interval is 1800 s (dead time 2340 s, too-soon below 900 s).
 */
import { describe, expect, it } from 'vitest';
import { ANOMALIES } from '../../src/tracker/anomalies/catalogue.js';
import { SESSION_DETECTORS, STEP_DETECTORS } from '../../src/tracker/anomalies/index.js';
import { TrackerReplay } from '../../src/tracker/replay.js';
import type { Finding, ReplayOptions, Session } from '../../src/tracker/types.js';
import { ann, at, type AnnounceSpec } from './helpers.js';

type Spec = Omit<AnnounceSpec, 'ts'> & { t: number };
const GiB = 1n << 30n;
const MiB = 1n << 20n;
const P2 = '-TR3000-222222222222';
const P3 = '-TR3000-333333333333';

function run(specs: Spec[], opts: ReplayOptions = {}) {
  const closed: Session[] = [];
  const r = new TrackerReplay({ ...opts, onSessionClosed: (s) => closed.push(s) });
  const steps = specs.map(({ t, ...s }, i) => r.step(ann({ ts: at(t), ...s }), i));
  const res = r.finish();
  return { steps, res, closed };
}
const all = (r: ReturnType<typeof run>['res']): (Finding & { session: number })[] =>
  // fields by name: a form finding's message is a getter, which a spread would not copy
  r.sessions.flatMap((s) => s.anomalies.map((f) => ({ code: f.code, severity: f.severity, announce: f.announce, message: f.message, session: s.index })));

// [code, sequence, options, expected {session, announce, severity}, whether the code must be absent otherwise]
const rows: [string, Spec[], ReplayOptions, { session: number; announce: number | null; severity: string }][] = [
  ['missing-completed', [{ t: 0, event: 'started', left: 100n }, { t: 1000, event: 'stopped', left: 0n, downloaded: 100n }], {}, { session: 0, announce: 1, severity: 'warning' }],
  ['completed-with-left', [{ t: 0, event: 'started' }, { t: 1000, event: 'completed', left: 5n }], {}, { session: 0, announce: 1, severity: 'warning' }],
  ['duplicate-completed', [{ t: 0, event: 'started' }, { t: 1000, event: 'completed', left: 0n }, { t: 2000, event: 'completed', left: 0n }], {}, { session: 0, announce: 2, severity: 'warning' }],
  ['completed-on-seed-start', [{ t: 0, event: 'started', left: 0n }, { t: 1000, event: 'completed', left: 0n }], {}, { session: 0, announce: 1, severity: 'info' }],
  ['missing-stopped', [{ t: 0, event: 'started' }], {}, { session: 0, announce: null, severity: 'warning' }],
  ['missing-started', [{ t: 0 }], {}, { session: 0, announce: 0, severity: 'info' }],
  ['nonzero-baseline', [{ t: 0, event: 'started', uploaded: 500n }], {}, { session: 0, announce: 0, severity: 'warning' }],
  ['counter-regression', [{ t: 0, event: 'started', uploaded: 50n }, { t: 1000, uploaded: 10n }], {}, { session: 0, announce: 1, severity: 'warning' }],
  ['stopped-unknown', [{ t: 0, event: 'stopped' }], {}, { session: 0, announce: 0, severity: 'info' }],
  ['announce-too-soon', [{ t: 0, event: 'started' }, { t: 100 }], {}, { session: 0, announce: 1, severity: 'info' }],
  ['late-announce', [{ t: 0, event: 'started' }, { t: 3000, uploaded: 7n }], {}, { session: 0, announce: 1, severity: 'warning' }],
  // NEX: 30 GiB in 20 s = 1536 MiB/s
  ['upload-speed', [{ t: 0, event: 'started', left: 0n }, { t: 20, event: 'completed', left: 0n, uploaded: 30n * GiB }], {}, { session: 0, announce: 1, severity: 'error' }],
  ['upload-without-leechers', [{ t: 0, event: 'started', left: 0n }, { t: 1000, uploaded: 200n * MiB, left: 0n }], {}, { session: 0, announce: 1, severity: 'warning' }],
  ['over-download', [{ t: 0, event: 'started', left: 100n }, { t: 1000, downloaded: 150n, left: 0n }], { torrentSizes: new Map([['6161616161616161616161616161616161616161', 100n]]) }, { session: 0, announce: 1, severity: 'info' }],
  ['left-increased', [{ t: 0, event: 'started', left: 0n }, { t: 1000, left: 50n }], {}, { session: 0, announce: 1, severity: 'info' }],
  ['peer-moved', [{ t: 0, event: 'started' }, { t: 1000, ip: '10.9.9.9' }], {}, { session: 0, announce: 1, severity: 'info' }],
  ['multi-location', [{ t: 0, event: 'started' }, { t: 10, event: 'started', peerId: P2 }], {}, { session: 1, announce: 0, severity: 'warning' }],
  ['tracker-failure', [{ t: 0, event: 'started', reply: { failure: 'torrent not registered with this tracker' } }], {}, { session: 0, announce: 0, severity: 'warning' }],
  ['rules-disagree', [{ t: 0, event: 'started', port: 6881, reply: { interval: 1800 } }], {}, { session: 0, announce: 0, severity: 'warning' }],
  ['rules-refused', [{ t: 0, event: 'started', port: 6881 }], {}, { session: 0, announce: 0, severity: 'warning' }],
];

describe('each anomaly fires on its sequence', () => {
  it.each(rows)('%s', (code, specs, opts, want) => {
    const f = all(run(specs, opts).res).filter((x) => x.code === code);
    expect(f).toHaveLength(1);
    expect({ session: f[0]!.session, announce: f[0]!.announce, severity: f[0]!.severity }).toEqual(want);
    expect(f[0]!.message.length).toBeGreaterThan(20);
  });

  it('covers every catalogue code, and every detector is catalogued', () => {
    const detectorCodes = [...STEP_DETECTORS, ...SESSION_DETECTORS].map((d) => d.code).sort();
    expect(detectorCodes).toEqual(Object.keys(ANOMALIES).sort());
    expect(rows.map((r) => r[0]).sort()).toEqual(Object.keys(ANOMALIES).sort());
  });
});

describe('thresholds and negative controls', () => {
  const codes = (specs: Spec[], o: ReplayOptions = {}) => all(run(specs, o).res).map((f) => f.code);

  it('upload-speed: NEX warning above 100 MiB/s, U-232 info above 503872 B/s, nothing below', () => {
    const sev = (up: bigint, dt: number) =>
      all(run([{ t: 0, event: 'started', left: 0n }, { t: dt, event: 'completed', left: 0n, uploaded: up }]).res).find((f) => f.code === 'upload-speed')?.severity;
    expect(sev(3n * GiB, 20)).toBe('warning'); // 153.6 MiB/s
    expect(sev(10_000_000n, 10)).toBe('info'); // 1 MB/s
    expect(sev(5_000_000n, 10)).toBeUndefined(); // 500000 B/s
    expect(sev(103_872n, 0.1)).toBeUndefined(); // not more than 103872 bytes
  });

  it('announce-too-soon uses the reply min interval when there is one', () => {
    const seq = (minInterval: number): Spec[] => [{ t: 0, event: 'started', reply: { interval: 1800, minInterval } }, { t: 100 }];
    expect(codes(seq(60))).not.toContain('announce-too-soon');
    expect(codes(seq(120))).toContain('announce-too-soon');
    expect(codes([{ t: 0, event: 'started' }, { t: 100 }], { minInterval: 60 })).not.toContain('announce-too-soon');
  });

  it('upload-without-leechers: silent while a leecher is listed', () => {
    expect(codes([{ t: 0, event: 'started', left: 0n }, { t: 1, event: 'started', peerId: P2, left: 10n }, { t: 1000, uploaded: 200n * MiB, left: 0n }])).not.toContain(
      'upload-without-leechers',
    );
  });

  it('over-download: without a known size nothing fires', () => {
    // a seeder's first announce says left 0, downloaded 0: the size cannot be derived
    const r = run([{ t: 0, event: 'started', left: 0n }, { t: 1000, left: 0n, downloaded: 999n }]);
    expect(all(r.res).map((f) => f.code)).not.toContain('over-download');
    expect(r.res.torrents[0]!.sizeSource).toBe('unknown');
    expect(r.res.torrents[0]!.size).toBeNull();
  });

  it('multi-location: 2 seeders is fine, the 3rd crosses the limit', () => {
    const seeders = (n: number) => [P2, P3, '-TR3000-444444444444'].slice(0, n).map((peerId, i): Spec => ({ t: i, event: 'started', left: 0n, peerId }));
    expect(codes(seeders(2))).not.toContain('multi-location');
    expect(codes(seeders(3))).toContain('multi-location');
  });

  it('rules-disagree when the profile accepts and the real tracker refuses; nothing applied', () => {
    const r = run([{ t: 0, event: 'started', reply: { failure: 'Unrecognized host' } }]);
    expect(r.steps[0]!.applied).toBe(false);
    expect(r.steps[0]!.failure).toBe('Unrecognized host');
    expect(all(r.res).map((f) => f.code).sort()).toEqual(['rules-disagree', 'tracker-failure']);
  });
});

describe('sessions', () => {
  it('a stopped echoed within 10 s stays in the ended session; a later announce opens a new one', () => {
    const r = run([
      { t: 0, event: 'started' },
      { t: 1000, event: 'stopped', uploaded: 5n },
      { t: 1002, event: 'stopped', uploaded: 5n, ip: '10.0.0.9' },
      { t: 2000, event: 'started' },
      { t: 3000, event: 'stopped' },
    ]);
    expect(r.res.sessions.map((s) => s.announces.map((x) => x.ref))).toEqual([[0, 1, 2], [3, 4]]);
    expect(r.closed.map((s) => s.index)).toEqual([0, 1]);
    expect(r.res.sessions[0]!.finalState).toBe('removed');
    expect(r.res.sessions[0]!.anomalies.map((f) => f.code)).toEqual(['stopped-unknown']);
    expect(r.steps[3]!.before).toBe('none');
    expect(r.res.sessions[1]!.credited).toEqual({ uploaded: 0n, downloaded: 0n });
  });

  it('expiry does not split a session; cadence is the median gap', () => {
    const r = run([{ t: 0, event: 'started' }, { t: 1800 }, { t: 5000 }, { t: 6800, event: 'stopped' }]);
    expect(r.res.sessions).toHaveLength(1);
    expect(r.res.sessions[0]!.cadence).toEqual({ medianGap: 1800, interval: 1800 });
    expect(r.steps[2]!.notes.join(' ')).toContain('the peer had expired (gap 3200 s > dead time 2340 s)');
  });

  it('the user is the passkey when present, else X-Forwarded-For, else the socket address', () => {
    const r = run([
      { t: 0, event: 'started', passkey: 'abc' },
      { t: 1, event: 'started', peerId: P2, forwardedFor: '10.1.1.1' },
      { t: 2, event: 'started', peerId: P3, infoHash: 'bbbbbbbbbbbbbbbbbbbb' },
    ]);
    expect(r.res.sessions.map((s) => s.user)).toEqual(['abc', '10.1.1.1', '10.0.0.1']);
  });

  it('an announce without info_hash has no session and is refused', () => {
    const r = run([{ t: 0, infoHash: null, errors: ['missing key'] }]);
    expect(r.steps[0]!.session).toBeNull();
    expect(r.steps[0]!.failure).toBe('missing key');
    expect(r.res.sessions).toHaveLength(0);
    expect(r.res.orphanFindings.map((f) => f.code)).toEqual(['rules-refused']);
  });
});
