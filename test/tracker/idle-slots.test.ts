/**
 * Forgetting idle peer slots (src/tracker/idle-slots.ts): a pair with no open session and no
 * listed row is forgotten after its horizon (4 dead times, at least 2 h), so the replay's slots
 * follow the pairs in use; a pair back within the horizon is still the one it was.
 */
import { describe, expect, it } from 'vitest';
import { HORIZON_DEAD_TIMES, MIN_HORIZON_SECONDS, VANISHED_HORIZON_SECONDS } from '../../src/tracker/idle-slots.js';
import { TrackerReplay } from '../../src/tracker/replay.js';
import type { ReplayOptions, Session, TrackerStep } from '../../src/tracker/types.js';
import { ann, at, type AnnounceSpec } from './helpers.js';

type Spec = Omit<AnnounceSpec, 'ts'> & { t: number };
const P1 = '-TR3000-111111111111';
const P2 = '-TR3000-222222222222';
/** TBSource's default dead time (1.3 x 1800 s) and the horizon it gives. */
const DEAD = 2340;
const HORIZON = Math.max(MIN_HORIZON_SECONDS, HORIZON_DEAD_TIMES * DEAD);

function run(specs: Spec[], opts: ReplayOptions = {}) {
  const closed: Session[] = [];
  const r = new TrackerReplay({ ...opts, onSessionClosed: (s) => closed.push(s) });
  const steps: TrackerStep[] = [];
  const slots: number[] = [];
  specs.forEach(({ t, ...s }, i) => {
    steps.push(r.step(ann({ ts: at(t), ...s }), i));
    slots.push(r.peerSlots);
  });
  const res = r.finish();
  return { steps, slots, res, closed, replay: r };
}

const peerId = (i: number): string => `-qB4620-${String(i).padStart(12, '0')}`;

