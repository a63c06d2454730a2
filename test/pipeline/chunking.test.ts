/**
 * Records that straddle read chunks: packets of a chunk are queued before they are fed (captures
 * are merged packet by packet), so a record assembled from two chunks must stay intact while the
 * next straddling record is collected. Small chunk sizes put hundreds of records across
 * boundaries; the replay must be the same as with whole-file chunks.
 */
import { describe, expect, it } from 'vitest';
import { runPipeline } from '../../src/pipeline/run.js';
import type { Announce } from '../../src/announce/types.js';
import type { ReportWriter } from '../../src/report/writer.js';

async function replay(path: string, chunkSize?: number): Promise<string[]> {
  const seen: string[] = [];
  const writer: ReportWriter = {
    begin() {}, scrape() {}, sessionClosed() {}, end() {},
    announce(a: Announce) {
      seen.push([a.origin.packet, a.client.ip, a.uploaded, a.downloaded, a.left, a.reply?.interval ?? 'no reply'].join(' '));
    },
  };
  await runPipeline({ inputs: [path], input: { inputFormat: 'auto', logParser: null, chunkSize }, replay: { rules: 'tbsource' }, mergeProxyLegs: true }, writer);
  return seen;
}

describe('records across chunk boundaries', () => {
  it.each([
    ['fixtures/real/a_clean/capture.pcap'],
    ['fixtures/real/a_clean/capture.pcapng'],
    ['fixtures/real/b_crash/capture-nano.pcap'],
  ])('%s: 997-byte and 4093-byte chunks replay like one chunk', async (path) => {
    const whole = await replay(path);
    expect(whole.length).toBeGreaterThan(6);
    expect(whole.every((l) => !l.endsWith('no reply'))).toBe(true);
    expect(await replay(path, 997)).toEqual(whole);
    expect(await replay(path, 4093)).toEqual(whole);
  });
});
