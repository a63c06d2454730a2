/**
 * --threads: the second thread (reading and decoding in a worker) changes when the work is done,
 * never what is reported. Every real capture gives the same bytes on stdout and stderr either way.
 */
import { describe, expect, it } from 'vitest';
import { cli } from './cli.js';

const CAPTURES = [
  'fixtures/anatomy.pcap',
  'fixtures/real/a_clean/capture.pcap',
  'fixtures/real/a_clean/capture.pcapng',
  'fixtures/real/b_crash/capture.pcap',
  'fixtures/udp/capture.pcap',
];

describe('--threads', () => {
  for (const file of CAPTURES) {
    it(`${file}: two threads give the one-thread report, json and text`, () => {
      for (const format of ['json', 'text']) {
        const one = cli(['--threads', '1', '--format', format, '--interval', '1800', file]);
        const two = cli(['--threads', '2', '--format', format, '--interval', '1800', file]);
        expect(one.code).toBe(0);
        expect(two.code).toBe(0);
        expect(one.stdout.length).toBeGreaterThan(500);
        expect(two.stdout).toBe(one.stdout);
        expect(two.stderr).toBe(one.stderr);
      }
    });
  }

  it('merges several captures the same way in two threads', () => {
    const files = ['fixtures/real/b_crash/capture.pcap', 'fixtures/real/a_clean/capture.pcapng', 'fixtures/anatomy.pcap'];
    const one = cli(['--threads', '1', '--format', 'json', ...files]);
    const two = cli(['--threads', '2', '--format', 'json', ...files]);
    expect(one.code).toBe(0);
    expect(two.stdout).toBe(one.stdout);
  });

  it('refuses other values with exit 2', () => {
    const r = cli(['--threads', '3', 'fixtures/anatomy.pcap']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--threads/);
  });
});
