// Purpose: the benchmark generator's churn option (src/bench/generate.ts) writes what it says: a
// torrent that stopped comes back under a new peer_id (without churn, under the same one), and
// the capture spans many minutes of a tracker's pace instead of seconds. Read back with the
// pipeline's own first half (the generator's frames themselves are checked in
// test/tools/bench-generate.test.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Announce } from '../../src/announce/types.js';
import { generateBenchCapture } from '../../src/bench/generate.js';
import { readInputs } from '../../src/pipeline/read-inputs.js';

const dir = mkdtempSync(join(tmpdir(), 'bench-churn-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function announcesOf(churn: boolean): Promise<Announce[]> {
  const file = join(dir, `${churn}.pcap`);
  generateBenchCapture(file, { targetBytes: 3 << 20, seed: 5, churn });
  const out: Announce[] = [];
  await readInputs({ inputs: [file], input: { inputFormat: 'pcap', logParser: null }, mergeProxyLegs: true }, (r) => {
    if (r.kind === 'announce') out.push(r);
  });
  return out;
}

const hex = (b: Uint8Array | null): string => Buffer.from(b!).toString('hex');

/** For each peer's torrent (client address and info_hash), whether its peer_id after each `stopped` is a new one. */
function restarts(as: readonly Announce[]): { same: number; fresh: number } {
  const last = new Map<string, { id: string; stopped: boolean }>();
  let same = 0;
  let fresh = 0;
  for (const a of as) {
    const key = `${a.client.ip} ${hex(a.infoHash)}`;
    const id = hex(a.peerId);
    const was = last.get(key);
    if (was?.stopped && a.event === 'started') {
      if (was.id === id) same++;
      else fresh++;
    }
    last.set(key, { id, stopped: a.event === 'stopped' });
  }
  return { same, fresh };
}

describe('generateBenchCapture with churn', () => {
  it('restarts a stopped torrent under a fresh peer_id, at a tracker\'s pace', async () => {
    const churn = await announcesOf(true);
    const steady = await announcesOf(false);
    const span = (as: readonly Announce[]): number => Number(as[as.length - 1]!.ts - as[0]!.ts) / 1e9;
    expect(span(steady)).toBeLessThan(10);
    expect(span(churn)).toBeGreaterThan(10 * span(steady));
    expect(span(churn)).toBeGreaterThan(30);

    const c = restarts(churn);
    expect(c.fresh).toBeGreaterThan(10);
    expect(c.same).toBe(0);
    const s = restarts(steady);
    expect(s.same).toBeGreaterThan(0);
    expect(s.fresh).toBe(0);

    // a stop on about one announce of a running torrent in 5 (one in 20 without churn)
    const stops = (as: readonly Announce[]): number => as.filter((a) => a.event === 'stopped').length / as.length;
    expect(stops(churn)).toBeGreaterThan(2 * stops(steady));
  });
});
