/** late-announce: the gap since the peer's previous announce is longer than the dead time. */
import { fmtBytes, fmtSeconds } from '../explain.js';
import type { StepDetector } from '../types.js';
import { finding } from './catalogue.js';

/** The peer expired in between; its next announce starts from zero credit. */
export const lateAnnounce: StepDetector = {
  code: 'late-announce',
  scope: 'step',
  detect: ({ a, expiredRow, gap, deadTime, index, rules }) => {
    if (expiredRow === null || gap === null) return undefined;
    const lostUp = a.uploaded !== null && a.uploaded > expiredRow.uploaded ? a.uploaded - expiredRow.uploaded : 0n;
    const lostDown = a.downloaded !== null && a.downloaded > expiredRow.downloaded ? a.downloaded - expiredRow.downloaded : 0n;
    const sweep = rules.name === 'tbsource' || rules.name === 'tbdev09' ? ' (TBSource sweeps only every 900 s, so the loss is likely rather than certain)' : '';
    return finding(
      'late-announce',
      index,
      `${fmtSeconds(gap)} since the previous announce, more than the dead time ${fmtSeconds(deadTime)}: the peer was dropped in between${sweep}; ` +
        `this announce only sets a new baseline, so ${fmtBytes(lostUp)} up / ${fmtBytes(lostDown)} down reported since then are never credited`,
    );
  },
};
