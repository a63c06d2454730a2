/**
 * Rotated captures (tcpdump -C/-G) and several inputs: merged in timestamp order into one replay.
 * The parts are cut from the real a_clean capture at record boundaries (global header repeated),
 * the way tcpdump rotates; given in any order they must replay like the whole capture.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp.js';
import { cliJson } from './cli.js';

/** Splits a little-endian classic pcap into files of `per` records each (the first file: `first` records). */
function split(path: string, per: number, dir: string, first = per): string[] {
  const buf = readFileSync(path);
  const header = buf.subarray(0, 24);
  const files: string[] = [];
  let off = 24;
  let part: Buffer[] = [header];
  let n = 0;
  const flush = (): void => {
    const f = join(dir, `part${files.length}.pcap`);
    writeFileSync(f, Buffer.concat(part));
    files.push(f);
    part = [header];
    n = 0;
  };
  while (off < buf.length) {
    const len = buf.readUInt32LE(off + 8);
    part.push(buf.subarray(off, off + 16 + len));
    off += 16 + len;
    if (++n === (files.length === 0 ? first : per)) flush();
  }
  if (n > 0) flush();
  return files;
}

describe('several inputs', () => {
  const whole = cliJson(['fixtures/real/a_clean/capture.pcap']).doc;
  const parts = split('fixtures/real/a_clean/capture.pcap', 300, tempDir('ta-rot-'));

  it('rotated parts given in reverse order replay like the whole capture', () => {
    const { code, doc } = cliJson([...parts].reverse());
    expect(code).toBe(0);
    expect(parts).toHaveLength(4);
    const key = (a: any): string => [a.time, a.client.ip, a.peerId.hex, a.event, a.uploaded, a.downloaded, a.left].join(' ');
    expect(doc.announces.map(key)).toEqual(whole.announces.map(key));
    const s = (d: any): unknown => d.sessions.map((x: any) => [x.peerId.hex, x.finalState, x.credited, x.anomalies.map((f: any) => f.code)]);
    expect(s(doc)).toEqual(s(whole));
    expect(doc.inputs.map((i: any) => i.packets).reduce((a: number, b: number) => a + b)).toBe(1047);
  });

  it('a keep-alive request at the end of one file keeps its reply from the next file', () => {
    // tcpdump -n -r capture.pcap: packet 31 is Transmission's GET at 16:12:38.100843 on its
    // keep-alive connection 34744 -> 6969; nginx's reply comes in packet 43, in the second part
    const [p0, p1] = split('fixtures/real/a_clean/capture.pcap', 5000, tempDir('ta-rot-'), 31);
    const { doc } = cliJson(['--keep-proxy-legs', p1!, p0!]);
    const front = doc.announces.find((a: any) => a.time === '2026-11-25T16:12:38.100Z' && a.tracker.port === 6969);
    expect(front.source).toBe(`${p0}#31`);
    expect(front.response).toMatchObject({ status: 200, interval: 30 });
    const later = doc.announces.find((a: any) => a.time === '2026-11-25T16:13:08.159Z' && a.tracker.port === 6969);
    expect(later.source).toBe(`${p1}#13`); // packet 44 of the whole file is the 13th of the second part
  });

  it('a capture and the log of the same traffic are two sources: both are replayed, in time order', () => {
    const { doc } = cliJson(['fixtures/real/b_crash/nginx_access.log', 'fixtures/real/b_crash/capture.pcap']);
    expect(doc.announces).toHaveLength(14);
    const times = doc.announces.map((a: any) => Date.parse(a.time));
    expect([...times].sort((x, y) => x - y)).toEqual(times);
  });
});
