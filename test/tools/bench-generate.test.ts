// Purpose: the benchmark generator writes a valid capture whose announce count, as counted by an
// independent reader (tshark with out-of-order reassembly), equals what the generator reports,
// with correct checksums (tcpdump -vv), and the same bytes for the same seed.
// Fields checked: packets (tcpdump), http.request / http.response counts (tshark), file size, bytes.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateBenchCapture } from '../../src/bench/generate.js';

const has = (tool: string): boolean => spawnSync(tool, ['--version']).status === 0;
const hasTcpdump = has('tcpdump');
const hasTshark = has('tshark');
if (!hasTcpdump) console.warn('SKIPPED bench-generate tcpdump checks: tcpdump is not installed');
if (!hasTshark) console.warn('SKIPPED bench-generate tshark checks: tshark is not installed');

const dir = mkdtempSync(join(tmpdir(), 'bench-gen-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, 'b.pcap');
const target = 5 * 1024 * 1024;
const summary = generateBenchCapture(file, { targetBytes: target, seed: 7 });

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'latin1', maxBuffer: 256 << 20 });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
  return r.stdout;
}
const lines = (s: string): number => s.split('\n').filter((l) => l !== '').length;
const sha = (p: string): string => createHash('sha256').update(readFileSync(p)).digest('hex');

describe('generateBenchCapture (5 MB, seed 7)', () => {
  it('stops just past the target size and reports the file size it wrote', () => {
    const size = statSync(file).size;
    expect(summary.fileBytes).toBe(size);
    expect(size).toBeGreaterThanOrEqual(target);
    expect(size).toBeLessThan(target + 2 * 1024 * 1024);
    expect(summary.announces).toBeGreaterThan(1000);
    expect(summary.splitRequests).toBeGreaterThan(0);
    expect(summary.reorderedRequests).toBeGreaterThan(0);
    expect(summary.retransmissions).toBeGreaterThan(0);
    expect(summary.otherPackets).toBeGreaterThan(0);
  });

  it('is deterministic: same seed, same bytes; another seed, other bytes', () => {
    const again = join(dir, 'again.pcap');
    const other = join(dir, 'other.pcap');
    generateBenchCapture(again, { targetBytes: target, seed: 7 });
    generateBenchCapture(other, { targetBytes: target, seed: 8 });
    expect(sha(again)).toBe(sha(file));
    expect(sha(other)).not.toBe(sha(file));
  });

  it.skipIf(!hasTcpdump)('tcpdump reads every packet and finds no bad checksum', () => {
    expect(lines(run('tcpdump', ['-n', '-r', file]))).toBe(summary.packets);
    const vv = run('tcpdump', ['-n', '-vv', '-r', file]);
    expect(vv).not.toMatch(/bad cksum|bad udp cksum|incorrect/);
  });

  it.skipIf(!hasTshark)('tshark counts as many announce requests and responses as the generator wrote', () => {
    const base = ['-n', '-2', '-o', 'tcp.reassemble_out_of_order:TRUE', '-r', file];
    const uris = run('tshark', [...base, '-Y', 'http.request', '-T', 'fields', '-e', 'http.request.uri']);
    expect(lines(uris)).toBe(summary.announces);
    expect(uris.split('\n').filter((u) => u !== '').every((u) => u.startsWith('/announce?info_hash='))).toBe(true);
    const codes = run('tshark', [...base, '-Y', 'http.response', '-T', 'fields', '-e', 'http.response.code']);
    expect(lines(codes)).toBe(summary.responses);
  });
});
