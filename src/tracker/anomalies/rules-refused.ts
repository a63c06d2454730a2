/** rules-refused: no real reply in the input, and the rules profile refuses the announce. */
import type { StepDetector } from '../types.js';
import { finding } from './catalogue.js';

/** Nothing applied: no credit, no state change. */
export const rulesRefused: StepDetector = {
  code: 'rules-refused',
  scope: 'step',
  detect: ({ real, predicted, index, rules }) =>
    real === undefined && predicted !== null
      ? finding('rules-refused', index, `${rules.title} refuses this announce ("${predicted}"): nothing is credited or listed`)
      : undefined,
};
