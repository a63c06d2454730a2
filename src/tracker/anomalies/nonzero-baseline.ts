/** nonzero-baseline: the first announce of a new peer already has uploaded or downloaded > 0. */
import { fmtBytes } from '../explain.js';
import type { StepDetector } from '../types.js';
import { finding } from './catalogue.js';

/** Those bytes become the baseline and are never credited. (An expired peer is late-announce instead.) */
export const nonzeroBaseline: StepDetector = {
  code: 'nonzero-baseline',
  scope: 'step',
  detect: ({ a, row, expiredRow, index, applied }) => {
    if (row !== null || expiredRow !== null || !applied || a.event === 'stopped') return undefined;
    const up = a.uploaded ?? 0n;
    const down = a.downloaded ?? 0n;
    if (up === 0n && down === 0n) return undefined;
    return finding(
      'nonzero-baseline',
      index,
      `a new peer already reports ${fmtBytes(up)} up / ${fmtBytes(down)} down: these bytes are the baseline and are never credited`,
    );
  },
};
