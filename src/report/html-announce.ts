/**
 * One announce as HTML, the same walk-through as text-announce.ts: where it came from, the request
 * line, every parameter with its decoded value and meaning, the tracker's reply, and what the
 * replayed tracker did (credit, transition, why-notes, anomalies).
 */
import type { Announce, TrackerReply } from '../announce/types.js';
import { describeParamValue, findParam } from '../announce/params.js';
import type { TrackerStep } from '../tracker/types.js';
import { sanitizeLatin1 } from './sanitize.js';
import { bytesWithUnit, humanBytes, textTime } from '../format/units.js';
import { sourceOf } from './announce-json.js';
import { badge, esc, wire } from './html-page.js';

/** Which parameter meanings were already explained (per session), so later announces stay short. */
export type Explained = Set<string>;

const STATE_NAMES: Record<string, string> = {
  none: 'not listed', leeching: 'leeching', seeding: 'seeding', removed: 'removed', expired: 'expired',
};

/** The tracker's reply as one line of HTML. */
export function renderReplyHtml(r: TrackerReply | null, transport: string): string {
  if (r === null) return `<span class="dim">${transport === 'log' ? 'not in a log (only the status code is)' : 'none captured'}</span>`;
  const parts: string[] = [];
  if (r.status) parts.push(`HTTP ${r.status}`);
  if (r.failure !== null) parts.push(`<span class="bad">failure reason “${wire(r.failure)}”</span>`);
  if (r.warning !== null) parts.push(`<span class="warn">warning “${wire(r.warning)}”</span>`);
  if (r.interval !== null) parts.push(`interval ${r.interval} s`);
  if (r.minInterval !== null) parts.push(`min interval ${r.minInterval} s`);
  if (r.complete !== null || r.incomplete !== null) parts.push(`${r.complete ?? '?'} seeders, ${r.incomplete ?? '?'} leechers`);
  if (r.downloaded !== null) parts.push(`${r.downloaded} snatches`);
  if (r.failure === null) parts.push(`${r.peerCount ?? r.peers.length} peer${(r.peerCount ?? r.peers.length) === 1 ? '' : 's'}${r.peerForms.length ? ` (${esc(r.peerForms.join(', '))})` : ''}`);
  if (r.trackerId !== null) parts.push(`tracker id ${wire(r.trackerId)}`);
  if (r.externalIp !== null) parts.push(`external ip ${wire(r.externalIp)}`);
  if (r.problems.length > 0) parts.push(`<span class="warn">body: ${r.problems.map(wire).join('; ')}</span>`);
  return parts.join(' · ');
}

/** The one-line summary shown on a collapsed announce. */
export function renderAnnounceSummary(a: Announce, step: TrackerStep, label: string): string {
  const time = textTime(a.ts).slice(11, 19);
  const ev = a.event === null ? '' : ` <strong>${wire(a.event)}</strong>`;
  const credit = !step.applied
    ? '<span class="bad">refused</span>'
    : step.credited.uploaded === 0n && step.credited.downloaded === 0n
      ? 'credited nothing'
      : `<span class="good">+${humanBytes(step.credited.uploaded)} up, +${humanBytes(step.credited.downloaded)} down</span>`;
  const transition = step.before === step.after ? STATE_NAMES[step.after]! : `${STATE_NAMES[step.before]} → ${STATE_NAMES[step.after]}`;
  const badges = step.findings.map((f) => ' ' + badge(f.severity, f.code)).join('');
  return `<strong>${esc(label)}</strong> <span class="mono">${time}</span>${ev} · ${credit} · ${esc(transition)}${badges}`;
}

const UNKNOWN_MEANING = 'not a parameter TBSource knows; kept as sent';

/** Escaped meanings: a few constant texts (one per known parameter), escaped once each. */
const escapedMeanings = new Map<string, string>();

function escMeaning(meaning: string): string {
  let e = escapedMeanings.get(meaning);
  if (e === undefined) { e = esc(meaning); escapedMeanings.set(meaning, e); }
  return e;
}

