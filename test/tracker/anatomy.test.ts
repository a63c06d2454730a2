/**
 * The 2004 "Anatomy of a torrent session" page (TBSource anatomy.php): three announces of peer
 * S588-----gqQ8TqDeqaY, port 6882. Expected credits are the page's numbers, checked by hand:
 * 67960832 − 0, 754384896 − 67960832 = 686424064, 754215163 − 40828928 = 713386235.
 * The page's tracker accepted port 6882, so the fixture carries real-looking replies (interval 1800).
 */
import { describe, expect, it } from 'vitest';
import { TrackerReplay } from '../../src/tracker/replay.js';
import type { Session, TrackerStep } from '../../src/tracker/types.js';
import { ann } from './helpers.js';

const peerId = 'S588-----gqQ8TqDeqaY';
const base = { peerId, port: 6882, ip: '192.0.2.7', reply: { interval: 1800 } } as const;
const announces = [
  ann({ ...base, ts: '2004-04-14T21:00:00Z', uploaded: 0n, downloaded: 0n, left: 753690875n, event: 'started' }),
  ann({ ...base, ts: '2004-04-14T21:15:00Z', uploaded: 67960832n, downloaded: 40828928n, left: 715417851n }),
  ann({ ...base, ts: '2004-04-14T21:30:00Z', uploaded: 754384896n, downloaded: 754215163n, left: 0n, event: 'completed' }),
];

function run(withReplies: boolean): { steps: TrackerStep[]; session: Session; closed: Session[] } {
  const closed: Session[] = [];
  const r = new TrackerReplay({ onSessionClosed: (s) => closed.push(s) });
  const steps = announces.map((a, i) => r.step(withReplies ? a : { ...a, reply: null }, i));
  const res = r.finish();
  expect(res.sessions).toHaveLength(1);
  return { steps, session: res.sessions[0]!, closed };
}

describe('anatomy page session under TBSource rules', () => {
  it('credits the page deltas and keeps the torrent listed as seeding', () => {
    const { steps, session, closed } = run(true);
    expect(steps.map((s) => [s.credited.uploaded, s.credited.downloaded])).toEqual([
      [0n, 0n],
      [67960832n, 40828928n],
      [686424064n, 713386235n],
    ]);
    expect(steps[2]!.totals).toEqual({ uploaded: 754384896n, downloaded: 754215163n });
    expect(steps.map((s) => [s.before, s.after])).toEqual([
      ['none', 'leeching'],
      ['leeching', 'leeching'],
      ['leeching', 'seeding'],
    ]);
    expect(session.finalState).toBe('seeding');
    expect(session.credited).toEqual({ uploaded: 754384896n, downloaded: 754215163n });
    expect(session.reported).toEqual({ uploaded: 754384896n, downloaded: 754215163n });
    expect(closed).toEqual([session]);
  });

  it('explains baseline and the completed that does not remove the torrent', () => {
    const { steps } = run(true);
    expect(steps[0]!.notes.join('\n')).toContain('first announce of this peer_id only sets the baseline');
    expect(steps[2]!.notes.join('\n')).toContain(
      'completed: TBSource counts the snatch (times_completed + 1) but does NOT remove the torrent from the profile (the anatomy page says it does; the code does not)',
    );
  });

  it('flags missing-stopped, over-download by 524,288 and the port blacklist disagreement', () => {
    const { steps, session } = run(true);
    const codes = session.anomalies.map((f) => f.code);
    expect(codes).toContain('missing-stopped');
    const over = session.anomalies.find((f) => f.code === 'over-download')!;
    expect(over.severity).toBe('info');
    expect(over.announce).toBe(2);
    expect(over.message).toContain('by 524,288');
    const dis = session.anomalies.find((f) => f.code === 'rules-disagree')!;
    expect(dis.announce).toBe(0);
    expect(dis.message).toContain('Port 6882 is blacklisted.');
    expect(steps[0]!.applied).toBe(true);
    expect(steps[0]!.predicted).toBe('Port 6882 is blacklisted.');
    expect(steps[0]!.failure).toBeNull();
  });

  it('without replies, TBSource rules refuse port 6882 and nothing is credited', () => {
    const { steps, session } = run(false);
    expect(steps.every((s) => !s.applied && s.failure === 'Port 6882 is blacklisted.')).toBe(true);
    expect(session.credited).toEqual({ uploaded: 0n, downloaded: 0n });
    expect(session.finalState).toBe('none');
    expect(session.anomalies.map((f) => f.code)).not.toContain('missing-stopped');
    expect(session.anomalies.filter((f) => f.code === 'rules-refused')).toHaveLength(3);
  });
});
