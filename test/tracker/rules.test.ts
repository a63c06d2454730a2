/**
 * One table per rule profile: short announce sequences -> credits, states, counted snatches,
 * with the expected values from the reference's "Other engines" table.
 */
import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/tracker/rules/index.js';
import { TrackerReplay } from '../../src/tracker/replay.js';
import type { TrackerStep } from '../../src/tracker/types.js';
import { ann, at, type AnnounceSpec } from './helpers.js';

type Spec = Omit<AnnounceSpec, 'ts'> & { t: number };

function run(rules: string, specs: Spec[]) {
  const r = new TrackerReplay({ rules });
  const steps: TrackerStep[] = specs.map(({ t, ...s }, i) => r.step(ann({ ts: at(t), ...s }), i));
  return { steps, res: r.finish() };
}
const credits = (steps: TrackerStep[]) => steps.map((s) => [s.credited.uploaded, s.credited.downloaded]);
const after = (steps: TrackerStep[]) => steps.map((s) => s.after);

// started, grow, upload counter goes DOWN while download grows, then the old upload value returns
const regression: Spec[] = [
  { t: 0, event: 'started', uploaded: 0n, downloaded: 0n },
  { t: 1000, uploaded: 100n, downloaded: 50n },
  { t: 2000, uploaded: 30n, downloaded: 60n },
  { t: 3000, uploaded: 130n, downloaded: 60n },
];

describe('counter regression per profile', () => {
  it.each([
    // per counter: up 0 (baseline drops to 30), down +10; then 130 - 30 = +100 (credited twice)
    ['tbsource', [[0n, 0n], [100n, 50n], [0n, 10n], [100n, 0n]]],
    ['unit3d', [[0n, 0n], [100n, 50n], [0n, 10n], [100n, 0n]]],
    // nothing unless BOTH counters >= previous; the baseline is still overwritten
    ['xbt', [[0n, 0n], [100n, 50n], [0n, 0n], [100n, 0n]]],
    ['ocelot', [[0n, 0n], [100n, 50n], [0n, 0n], [100n, 0n]]],
  ])('%s', (rules, expected) => {
    const { steps, res } = run(rules, regression);
    expect(credits(steps)).toEqual(expected);
    expect(res.sessions[0]!.anomalies.map((f) => f.code)).toEqual(['counter-regression', 'missing-stopped']);
  });
});

describe('completed per profile', () => {
  const withLeft: Spec[] = [
    { t: 0, event: 'started', left: 100n },
    { t: 60, event: 'completed', left: 40n, downloaded: 60n },
  ];
  it.each([
    ['tbsource', true, 1],
    ['tbdev09', true, 1],
    ['xbt', false, 0], // HTTP 404, nothing applied
    ['ocelot', true, 0], // only when left == 0
    ['unit3d', true, 0], // no leecher -> seeder transition
  ] as const)('%s: completed with left > 0 applied=%s, snatches %d', (rules, applied, snatches) => {
    const { steps, res } = run(rules, withLeft);
    expect(steps[1]!.applied).toBe(applied);
    expect(res.torrents[0]!.timesCompleted).toBe(snatches);
    expect(res.sessions[0]!.anomalies.map((f) => f.code)).toContain('completed-with-left');
    if (!applied) expect(steps[1]!.failure).toBe('HTTP 404 (completed with left > 0)');
  });

  const seedThenCompleted: Spec[] = [
    { t: 0, event: 'started', left: 0n },
    { t: 60, event: 'completed', left: 0n },
  ];
  it.each([
    ['tbsource', 1],
    ['xbt', 1],
    ['ocelot', 0], // already a seeder
    ['unit3d', 0], // no transition
  ] as const)('%s: completed from a peer that started as seeder counts %d', (rules, snatches) => {
    const { res } = run(rules, seedThenCompleted);
    expect(res.torrents[0]!.timesCompleted).toBe(snatches);
    expect(res.sessions[0]!.anomalies.map((f) => f.code)).toContain('completed-on-seed-start');
  });

  it('unit3d counts the leecher -> seeder transition without the event', () => {
    const { res } = run('unit3d', [
      { t: 0, event: 'started', left: 100n },
      { t: 1000, left: 0n, downloaded: 100n },
    ]);
    expect(res.torrents[0]!.timesCompleted).toBe(1);
    expect(res.sessions[0]!.anomalies.map((f) => f.code)).toEqual(['missing-completed', 'missing-stopped']);
  });
});

