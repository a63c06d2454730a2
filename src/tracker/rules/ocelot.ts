/**
 * Ocelot (WhatCD/Ocelot worker.cpp), the Gazelle tracker.
 * Facts from /work/shared/reference/tracker-semantics.md "Other engines".
 */
import type { Rules } from '../types.js';
import { allOrNothingCredit } from './common.js';

/** Ocelot: baseline reset on regression and on `started` of a known peer; snatch only for a new seeder; dead after 7200 s. */
export const ocelot: Rules = {
  name: 'ocelot',
  title: 'Ocelot',
  source: 'WhatCD/Ocelot : worker.cpp',
  defaultInterval: 1800,
  deadTime: { seconds: 7200 },
  portBlacklist: [],
  requireStarted: null,
  resetOnStarted: true,
  credit: allOrNothingCredit,
  // counted only when left == 0 and the peer was not already a seeder
  countsCompleted: (event, left, row) => event === 'completed' && left === 0n && !(row?.seeder ?? false),
  refuse: () => null,
  stoppedUnknown: null,
  completedNote: 'completed: Ocelot counts the snatch only because left = 0 and the peer was not already a seeder',
};
