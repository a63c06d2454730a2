/** completed-with-left: `completed` while left > 0 (reference: "Anomalies worth detecting"). */
import { fmtBytes } from '../explain.js';
import type { StepDetector } from '../types.js';
import { finding } from './catalogue.js';

/** TBSource counts it, XBT refuses it, Ocelot ignores it. */
export const completedWithLeft: StepDetector = {
  code: 'completed-with-left',
  scope: 'step',
  detect: ({ a, index, completedCounted, rules }) =>
    a.event === 'completed' && a.left !== null && a.left > 0n
      ? finding(
          'completed-with-left',
          index,
          `completed sent with left = ${fmtBytes(a.left)}: ${rules.title} ${completedCounted ? 'counts a snatch for a download that is not finished' : 'does not count it'}`,
        )
      : undefined,
};
