/** Every anomaly detector, in report order. Adding one is a new file plus a line here. */
import type { SessionDetector, StepDetector } from '../types.js';
import { announceTooSoon } from './announce-too-soon.js';
import { completedOnSeedStart } from './completed-on-seed-start.js';
import { completedWithLeft } from './completed-with-left.js';
import { counterRegression } from './counter-regression.js';
import { duplicateCompleted } from './duplicate-completed.js';
import { lateAnnounce } from './late-announce.js';
import { leftIncreased } from './left-increased.js';
import { missingCompleted } from './missing-completed.js';
import { missingStarted } from './missing-started.js';
import { missingStopped } from './missing-stopped.js';
import { multiLocation } from './multi-location.js';
import { nonzeroBaseline } from './nonzero-baseline.js';
import { overDownload } from './over-download.js';
import { peerMoved } from './peer-moved.js';
import { rulesDisagree } from './rules-disagree.js';
import { rulesRefused } from './rules-refused.js';
import { stoppedUnknown } from './stopped-unknown.js';
import { trackerFailure } from './tracker-failure.js';
import { uploadSpeed } from './upload-speed.js';
import { uploadWithoutLeechers } from './upload-without-leechers.js';

/** Detectors run on every announce. */
export const STEP_DETECTORS: readonly StepDetector[] = [
  trackerFailure,
  rulesDisagree,
  rulesRefused,
  missingStarted,
  nonzeroBaseline,
  lateAnnounce,
  counterRegression,
  leftIncreased,
  peerMoved,
  stoppedUnknown,
  completedWithLeft,
  duplicateCompleted,
  completedOnSeedStart,
  announceTooSoon,
  uploadSpeed,
  uploadWithoutLeechers,
  overDownload,
  multiLocation,
];

/** Detectors run when a session ends. */
export const SESSION_DETECTORS: readonly SessionDetector[] = [missingCompleted, missingStopped];
