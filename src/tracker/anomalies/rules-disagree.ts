/** rules-disagree: the rules profile predicts success where the real tracker failed, or the reverse. */
import type { StepDetector } from '../types.js';
import { finding } from './catalogue.js';

/** The real reply wins; the finding says what the profile's engine would have done. */
export const rulesDisagree: StepDetector = {
  code: 'rules-disagree',
  scope: 'step',
  detect: ({ real, predicted, index, rules }) => {
    if (real === undefined || (predicted === null) === (real === null)) return undefined;
    return predicted !== null
      ? finding(
          'rules-disagree',
          index,
          `${rules.title} would have refused this announce ("${predicted}") and credited nothing; the real tracker accepted it and the replay follows it`,
        )
      : finding('rules-disagree', index, `${rules.title} would have accepted this announce; the real tracker refused it ("${real}")`);
  },
};
