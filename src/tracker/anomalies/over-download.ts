/**
 * over-download: downloaded exceeds the torrent size. The size comes from --torrent-size or the
 * largest first-announce left + downloaded; when neither is known, nothing fires (the size is not
 * guessed) and the torrent summary says sizeSource 'unknown'.
 */
import { fmtBytes } from '../explain.js';
import type { StepDetector } from '../types.js';
import { finding } from './catalogue.js';

/** Fires on the first announce of a session that crosses the size. */
export const overDownload: StepDetector = {
  code: 'over-download',
  scope: 'step',
  detect: ({ a, prev, size, index }) => {
    if (size === null || a.downloaded === null || a.downloaded <= size) return undefined;
    if (prev !== null && prev.downloaded !== null && prev.downloaded > size) return undefined;
    return finding(
      'over-download',
      index,
      `downloaded ${fmtBytes(a.downloaded)} exceeds the torrent size ${fmtBytes(size)} by ${fmtBytes(a.downloaded - size)}: ` +
        'credited as download although it is wasted or corrupt data (or the client lies)',
    );
  },
};
