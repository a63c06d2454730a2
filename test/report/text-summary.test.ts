/**
 * The text summary's tables: a long table is cut to its most telling rows with a count of the rest,
 * and drawn in blocks when every row is asked for (cli-table3's layout is quadratic in rows).
 */
import { describe, expect, it } from 'vitest';
import { renderTables } from '../../src/report/text-summary.js';
import { ClientTally } from '../../src/report/client-tally.js';
import { palette } from '../../src/report/style.js';
import type { ReplayResult, UserSummary } from '../../src/tracker/types.js';

function users(n: number): UserSummary[] {
  // user i has i % 7 anomalies and i KiB credited up
  return Array.from({ length: n }, (_, i) => ({
    user: `10.0.${i >> 8}.${i & 255}`, credited: { uploaded: BigInt(i) * 1024n, downloaded: 0n }, sessions: [i], anomalies: i % 7,
  }));
}

function result(list: UserSummary[]): ReplayResult {
  return { users: list, torrents: [], sessions: [] } as unknown as ReplayResult;
}

const listed = (text: string): string[] => [...text.matchAll(/│ (10\.0\.\d+\.\d+) +│/g)].map((m) => m[1]!);

describe('text summary tables', () => {
  it('lists every row of a table within the limit, in the usual order, with no note', () => {
    const text = renderTables(result(users(4)), palette(false), new ClientTally(), 50).join('\n');
    expect(listed(text)).toEqual(['10.0.0.0', '10.0.0.1', '10.0.0.2', '10.0.0.3']);
    expect(text).not.toContain('not listed');
  });

  it('cuts a long table to the users with the most anomalies, then the most credited, and counts the rest', () => {
    const text = renderTables(result(users(30)), palette(false), new ClientTally(), 5).join('\n');
    // 6 anomalies: users 6, 13, 20, 27; then 5 anomalies with the most credited: 26
    expect(listed(text)).toEqual(['10.0.0.6', '10.0.0.13', '10.0.0.20', '10.0.0.26', '10.0.0.27']);
    expect(text).toContain('25 more users not listed (listed: the most anomalies, then the most credited)');
  });

  it('draws every row with --max-rows 0, in blocks of 500 rows each with its head', () => {
    const text = renderTables(result(users(1200)), palette(false), new ClientTally(), 0).join('\n');
    expect(listed(text)).toHaveLength(1200);
    expect(listed(text)[1199]).toBe('10.0.4.175');
    expect(text.match(/│ user +│ credited up/g)).toHaveLength(3);
  });
});
