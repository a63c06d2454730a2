/**
 * One session being built: the announces of one (info_hash, peer_id) up to its `stopped`.
 * Keeps only compact facts (no Announce objects except the first and the previous one).
 */
import type { Announce } from '../announce/types.js';
import { sessionWhy } from './explain.js';
import { SessionLog } from './session-log.js';
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

/**
 * The announce without what no detector reads (its parameter list, target and reply peers): a
 * session keeps its first and previous announce for every open peer, so this is most of the
 * replay's memory on a large capture.
 */
export function slim(a: Announce): Announce {
  // Build a fresh object from primitives: copying `a` would keep its strings, which V8 may hold
  // as slices of the whole request head, and its parameter byte views alive for the session's life.
  return {
    kind: 'announce', origin: EMPTY_ORIGIN, ts: a.ts, transport: a.transport,
    client: { ip: copyText(a.client.ip), port: a.client.port }, tracker: EMPTY_ENDPOINT,
    forwardedFor: a.forwardedFor === null ? null : copyText(a.forwardedFor), path: '', target: '', httpVersion: '',
    userAgent: null, infoHash: null, peerId: null, port: a.port, uploaded: a.uploaded, downloaded: a.downloaded,
    left: a.left, event: a.event === null ? null : copyText(a.event), numwant: a.numwant, key: null, passkey: null,
    params: [], errors: [], reply: null, proxyMerged: a.proxyMerged,
  };
}

const EMPTY_ORIGIN = { file: '', packet: null, line: null, offset: 0 } as const;
const EMPTY_ENDPOINT = { ip: '', port: 0 } as const;

/** A string with its own storage (not a slice of a larger one). */
function copyText(s: string): string {
  return s.length < 13 ? s : Buffer.from(s, 'latin1').toString('latin1');
}

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
  readonly log = new SessionLog();
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
    const index = this.log.length;
    this.log.push({
      ref, ts: a.ts, event: a.event, uploaded: a.uploaded, downloaded: a.downloaded, left: a.left,
      credited: r.credited, before: r.before, after: r.after, applied: r.applied,
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
    this.prev = slim(a);
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
  const n = s.log.length;
  for (let i = 1; i < n; i++) gaps.push(Number(s.log.tsAt(i) - s.log.tsAt(i - 1)) / 1e9);
  const anomalies = [...s.findings];
  const entries = s.log.entries();
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
  const announces = s.log.announces(codes);
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
    start: s.log.tsAt(0),
    end: s.log.tsAt(n - 1),
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
