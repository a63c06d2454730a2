/**
 * TBSource (tbdevnet/tbdev announce.php, include/cleanup.php; QwertyRider/TBSource announce.php).
 * The default profile. Facts from /work/shared/reference/tracker-semantics.md "TBSource".
 */
import type { Rules } from '../types.js';
import { perCounterCredit, TBS_PORT_BLACKLIST } from './common.js';

/** TBSource 2005: per-counter credit, `completed` +1 every time, dead after 1.3 x interval. */
export const tbsource: Rules = {
  name: 'tbsource',
  title: 'TBSource',
  source: 'tbdevnet/tbdev : announce.php, include/cleanup.php',
  defaultInterval: 1800,
  deadTime: { factor: 1.3 },
  portBlacklist: TBS_PORT_BLACKLIST,
  requireStarted: null,
  resetOnStarted: false,
  credit: perCounterCredit,
  // no duplicate check and no left == 0 check in announce.php
  countsCompleted: (event) => event === 'completed',
  refuse: () => null,
  stoppedUnknown: null,
  completedNote:
    'completed: TBSource counts the snatch (times_completed + 1) but does NOT remove the torrent from the profile ' +
    '(the anatomy page says it does; the code does not): it stays listed until stopped or expiry',
};
