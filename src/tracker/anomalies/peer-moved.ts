/** peer-moved: the same peer_id announces from another address or port. */
import type { StepDetector } from '../types.js';
import { finding } from './catalogue.js';

/** TBSource keeps the old ip and port in the row, so other peers are sent a stale address. */
export const peerMoved: StepDetector = {
  code: 'peer-moved',
  scope: 'step',
  detect: ({ a, ip, row, index, rules }) =>
    row !== null && (ip !== row.ip || (a.port !== null && a.port !== row.port))
      ? finding(
          'peer-moved',
          index,
          `announced from ${ip}:${a.port ?? '?'} but listed as ${row.ip}:${row.port ?? '?'}: ${rules.title} keeps the old address, credit still goes to ${row.user}`,
        )
      : undefined,
};
