/**
 * The chart's axes (src/report/html-chart.ts): byte ticks in binary units with round steps, and
 * degenerate sessions (one announce, absent counters) still give a readable chart.
 */
import { describe, expect, it } from 'vitest';
import { axisBytes, byteTicks, renderChart, type ChartPoint } from '../../src/report/html-chart.js';

describe('byteTicks', () => {
  it('picks round steps in the unit of the maximum', () => {
    // anatomy.pcap: 754384896 bytes (719.4 MiB) -> 200 MiB steps up to 800 MiB
    expect(byteTicks(754384896)).toEqual({ step: 200 * 2 ** 20, top: 800 * 2 ** 20 });
    // b_crash: 24903680 bytes (23.75 MiB) -> 5 MiB steps up to 25 MiB
    expect(byteTicks(24903680)).toEqual({ step: 5 * 2 ** 20, top: 25 * 2 ** 20 });
    expect(byteTicks(1000)).toEqual({ step: 200, top: 1000 });
    expect(byteTicks(0)).toEqual({ step: 1, top: 1 });
  });

  it('labels ticks in binary units', () => {
    expect(axisBytes(0)).toBe('0');
    expect(axisBytes(200 * 2 ** 20)).toBe('200 MiB');
    expect(axisBytes(2.5 * 2 ** 30)).toBe('2.5 GiB');
    expect(axisBytes(512)).toBe('512 B');
  });
});

describe('renderChart', () => {
  const at = (s: number): bigint => 1081976400_000_000_000n + BigInt(s) * 1_000_000_000n;

  it('draws a one-announce session around its time, as points without lines', () => {
    const svg = renderChart('c', [{ ts: at(0), uploaded: 0n, downloaded: 0n, left: 100n, event: 'started', applied: true, number: 1 }], []);
    expect(svg).not.toContain('<polyline');
    expect(svg.match(/<circle /g)).toHaveLength(3);
    expect(svg).toContain('>21:00:00</text>');
    expect(svg).toContain('>started</text>');
  });

  it('breaks a line where a counter is absent and marks refused announces hollow', () => {
    const pts: ChartPoint[] = [0, 60, 120, 180].map((s, i) => ({
      ts: at(s), uploaded: i === 2 ? null : BigInt(s), downloaded: 0n, left: 0n, event: null, applied: i !== 3, number: i + 1,
    }));
    const svg = renderChart('c', pts, [{ announce: null, severity: 'warning', code: 'missing-stopped', message: 'a <b> message' }]);
    // uploaded: [1,2] and [4] (a single point draws no line); downloaded and left: one line each
    expect(svg.match(/<polyline class="s-up"/g)).toHaveLength(1);
    expect(svg.match(/<polyline class="s-(down|left)"/g)).toHaveLength(2);
    expect(svg.match(/class="pt s-\w+ refused"/g)).toHaveLength(3);
    expect(svg).toContain('a &lt;b&gt; message');
    expect(svg).toContain('>missing-stopped</text>');
  });
});
