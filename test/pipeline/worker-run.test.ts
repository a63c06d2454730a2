/**
 * A run whose first half (read, decode, order) is in a worker thread must feed the writer exactly
 * what a one-thread run feeds it: the same calls, records, steps, sessions and totals, the same
 * input errors. The worker runs the compiled build (dist/, made by `npm test`'s build step), so
 * this test drives dist's runPipeline.
 */
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReportWriter } from '../../src/report/writer.js';
import type { PipelineConfig, PipelineOutcome } from '../../src/pipeline/run.js';

const dist = (await import('../../dist/pipeline/run.js' as string)) as typeof import('../../src/pipeline/run.js');

/** JSON with what JSON lacks: bigints, byte arrays, maps (in order), undefined. */
function text(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => {
    if (typeof x === 'bigint') return `${x}n`;
    if (x instanceof Uint8Array) return `bytes:${Buffer.from(x).toString('hex')}`;
    if (x instanceof Map) return { map: [...x] };
    if (x === undefined) return 'undefined';
    return x;
  });
}

/** Every writer call of a run, as text, plus the outcome. */
async function run(inputs: string[], worker: 'always' | 'never', extra: Partial<PipelineConfig> = {}): Promise<{ calls: string[]; outcome: PipelineOutcome }> {
  const calls: string[] = [];
  const writer: ReportWriter = {
    begin: (files, rules) => { calls.push(`begin ${text([files, rules])}`); },
    // reading peers decodes lazy ones: the list must be the same too
    announce: (a, ref, step) => { calls.push(`announce ${ref} ${text({ ...a, peers: a.reply?.peers, peerCount: a.reply?.peerCount })} ${text(step)}`); },
    scrape: (s) => { calls.push(`scrape ${text({ ...s, peers: s.reply?.peers })}`); },
    sessionClosed: (s) => { calls.push(`session ${text(s)}`); },
    end: (totals, result) => { calls.push(`end ${text([totals, result])}`); },
  };
  const outcome = await dist.runPipeline(
    { inputs, input: { inputFormat: 'auto', logParser: null }, replay: { rules: 'tbsource' }, mergeProxyLegs: true, worker, ...extra },
    writer,
  );
  if (!outcome.unusable) writer.end(outcome.totals, outcome.result);
  return { calls, outcome };
}

async function expectSameRun(inputs: string[], extra: Partial<PipelineConfig> = {}): Promise<{ calls: string[]; outcome: PipelineOutcome }> {
  const one = await run(inputs, 'never', extra);
  const two = await run(inputs, 'always', extra);
  expect(two.calls.length).toBe(one.calls.length);
  for (let i = 0; i < one.calls.length; i++) expect(two.calls[i]).toBe(one.calls[i]);
  expect(two.outcome.unusable).toBe(one.outcome.unusable);
  expect(two.outcome.fatal.map((e) => [e.name, e.code, e.message, e.file, e.position, e instanceof Error])).toEqual(
    one.outcome.fatal.map((e) => [e.name, e.code, e.message, e.file, e.position, e instanceof Error]),
  );
  return one;
}

describe('first half in a worker thread', () => {
  it.each([
    [['fixtures/real/a_clean/capture.pcap']],
    [['fixtures/real/a_clean/capture.pcapng']],
    [['fixtures/real/b_crash/capture.pcap']],
    [['fixtures/udp/capture.pcap']],
    [['fixtures/anatomy.pcap']],
    [['fixtures/real/a_clean/capture.pcap', 'fixtures/real/b_crash/capture.pcap', 'fixtures/anatomy.pcap']],
    // one file twice: its requests are counted for its last input, in both runs
    [['fixtures/real/a_clean/capture.pcapng', 'fixtures/real/a_clean/capture.pcapng']],
  ])('%s: the writer sees the same run', async (inputs) => {
    expect((await expectSameRun(inputs)).calls.length).toBeGreaterThan(3);
  });

  it('the same with small reads, redaction and proxy legs kept apart', async () => {
    await expectSameRun(['fixtures/real/b_crash/capture.pcap'], {
      input: { inputFormat: 'auto', logParser: null, chunkSize: 4093 }, redact: true, mergeProxyLegs: false,
    });
  });

  it('the same input errors: a capture cut and corrupted part-way, and one unusable from the start', async () => {
    const dir = tempDir('worker-run-');
    const whole = readFileSync('fixtures/anatomy.pcap');
    const cut = join(dir, 'cut.pcap');
    // a record length far past any snap length after the first third of the records: unusable from there
    const le = whole.readUInt32LE(0) === 0xa1b2c3d4;
    let at = 24;
    while (at < whole.length / 3) at += 16 + (le ? whole.readUInt32LE(at + 8) : whole.readUInt32BE(at + 8));
    writeFileSync(cut, Buffer.concat([whole.subarray(0, at), Buffer.from('0000000000000000ffffff7fffffff7f', 'hex'), whole.subarray(at)]));
    const junk = join(dir, 'junk.pcap');
    writeFileSync(junk, Buffer.concat([whole.subarray(0, 4), Buffer.from('not a pcap header at all')]));
    const part = await expectSameRun([cut]);
    expect(part.calls.length).toBeGreaterThan(3);
    expect(part.outcome.fatal.length).toBe(1);
    expect(part.outcome.unusable).toBe(false);
    expect((await expectSameRun([junk])).outcome.unusable).toBe(true);
    expect((await expectSameRun([junk, cut])).outcome.fatal.length).toBe(2);
  });
});
