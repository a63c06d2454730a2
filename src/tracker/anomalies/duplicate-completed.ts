/** duplicate-completed: a second `completed` for the same user and torrent. */
import type { StepDetector } from '../types.js';
import { finding } from './catalogue.js';

/** Counted twice by TBSource and XBT. */
export const duplicateCompleted: StepDetector = {
  code: 'duplicate-completed',
  scope: 'step',
  detect: ({ a, index, userCompletedBefore, completedCounted, rules }) =>
    a.event === 'completed' && userCompletedBefore > 0
      ? finding(
          'duplicate-completed',
          index,
          `completed #${userCompletedBefore + 1} from this user on this torrent: ${rules.title} ${completedCounted ? 'counts the snatch again' : 'does not count it again'}`,
        )
      : undefined,
};
