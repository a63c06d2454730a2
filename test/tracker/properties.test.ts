/** Properties of the replay over random announce sequences, for every rule profile. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/tracker/rules/index.js';
import { TrackerReplay } from '../../src/tracker/replay.js';
import type { TrackerStep } from '../../src/tracker/types.js';
import { ann, at } from './helpers.js';

const PEERS = ['-TR3000-aaaaaaaaaaaa', '-TR3000-bbbbbbbbbbbb', '-CD0303-cccccccccccc'];
const HASHES = ['aaaaaaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbbbbbb'];

const announce = fc.record({
  gap: fc.integer({ min: 0, max: 3000 }),
  peer: fc.integer({ min: 0, max: 2 }),
  hash: fc.integer({ min: 0, max: 1 }),
  event: fc.constantFrom(null, null, null, 'started', 'completed', 'stopped', 'paused'),
  uploaded: fc.bigInt({ min: 0n, max: 1n << 40n }),
  downloaded: fc.bigInt({ min: 0n, max: 1n << 40n }),
  left: fc.constantFrom(0n, 0n, 100n, 5000n),
  port: fc.constantFrom(51413, 6881),
  reply: fc.constantFrom(null, { interval: 30 }, { interval: 1800 }, { failure: 'nope' }),
  // a peer's passkey is fixed per peer, some peers have none (IP users)
  errors: fc.constantFrom([], [], [], ['invalid port']),
});
const input = fc.record({
  rules: fc.constantFrom(...Object.keys(RULES)),
  seq: fc.array(announce, { maxLength: 40 }),
});

function replay(rules: string, seq: fc.RecordValue<typeof announce>[]) {
  const r = new TrackerReplay({ rules });
  let t = 0;
  const keys: string[] = [];
  const steps: TrackerStep[] = seq.map((x, i) => {
    t += x.gap;
    keys.push(`${x.hash}:${x.peer}`);
    return r.step(
      ann({
        ts: at(t),
        peerId: PEERS[x.peer]!,
        infoHash: HASHES[x.hash]!,
        passkey: x.peer === 2 ? null : `pk${x.peer}`,
        ip: `10.0.0.${x.peer}`,
        event: x.event,
        uploaded: x.uploaded,
        downloaded: x.downloaded,
        left: x.left,
        port: x.port,
        reply: x.reply,
        errors: x.errors,
      }),
      i,
    );
  });
  return { steps, keys, res: r.finish() };
}

describe('replay properties', () => {
  it('credits are never negative', () => {
    fc.assert(
      fc.property(input, ({ rules, seq }) => {
        const { steps, res } = replay(rules, seq);
        for (const s of steps) expect(s.credited.uploaded >= 0n && s.credited.downloaded >= 0n).toBe(true);
        for (const s of res.sessions) expect(s.credited.uploaded >= 0n && s.credited.downloaded >= 0n).toBe(true);
      }),
    );
  });

  it("a user's total is the sum of its sessions' credits, and every announce is in exactly one session", () => {
    fc.assert(
      fc.property(input, ({ rules, seq }) => {
        const { res } = replay(rules, seq);
        for (const u of res.users) {
          const mine = res.sessions.filter((s) => s.user === u.user);
          expect(u.sessions).toEqual(mine.map((s) => s.index));
          expect(u.credited.uploaded).toBe(mine.reduce((n, s) => n + s.credited.uploaded, 0n));
          expect(u.credited.downloaded).toBe(mine.reduce((n, s) => n + s.credited.downloaded, 0n));
        }
        const refs = res.sessions.flatMap((s) => s.announces.map((a) => a.ref)).sort((a, b) => a - b);
        expect(refs).toEqual(seq.map((_, i) => i));
      }),
    );
  });

  it('a removed or expired peer is never credited again until it announces anew (a new baseline)', () => {
    fc.assert(
      fc.property(input, ({ rules, seq }) => {
        const { steps, keys } = replay(rules, seq);
        const lastAfter = new Map<string, string>();
        steps.forEach((s, i) => {
          const prev = lastAfter.get(keys[i]!);
          if (prev === undefined || prev === 'removed' || s.before === 'expired' || s.before === 'none')
            expect(s.credited).toEqual({ uploaded: 0n, downloaded: 0n });
          lastAfter.set(keys[i]!, s.after);
        });
      }),
    );
  });

  it('a refused announce changes nothing', () => {
    fc.assert(
      fc.property(input, ({ rules, seq }) => {
        for (const s of replay(rules, seq).steps)
          if (!s.applied) {
            expect(s.credited).toEqual({ uploaded: 0n, downloaded: 0n });
            expect(s.after).toBe(s.before);
          }
      }),
    );
  });
});
