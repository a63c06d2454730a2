// Purpose: `npm run bench -- --stages` measures the pipeline cut short after a stage; a stage that
// dropped or doubled requests would measure a different job. Each stage, run as the bench runs it
// (the compiled dist/bench/stage.js as its own process), must release exactly the requests the CLI
// reports for a real capture: a_clean's 13 announces and 1 scrape, counted by hand from
// `tcpdump -A` in session 1 (test/e2e/real-a-clean.test.ts asserts them for the CLI).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const STAGE = 'dist/bench/stage.js';
const A_CLEAN = 'fixtures/real/a_clean/capture.pcap';

function stage(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [STAGE, ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('bench stages', () => {
  // handoff always uses the reading thread; decode never does; replay decides as the CLI does
  for (const name of ['decode', 'handoff', 'replay']) {
    it(`${name} releases every announce and scrape of a real capture once`, () => {
      const r = stage([name, A_CLEAN]);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual({ stage: name, announces: 13, scrapes: 1 });
    });
  }

  it('names the stages when given an unknown one', () => {
    const r = stage(['report', A_CLEAN]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('usage: stage.js <decode|handoff|replay> FILE\n');
  });
});
