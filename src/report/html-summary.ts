/** The end-of-run summary in HTML: what was read (and what was skipped, and why), then the tables. */
import type { ReplayResult, Session } from '../tracker/types.js';
import type { RunTotals } from './writer.js';
import { bytesWithUnit, grouped, humanBytes } from '../format/units.js';
import { esc, htmlTable, tableHead, tableRow, wire } from './html-page.js';
import type { ClientTally } from './client-tally.js';
import { peerLabel, sessionAnchor } from './html-session.js';

function byKey(m: ReadonlyMap<string, number>): [string, number][] {
  return [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** What each input held and what was skipped, and why. */
export function renderInputsHtml(totals: RunTotals): string {
  const out: string[] = ['<h2 id="read">What was read</h2>'];
  for (const i of totals.inputs) {
    const size = i.packets > 0 || !i.format.startsWith('log') ? `${grouped(i.packets)} packets` : `${grouped(i.lines)} lines`;
    out.push(`<h3><code>${wire(i.path)}</code> <span class="dim">(${esc(i.format)}, ${esc(bytesWithUnit(BigInt(i.bytes)))})</span></h3>`);
    out.push(`<p>${size}, ${grouped(i.announces)} announces, ${grouped(i.scrapes)} scrapes, ${grouped(i.otherRequests)} other HTTP requests</p>`);
    const stats = byKey(i.stats);
    if (stats.length) out.push(`<p class="dim">${stats.map(([k, v]) => `${esc(k)} ${grouped(v)}`).join(' · ')}</p>`);
    const skipped = byKey(i.skipped);
    if (skipped.length) out.push(htmlTable(['skipped because', 'count'], skipped.map(([r, n]) => [wire(r), grouped(n)]), [1]));
    else out.push('<p class="dim">Nothing skipped.</p>');
    for (const w of i.warnings) out.push(`<p class="warn">warning: ${wire(w)}</p>`);
    for (const n of i.notes) out.push(`<p>note: ${wire(n)}</p>`);
  }
  if (totals.proxyLegsMerged > 0) out.push(`<p>${grouped(totals.proxyLegsMerged)} proxy backend legs merged into the client’s own request (each announce counted once)</p>`);
  if (totals.lateRequests > 0) out.push(`<p class="warn">warning: ${grouped(totals.lateRequests)} requests reached the replay after later ones (their reply came very late); they were replayed out of time order</p>`);
  return out.length === 0 ? '' : out.join('\n') + '\n';
}

/** Columns of the session index aligned as numbers. */
const SESSION_NUMERIC = [5, 6, 7];

/** The session index's heading and table head; its rows (sessionIndexRow) follow, then SESSION_INDEX_END. */
export const SESSION_INDEX_HEAD = '<h2 id="sessions">Sessions</h2>\n<p class="dim">In the order they ended, as on this page.</p>\n'
  + tableHead(['session', 'torrent', 'peer', 'user', 'final state', 'credited up', 'credited down', 'anomalies'], SESSION_NUMERIC);

export const SESSION_INDEX_END = '</tbody></table>';

/**
 * The session index's row for a session, made when it closes. Rows are held as HTML (HeldText:
 * fixed memory, then a temp file) and listed in the order the sessions closed, the order of their
 * sections on the page: a row object per session kept for a sort at the end grew with the input
 * (about 100 MB on the 200 MB bench capture).
 */
export function sessionIndexRow(s: Session): string {
  return tableRow([
    `<a href="#${sessionAnchor(s.index)}">${s.index + 1}</a>`, `<code>${esc(s.infoHash.slice(0, 12))}…</code>`,
    `<code>${esc(peerLabel(s))}</code>`, wire(s.user), esc(s.finalState),
    humanBytes(s.credited.uploaded), humanBytes(s.credited.downloaded), String(s.anomalies.length),
  ], SESSION_NUMERIC);
}

/** Users, torrents and clients as tables (the session index is written before them, see SESSION_INDEX_HEAD). */
export function renderTablesHtml(result: ReplayResult, clients: ClientTally, torrentNames: ReadonlyMap<string, string>): string {
  const out: string[] = [];
  if (result.users.length > 0) {
    out.push('<h2 id="users">Users (as the tracker credited them)</h2>', htmlTable(
      ['user', 'credited up', 'credited down', 'ratio', 'sessions', 'anomalies'],
      result.users.map((u) => {
        const ratio = u.credited.downloaded === 0n ? (u.credited.uploaded === 0n ? '-' : 'inf') : (Number(u.credited.uploaded) / Number(u.credited.downloaded)).toFixed(2);
        return [wire(u.user), humanBytes(u.credited.uploaded), humanBytes(u.credited.downloaded), ratio, String(u.sessions.length), String(u.anomalies)];
      }),
      [1, 2, 3, 4, 5],
    ));
  }
  if (result.torrents.length > 0) {
    // names come only from --torrent files: without them the column would stay empty
    const named = result.torrents.some((t) => torrentNames.has(t.infoHash.toLowerCase()));
    out.push('<h2 id="torrents">Torrents (as the tracker holds them at the end)</h2>', htmlTable(
      ['torrent', ...(named ? ['name'] : []), 'size', 'seeders', 'leechers', 'completed'],
      result.torrents.map((t) => [
        `<code>${esc(t.infoHash)}</code>`, ...(named ? [wire(torrentNames.get(t.infoHash.toLowerCase()) ?? '')] : []),
        t.size === null ? 'unknown' : `${humanBytes(t.size)}${t.sizeSource === 'announces' ? ' <span class="dim">(from announces)</span>' : ''}`,
        String(t.seeders), String(t.leechers), String(t.timesCompleted),
      ]),
      named ? [3, 4, 5] : [2, 3, 4],
    ));
  }
  const byClient = clients.byClient;
  if (byClient.size > 0) {
    out.push('<h2 id="clients">Clients (which leave ghost peers)</h2>', htmlTable(
      ['client', 'sessions', 'missing stopped'],
      [...byClient].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, c]) => [wire(name), String(c.sessions), String(c.missingStopped)]),
      [1, 2],
    ));
  }
  return out.length === 0 ? '' : out.join('\n') + '\n';
}
