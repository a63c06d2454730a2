// Purpose: PcapWriter's files are read back by tcpdump with the exact timestamps, in both
// resolutions, including records larger than its buffer.
// Fields checked: magic, timestamps (tcpdump -tt / --nano), packet count and lengths.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PcapWriter } from '../../src/capture/pcap-writer.js';
import { ipv4, mac, tcpFrame, type SynthHost } from '../../src/tools/synth-tcp.js';
import { TCP_ACK, TCP_PSH } from '../../src/net/tcp.js';

const hasTcpdump = spawnSync('tcpdump', ['--version']).status === 0;
if (!hasTcpdump) console.warn('SKIPPED pcap-writer tcpdump checks: tcpdump is not installed');
const dir = mkdtempSync(join(tmpdir(), 'pcap-writer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const a: SynthHost = { mac: mac('02:00:00:00:00:01'), ip: ipv4('192.0.2.1'), port: 40000, ttl: 64, window: 1000 };
const b: SynthHost = { mac: mac('02:00:00:00:00:02'), ip: ipv4('192.0.2.2'), port: 80, ttl: 64, window: 1000 };
const frame = (len: number): Uint8Array =>
  tcpFrame({ src: a, dst: b, seq: 1, ack: 1, flags: TCP_ACK | TCP_PSH, ipId: 1, payload: new Uint8Array(len).fill(0x41) });

function write(name: string, precision: 'us' | 'ns'): string {
  const path = join(dir, name);
  const w = PcapWriter.create(path, { precision, bufferBytes: 64 * 1024 });
  w.write(1081976400_123456789n, frame(10));
  w.write(1081976401_000000001n, new Uint8Array(100_000).fill(0xff)); // larger than the 64 KiB buffer (a broadcast frame of 0xff)
  w.write(1081976402_999999999n, frame(0));
  w.close();
  expect(w.packets).toBe(3);
  expect(readFileSync(path).length).toBe(w.bytes);
  return path;
}

describe('PcapWriter', () => {
  it('writes the LE magic of each resolution and the Ethernet link type', () => {
    const us = readFileSync(write('magic-us.pcap', 'us'));
    const ns = readFileSync(write('magic-ns.pcap', 'ns'));
    expect(us.readUInt32LE(0)).toBe(0xa1b2c3d4);
    expect(ns.readUInt32LE(0)).toBe(0xa1b23c4d);
    expect(us.readUInt32LE(20)).toBe(1);
    // first record: seconds, then microseconds (truncated) or nanoseconds
    expect([us.readUInt32LE(24), us.readUInt32LE(28)]).toEqual([1081976400, 123456]);
    expect([ns.readUInt32LE(24), ns.readUInt32LE(28)]).toEqual([1081976400, 123456789]);
  });

  it.skipIf(!hasTcpdump)('tcpdump reads the timestamps back exactly', () => {
    const ts = (path: string, nano: boolean): string[] =>
      spawnSync('tcpdump', ['-n', '-tt', ...(nano ? ['--nano'] : []), '-r', path], { encoding: 'latin1' })
        .stdout.split('\n').filter((l) => /^\d/.test(l)).map((l) => l.split(' ')[0]); // skip hex dumps of the 0xff frame
    expect(ts(write('us.pcap', 'us'), false)).toEqual(['1081976400.123456', '1081976401.000000', '1081976402.999999']);
    expect(ts(write('ns.pcap', 'ns'), true)).toEqual(['1081976400.123456789', '1081976401.000000001', '1081976402.999999999']);
  });
});
