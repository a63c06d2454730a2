/**
 * TBDev 2009 (Hect0rius/TorrentBits announce.php): TBSource's rules, but an unknown peer
 * without `started` is refused. Facts from /work/shared/reference/tracker-semantics.md.
 */
import type { Rules } from '../types.js';
import { tbsource } from './tbsource.js';

/** TBDev 2009: as TBSource, plus "Restart the torrent" for an unknown peer without `started`. */
export const tbdev09: Rules = {
  ...tbsource,
  name: 'tbdev09',
  title: 'TBDev 2009',
  source: 'Hect0rius/TorrentBits : announce.php',
  requireStarted: 'Peer not found. Restart the torrent.',
  completedNote:
    'completed: TBDev counts the snatch (times_completed + 1); the torrent stays listed until stopped or expiry',
};