describe('started on a known peer', () => {
  const seq: Spec[] = [
    { t: 0, event: 'started', uploaded: 0n },
    { t: 60, uploaded: 100n },
    { t: 120, event: 'started', uploaded: 150n },
    { t: 180, uploaded: 180n },
  ];
  it.each([
    ['tbsource', [0n, 100n, 50n, 30n]],
    ['ocelot', [0n, 100n, 0n, 30n]], // baseline reset on started
  ] as const)('%s', (rules, ups) => {
    expect(run(rules, seq).steps.map((s) => s.credited.uploaded)).toEqual(ups);
  });
});

describe('stopped for an unknown peer', () => {
  it.each([
    ['tbsource', true, null],
    ['xbt', true, null],
    ['ocelot', true, null],
    ['unit3d', false, "Stopped peer doesn't exist."],
  ] as const)('%s: applied=%s failure=%s', (rules, applied, failure) => {
    const { steps, res } = run(rules, [{ t: 0, event: 'stopped', uploaded: 5n }]);
    expect(steps[0]!.applied).toBe(applied);
    expect(steps[0]!.failure).toBe(failure);
    expect(steps[0]!.after).toBe('none');
    expect(res.sessions[0]!.anomalies.map((f) => f.code)).toContain('stopped-unknown');
  });
});

describe('refusals without a real reply', () => {
  it.each([
    ['tbsource', 6881, 'started', 'Port 6881 is blacklisted.'],
    ['tbsource', 6889, 'started', 'Port 6889 is blacklisted.'],
    ['tbsource', 6890, 'started', null],
    ['tbsource', 412, 'started', 'Port 412 is blacklisted.'],
    ['xbt', 6881, 'started', null],
    ['tbdev09', 51413, null, 'Peer not found. Restart the torrent.'],
    ['tbdev09', 51413, 'started', null],
    ['tbsource', 51413, null, null],
  ] as const)('%s port %d event %s -> %s', (rules, port, event, failure) => {
    const { steps } = run(rules, [{ t: 0, port, event }]);
    expect(steps[0]!.failure).toBe(failure);
    expect(steps[0]!.applied).toBe(failure === null);
    expect(steps[0]!.after).toBe(failure === null ? 'leeching' : 'none');
  });

  it('the blacklist applies to new peers only', () => {
    // accepted by the real tracker, then a known peer on 6881 is fine even without replies
    const { steps } = run('tbsource', [
      { t: 0, port: 6881, event: 'started', reply: { interval: 1800 } },
      { t: 60, port: 6881, uploaded: 10n },
    ]);
    expect(steps[1]!.predicted).toBeNull();
    expect(steps[1]!.credited.uploaded).toBe(10n);
  });

  it('request-side validation errors refuse with the first error text', () => {
    const { steps } = run('tbsource', [{ t: 0, errors: ['invalid port', 'missing key'] }]);
    expect(steps[0]!.failure).toBe('invalid port');
    expect(steps[0]!.applied).toBe(false);
  });
});

describe('dead time per profile (interval 1800 by default)', () => {
  it.each([
    ['tbsource', 2340, 2341],
    ['xbt', 2700, 2701],
    ['ocelot', 7200, 7201],
    ['unit3d', 7200, 7201],
  ] as const)('%s: alive after %d s, expired after %d s', (rules, alive, dead) => {
    for (const [gap, expired] of [[alive, false], [dead, true]] as const) {
      const { steps } = run(rules, [{ t: 0, event: 'started' }, { t: gap, uploaded: 10n }]);
      expect(steps[1]!.before).toBe(expired ? 'expired' : 'leeching');
      expect(steps[1]!.credited.uploaded).toBe(expired ? 0n : 10n);
    }
  });
});

it('RULES names match their keys', () => {
  for (const [k, v] of Object.entries(RULES)) expect(v.name).toBe(k);
});
