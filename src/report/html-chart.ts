/**
 * A session's timeline as inline SVG: the client's reported uploaded, downloaded and left over time
 * (one polyline each, on one byte axis), with the events (started, completed, stopped) as dashed
 * lines and the anomalies as markers above the plot. Hovering a marker shows its full text (an SVG
 * <title>), and the labels are also drawn, so a screenshot or a print still says what happened.
 * Pure: the same points give the same markup (no clock, no locale).
 */
import { esc, severityClass } from './html-page.js';

/** One announce of a session, as the chart needs it. Counters are null when absent or not a number. */
export interface ChartPoint {
  /** ns since epoch. */
  readonly ts: bigint;
  readonly uploaded: bigint | null;
  readonly downloaded: bigint | null;
  readonly left: bigint | null;
  readonly event: string | null;
  /** False when the tracker refused the announce: drawn hollow. */
  readonly applied: boolean;
  /** 1-based number of the announce in its session (links to its anchor). */
  readonly number: number;
}

/** An anomaly to mark: at an announce (its 1-based number) or, with null, at the end of the session. */
export interface ChartMark {
  readonly announce: number | null;
  readonly severity: string;
  readonly code: string;
  readonly message: string;
}

const W = 960;
const H = 320;
const M = { left: 86, right: 24, top: 72, bottom: 46 };
const PW = W - M.left - M.right;
const PH = H - M.top - M.bottom;
const ROWS = 3;
const ROW_H = 14;

const SERIES = [
  { key: 'uploaded', cls: 's-up', label: 'uploaded' },
  { key: 'downloaded', cls: 's-down', label: 'downloaded' },
  { key: 'left', cls: 's-left', label: 'left' },
] as const;

/** Bytes as an axis label: "0", "512 KiB", "1.5 GiB". */
export function axisBytes(v: number): string {
  if (v === 0) return '0';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let u = 0;
  while (Math.abs(v) >= 1024 && u < units.length - 1) { v /= 1024; u++; }
  const s = Number.isInteger(v) ? v.toFixed(0) : v.toFixed(Math.abs(v) < 10 ? 2 : 1).replace(/\.?0+$/, '');
  return `${s} ${units[u]}`;
}

/** Byte ticks: steps of 1, 2, 2.5 or 5 × 10^k in the binary unit that suits `max`. */
export function byteTicks(max: number): { step: number; top: number } {
  if (!(max > 0)) return { step: 1, top: 1 };
  let unit = 1;
  while (max / unit >= 1024 && unit < 2 ** 60) unit *= 1024;
  const raw = max / unit / 5;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * pow >= raw) ?? 10) * pow * unit;
  return { step, top: Math.ceil(max / step) * step };
}

const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800];

/** "21:15:00" (UTC) for a tick, with the date when the chart spans days. */
function clock(secondsSinceEpoch: number, withDate: boolean): string {
  const iso = new Date(secondsSinceEpoch * 1000).toISOString();
  return withDate ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : iso.slice(11, 19);
}

/**
 * A coordinate with one decimal, without a trailing ".0". Several per point of every chart: integer
 * arithmetic on tenths instead of toFixed and a regex; the same text as
 * `(Math.round(v * 10) / 10).toFixed(1).replace(/\.0$/, '')`, which stays for values far outside the chart.
 */
function num(v: number): string {
  const k = Math.round(v * 10);
  if (!(k > -1e15 && k < 1e15)) return (k / 10).toFixed(1).replace(/\.0$/, '');
  // -0.04 rounds to -0, which toFixed writes as "0.0"
  if (k === 0) return '0';
  const a = k < 0 ? -k : k;
  const tenth = a % 10;
  const whole = (a - tenth) / 10;
  return (k < 0 ? '-' : '') + (tenth === 0 ? String(whole) : `${whole}.${tenth}`);
}

