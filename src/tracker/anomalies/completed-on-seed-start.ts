/** completed-on-seed-start: the session began with left = 0, then `completed` (BEP 3: not sent then). */
import type { StepDetector } from '../types.js';
import { finding } from './catalogue.js';

/** A seeder that never downloaded in this session still gets a snatch counted. */
export const completedOnSeedStart: StepDetector = {
  code: 'completed-on-seed-start',
  scope: 'step',
  detect: ({ a, first, index, completedCounted, rules }) =>
    a.event === 'completed' && first.left === 0n
      ? finding(
          'completed-on-seed-start',
          index,
          `completed from a peer that started this session complete (left = 0): ${rules.title} ${completedCounted ? 'counts a snatch although nothing was downloaded' : 'does not count it'}`,
        )
      : undefined,
};
