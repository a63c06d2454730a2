/**
 * One session being built: the announces of one (info_hash, peer_id) up to its `stopped`.
 * Keeps only compact facts: its log in the shared LogStore, and of its first and previous
 * announce only what detectors read (first left and port, previous downloaded).
 */
import type { Announce } from '../announce/types.js';
import { sessionWhy } from './explain.js';
import { sessionAnnounces, sessionEntries, SessionLog, type LogStore } from './session-log.js';
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

/** A string with its own storage (not a slice of a larger one, which would keep that one alive). */
export function copyText(s: string): string {
  return s.length < 13 ? s : Buffer.from(s, 'latin1').toString('latin1');
}

/**
 * A string with its own flat storage, whatever its characters: a message built by concatenation is
 * a rope of several heap objects, and one sliced from a larger string keeps that one alive.
 */
export function flatText(s: string): string {
  // latin1 text stays one byte a char; anything else goes through UTF-16 code units (exact, lone surrogates too)
  return /^[\x00-\xff]*$/.test(s) ? Buffer.from(s, 'latin1').toString('latin1') : Buffer.from(s, 'utf16le').toString('utf16le');
}

/**
 * One shared flat copy of each recent finding message: open sessions hold many findings whose
 * messages repeat ("re-announce 0 s after ..."). Bounded: cleared when full, so it never grows
 * with the input.
 */
export class MessageInterner {
  private readonly map = new Map<string, string>();
  constructor(private readonly cap = 4096) {}

  /** The shared copy of `s`. */
  get(s: string): string {
    let m = this.map.get(s);
    if (m === undefined) {
      if (this.map.size >= this.cap) this.map.clear();
      m = flatText(s);
      this.map.set(m, m);
    }
    return m;
  }
}

/** What replay.ts records per announce. */
export interface SessionRecord {
  readonly credited: Counters;
  readonly before: PeerState;
  readonly after: PeerState;
  readonly applied: boolean;
  readonly findings: readonly Finding[];
}

/**
 * A session still open (or stopped and waiting out the echo window). It is its own log (one object
 * less per open session), and keeps the peer_id only as the raw bytes' latin1 text its peer slot is
 * keyed by: the text and client the report shows are derived when it closes.
 */
export class SessionBuilder extends SessionLog {
  findings: Finding[] | null = null;
  uploaded = 0n;
  downloaded = 0n;
  state: PeerState = 'none';
  /** Time of the `stopped` that ended it, or null while open. */
  stoppedAt: bigint | null = null;
  /** True once an announce is recorded; `prevDownloaded` is then the previous announce's. */
  hasPrev = false;
  prevDownloaded: bigint | null = null;
  readonly firstLeft: bigint | null;
  readonly firstPort: number | null;
  private firstUp: bigint | null = null;
  private firstDown: bigint | null = null;
  private lastUp: bigint | null = null;
  private lastDown: bigint | null = null;

  constructor(
    store: LogStore,
    private readonly messages: MessageInterner,
    readonly index: number,
    readonly infoHash: string,
    /** The peer_id bytes as latin1 text (the peer slot's Map key). */
    readonly peerRaw: string,
    readonly user: string,
    readonly ip: string,
    first: Announce,
  ) {
    super(store);
    this.firstLeft = first.left;
    this.firstPort = first.port;
  }

  /** The session's log (the session itself). */
  get log(): SessionLog {
    return this;
  }

  /** Appends one replayed announce. */
  record(a: Announce, ref: number, r: SessionRecord): void {
    const index = this.length;
    this.push({
      ref, ts: a.ts, event: a.event, uploaded: a.uploaded, downloaded: a.downloaded, left: a.left,
      credited: r.credited, before: r.before, after: r.after, applied: r.applied,
    });
    if (r.findings.length > 0) {
      const list = (this.findings ??= []);
      for (const f of r.findings) list.push({ ...f, announce: index, message: this.messages.get(f.message) });
    }
    this.uploaded += r.credited.uploaded;
    this.downloaded += r.credited.downloaded;
    this.state = r.after;
    if (a.uploaded !== null && a.downloaded !== null) {
      if (this.firstUp === null) {
        this.firstUp = a.uploaded;
        this.firstDown = a.downloaded;
      }
      this.lastUp = a.uploaded;
      this.lastDown = a.downloaded;
    }
    this.hasPrev = true;
    this.prevDownloaded = a.downloaded;
  }

  /** Last announce's counters minus the first's (may be negative). */
  reported(): Counters {
    if (this.firstUp === null || this.lastUp === null) return { uploaded: 0n, downloaded: 0n };
    return { uploaded: this.lastUp - this.firstUp, downloaded: this.lastDown! - this.firstDown! };
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
  /** The peer_id as the report shows it (derived from `peerRaw` by the caller). */
  readonly peerId: PeerIdInfo;
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Runs the session detectors and freezes the session. */
export function closeSession(s: SessionBuilder, o: CloseOptions): Session {
  const records = s.log.records();
  s.log.release();
  const gaps: number[] = [];
  const n = records.length;
  for (let i = 1; i < n; i++) gaps.push(Number(records[i]!.ts - records[i - 1]!.ts) / 1e9);
  const anomalies = s.findings === null ? [] : [...s.findings];
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
  const credited = { uploaded: s.uploaded, downloaded: s.downloaded };
  const reported = s.reported();
  const note = sessionWhy(credited, reported, anomalies.map((f) => f.code));
  const medianGap = median(gaps);
  return {
    index: s.index,
    infoHash: s.infoHash,
    peerId: o.peerId,
    user: s.user,
    ip: s.ip,
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