/** The chart of one session. `id` makes the <title> reference unique in the page. */
export function renderChart(id: string, points: readonly ChartPoint[], marks: readonly ChartMark[]): string {
  if (points.length === 0) return '';
  // time in seconds relative to the first announce (Number is exact enough for a chart)
  const t0 = points[0]!.ts;
  const epoch0 = Number(t0 / 1_000_000_000n) + Number(t0 % 1_000_000_000n) / 1e9;
  const rel = points.map((p) => Number(p.ts - t0) / 1e9);
  let span = rel[rel.length - 1]!;
  let from = 0;
  if (span <= 0) { from = -30; span = 60; }
  // a margin either side keeps the first and last markers off the axes
  const pad = span * 0.03;
  const lo = from - pad;
  const hi = from + span + pad;
  const x = (s: number): number => M.left + ((s - lo) / (hi - lo)) * PW;

  let max = 0;
  for (const p of points) for (const s of SERIES) { const v = p[s.key]; if (v !== null && Number(v) > max) max = Number(v); }
  const { step: yStep, top } = byteTicks(max);
  const y = (v: number): number => M.top + PH - (v / top) * PH;

  const out: string[] = [];
  out.push(`<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="${id}-t"><title id="${id}-t">uploaded, downloaded and left reported by the client over time (UTC)</title>`);

  // y grid and labels
  for (let v = 0; v <= top + yStep / 2; v += yStep) {
    const yy = num(y(v));
    out.push(`<line class="grid" x1="${M.left}" x2="${W - M.right}" y1="${yy}" y2="${yy}"/><text class="tick" x="${M.left - 6}" y="${num(y(v) + 4)}" text-anchor="end">${esc(axisBytes(v))}</text>`);
  }
  // x ticks at round UTC times
  const want = (hi - lo) / 7;
  const tStep = TIME_STEPS.find((s) => s >= want) ?? Math.ceil(want / 604800) * 604800;
  const withDate = hi - lo > 86400;
  const first = Math.ceil((epoch0 + lo) / tStep) * tStep;
  for (let e = first; e <= epoch0 + hi; e += tStep) {
    const xx = num(x(e - epoch0));
    out.push(`<line class="grid" x1="${xx}" x2="${xx}" y1="${M.top}" y2="${M.top + PH}"/><text class="tick" x="${xx}" y="${M.top + PH + 16}" text-anchor="middle">${clock(e, withDate)}</text>`);
  }
  out.push(`<line class="axis" x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${M.top + PH}"/><line class="axis" x1="${M.left}" x2="${W - M.right}" y1="${M.top + PH}" y2="${M.top + PH}"/>`);
  const date = new Date(epoch0 * 1000).toISOString().slice(0, 10);
  out.push(`<text class="tick" x="${M.left + PW / 2}" y="${H - 8}" text-anchor="middle">time (UTC, ${date})</text>`);
  out.push(`<text class="tick" x="14" y="${M.top + PH / 2}" text-anchor="middle" transform="rotate(-90 14 ${M.top + PH / 2})">bytes reported by the client</text>`);

  // events: a dashed line and the event's name above the plot
  for (let i = 0; i < points.length; i++) {
    const ev = points[i]!.event;
    if (ev === null) continue;
    const xx = num(x(rel[i]!));
    out.push(`<line class="ev" x1="${xx}" x2="${xx}" y1="${M.top - 6}" y2="${M.top + PH}"/><text class="ev-label" x="${xx}" y="${M.top - 10}" text-anchor="middle">${esc(ev)}</text>`);
  }

  // each point's coordinates as text, made once: the polylines and the circles both use them
  const xs = rel.map((r) => num(x(r)));
  const ys = SERIES.map((s) => points.map((p) => { const v = p[s.key]; return v === null ? '' : num(y(Number(v))); }));
  // series: a polyline per run of known values (an absent counter breaks the line)
  SERIES.forEach((s, k) => {
    let run: string[] = [];
    const flush = (): void => { if (run.length > 1) out.push(`<polyline class="${s.cls}" points="${run.join(' ')}"/>`); run = []; };
    for (let i = 0; i < points.length; i++) {
      const v = points[i]![s.key];
      if (v === null) { flush(); continue; }
      run.push(`${xs[i]},${ys[k]![i]}`);
    }
    flush();
  });
  // points: filled when applied, hollow red when the tracker refused the announce
  SERIES.forEach((s, k) => {
    for (let i = 0; i < points.length; i++) {
      const p = points[i]!;
      const v = p[s.key];
      if (v === null) continue;
      const tip = `#${p.number}${p.event ? ' ' + p.event : ''}: ${s.label} ${v} bytes${p.applied ? '' : ' (refused by the tracker)'}`;
      out.push(`<circle class="pt ${s.cls}${p.applied ? '' : ' refused'}" cx="${xs[i]}" cy="${ys[k]![i]}" r="3.5"><title>${esc(tip)}</title></circle>`);
    }
  });

  // anomalies: triangles in rows above the plot, labelled with the code where there is room
  const byNumber = new Map<number, number>();
  points.forEach((p, i) => byNumber.set(p.number, i));
  const stack = new Map<string, number>();
  const textEnd: number[] = new Array(ROWS).fill(-Infinity);
  for (const m of marks) {
    const i = m.announce === null ? points.length - 1 : byNumber.get(m.announce);
    if (i === undefined) continue;
    const xv = x(rel[i]!);
    const key = num(xv);
    const row = stack.get(key) ?? 0;
    stack.set(key, row + 1);
    if (row >= ROWS) continue; // the list under the chart has them all
    const yy = 14 + row * ROW_H;
    const cls = severityClass(m.severity);
    const where = m.announce === null ? 'session' : `announce #${m.announce}`;
    out.push(`<path class="an ${cls}" d="M${num(xv - 5)},${yy - 5}h10l-5,9z"><title>${esc(`${m.severity} ${m.code} (${where}): ${m.message}`)}</title></path>`);
    const label = m.code;
    const width = label.length * 6 + 8;
    // labels go right of the marker, or left of it near the right edge
    const right = xv + 8 + width <= W - 2;
    const start = right ? xv + 8 : xv - 8 - width;
    if (start > textEnd[row]!) {
      out.push(`<text class="an-label ${cls}" x="${num(right ? xv + 8 : xv - 8)}" y="${yy + 3}"${right ? '' : ' text-anchor="end"'}>${esc(label)}</text>`);
      textEnd[row] = start + width;
    }
  }
  out.push('</svg>');
  return out.join('');
}

/** The legend under a chart (HTML, so it wraps on narrow screens). */
export function renderLegend(): string {
  return '<div class="legend"><span><i class="k-up"></i>uploaded</span><span><i class="k-down"></i>downloaded</span>'
    + '<span><i class="k-left"></i>left</span><span><i class="k-ev"></i>event (started, completed, stopped)</span>'
    + '<span><i class="k-ref"></i>refused by the tracker</span><span><i class="k-an"></i>anomaly (hover for details)</span></div>';
}
