/**
 * UNIT3D-Announce (HDInnovations/UNIT3D-Announce src/announce.rs).
 * Facts from /work/shared/reference/tracker-semantics.md "Other engines".
 */
import type { Rules } from '../types.js';
import { perCounterCredit } from './common.js';

/** UNIT3D: saturating per-counter credit, snatch on the leecher -> seeder transition, error for unknown stopped. */
export const unit3d: Rules = {
  name: 'unit3d',
  title: 'UNIT3D-Announce',
  source: 'HDInnovations/UNIT3D-Announce : src/announce.rs',
  defaultInterval: 1800,
  deadTime: { seconds: 7200 },
  portBlacklist: [],
  requireStarted: null,
  resetOnStarted: false,
  credit: perCounterCredit,
  // counted on the transition of a known leecher to seeder, whatever the event says
  countsCompleted: (event, left, row, isNew) => !isNew && row !== null && !row.seeder && left === 0n && event !== 'stopped',
  refuse: () => null,
  stoppedUnknown: "Stopped peer doesn't exist.",
  completedNote: 'UNIT3D counts the snatch on the leecher -> seeder transition (left reached 0), not on the event',
};
