/** counter-regression: uploaded or downloaded went down for the same peer_id. */
import { fmtBytes } from '../explain.js';
import type { StepDetector } from '../types.js';
import { finding } from './catalogue.js';

/** Credit lost; the baseline drops, so the old value coming back is credited twice. */
export const counterRegression: StepDetector = {
  code: 'counter-regression',
  scope: 'step',
  detect: ({ a, row, index, applied }) => {
    if (row === null || !applied) return undefined;
    const parts: string[] = [];
    if (a.uploaded !== null && a.uploaded < row.uploaded) parts.push(`uploaded ${fmtBytes(row.uploaded)} -> ${fmtBytes(a.uploaded)}`);
    if (a.downloaded !== null && a.downloaded < row.downloaded) parts.push(`downloaded ${fmtBytes(row.downloaded)} -> ${fmtBytes(a.downloaded)}`);
    if (parts.length === 0) return undefined;
    return finding(
      'counter-regression',
      index,
      `${parts.join(', ')}: nothing is credited for the drop and the baseline is lowered, so the same bytes reported again are credited twice`,
    );
  },
};
