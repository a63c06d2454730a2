/**
 * The anomaly catalogue: one row per code of the reference's "Anomalies worth detecting" table
 * (/work/shared/reference/tracker-semantics.md), plus the replay's own rules-disagree and
 * rules-refused. Codes are stable external ids (JSON, --fail-on, docs/anomalies/<code>.md).
 */
import type { Severity } from '../types.js';

/** One catalogue row: default severity, a short title and why it matters. */
export interface AnomalyInfo {
  readonly severity: Severity;
  readonly title: string;
  readonly why: string;
}

/** Every anomaly code the tracker stage can raise. */
export const ANOMALIES = {
  'missing-completed': {
    severity: 'warning',
    title: 'download finished without `completed`',
    why: 'the snatch is never counted',
  },
  'completed-with-left': {
    severity: 'warning',
    title: '`completed` while left > 0',
    why: 'TBSource counts it, XBT refuses it, Ocelot ignores it',
  },
  'duplicate-completed': {
    severity: 'warning',
    title: 'second `completed` for the same user and torrent',
    why: 'counted twice by TBSource and XBT',
  },
  'completed-on-seed-start': {
    severity: 'info',
    title: 'session began with left = 0, then `completed`',
    why: 'BEP 3 says no completed is sent then; the tracker still counts a snatch',
  },
  'missing-stopped': {
    severity: 'warning',
    title: 'session did not end with `stopped`',
    why: 'the torrent stays on the profile until expiry; traffic after the last announce is never credited',
  },
  'missing-started': {
    severity: 'info',
    title: 'first announce of an unknown peer without `started`',
    why: 'TBSource accepts it; TBDev 2009 refuses it',
  },
  'nonzero-baseline': {
    severity: 'warning',
    title: 'new peer already reports traffic',
    why: 'those bytes become the baseline and are never credited',
  },
  'counter-regression': {
    severity: 'warning',
    title: 'uploaded or downloaded went down',
    why: 'credit lost; the baseline drops, so the old value coming back is credited twice',
  },
  'stopped-unknown': {
    severity: 'info',
    title: '`stopped` for a peer that is not listed',
    why: 'a no-op or an error depending on the engine',
  },
  'announce-too-soon': {
    severity: 'info',
    title: 're-announce inside the minimum interval',
    why: 'refused or warned by several engines (U-232, UNIT3D, NexusPHP)',
  },
  'late-announce': {
    severity: 'warning',
    title: 'gap longer than the dead time',
    why: 'the peer expired in between; its next announce starts from zero credit',
  },
  'upload-speed': {
    severity: 'info',
    title: 'upload speed above anti-cheat thresholds',
    why: 'NexusPHP logs or disables the account, U-232 logs it',
  },
  'upload-without-leechers': {
    severity: 'warning',
    title: 'upload credited while the swarm has no leecher',
    why: 'NexusPHP check; the classic ratio-faker signature',
  },
  'over-download': {
    severity: 'info',
    title: 'downloaded exceeds the torrent size',
    why: 'wasted or corrupt data, or a lying client',
  },
  'left-increased': {
    severity: 'info',
    title: 'left grew for the same peer',
    why: 'seeder turned leecher: a re-check or deselected files',
  },
  'peer-moved': {
    severity: 'info',
    title: 'same peer_id from another address or port',
    why: 'TBSource keeps the old ip and port in the peer row',
  },
  'multi-location': {
    severity: 'warning',
    title: 'one user with 2+ leeching or 3+ seeding peers on one torrent',
    why: 'TBSource classic answers "Connection limit exceeded!"',
  },
  'tracker-failure': {
    severity: 'warning',
    title: 'the real reply is a failure',
    why: 'nothing was applied',
  },
  'rules-disagree': {
    severity: 'warning',
    title: 'the rules profile predicts another answer than the real tracker gave',
    why: 'the replay follows the real reply; the profile\'s engine would have behaved differently',
  },
  'rules-refused': {
    severity: 'warning',
    title: 'the rules profile refuses the announce (no real reply in the input)',
    why: 'nothing is applied: no credit, no state change',
  },
} as const satisfies Record<string, AnomalyInfo>;

/** A catalogue code. */
export type AnomalyCode = keyof typeof ANOMALIES;

/** Builds a Finding with the catalogue's severity unless one is given. */
export function finding(code: AnomalyCode, announce: number | null, message: string, severity?: Severity) {
  return { code, severity: severity ?? ANOMALIES[code].severity, announce, message };
}
