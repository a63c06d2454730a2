/**
 * upload-speed: delta-up / delta-t above anti-cheat thresholds.
 * NexusPHP (only when more than 10 s passed): > 1 GiB at > 1000 MiB/s error (account disabled, credit
 * refused), > 100 MiB/s warning (logged). U-232: > 103872 bytes at > 503872 B/s, info (logged).
 */
import { fmtBytes } from '../explain.js';
import { FindingForm } from '../finding-form.js';
import { form, Hole } from '../text-form.js';
import type { StepDetector } from '../types.js';
import { finding } from './catalogue.js';

/** U-232's check, raised on most announces of a fast uploader: a form (finding-form.ts) of the credited upload, the speed and the threshold. */
const U232 = new FindingForm(
  'upload-speed',
  'info',
  form`+${Hole.Bytes} up at ${Hole.Human}/s, above U-232's ${Hole.Plain} B/s: U-232 logs it as abnormal upload (credit kept)`,
);

/** NEX and U232 speed checks on the credited upload. */
export const uploadSpeed: StepDetector = {
  code: 'upload-speed',
  scope: 'step',
  detect: ({ row, gap, credited, index, applied, thresholds: t }) => {
    if (row === null || !applied || gap === null || gap <= 0) return undefined;
    const up = credited.uploaded;
    const speed = Number(up) / gap;
    if (gap > 10 && up > t.speedMinBytes) {
      const mib = (speed / 1048576).toFixed(1);
      if (speed > t.speedError)
        return finding('upload-speed', index, `+${fmtBytes(up)} up at ${mib} MiB/s: NexusPHP disables the account and refuses the credit`, 'error');
      if (speed > t.speedWarn)
        return finding('upload-speed', index, `+${fmtBytes(up)} up at ${mib} MiB/s: NexusPHP logs it as abnormally high (credit kept)`, 'warning');
    }
    if (up > t.u232MinBytes && speed > t.u232Speed)
      return U232.at(index, [up, Math.round(speed), t.u232Speed]);
    return undefined;
  },
};
