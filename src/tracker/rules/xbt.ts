/**
 * XBT Tracker (OlafvdSpek/xbt Tracker/tracker.cpp, tracker_input.cpp).
 * Facts from /work/shared/reference/tracker-semantics.md "Other engines".
 */
import type { Rules } from '../types.js';
import { allOrNothingCredit } from './common.js';

/** XBT: credits nothing unless both counters grew, refuses `completed` with left > 0, dead after 1.5 x interval. */
export const xbt: Rules = {
  name: 'xbt',
  title: 'XBT Tracker',
  source: 'OlafvdSpek/xbt : Tracker/tracker.cpp, Tracker/tracker_input.cpp',
  defaultInterval: 1800,
  deadTime: { factor: 1.5 },
  portBlacklist: [],
  requireStarted: null,
  resetOnStarted: false,
  credit: allOrNothingCredit,
  countsCompleted: (event) => event === 'completed',
  // tracker_input.cpp: completed with left > 0 is a bad request, answered with HTTP 404
  refuse: ({ a }) => (a.event === 'completed' && a.left !== null && a.left > 0n ? 'HTTP 404 (completed with left > 0)' : null),
  stoppedUnknown: null,
  completedNote: 'completed: XBT counts the snatch (completed + 1); the peer stays listed until stopped or expiry',
};
