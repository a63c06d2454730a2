/**
 * announce-too-soon: an event-less announce less than the minimum interval after the previous one.
 * Minimum: the reply's `min interval`, else the --min-interval option, else half the interval the
 * tracker asked (TBSource sends no min interval; half the interval is clearly early, while real
 * clients jitter by a second or two around it, e.g. Transmission 28.9 s on a 30 s interval).
 */
import { tenths } from '../explain.js';
import { FindingForm } from '../finding-form.js';
import { form, Hole } from '../text-form.js';
import type { StepDetector } from '../types.js';
import { ANOMALIES } from './catalogue.js';

/** Raised on nearly every announce of a client that re-announces every few seconds: a form (finding-form.ts). */
const TOO_SOON = new FindingForm(
  'announce-too-soon',
  ANOMALIES['announce-too-soon'].severity,
  form`re-announce ${Hole.Tenths} s after the previous one (minimum ${Hole.Tenths} s): engines that enforce it refuse it, so its credit would wait for the next announce`,
);

/** Refused or warned by several engines (U-232, UNIT3D, NexusPHP). */
export const announceTooSoon: StepDetector = {
  code: 'announce-too-soon',
  scope: 'step',
  detect: ({ a, row, gap, index, replyMinInterval, thresholds, interval }) => {
    if (row === null || gap === null || a.event !== null) return undefined;
    const min = replyMinInterval ?? thresholds.minInterval ?? interval / 2;
    if (gap >= min) return undefined;
    return TOO_SOON.at(index, [tenths(gap), tenths(min)]);
  },
};
