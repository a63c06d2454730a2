/** A session's heading and closing summary, in text. */
import type { Session } from '../tracker/types.js';
import { sanitize } from './sanitize.js';
import { bytesWithUnit, duration, textTime } from '../format/units.js';
import { severityColour, type Palette } from './style.js';

/** The session's heading (printed before its announces). */
export function renderSessionHeading(s: Session, p: Palette, torrentName?: string): string[] {
  const who = s.peerId.client ? ` (${s.peerId.client})` : '';
  const name = torrentName === undefined ? '' : ` "${sanitize(torrentName)}"`;
  return [
    p.heading(`== Session ${s.index + 1}: torrent ${s.infoHash}${name}, peer ${s.peerId.text}${who}`),
    p.dim(`   user ${sanitize(s.user)} · listed as ${s.ip}:${s.port ?? '?'} · ${s.announces.length} announce${s.announces.length === 1 ? '' : 's'} from ${textTime(s.start)} to ${textTime(s.end)}`),
    '',
  ];
}

const FINAL: Record<string, (s: Session) => string> = {
  none: () => 'never listed: the tracker refused or ignored every announce of this session',
  removed: () => 'removed: the client said `stopped`, so the torrent left the user\'s profile',
  expired: (s) => `expired: no announce for longer than the dead time (${duration(s.deadTime)}); the tracker dropped the peer without crediting anything after its last announce`,
  leeching: (s) => `still listed as leeching at the end of the input; the tracker drops it ${duration(s.deadTime)} after its last announce`,
  seeding: (s) => `still listed as seeding at the end of the input; the tracker drops it ${duration(s.deadTime)} after its last announce`,
};

/** The session's closing summary: final state, credited against reported, cadence, anomalies. */
export function renderSessionEnd(s: Session, p: Palette): string[] {
  const lines: string[] = [];
  lines.push(`  ${p.heading('Session end:')} ${FINAL[s.finalState]!(s)}`);
  lines.push(`  credited  ${bytesWithUnit(s.credited.uploaded)} up, ${bytesWithUnit(s.credited.downloaded)} down`);
  lines.push(`  reported  ${bytesWithUnit(s.reported.uploaded)} up, ${bytesWithUnit(s.reported.downloaded)} down ${p.dim('(last announce minus first, as the client counts)')}`);
  const gap = s.cadence.medianGap;
  lines.push(`  cadence   ${gap === null ? 'one announce only' : `median gap ${duration(gap)}`} against the interval of ${duration(s.cadence.interval)} the tracker asked for${gap !== null && gap > s.cadence.interval * 1.5 ? p.warn(' (announces less often than asked: credit comes late or is lost on expiry)') : ''}`);
  for (const n of s.notes) lines.push(`  ${p.dim('note')}      ${sanitize(n)}`);
  if (s.anomalies.length > 0) {
    lines.push('  anomalies');
    for (const f of s.anomalies) {
      const at = f.announce === null ? '' : p.dim(` (announce #${f.announce + 1})`);
      lines.push(`    ${severityColour(p, f.severity)(f.severity.padEnd(8))}${f.code}${at}: ${sanitize(f.message)}`);
    }
  } else lines.push(`  anomalies none`);
  lines.push('');
  return lines;
}
