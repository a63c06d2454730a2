/** What every report writer may be told, beyond where to write. */
export interface ReportOptions {
  /** JSON/JSONL: include reply peer addresses. */
  readonly peerList: boolean;
  /** Torrent names from --torrent files, by lowercase hex info_hash. */
  readonly torrentNames: ReadonlyMap<string, string>;
  /** Text: announces in time order instead of sessions. */
  readonly announcesOnly: boolean;
}
