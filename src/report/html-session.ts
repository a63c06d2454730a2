/** A session's heading and closing summary in HTML (the counterpart of text-session.ts). */
import type { Session } from '../tracker/types.js';
import { sanitize } from './sanitize.js';
import { bytesWithUnit, duration, textTime } from '../format/units.js';
import { badge, esc, htmlTable, wire } from './html-page.js';

/** The anchor of a session (`s3`) and of one of its announces (`s3-a2`); numbers are 1-based. */
export function sessionAnchor(index: number): string {
  return `s${index + 1}`;
}

/** See sessionAnchor. */
export function announceAnchor(index: number, announce: number): string {
  return `s${index + 1}-a${announce + 1}`;
}

/** Who the session is, as the heading and the session index show it (peer text is already escaped for display). */
export function peerLabel(s: Session): string {
  return `${s.peerId.text}${s.peerId.client ? ` (${sanitize(s.peerId.client)})` : ''}`;
}

/** The session's heading: torrent, peer, user, address, span. */
export function renderSessionHeading(s: Session, torrentName: string | undefined): string {
  const name = torrentName ? ` <span class="dim">(${wire(torrentName)})</span>` : '';
  return `<h2>Session ${s.index + 1}</h2>\n`
    + '<dl class="kv">'
    + `<dt>torrent</dt><dd><code>${esc(s.infoHash)}</code>${name}</dd>`
    // peerId.text already shows control bytes as \xNN: escape only for HTML
    + `<dt>peer</dt><dd><code>${esc(s.peerId.text)}</code>${s.peerId.client ? ` ${wire(s.peerId.client)}` : ''} <span class="dim mono">${esc(s.peerId.hex)}</span></dd>`
    + `<dt>user</dt><dd>${wire(s.user)}, listed as ${wire(s.ip)}:${s.port ?? '?'}</dd>`
    + `<dt>announces</dt><dd>${s.announces.length} from <span class="mono">${esc(textTime(s.start))}</span> to <span class="mono">${esc(textTime(s.end))}</span> UTC</dd>`
    + '</dl>\n';
}

const FINAL: Record<string, (s: Session) => string> = {
  none: () => 'never listed: the tracker refused or ignored every announce of this session',
  removed: () => 'removed: the client said “stopped”, so the torrent left the user’s profile',
  expired: (s) => `expired: no announce for longer than the dead time (${duration(s.deadTime)}); the tracker dropped the peer without crediting anything after its last announce`,
  leeching: (s) => `still listed as leeching at the end of the input; the tracker drops it ${duration(s.deadTime)} after its last announce`,
  seeding: (s) => `still listed as seeding at the end of the input; the tracker drops it ${duration(s.deadTime)} after its last announce`,
};

/** The session's closing summary: final state, credited against reported, cadence, notes, anomalies. */
export function renderSessionEnd(s: Session): string {
  const kv: string[] = [];
  kv.push(`<dt>final state</dt><dd><strong>${esc(s.finalState)}</strong>: ${esc(FINAL[s.finalState]?.(s) ?? s.finalState)}</dd>`);
  kv.push(`<dt>credited</dt><dd>${esc(bytesWithUnit(s.credited.uploaded))} up, ${esc(bytesWithUnit(s.credited.downloaded))} down</dd>`);
  kv.push(`<dt>reported</dt><dd>${esc(bytesWithUnit(s.reported.uploaded))} up, ${esc(bytesWithUnit(s.reported.downloaded))} down <span class="dim">(last announce minus first, as the client counts)</span></dd>`);
  const lost = (s.reported.uploaded - s.credited.uploaded) !== 0n || (s.reported.downloaded - s.credited.downloaded) !== 0n;
  if (lost) {
    kv.push(`<dt>difference</dt><dd class="warn">reported minus credited: ${esc(bytesWithUnit(s.reported.uploaded - s.credited.uploaded))} up, ${esc(bytesWithUnit(s.reported.downloaded - s.credited.downloaded))} down</dd>`);
  }
  const gap = s.cadence.medianGap;
  const slow = gap !== null && gap > s.cadence.interval * 1.5;
  kv.push(`<dt>cadence</dt><dd>${gap === null ? 'one announce only' : `median gap ${esc(duration(gap))}`} against the interval of ${esc(duration(s.cadence.interval))} the tracker asked for${slow ? ' <span class="warn">(announces less often than asked: credit comes late or is lost on expiry)</span>' : ''}</dd>`);
  if (s.notes.length > 0) kv.push(`<dt>notes</dt><dd><ul class="notes">${s.notes.map((n) => `<li>${wire(n)}</li>`).join('')}</ul></dd>`);
  let anomalies = '<p>Anomalies: none.</p>';
  if (s.anomalies.length > 0) {
    const rows = s.anomalies.map((f) => [
      badge(f.severity, f.severity),
      `<code>${esc(f.code)}</code>`,
      f.announce === null ? 'session' : `<a href="#${announceAnchor(s.index, f.announce)}">#${f.announce + 1}</a>`,
      wire(f.message),
    ]);
    anomalies = `<h3>Anomalies</h3>${htmlTable(['severity', 'code', 'announce', 'consequence'], rows)}`;
  }
  return `<div class="end"><h3>Session end</h3><dl class="kv">${kv.join('')}</dl>${anomalies}</div>\n`;
}
