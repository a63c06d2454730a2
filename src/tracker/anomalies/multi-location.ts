/** multi-location: one user with 2+ leeching or 3+ seeding peers on one torrent (TBSC connection limit). */
import type { StepDetector } from '../types.js';
import { finding } from './catalogue.js';

/** Fires on the announce that crosses the limit. */
export const multiLocation: StepDetector = {
  code: 'multi-location',
  scope: 'step',
  detect: ({ index, userPeersBefore: b, userPeersAfter: n, row }) => {
    if (b === n) return undefined; // the replay passes one object when the step changed no count
    const leech = n.leechers >= 2 && b.leechers < 2;
    const seed = n.seeders >= 3 && b.seeders < 3;
    if (!leech && !seed) return undefined;
    return finding(
      'multi-location',
      index,
      `${row !== null ? row.user : 'this user'} now has ${n.leechers} leeching and ${n.seeders} seeding peers on this torrent: ` +
        'TBSource classic answers "Connection limit exceeded!" to the extra peer, which then earns no credit',
    );
  },
};
