/** stopped-unknown: `stopped` for a peer that is not listed. */
import type { StepDetector } from '../types.js';
import { finding } from './catalogue.js';

/** A no-op (TBSource, XBT, Ocelot) or an error (UNIT3D). */
export const stoppedUnknown: StepDetector = {
  code: 'stopped-unknown',
  scope: 'step',
  detect: ({ a, row, index, rules, expiredRow }) =>
    a.event === 'stopped' && row === null
      ? finding(
          'stopped-unknown',
          index,
          `stopped for a peer that is not listed${expiredRow !== null ? ' (it had expired)' : ''}: ` +
            (rules.stoppedUnknown === null
              ? `${rules.title} does nothing, so its final counters are never credited`
              : `${rules.title} answers "${rules.stoppedUnknown}"; nothing is credited`),
        )
      : undefined,
};
