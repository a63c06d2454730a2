/** missing-started: the first announce of an unknown peer has no `started`. */
import type { StepDetector } from '../types.js';
import { finding } from './catalogue.js';

/** TBSource accepts it; TBDev 2009 refuses it ("Restart the torrent"). */
export const missingStarted: StepDetector = {
  code: 'missing-started',
  scope: 'step',
  detect: ({ a, row, index, rules }) =>
    row === null && a.event !== 'started' && a.event !== 'stopped'
      ? finding(
          'missing-started',
          index,
          rules.requireStarted === null
            ? `first announce of an unlisted peer without started: ${rules.title} lists it anyway (TBDev 2009 would refuse it)`
            : `first announce of an unlisted peer without started: ${rules.title} refuses it ("${rules.requireStarted}"), nothing is credited until the client restarts the torrent`,
        )
      : undefined,
};
