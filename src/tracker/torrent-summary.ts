/** The torrents summary at the end of the replay: swarm counts, completions and size with its source. */
import type { TorrentState } from './state.js';
import type { TorrentSummary } from './types.js';

/** `sizes`: the --torrent sizes by hex info_hash, which override the sizes seen in announces. */
export function summarizeTorrents(torrents: Iterable<TorrentState>, sizes: ReadonlyMap<string, bigint> | undefined): TorrentSummary[] {
  return [...torrents].map((t) => {
    const opt = sizes?.get(t.infoHash);
    return {
      infoHash: t.infoHash,
      seeders: t.swarm.seeders,
      leechers: t.swarm.leechers,
      timesCompleted: t.timesCompleted,
      size: opt ?? (t.sizeSeen > 0n ? t.sizeSeen : null),
      sizeSource: opt !== undefined ? 'option' : t.sizeSeen > 0n ? 'announces' : 'unknown',
    };
  });
}
