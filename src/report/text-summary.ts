/** The end-of-run summary in text: what was read (every packet and line accounted for), and tables. */
import Table from 'cli-table3';
import type { ReplayResult, Session } from '../tracker/types.js';
import type { RunTotals } from './writer.js';
import { sanitize } from './sanitize.js';
import { bytesWithUnit, grouped, humanBytes } from '../format/units.js';
import type { Palette } from './style.js';
import type { ClientTally } from './client-tally.js';

function table(head: string[]): Table.Table {
  // cli-table3 colours its borders and heads itself; our palette decides colour instead
  return new Table({ head, style: { head: [], border: [], compact: true } });
}

/**
 * cli-table3 lays a table out in time quadratic in its rows (8,000 rows take ~5 s, a busy
 * tracker's 20,000 users ~30 s and a gigabyte of memory), so a long table is drawn as blocks of
 * this many rows, each with its own head.
 */
const BLOCK_ROWS = 500;

/** The table as text: one cli-table3 table, or consecutive blocks of BLOCK_ROWS rows. */
function drawTable(head: string[], rows: readonly string[][]): string {
  const blocks: string[] = [];
  for (let i = 0; i === 0 || i < rows.length; i += BLOCK_ROWS) {
    const t = table(head);
    for (const r of rows.slice(i, i + BLOCK_ROWS)) t.push(r);
    blocks.push(t.toString());
  }
  return blocks.join('\n');
}

/**
 * At most `max` items (0: all): the first `max` by `rank`, listed in their original order, and how
 * many were left out.
 */
function topRows<T>(items: readonly T[], max: number, rank: (a: T, b: T) => number): { shown: readonly T[]; hidden: number } {
  if (max <= 0 || items.length <= max) return { shown: items, hidden: 0 };
  const order = items.map((_, i) => i).sort((a, b) => rank(items[a]!, items[b]!) || a - b);
  const picked = order.slice(0, max).sort((a, b) => a - b);
  return { shown: picked.map((i) => items[i]!), hidden: items.length - max };
}

/** bigint comparison for sort callbacks: larger first. */
function larger(a: bigint, b: bigint): number {
  return a > b ? -1 : a < b ? 1 : 0;
}

/** The line under a table that lists only some of its rows. */
function leftOut(p: Palette, hidden: number, noun: string, which: string): string {
  return p.dim(`  ${count(hidden, `more ${noun}`)} not listed (listed: ${which}); --max-rows 0 lists all, --format csv or json gives every one`);
}

function sorted(m: ReadonlyMap<string, number>): [string, number][] {
  return [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** "1 scrape", "14 announces". */
function count(n: number, noun: string): string {
  return `${grouped(n)} ${noun}${n === 1 ? '' : 's'}`;
}

/** Lines describing what each input held and what was skipped, and why. */
export function renderInputs(totals: RunTotals, p: Palette): string[] {
  const lines: string[] = [p.heading('What was read')];
  for (const i of totals.inputs) {
    const size = i.packets > 0 || !i.format.startsWith('log') ? count(i.packets, 'packet') : count(i.lines, 'line');
    lines.push(`  ${sanitize(i.path)} (${i.format}, ${bytesWithUnit(BigInt(i.bytes))}): ${size}, ${count(i.announces, 'announce')}, ${count(i.scrapes, 'scrape')}, ${count(i.otherRequests, 'other HTTP request')}`);
    const stats = sorted(i.stats);
    if (stats.length) lines.push(p.dim(`    ${stats.map(([k, v]) => `${k} ${grouped(v)}`).join(' · ')}`));
    for (const [reason, n] of sorted(i.skipped)) lines.push(`    ${p.warn('skipped')} ${grouped(n)} × ${sanitize(reason)}`);
    for (const w of i.warnings) lines.push(`    ${p.warn('warning')} ${sanitize(w)}`);
    for (const n of i.notes) lines.push(`    ${p.dim('note')} ${sanitize(n)}`);
  }
  if (totals.proxyLegsMerged > 0) lines.push(`  ${grouped(totals.proxyLegsMerged)} proxy backend legs merged into the client's own request (each announce counted once)`);
  if (totals.lateRequests > 0) lines.push(`  ${p.warn('warning')} ${grouped(totals.lateRequests)} requests reached the replay after later ones (their reply came very late); they were replayed out of time order`);
  return lines;
}


/**
 * Users, torrents and clients as tables, each listing at most `maxRows` rows (0: all); a table cut
 * short lists its most telling rows and says how many it left out.
 */
export function renderTables(result: ReplayResult, p: Palette, tally: ClientTally, maxRows = 0): string[] {
  const lines: string[] = [];
  if (result.users.length > 0) {
    const { shown, hidden } = topRows(result.users, maxRows, (a, b) =>
      b.anomalies - a.anomalies || larger(a.credited.uploaded + a.credited.downloaded, b.credited.uploaded + b.credited.downloaded));
    const rows = shown.map((u) => {
      const ratio = u.credited.downloaded === 0n ? (u.credited.uploaded === 0n ? '-' : 'inf') : (Number(u.credited.uploaded) / Number(u.credited.downloaded)).toFixed(2);
      return [sanitize(u.user), humanBytes(u.credited.uploaded), humanBytes(u.credited.downloaded), ratio, String(u.sessions.length), String(u.anomalies)];
    });
    lines.push(p.heading('Users (as the tracker credited them)'), drawTable(['user', 'credited up', 'credited down', 'ratio', 'sessions', 'anomalies'], rows));
    if (hidden > 0) lines.push(leftOut(p, hidden, 'user', 'the most anomalies, then the most credited'));
  }
  if (result.torrents.length > 0) {
    const { shown, hidden } = topRows(result.torrents, maxRows, (a, b) =>
      b.seeders + b.leechers - (a.seeders + a.leechers) || b.timesCompleted - a.timesCompleted);
    const rows = shown.map((x) => [x.infoHash, x.size === null ? 'unknown' : `${humanBytes(x.size)}${x.sizeSource === 'announces' ? ' (from announces)' : ''}`, String(x.seeders), String(x.leechers), String(x.timesCompleted)]);
    lines.push(p.heading('Torrents (as the tracker holds them at the end)'), drawTable(['torrent', 'size', 'seeders', 'leechers', 'completed'], rows));
    if (hidden > 0) lines.push(leftOut(p, hidden, 'torrent', 'the largest swarms'));
  }
  for (const s of result.sessions) tally.add(s);
  const clients = [...tally.byClient].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (clients.length > 0) {
    const { shown, hidden } = topRows(clients, maxRows, (a, b) => b[1].sessions - a[1].sessions);
    const rows = shown.map(([name, c]) => [sanitize(name), String(c.sessions), String(c.missingStopped)]);
    lines.push(p.heading('Clients (which leave ghost peers)'), drawTable(['client', 'sessions', 'missing stopped'], rows));
    if (hidden > 0) lines.push(leftOut(p, hidden, 'client', 'the most sessions'));
  }
  return lines;
}
