/** missing-completed: left goes from > 0 to 0 and no `completed` arrives. */
import type { SessionDetector } from '../types.js';
import { finding } from './catalogue.js';

/** The snatch is never counted (UNIT3D, which counts the leecher -> seeder transition, is the exception). */
export const missingCompleted: SessionDetector = {
  code: 'missing-completed',
  scope: 'session',
  detect: ({ entries, rules }) => {
    let prevLeft: bigint | null = null;
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i]!;
      if (e.left === null) continue;
      if (prevLeft !== null && prevLeft > 0n && e.left === 0n) {
        if (entries.slice(i).some((x) => x.event === 'completed')) return undefined;
        return finding(
          'missing-completed',
          i,
          `left reached 0 ${e.event === 'stopped' ? 'on the stopped announce ' : ''}but no completed was sent: ` +
            (rules.name === 'unit3d'
              ? `${rules.title} counts the leecher -> seeder transition itself, other engines never count this snatch`
              : `${rules.title} never counts this snatch`),
        );
      }
      prevLeft = e.left;
    }
    return undefined;
  },
};
