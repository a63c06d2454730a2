/**
 * One session being built: the announces of one (info_hash, peer_id) up to its `stopped`.
 * Keeps only compact facts (no Announce objects except the first and the previous one).
 */
import type { Announce } from '../announce/types.js';
import { sessionWhy } from './explain.js';
import type {
  Counters,
  Finding,
  PeerIdInfo,
  PeerState,
  Rules,
  Session,
  SessionAnnounce,
  SessionDetector,
  SessionEntry,
} from './types.js';

/** What replay.ts records per announce. */
export interface SessionRecord {
  readonly credited: Counters;
  readonly before: PeerState;
  readonly after: PeerState;
  readonly applied: boolean;
  readonly findings: readonly Finding[];
}

/** A session still open (or stopped and waiting out the echo window). */
export class SessionBuilder {
  prev: Announce | null = null;
  readonly entries: SessionEntry[] = [];
  readonly announces: SessionAnnounce[] = [];
  readonly findings: Finding[] = [];
  uploaded = 0n;
  downloaded = 0n;
  state: PeerState = 'none';
  /** Time of the `stopped` that ended it, or null while open. */
  stoppedAt: bigint | null = null;
  private firstCounters: Counters | null = null;
  private lastCounters: Counters | null = null;

  constructor(
    readonly index: number,
    readonly infoHash: string,
    readonly peerHex: string,
    readonly peerId: PeerIdInfo,
    readonly user: string,
    readonly ip: string,
    readonly first: Announce,
  ) {}

  /** Appends one replayed announce. */
  record(a: Announce, ref: number, r: SessionRecord): void {
    const index = this.entries.length;
    this.entries.push({ ts: a.ts, event: a.event, uploaded: a.uploaded, downloaded: a.downloaded, left: a.left, applied: r.applied });
    this.announces.push({
      ref,
      ts: a.ts,
      event: a.event,
      credited: r.credited,
      state: { before: r.before, after: r.after },
      anomalies: r.findings.map((f) => f.code),
      applied: r.applied,
    });
    for (const f of r.findings) this.findings.push({ ...f, announce: index });
    this.uploaded += r.credited.uploaded;
    this.downloaded += r.credited.downloaded;
    this.state = r.after;
    if (a.uploaded !== null && a.downloaded !== null) {
      const c = { uploaded: a.uploaded, downloaded: a.downloaded };
      this.firstCounters ??= c;
      this.lastCounters = c;
    }
    this.prev = a;
  }

  /** Last announce's counters minus the first's (may be negative). */
  reported(): Counters {
    if (this.firstCounters === null || this.lastCounters === null) return { uploaded: 0n, downloaded: 0n };
    return {
      uploaded: this.lastCounters.uploaded - this.firstCounters.uploaded,
      downloaded: this.lastCounters.downloaded - this.firstCounters.downloaded,
    };
  }
}

/** Alias used by replay.ts. */
export type OpenSession = SessionBuilder;

/** How a session is closed. */
export interface CloseOptions {
  readonly rules: Rules;
  readonly detectors: readonly SessionDetector[];
  readonly interval: number;
  readonly deadTime: number;
  /** Seconds from the last applied announce to the end of input, when the session ends at finish(). */
  readonly silence: number | null;
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Runs the session detectors and freezes the session. */
export function closeSession(s: SessionBuilder, o: CloseOptions): Session {
  const gaps: number[] = [];
  for (let i = 1; i < s.entries.length; i++) gaps.push(Number(s.entries[i]!.ts - s.entries[i - 1]!.ts) / 1e9);
  const anomalies = [...s.findings];
  const announces = [...s.announces];
  for (const d of o.detectors) {
    const f = d.detect({ rules: o.rules, entries: s.entries, finalState: s.state, silence: o.silence, deadTime: o.deadTime });
    if (f === undefined) continue;
    anomalies.push(f);
    if (f.announce !== null) {
      const at = announces[f.announce]!;
      announces[f.announce] = { ...at, anomalies: [...at.anomalies, f.code] };
    }
  }
  const credited = { uploaded: s.uploaded, downloaded: s.downloaded };
  const reported = s.reported();
  const note = sessionWhy(credited, reported, anomalies.map((f) => f.code));
  const medianGap = median(gaps);
  return {
    index: s.index,
    infoHash: s.infoHash,
    peerId: s.peerId,
    user: s.user,
    ip: s.ip,
    port: s.first.port,
    start: s.entries[0]!.ts,
    end: s.entries[s.entries.length - 1]!.ts,
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
