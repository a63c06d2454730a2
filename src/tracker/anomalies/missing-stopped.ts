/** missing-stopped: the session's last announce is not `stopped`. */
import { tenths } from '../explain.js';
import { FindingForm } from '../finding-form.js';
import { Hole, TextForm } from '../text-form.js';
import type { SessionDetector } from '../types.js';
import { ANOMALIES } from './catalogue.js';

const AFTER = 'traffic after the last announce is never credited';
const SEVERITY = ANOMALIES['missing-stopped'].severity;

/**
 * Raised on most sessions of a capture that ends while peers are still listed: forms
 * (finding-form.ts) of the dead time and the silence, one per final state and kind of ending.
 */
const EXPIRED = new FindingForm(
  'missing-stopped',
  SEVERITY,
  new TextForm(['the session ended without stopped: the peer stayed listed until it expired (dead time ', ` s), and ${AFTER}`], [Hole.Tenths]),
);

/** Still listed at the end of the input: [silence known, silence unknown] per listed state. */
function listedForms(state: string): readonly [FindingForm, FindingForm] {
  const listed = `no stopped by the end of the input: still listed as ${state}`;
  const until = ', so the torrent stays on the profile until expiry (';
  const end = ` s), and ${AFTER}`;
  return [
    new FindingForm('missing-stopped', SEVERITY, new TextForm([listed + ' ', ' s after its last announce' + until, end], [Hole.Tenths, Hole.Tenths])),
    new FindingForm('missing-stopped', SEVERITY, new TextForm([listed + until, end], [Hole.Tenths])),
  ];
}
const LISTED = { leeching: listedForms('leeching'), seeding: listedForms('seeding') };

/** The torrent stays on the profile until expiry; traffic after the last announce is never credited. */
export const missingStopped: SessionDetector = {
  code: 'missing-stopped',
  scope: 'session',
  detect: ({ entries, finalState, silence, deadTime }) => {
    const last = entries[entries.length - 1];
    if (last === undefined || last.event === 'stopped') return undefined;
    if (finalState !== 'leeching' && finalState !== 'seeding' && finalState !== 'expired') return undefined;
    if (finalState === 'expired') return EXPIRED.at(null, [tenths(deadTime)]);
    const [withSilence, without] = LISTED[finalState];
    return silence !== null ? withSilence.at(null, [tenths(silence), tenths(deadTime)]) : without.at(null, [tenths(deadTime)]);
  },
};
