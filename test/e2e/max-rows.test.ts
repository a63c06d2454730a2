/**
 * --max-rows on a real capture (a_clean): 127.0.0.3 (aria2, 4 anomalies) and 127.0.0.2
 * (Transmission, 1 anomaly) are its two users, as the full table shows.
 */
import { describe, expect, it } from 'vitest';
import { cli } from './cli.js';

const A = 'fixtures/real/a_clean/capture.pcap';

describe('--max-rows', () => {
  it('lists both users by default', () => {
    const r = cli([A]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/│ 127\.0\.0\.2 +│ 32\.0 MiB/);
    expect(r.stdout).toMatch(/│ 127\.0\.0\.3 +│ 0 B/);
    expect(r.stdout).not.toMatch(/more users? not listed/);
  });

  it('with 1 lists the user with the most anomalies and counts the other', () => {
    const r = cli([A, '--max-rows', '1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/│ 127\.0\.0\.3 +│ 0 B +│ 8\.8 MiB +│ 0\.00 +│ 1 +│ 4 +│/);
    expect(r.stdout).not.toMatch(/│ 127\.0\.0\.2 /);
    expect(r.stdout).toContain('1 more user not listed');
  });

  it('refuses a value that is not a whole number', () => {
    const r = cli([A, '--max-rows', '-1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--max-rows wants a whole number (0 lists all), got '-1'");
  });
});