describe('idle peer slots', () => {
  it('forgets the pairs of peers that stopped: the slot count stays flat however long the capture', () => {
    // a client restarting every 2 s with a fresh peer_id for 5.5 hours: 10,000 pairs, each one
    // started and stopped, and none coming back
    const specs: Spec[] = [];
    const n = 10000;
    for (let i = 0; i < n; i++) {
      specs.push({ t: 2 * i, peerId: peerId(i), event: 'started' });
      specs.push({ t: 2 * i + 1, peerId: peerId(i), event: 'stopped' });
    }
    const { slots, res, replay } = run(specs);
    // pairs idle for less than the horizon (one every 2 s), plus the few within the echo window
    const bound = HORIZON / 2 + 10;
    expect(Math.max(...slots)).toBeLessThanOrEqual(bound);
    expect(Math.max(...slots)).toBeGreaterThan(bound - 20);
    expect(replay.peerSlots).toBeLessThanOrEqual(bound);
    // every session is still reported, whole
    expect(res.sessions).toHaveLength(n);
    expect(res.sessions.every((s) => s.announces.length === 2 && s.finalState === 'removed')).toBe(true);
  });

  it('keeps an expired row within the horizon: the late announce is still late-announce', () => {
    const seq = (back: number): Spec[] => [
      { t: 0, peerId: P1, event: 'started', reply: { interval: 1800 } },
      // a refused stopped: the session ends, the row stays listed until it expires
      { t: 100, peerId: P1, event: 'stopped', reply: { failure: 'try later' } },
      { t: 200, peerId: P2, event: 'started', reply: { interval: 1800 } },
      // expires P1's row (silent 2900 s > 2340 s); P1 is idle from here
      { t: 3000, peerId: P2, reply: { interval: 1800 } },
      { t: back, peerId: P1, uploaded: 7n, reply: { interval: 1800 } },
    ];
    const within = run(seq(3000 + HORIZON - 100));
    expect(within.steps[4]!.before).toBe('expired');
    expect(within.steps[4]!.findings.map((f) => f.code)).toContain('late-announce');
    expect(within.slots[4]).toBe(2);

    const beyond = run(seq(3000 + HORIZON + 100));
    // forgotten before the step: the pair is new again
    expect(beyond.slots[3]).toBe(2);
    expect(beyond.steps[4]!.before).toBe('none');
    const codes = beyond.steps[4]!.findings.map((f) => f.code);
    expect(codes).not.toContain('late-announce');
    expect(codes).toContain('nonzero-baseline');
  });

  it('keeps a stopped pair within the horizon: its reply interval and its order of first appearance', () => {
    const seq = (back: number): Spec[] => [
      { t: 0, peerId: P1, event: 'started', reply: { interval: 600 } },
      { t: 100, peerId: P1, event: 'stopped', reply: { interval: 600 } },
      // the torrent's last reply says 1200; P2 closes P1's session (past the echo window)
      { t: 200, peerId: P2, event: 'started', reply: { interval: 1200 } },
      // back without a reply, and still announcing at the end of the input
      { t: back, peerId: P1, event: 'started', reply: null },
    ];
    const within = run(seq(200 + MIN_HORIZON_SECONDS - 100));
    const [first, ...atEnd] = within.closed;
    expect(first!.finalState).toBe('removed');
    // still the peer whose last reply said 600 s (dead time 780 s), first in order of appearance
    expect(atEnd.map((s) => [s.peerId.text, s.deadTime])).toEqual([[P1, 780], [P2, 1560]]);

    const beyond = run(seq(200 + MIN_HORIZON_SECONDS + 100));
    expect(beyond.slots).toEqual([1, 1, 2, 2]);
    // a new pair: the torrent's interval, and after P2 in order of appearance
    expect(beyond.closed.slice(1).map((s) => [s.peerId.text, s.deadTime])).toEqual([[P2, 1560], [P1, 1560]]);
  });

  it('waits a whole horizon again when the peer came back while its slot waited', () => {
    const seq = (back: number): Spec[] => [
      { t: 0, peerId: P1, event: 'started' },
      { t: 100, peerId: P1, event: 'stopped' },
      { t: 200, peerId: P2, event: 'started' },
      // P1 again (its slot waits since 200), and stopped again
      { t: 5000, peerId: P1, event: 'started' },
      { t: 5100, peerId: P1, event: 'stopped' },
      { t: 5200, peerId: P2 },
      // the first wait is due here: P1 stepped since, so it waits a whole horizon from now
      { t: 200 + HORIZON + 10, peerId: P2 },
      { t: back, peerId: P1, event: 'started' },
    ];
    const kept = run(seq(200 + 2 * HORIZON));
    expect(kept.slots.slice(-2)).toEqual([2, 2]);
    const gone = run(seq(200 + 2 * HORIZON + 20));
    expect(gone.slots.slice(-2)).toEqual([2, 2]);
    // forgotten before the last step, then made again: the same count, but a new pair, closed last
    expect(gone.closed.map((s) => s.peerId.text)).toEqual([P1, P1, P2, P1]);
    expect(kept.closed.map((s) => s.peerId.text)).toEqual([P1, P1, P1, P2]);
  });

  it('keeps a vanished peer (expired, session open, no stopped) for a day: its late announce goes on with its session', () => {
    const seq = (back: number): Spec[] => [
      { t: 0, peerId: P1, event: 'started' },
      { t: 10, peerId: P2, event: 'started' },
      // P1's row expires here (silent 100,000 s): it vanished, its session waits from now
      { t: 100000, peerId: P2 },
      { t: back, peerId: P1 },
    ];
    const within = run(seq(100000 + VANISHED_HORIZON_SECONDS - 100));
    expect(within.slots).toEqual([1, 2, 2, 2]);
    // one session with both announces: the late one continues it
    expect(within.closed.find((s) => s.peerId.text === P1)!.announces.map((a) => a.state.before)).toEqual(['none', 'expired']);
    expect(within.steps[3]!.findings.map((f) => f.code)).toContain('late-announce');

    const beyond = run(seq(100000 + VANISHED_HORIZON_SECONDS + 100));
    // closed and forgotten before the step: P1 is new again, with a session of its own
    expect(beyond.slots).toEqual([1, 2, 2, 2]);
    const p1 = beyond.closed.filter((s) => s.peerId.text === P1);
    expect(p1.map((s) => [s.finalState, s.announces.length])).toEqual([['expired', 1], ['leeching', 1]]);
    expect(beyond.steps[3]!.before).toBe('none');
    // the first session was closed when its day was up, before the end of the input; the new P1
    // came after P2 in order of appearance
    expect(beyond.closed.map((s) => s.peerId.text)).toEqual([P1, P2, P1]);
    expect(within.closed.map((s) => s.peerId.text)).toEqual([P1, P2]);
  });

  it('closes a vanished peer\'s session a day on even when its torrent falls silent (every torrent is swept now and then)', () => {
    const OTHER = 'bbbbbbbbbbbbbbbbbbbb';
    // P1 vanishes from the default torrent, which gets no other announce; P2 announces on another
    // torrent every 30 min for 30 h
    const specs: Spec[] = [{ t: 0, peerId: P1, event: 'started' }];
    for (let k = 0; k <= 60; k++) specs.push({ t: 10 + 1800 * k, peerId: P2, infoHash: OTHER, ...(k === 0 ? { event: 'started' } : {}) });
    const { slots, closed } = run(specs);
    // P1 expires at the first sweep after its dead time, and is gone a day after that
    const gone = slots.findIndex((n, i) => i > 1 && n === 1);
    expect(gone).toBeGreaterThan(0);
    const t = specs[gone]!.t;
    expect(t).toBeGreaterThan(DEAD + VANISHED_HORIZON_SECONDS);
    expect(t).toBeLessThanOrEqual(DEAD + 900 + VANISHED_HORIZON_SECONDS + HORIZON + 1800);
    expect(closed.map((s) => [s.peerId.text, s.finalState])).toEqual([[P1, 'expired'], [P2, 'leeching']]);
  });

  it('closes the session of a peer the tracker refused and never listed, a day after it went silent', () => {
    const OTHER = 'bbbbbbbbbbbbbbbbbbbb';
    const specs: Spec[] = [
      // refused twice ("unregistered torrent"), never listed, then silent
      { t: 0, peerId: P1, event: 'started', reply: { failure: 'Torrent not registered with this tracker.' } },
      { t: 60, peerId: P1, event: 'started', reply: { failure: 'Torrent not registered with this tracker.' } },
    ];
    for (let k = 0; k <= 60; k++) specs.push({ t: 100 + 1800 * k, peerId: P2, infoHash: OTHER, ...(k === 0 ? { event: 'started' } : {}) });
    const { steps, slots, closed } = run(specs);
    expect(steps.slice(0, 2).map((s) => s.applied)).toEqual([false, false]);
    const gone = slots.findIndex((n, i) => i > 2 && n === 1);
    expect(gone).toBeGreaterThan(0);
    expect(specs[gone]!.t).toBeGreaterThan(60 + VANISHED_HORIZON_SECONDS);
    expect(specs[gone]!.t).toBeLessThanOrEqual(60 + VANISHED_HORIZON_SECONDS + HORIZON + 1800);
    // its one session, both refused announces, closed before P2's
    expect(closed.map((s) => [s.peerId.text, s.announces.length])).toEqual([[P1, 2], [P2, 61]]);
  });

  it('closes the sessions of peers that vanished a day ago: the slot count stays flat', () => {
    // every 2 s a new peer_id starts on the torrent and vanishes (killed: no stopped); each start
    // sweeps the torrent, so rows expire on time; 3 days of capture time
    const specs: Spec[] = [];
    const n = 130000;
    for (let i = 0; i < n; i++) specs.push({ t: 2 * i, peerId: peerId(i), event: 'started' });
    const { slots, closed } = run(specs);
    // listed within the dead time, vanished within a day (plus a horizon before its entry is looked at)
    const bound = (DEAD + VANISHED_HORIZON_SECONDS + HORIZON) / 2 + 10;
    const most = slots.reduce((a, b) => Math.max(a, b), 0);
    expect(most).toBeLessThanOrEqual(bound);
    expect(most).toBeGreaterThan(VANISHED_HORIZON_SECONDS / 2);
    expect(slots[slots.length - 1]).toBeLessThanOrEqual(bound);
    // every session is still reported once, whole: the vanished ones as expired
    expect(closed).toHaveLength(n);
    expect(closed.filter((s) => s.finalState === 'expired').length).toBeGreaterThan(n - bound);
    expect(new Set(closed.map((s) => s.index)).size).toBe(n);
  });
});
