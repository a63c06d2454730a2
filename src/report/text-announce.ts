/**
 * One announce as text, the way TBSource's "Anatomy of a torrent session" walks through a GET: the
 * request line, every parameter with its value and meaning, the tracker's reply, and what the
 * replayed tracker did with it (credit, transition, anomalies, and why).
 */
import type { Announce, TrackerReply } from '../announce/types.js';
import { describeValueAs, findParam } from '../announce/params.js';
import type { TrackerStep } from '../tracker/types.js';
import { sanitize, sanitizeLatin1 } from './sanitize.js';
import { bytesWithUnit, textTime } from '../format/units.js';
import { severityColour, type Palette } from './style.js';
import { sourceOf } from './announce-json.js';

/** Which parameter meanings were already explained (per session), so later announces stay short. */
export type Explained = Set<string>;

const NAME_WIDTH = 14;

/** Renders the request part of an announce: header line, request line, parameters, reply. */
export function renderRequest(a: Announce, p: Palette, explained: Explained, label: string): string[] {
  const lines: string[] = [];
  const via = a.forwardedFor ? ` (forwarded for ${sanitize(a.forwardedFor)})` : '';
  const merged = a.proxyMerged ? p.dim(' [proxy leg merged]') : '';
  const where = a.transport === 'log' ? `from ${a.client.ip}` : `${a.client.ip}:${a.client.port} -> ${a.tracker.ip}:${a.tracker.port}`;
  lines.push(`${p.heading(label)}  ${textTime(a.ts)}  ${p.dim(sourceOf(a.origin))}  ${where}${via}${merged}`);
  const method = a.transport === 'udp' ? 'UDP announce' : 'GET';
  lines.push(`    ${p.dim(method)} ${sanitizeLatin1(a.target)}${a.httpVersion ? ' ' + p.dim(sanitizeLatin1(a.httpVersion)) : ''}`);
  if (a.userAgent) lines.push(`    ${p.dim('User-Agent:')} ${sanitizeLatin1(a.userAgent)}`);
  for (const param of a.params) {
    const info = findParam(param.name);
    const name = sanitize(param.name);
    const value = describeValueAs(param, info);
    const key = info?.name ?? param.name;
    let meaning = '';
    if (!explained.has(key)) {
      explained.add(key);
      meaning = info ? info.meaning : 'not a parameter TBSource knows; kept as sent';
    }
    lines.push(`    ${name.padEnd(NAME_WIDTH)}${p.value(value)}${meaning ? p.dim('  ' + meaning) : ''}`);
  }
  if (a.errors.length > 0) lines.push(`    ${p.bad('malformed:')} TBSource would answer "${sanitize(a.errors[0]!)}"${a.errors.length > 1 ? ` (also: ${a.errors.slice(1).map(sanitize).join('; ')})` : ''}`);
  lines.push(`    ${'reply'.padEnd(NAME_WIDTH)}${renderReply(a.reply, a.transport, p)}`);
  return lines;
}

/** The tracker's reply in one line. */
export function renderReply(r: TrackerReply | null, transport: string, p: Palette): string {
  if (r === null) return p.dim(transport === 'log' ? 'not in a log (only the status code is)' : 'none captured');
  const parts: string[] = [];
  if (r.status) parts.push(`HTTP ${r.status}`);
  if (r.failure !== null) parts.push(p.bad(`failure reason "${sanitize(r.failure)}"`));
  if (r.warning !== null) parts.push(p.warn(`warning "${sanitize(r.warning)}"`));
  if (r.interval !== null) parts.push(`interval ${r.interval} s`);
  if (r.minInterval !== null) parts.push(`min interval ${r.minInterval} s`);
  if (r.complete !== null || r.incomplete !== null) parts.push(`${r.complete ?? '?'} seeders, ${r.incomplete ?? '?'} leechers`);
  if (r.downloaded !== null) parts.push(`${r.downloaded} snatches`);
  if (r.failure === null) parts.push(`${r.peerCount ?? r.peers.length} peer${(r.peerCount ?? r.peers.length) === 1 ? '' : 's'}${r.peerForms.length ? ` (${r.peerForms.join(', ')})` : ''}`);
  if (r.trackerId !== null) parts.push(`tracker id ${sanitize(r.trackerId)}`);
  if (r.externalIp !== null) parts.push(`external ip ${r.externalIp}`);
  if (r.problems.length > 0) parts.push(p.warn(`body: ${r.problems.map(sanitize).join('; ')}`));
  return parts.join(' · ');
}

const STATE_NAMES: Record<string, string> = {
  none: 'not listed', leeching: 'leeching', seeding: 'seeding', removed: 'removed', expired: 'expired',
};

/** Renders what the replayed tracker did with the announce. */
export function renderStep(step: TrackerStep, p: Palette): string[] {
  const lines: string[] = [];
  const pad = ' '.repeat(4);
  if (!step.applied) {
    lines.push(`${pad}${'tracker'.padEnd(NAME_WIDTH)}${p.bad('refused')}${step.failure ? `: "${sanitize(step.failure)}"` : ''}; nothing changed`);
  } else {
    const up = step.credited.uploaded;
    const down = step.credited.downloaded;
    const credit = up === 0n && down === 0n
      ? p.warn('credited nothing')
      : p.good(`+${bytesWithUnit(up)} uploaded, +${bytesWithUnit(down)} downloaded`);
    lines.push(`${pad}${'tracker'.padEnd(NAME_WIDTH)}${credit}`);
  }
  const transition = step.before === step.after ? STATE_NAMES[step.after] : `${STATE_NAMES[step.before]} -> ${STATE_NAMES[step.after]}`;
  lines.push(`${pad}${''.padEnd(NAME_WIDTH)}${p.value(transition!)} · swarm ${step.swarm.seeders} seeder${step.swarm.seeders === 1 ? '' : 's'}, ${step.swarm.leechers} leecher${step.swarm.leechers === 1 ? '' : 's'} · ${step.user ? sanitize(step.user) : 'user'} totals ${bytesWithUnit(step.totals.uploaded)} up, ${bytesWithUnit(step.totals.downloaded)} down`);
  for (const note of step.notes) lines.push(`${pad}${''.padEnd(NAME_WIDTH)}${p.dim('why: ')}${sanitize(note)}`);
  for (const f of step.findings) {
    lines.push(`${pad}${''.padEnd(NAME_WIDTH)}${severityColour(p, f.severity)(`${f.severity} ${f.code}`)}: ${sanitize(f.message)}`);
  }
  return lines;
}
