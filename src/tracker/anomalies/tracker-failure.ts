/** tracker-failure: the real reply is a `failure reason` (or an HTTP error). */
import type { StepDetector } from '../types.js';
import { finding } from './catalogue.js';

/** Nothing was applied by the real tracker, so the replay applies nothing either. */
export const trackerFailure: StepDetector = {
  code: 'tracker-failure',
  scope: 'step',
  detect: ({ real, index }) =>
    typeof real === 'string'
      ? finding('tracker-failure', index, `the tracker answered "${real}": nothing was applied, these counters earn no credit now`)
      : undefined,
};