/** The body of an announce: origin, request, parameters, reply, and what the tracker did. */
export function renderAnnounceBody(a: Announce, step: TrackerStep, explained: Explained): string {
  const out: string[] = [];
  const where = a.transport === 'log'
    ? `from ${wire(a.client.ip)}`
    : `${wire(a.client.ip)}:${a.client.port} → ${wire(a.tracker.ip)}:${a.tracker.port}`;
  const via = a.forwardedFor ? ` (forwarded for ${wire(a.forwardedFor)})` : '';
  const merged = a.proxyMerged ? ' <span class="dim">[proxy leg merged]</span>' : '';
  out.push(`<p class="meta"><span class="mono">${esc(textTime(a.ts))} UTC</span> · ${wire(sourceOf(a.origin))} · ${where}${via}${merged}</p>`);
  const method = a.transport === 'udp' ? 'UDP announce' : 'GET';
  out.push(`<p class="request"><code><span class="dim">${method}</span> ${esc(sanitizeLatin1(a.target))}${a.httpVersion ? ` <span class="dim">${esc(sanitizeLatin1(a.httpVersion))}</span>` : ''}</code></p>`);
  if (a.userAgent) out.push(`<p class="request"><code><span class="dim">User-Agent:</span> ${esc(sanitizeLatin1(a.userAgent))}</code></p>`);

  // the parameter table, built as one string (what htmlTable gives with the params class): this is
  // the biggest piece of every announce, so no row arrays and no replace over the finished table
  const names: string[] = [];
  const values: string[] = [];
  const meanings: string[] = [];
  let explaining = false;
  for (const param of a.params) {
    const info = findParam(param.name);
    const key = info?.name ?? param.name;
    const meaning = escMeaning(info ? info.meaning : UNKNOWN_MEANING);
    // the meaning is written out once per session; later announces keep it as a tooltip
    const first = !explained.has(key);
    if (first) { explained.add(key); explaining = true; }
    names.push(`<code title="${meaning}">${wire(param.name)}</code>`);
    values.push(`<code>${esc(describeParamValue(param))}</code>`);
    meanings.push(first ? meaning : '');
  }
  // once every meaning was explained, an empty column would only take room
  let table = explaining
    ? '<table class="params"><thead><tr><th>parameter</th><th>value</th><th>meaning</th></tr></thead><tbody>'
    : '<table class="params"><thead><tr><th>parameter</th><th>value</th></tr></thead><tbody>';
  for (let i = 0; i < names.length; i++) {
    table += explaining
      ? `<tr><td>${names[i]}</td><td>${values[i]}</td><td>${meanings[i]}</td></tr>`
      : `<tr><td>${names[i]}</td><td>${values[i]}</td></tr>`;
  }
  table += `<tr><td><strong>reply</strong></td><td>${renderReplyHtml(a.reply, a.transport)}</td>${explaining ? '<td></td>' : ''}</tr></tbody></table>`;
  out.push(table);
  if (a.errors.length > 0) {
    out.push(`<p class="bad">malformed: TBSource would answer “${wire(a.errors[0]!)}”${a.errors.length > 1 ? ` (also: ${a.errors.slice(1).map(wire).join('; ')})` : ''}</p>`);
  }
  if (a.problems && a.problems.length > 0) out.push(`<p class="warn">odd on the wire: ${a.problems.map(wire).join('; ')}</p>`);
  out.push(renderStepHtml(step));
  return out.join('\n');
}

/** What the replayed tracker did with the announce, as a key/value list. */
export function renderStepHtml(step: TrackerStep): string {
  const kv: string[] = [];
  if (!step.applied) {
    kv.push(`<dt>tracker</dt><dd><span class="bad">refused</span>${step.failure ? `: “${wire(step.failure)}”` : ''}; nothing changed</dd>`);
  } else {
    const up = step.credited.uploaded;
    const down = step.credited.downloaded;
    kv.push(`<dt>credited</dt><dd>${up === 0n && down === 0n
      ? '<span class="warn">nothing</span>'
      : `<span class="good">+${esc(bytesWithUnit(up))} uploaded, +${esc(bytesWithUnit(down))} downloaded</span>`}</dd>`);
  }
  const transition = step.before === step.after ? STATE_NAMES[step.after]! : `${STATE_NAMES[step.before]} → ${STATE_NAMES[step.after]}`;
  kv.push(`<dt>state</dt><dd>${esc(transition)}</dd>`);
  kv.push(`<dt>swarm</dt><dd>${step.swarm.seeders} seeder${step.swarm.seeders === 1 ? '' : 's'}, ${step.swarm.leechers} leecher${step.swarm.leechers === 1 ? '' : 's'}</dd>`);
  kv.push(`<dt>user totals</dt><dd>${wire(step.user)}: ${esc(bytesWithUnit(step.totals.uploaded))} up, ${esc(bytesWithUnit(step.totals.downloaded))} down</dd>`);
  if (step.notes.length > 0) kv.push(`<dt>why</dt><dd><ul class="notes">${step.notes.map((n) => `<li>${wire(n)}</li>`).join('')}</ul></dd>`);
  if (step.findings.length > 0) {
    kv.push(`<dt>anomalies</dt><dd><ul class="notes">${step.findings.map((f) => `<li>${badge(f.severity, `${f.severity} ${f.code}`)} ${wire(f.message)}</li>`).join('')}</ul></dd>`);
  }
  return `<dl class="kv">${kv.join('')}</dl>`;
}

/** A whole announce as a collapsible block with an anchor `id`; `inner` is summary + body as rendered. */
export function wrapAnnounce(id: string, inner: string, open: boolean): string {
  return announceStart(id, open) + inner + ANNOUNCE_END;
}

/** What wrapAnnounce writes before the inner HTML. */
export function announceStart(id: string, open: boolean): string {
  return `<details class="announce" id="${esc(id)}"${open ? ' open' : ''}>`;
}

/** What wrapAnnounce writes after the inner HTML. */
export const ANNOUNCE_END = '</details>\n';

/** Summary and body of an announce, rendered when it is replayed (the explained set is order-dependent). */
export function renderAnnounceInner(a: Announce, step: TrackerStep, explained: Explained, label: string): string {
  return `<summary>${renderAnnounceSummary(a, step, label)}</summary><div>\n${renderAnnounceBody(a, step, explained)}\n</div>`;
}
