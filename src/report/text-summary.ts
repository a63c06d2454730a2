/** The end-of-run summary in text: what was read (every packet and line accounted for), and tables. */
import Table from 'cli-table3';
import type { ReplayResult, Session } from '../tracker/types.js';
import type { RunTotals } from './writer.js';
import { sanitize } from './sanitize.js';
import { bytesWithUnit, grouped, humanBytes } from '../format/units.js';
import type { Palette } from './style.js';

function table(head: string[]): Table.Table {
  // cli-table3 colours its borders and heads itself; our palette decides colour instead
  return new Table({ head, style: { head: [], border: [], compact: true } });
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

/** Sessions per client name, and how many of them never sent `stopped` (ghost peers). */
export class ClientTally {
  readonly byClient = new Map<string, { sessions: number; missingStopped: number }>();
  add(s: Session): void {
    const name = s.peerId.client ?? 'unknown client';
    const c = this.byClient.get(name) ?? { sessions: 0, missingStopped: 0 };
    c.sessions++;
    if (s.anomalies.some((f) => f.code === 'missing-stopped')) c.missingStopped++;
    this.byClient.set(name, c);
  }
}

/** Users, torrents and clients as tables. */
export function renderTables(result: ReplayResult, p: Palette, tally: ClientTally): string[] {
  const lines: string[] = [];
  if (result.users.length > 0) {
    const t = table(['user', 'credited up', 'credited down', 'ratio', 'sessions', 'anomalies']);
    for (const u of result.users) {
      const ratio = u.credited.downloaded === 0n ? (u.credited.uploaded === 0n ? '-' : 'inf') : (Number(u.credited.uploaded) / Number(u.credited.downloaded)).toFixed(2);
      t.push([sanitize(u.user), humanBytes(u.credited.uploaded), humanBytes(u.credited.downloaded), ratio, String(u.sessions.length), String(u.anomalies)]);
    }
    lines.push(p.heading('Users (as the tracker credited them)'), t.toString());
  }
  if (result.torrents.length > 0) {
    const t = table(['torrent', 'size', 'seeders', 'leechers', 'completed']);
    for (const x of result.torrents) {
      t.push([x.infoHash, x.size === null ? 'unknown' : `${humanBytes(x.size)}${x.sizeSource === 'announces' ? ' (from announces)' : ''}`, String(x.seeders), String(x.leechers), String(x.timesCompleted)]);
    }
    lines.push(p.heading('Torrents (as the tracker holds them at the end)'), t.toString());
  }
  for (const s of result.sessions) tally.add(s);
  const clients = tally.byClient;
  if (clients.size > 0) {
    const t = table(['client', 'sessions', 'missing stopped']);
    for (const [name, c] of [...clients].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) t.push([sanitize(name), String(c.sessions), String(c.missingStopped)]);
    lines.push(p.heading('Clients (which leave ghost peers)'), t.toString());
  }
  return lines;
}
