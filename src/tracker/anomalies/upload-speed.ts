/**
 * upload-speed: delta-up / delta-t above anti-cheat thresholds.
 * NexusPHP (only when more than 10 s passed): > 1 GiB at > 1000 MiB/s error (account disabled, credit
 * refused), > 100 MiB/s warning (logged). U-232: > 103872 bytes at > 503872 B/s, info (logged).
 */
import { humanBytes } from '../../format/units.js';
import { fmtBytes } from '../explain.js';
import type { StepDetector } from '../types.js';
import { finding } from './catalogue.js';

/** NEX and U232 speed checks on the credited upload. */
export const uploadSpeed: StepDetector = {
  code: 'upload-speed',
  scope: 'step',
  detect: ({ row, gap, credited, index, applied, thresholds: t }) => {
    if (row === null || !applied || gap === null || gap <= 0) return undefined;
    const up = credited.uploaded;
    const speed = Number(up) / gap;
    const mib = (speed / 1048576).toFixed(1);
    if (gap > 10 && up > t.speedMinBytes) {
      if (speed > t.speedError)
        return finding('upload-speed', index, `+${fmtBytes(up)} up at ${mib} MiB/s: NexusPHP disables the account and refuses the credit`, 'error');
      if (speed > t.speedWarn)
        return finding('upload-speed', index, `+${fmtBytes(up)} up at ${mib} MiB/s: NexusPHP logs it as abnormally high (credit kept)`, 'warning');
    }
    if (up > t.u232MinBytes && speed > t.u232Speed)
      return finding('upload-speed', index, `+${fmtBytes(up)} up at ${humanBytes(BigInt(Math.round(speed)))}/s, above U-232's ${t.u232Speed} B/s: U-232 logs it as abnormal upload (credit kept)`, 'info');
    return undefined;
  },
};
