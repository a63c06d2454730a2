/** What the pipeline read from one input: every packet and log line is accounted for here. */

export interface InputSummary {
  readonly path: string;
  /** 'pcap', 'pcapng', or 'log:<format>'. */
  format: string;
  /** Packets read (captures) — 0 for logs. */
  packets: number;
  /** Lines read (logs) — 0 for captures. */
  lines: number;
  bytes: number;
  announces: number;
  scrapes: number;
  /** HTTP requests that were neither announces nor scrapes. */
  otherRequests: number;
  /** reason -> count: packets, segments, connections, messages or lines not used. */
  readonly skipped: Map<string, number>;
  /** One-line warnings (truncated file, lossy log settings, ...), also printed on stderr. */
  readonly warnings: string[];
  /** Standing facts about the input's kind (what a log cannot tell), shown in the report only. */
  readonly notes: string[];
  /** Stage counters for the summary (tcp connections, http requests, ...). */
  readonly stats: Map<string, number>;
}

export function newInputSummary(path: string): InputSummary {
  return {
    path, format: 'unknown', packets: 0, lines: 0, bytes: 0, announces: 0, scrapes: 0, otherRequests: 0,
    skipped: new Map(), warnings: [], notes: [], stats: new Map(),
  };
}

/** Adds `n` to `map[key]`. */
export function bump(map: Map<string, number>, key: string, n = 1): void {
  map.set(key, (map.get(key) ?? 0) + n);
}

/** Adds every entry of `from` into `into`, with an optional key prefix. */
export function mergeCounts(into: Map<string, number>, from: ReadonlyMap<string, number>, prefix = ''): void {
  for (const [k, v] of from) if (v) bump(into, prefix + k, v);
}
