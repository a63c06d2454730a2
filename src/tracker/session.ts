/**
 * One session being built: the announces of one (info_hash, peer_id) up to its `stopped`.
 * Keeps only compact facts: its log and findings as bytes in the shared LogStore (memory, then a
 * temp file), read back for what detectors need of its first and previous announce and when it closes.
 */
import { sessionWhy } from './explain.js';
import { NO_CREDIT, sessionAnnounces, type LogRecord, type SessionLog } from './session-log.js';
import type { Counters, PeerIdInfo, PeerState, Rules, Session, SessionDetector, SessionEntry } from './types.js';

export { copyText, flatText } from './text.js';

/**
 * A session still open (or stopped and waiting out the echo window), as closeSession reads it: the
 * peer slot it lives in (state.ts), which is its log too. It keeps the peer_id only as the raw
 * bytes' latin1 text: the text and client the report shows are derived when it closes.
 * Everything else it reports (credited sums, reported counters, the first and previous announce
 * detectors read) is read back from its log, so an open session holds no bigint of its own and no
 * object per announce or finding: its findings are encoded with the announce they were raised on.
 */
export interface OpenSession extends SessionLog {
  /** The session's index. */
  readonly session: number;
  readonly sessionUser: string;
  readonly sessionIp: string;
  /** Port of the first announce (what TBSource stores in the peer row). */
  readonly firstPort: number | null;
  readonly state: PeerState;
}

const ZERO: Counters = { uploaded: 0n, downloaded: 0n };

/** Sum of the credited counters, and last minus first reported counters (of announces with both). */
function totals(records: readonly LogRecord[]): { credited: Counters; reported: Counters } {
  let up = 0n;
  let down = 0n;
  let first: LogRecord | null = null;
  let last: LogRecord | null = null;
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    // most announces credit nothing: no bigint addition for them
    if (r.credited !== NO_CREDIT) {
      up += r.credited.uploaded;
      down += r.credited.downloaded;
    }
    if (r.uploaded !== null && r.downloaded !== null) {
      first ??= r;
      last = r;
    }
  }
  const reported =
    first === null || last === null
      ? ZERO
      : { uploaded: last.uploaded! - first.uploaded!, downloaded: last.downloaded! - first.downloaded! };
  return { credited: up === 0n && down === 0n ? ZERO : { uploaded: up, downloaded: down }, reported };
}

/** How a session is closed. */
export interface CloseOptions {
  readonly rules: Rules;
  readonly detectors: readonly SessionDetector[];
  readonly interval: number;
  readonly deadTime: number;
  /** Seconds from the last applied announce to the end of input, when the session ends at finish(). */
  readonly silence: number | null;
  /** The session's torrent. */
  readonly infoHash: string;
  /** The peer_id as the report shows it (derived from the raw bytes by the caller). */
  readonly peerId: PeerIdInfo;
}

/** Seconds between records i - 1 and i. */
function gapAt(records: readonly LogRecord[], i: number): number {
  return Number(records[i]!.ts - records[i - 1]!.ts) / 1e9;
}

/** Median gap between consecutive records, null with fewer than two (most sessions have two or three: no array for them). */
function medianGap(records: readonly LogRecord[]): number | null {
  const n = records.length;
  if (n < 2) return null;
  if (n === 2) return gapAt(records, 1);
  if (n === 3) {
    const x = gapAt(records, 1);
    const y = gapAt(records, 2);
    return (x + y) / 2;
  }
  const gaps = new Float64Array(n - 1);
  for (let i = 1; i < n; i++) gaps[i - 1] = gapAt(records, i);
  gaps.sort(); // numeric and in place (gaps are never NaN or -0)
  const m = gaps.length >> 1;
  return gaps.length % 2 === 1 ? gaps[m]! : (gaps[m - 1]! + gaps[m]!) / 2;
}

/** Runs the session detectors and freezes the session. */
export function closeSession(s: OpenSession, o: CloseOptions): Session {
  const { records, findings: anomalies } = s.take();
  const n = records.length;
  // the records carry every field detectors read of an announce
  const entries: readonly SessionEntry[] = records;
  for (const d of o.detectors) {
    const f = d.detect({ rules: o.rules, entries, finalState: s.state, silence: o.silence, deadTime: o.deadTime });
    if (f === undefined) continue;
    anomalies.push(f);
  }
  let codes: string[][] | null = null;
  for (const f of anomalies) {
    if (f.announce === null) continue;
    codes ??= [];
    const list = codes[f.announce];
    if (list) list.push(f.code);
    else codes[f.announce] = [f.code];
  }
  const announces = sessionAnnounces(records, codes);
  const { credited, reported } = totals(records);
  const note = sessionWhy(credited, reported, anomalies);
  const gap = medianGap(records);
  return {
    index: s.session,
    infoHash: o.infoHash,
    peerId: o.peerId,
    user: s.sessionUser,
    ip: s.sessionIp,
    port: s.firstPort,
    start: records[0]!.ts,
    end: records[n - 1]!.ts,
    announces,
    finalState: s.state,
    credited,
    reported,
    cadence: { medianGap: gap === null ? null : Math.round(gap * 1000) / 1000, interval: o.interval },
    deadTime: o.deadTime,
    anomalies,
    notes: note === null ? [] : [note],
  };
}
