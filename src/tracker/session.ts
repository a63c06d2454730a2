/**
 * One session being built: the announces of one (info_hash, peer_id) up to its `stopped`.
 * Keeps only compact facts: its log and findings as bytes in the shared LogStore (memory, then a
 * temp file), read back for what detectors need of its first and previous announce and when it closes.
 */
import type { Announce } from '../announce/types.js';
import { sessionWhy } from './explain.js';
import { sessionAnnounces, sessionEntries, type LogRecord, type SessionLog } from './session-log.js';
import type { Counters, Finding, PeerIdInfo, PeerState, Rules, Session, SessionDetector } from './types.js';

export { copyText, flatText } from './text.js';

/** What replay.ts records per announce. */
export interface SessionRecord {
  readonly credited: Counters;
  readonly before: PeerState;
  readonly after: PeerState;
  readonly applied: boolean;
  readonly findings: readonly Finding[];
}

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

/** Appends one replayed announce, with the findings raised on it, to the session's log. */
export function recordAnnounce(log: SessionLog, a: Announce, ref: number, r: SessionRecord): void {
  log.push({
    ref, ts: a.ts, event: a.event, uploaded: a.uploaded, downloaded: a.downloaded, left: a.left,
    credited: r.credited, before: r.before, after: r.after, applied: r.applied,
  }, r.findings);
}

/** Sum of the credited counters, and last minus first reported counters (of announces with both). */
function totals(records: readonly LogRecord[]): { credited: Counters; reported: Counters } {
  let up = 0n;
  let down = 0n;
  let first: LogRecord | null = null;
  let last: LogRecord | null = null;
  for (const r of records) {
    up += r.credited.uploaded;
    down += r.credited.downloaded;
    if (r.uploaded !== null && r.downloaded !== null) {
      first ??= r;
      last = r;
    }
  }
  const reported =
    first === null || last === null
      ? { uploaded: 0n, downloaded: 0n }
      : { uploaded: last.uploaded! - first.uploaded!, downloaded: last.downloaded! - first.downloaded! };
  return { credited: { uploaded: up, downloaded: down }, reported };
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

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Runs the session detectors and freezes the session. */
export function closeSession(s: OpenSession, o: CloseOptions): Session {
  const { records, findings: anomalies } = s.take();
  const gaps: number[] = [];
  const n = records.length;
  for (let i = 1; i < n; i++) gaps.push(Number(records[i]!.ts - records[i - 1]!.ts) / 1e9);
  const entries = sessionEntries(records);
  for (const d of o.detectors) {
    const f = d.detect({ rules: o.rules, entries, finalState: s.state, silence: o.silence, deadTime: o.deadTime });
    if (f === undefined) continue;
    anomalies.push(f);
  }
  const codes = new Map<number, string[]>();
  for (const f of anomalies) {
    if (f.announce === null) continue;
    const list = codes.get(f.announce);
    if (list) list.push(f.code);
    else codes.set(f.announce, [f.code]);
  }
  const announces = sessionAnnounces(records, codes);
  const { credited, reported } = totals(records);
  const note = sessionWhy(credited, reported, anomalies.map((f) => f.code));
  const medianGap = median(gaps);
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
    cadence: { medianGap: medianGap === null ? null : Math.round(medianGap * 1000) / 1000, interval: o.interval },
    deadTime: o.deadTime,
    anomalies,
    notes: note === null ? [] : [note],
  };
}
