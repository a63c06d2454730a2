/** missing-stopped: the session's last announce is not `stopped`. */
import { fmtSeconds } from '../explain.js';
import type { SessionDetector } from '../types.js';
import { finding } from './catalogue.js';

/** The torrent stays on the profile until expiry; traffic after the last announce is never credited. */
export const missingStopped: SessionDetector = {
  code: 'missing-stopped',
  scope: 'session',
  detect: ({ entries, finalState, silence, deadTime }) => {
    const last = entries[entries.length - 1];
    if (last === undefined || last.event === 'stopped') return undefined;
    if (finalState !== 'leeching' && finalState !== 'seeding' && finalState !== 'expired') return undefined;
    const after = 'traffic after the last announce is never credited';
    if (finalState === 'expired')
      return finding(
        'missing-stopped',
        null,
        `the session ended without stopped: the peer stayed listed until it expired (dead time ${fmtSeconds(deadTime)}), and ${after}`,
      );
    return finding(
      'missing-stopped',
      null,
      `no stopped by the end of the input: still listed as ${finalState}${silence !== null ? ` ${fmtSeconds(silence)} after its last announce` : ''}, ` +
        `so the torrent stays on the profile until expiry (${fmtSeconds(deadTime)}), and ${after}`,
    );
  },
};
