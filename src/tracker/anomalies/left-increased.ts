/** left-increased: left grows for the same peer (a re-check or deselected files). */
import { fmtBytes } from '../explain.js';
import type { StepDetector } from '../types.js';
import { finding } from './catalogue.js';

/** A seeder turned leecher is listed as leeching again. */
export const leftIncreased: StepDetector = {
  code: 'left-increased',
  scope: 'step',
  detect: ({ a, row, index }) =>
    row !== null && row.left !== null && a.left !== null && a.left > row.left
      ? finding(
          'left-increased',
          index,
          `left grew from ${fmtBytes(row.left)} to ${fmtBytes(a.left)} (re-check or deselected files)${row.left === 0n ? ': the seeder is listed as a leecher again' : ''}`,
        )
      : undefined,
};
