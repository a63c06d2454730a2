/**
 * upload-without-leechers: upload credited while the replayed swarm has no leecher (NexusPHP:
 * > 10 MiB at > 100 KiB/s). "No leecher" must hold both at the peer's previous announce and right
 * before this one, since the credit covers the whole gap (a leecher that finished in between was
 * a legitimate receiver). The swarm is only the peers seen in this input.
 */
import { fmtBytes } from '../explain.js';
import type { StepDetector } from '../types.js';
import { finding } from './catalogue.js';

/** The classic ratio-faker signature. */
export const uploadWithoutLeechers: StepDetector = {
  code: 'upload-without-leechers',
  scope: 'step',
  detect: ({ row, gap, credited, index, applied, leechersBefore, thresholds: t }) => {
    if (row === null || !applied || gap === null || gap <= 0) return undefined;
    const up = credited.uploaded;
    if (up <= t.noLeecherMinBytes || Number(up) / gap <= t.noLeecherSpeed) return undefined;
    if (row.leechersAtLast > 0 || leechersBefore > 0) return undefined;
    return finding(
      'upload-without-leechers',
      index,
      `+${fmtBytes(up)} up credited while no peer in this input was leeching (at the previous announce nor now): NexusPHP logs "uploading when there is no leecher"`,
    );
  },
};
