/**
 * Records of the embedded tracker replay (see /work/shared/reference/tracker-semantics.md).
 * These are the JSON contract of the `tracker` stage: plain readonly data, bigint counters,
 * hex strings for binary ids. The report layer converts bigint to text.
 */
import type { Announce } from '../announce/types.js';
import type { StepNote } from './text-form.js';

/** Where a peer stands in the replayed tracker: not listed yet, listed by its seeder flag, or gone. */
export type PeerState = 'none' | 'leeching' | 'seeding' | 'removed' | 'expired';

/** How bad a finding is for the user's stats. */
export type Severity = 'info' | 'warning' | 'error';

/** An uploaded/downloaded pair (bytes). */
export interface Counters {
  readonly uploaded: bigint;
  readonly downloaded: bigint;
}

/** One anomaly: `code` is a key of ANOMALIES (anomalies/catalogue.ts). */
export interface Finding {
  readonly code: string;
  readonly severity: Severity;
  /** Index of the announce within its session, or null for a session-level finding. */
  readonly announce: number | null;
  /** States the consequence for the user's stats, in plain words. */
  readonly message: string;
}

/** The peer_id as the report shows it. */
export interface PeerIdInfo {
  readonly hex: string;
  readonly text: string;
  readonly client: string | null;
}

/** One announce as a session lists it. */
export interface SessionAnnounce {
  /** Index of the announce in the output's top-level announces array. */
  readonly ref: number;
  readonly ts: bigint;
  readonly event: string | null;
  readonly credited: Counters;
  readonly state: { readonly before: PeerState; readonly after: PeerState };
  /** Anomaly codes raised on this announce. */
  readonly anomalies: readonly string[];
  /** False when the (real or predicted) tracker refused it. */
  readonly applied: boolean;
}

/**
 * The run of announces of one (info_hash, peer_id) up to and including its `stopped`.
 * Expiry does not split a session; a `stopped` echoed within a few seconds stays in it.
 */
export interface Session {
  /** Position in ReplayResult.sessions (order of first announce). */
  readonly index: number;
  readonly infoHash: string;
  readonly peerId: PeerIdInfo;
  /** Passkey, else the address TBSource would use (X-Forwarded-For, else the socket address). */
  readonly user: string;
  /** Address and port of the first announce (what TBSource stores in the peer row). */
  readonly ip: string;
  readonly port: number | null;
  readonly start: bigint;
  readonly end: bigint;
  readonly announces: readonly SessionAnnounce[];
  readonly finalState: PeerState;
  readonly credited: Counters;
  /** Last announce's counters minus the first's, per counter; negative after a counter reset. */
  readonly reported: Counters;
  /** Median gap between announces (s) against the interval the tracker asked (s). */
  readonly cadence: { readonly medianGap: number | null; readonly interval: number };
  /** Dead time (s) used for this peer at the end of the session. */
  readonly deadTime: number;
  readonly anomalies: readonly Finding[];
  /** Plain-language notes about the session as a whole. */
  readonly notes: readonly string[];
}

/** The swarm of one torrent as the replay sees it. */
export interface SwarmCount {
  readonly seeders: number;
  readonly leechers: number;
}

/** What the replay did with one announce (for the streaming report). */
export interface TrackerStep {
  readonly ref: number;
  /** Index of the session, or null when the announce has no usable info_hash/peer_id. */
  readonly session: number | null;
  /** Index of this announce within its session, or null. */
  readonly announceIndex: number | null;
  readonly user: string;
  readonly credited: Counters;
  readonly before: PeerState;
  readonly after: PeerState;
  /** The torrent's swarm after this announce. */
  readonly swarm: SwarmCount;
  /** The user's running credited totals after this announce. */
  readonly totals: Counters;
  readonly findings: readonly Finding[];
  /** Plain-language explanations of what happened and why. */
  readonly notes: readonly string[];
  /**
   * The same notes before rendering (forms with their numbers among plain texts), when the replay
   * kept them so: a byte writer writes the forms without making their text.
   */
  readonly noteTexts?: readonly StepNote[];
  /** True when the announce changed tracker state. */
  readonly applied: boolean;
  /** The failure reason that applied (real reply's, else the profile's prediction), or null. */
  readonly failure: string | null;
  /** What the rules profile predicts: the failure reason it would answer, or null for success. */
  readonly predicted: string | null;
}

/** Per-user totals. */
export interface UserSummary {
  readonly user: string;
  readonly credited: Counters;
  /** Indices of the user's sessions. */
  readonly sessions: readonly number[];
  /** Number of findings in those sessions. */
  readonly anomalies: number;
}

/** Per-torrent state at the end of the input. */
export interface TorrentSummary {
  readonly infoHash: string;
  readonly seeders: number;
  readonly leechers: number;
  readonly timesCompleted: number;
  /** Torrent size in bytes, or null when it cannot be known. */
  readonly size: bigint | null;
  /** 'option': given by the user; 'announces': largest first-announce left + downloaded; 'unknown'. */
  readonly sizeSource: 'option' | 'announces' | 'unknown';
}

/** Everything finish() returns. Sessions are in order of their first announce. */
export interface ReplayResult {
  readonly rules: string;
  readonly sessions: readonly Session[];
  readonly users: readonly UserSummary[];
  readonly torrents: readonly TorrentSummary[];
  /** Findings that belong to no session (announces without a usable peer key). */
  readonly orphanFindings: readonly Finding[];
}

/** Options of the replay. Thresholds that are policy live here, with documented defaults. */
export interface ReplayOptions {
  /** Name of a RULES profile; default 'tbsource'. */
  readonly rules?: string;
  /** Announce interval (s) overriding the replies and the profile default (`--interval`). */
  readonly interval?: number;
  /** Dead time (s) overriding the profile's rule (`--dead-time`). */
  readonly deadTime?: number;
  /**
   * Minimum gap (s) between event-less announces for announce-too-soon. Default: the reply's
   * `min interval` when the input has one, else this option, else half the interval.
   */
  readonly minInterval?: number;
  /** Torrent sizes by lowercase hex info_hash. */
  readonly torrentSizes?: ReadonlyMap<string, bigint>;
  /** A second `stopped` this many seconds after one stays in the session that just ended; default 10. */
  readonly stoppedEchoSeconds?: number;
  /** upload-speed (NEX): deltas above this many bytes are checked; default 1 GiB. */
  readonly speedMinBytes?: bigint;
  /** upload-speed (NEX) warning above this many bytes/s; default 100 MiB/s. */
  readonly speedWarn?: number;
  /** upload-speed (NEX) error above this many bytes/s; default 1000 MiB/s. */
  readonly speedError?: number;
  /** upload-speed (U232) info: delta-up above this many bytes ... ; default 103872. */
  readonly u232MinBytes?: bigint;
  /** ... at more than this many bytes/s; default 503872. */
  readonly u232Speed?: number;
  /** upload-without-leechers (NEX): delta-up above this many bytes; default 10 MiB. */
  readonly noLeecherMinBytes?: bigint;
  /** ... at more than this many bytes/s; default 100 KiB/s. */
  readonly noLeecherSpeed?: number;
  /**
   * False: closed sessions are only handed to onSessionClosed, not kept for finish()'s result, so
   * memory does not grow with the input. Default true.
   */
  readonly retainSessions?: boolean;
  /** Called when a session ends (stopped, after the echo window, or at finish()). */
  readonly onSessionClosed?: (s: Session) => void;
}

/** Options with every default filled in. */
export interface Thresholds {
  readonly minInterval: number | undefined;
  readonly speedMinBytes: bigint;
  readonly speedWarn: number;
  readonly speedError: number;
  readonly u232MinBytes: bigint;
  readonly u232Speed: number;
  readonly noLeecherMinBytes: bigint;
  readonly noLeecherSpeed: number;
}

/** The peer row as the replay keeps it (mirror of TBSource's `peers` row). */
export interface PeerRow {
  readonly user: string;
  readonly ip: string;
  readonly port: number | null;
  uploaded: bigint;
  downloaded: bigint;
  left: bigint | null;
  seeder: boolean;
  /** Last applied announce, ns. */
  lastTs: bigint;
  /** Leechers listed in the torrent right after this peer's last applied announce. */
  leechersAtLast: number;
}

/** Everything a step detector may look at. Read-only by convention. */
export interface StepContext {
  readonly a: Announce;
  readonly rules: Rules;
  readonly thresholds: Thresholds;
  /** Index of the announce in its session. */
  readonly index: number;
  /** The row before this announce (null when the peer was not listed). */
  readonly row: Readonly<PeerRow> | null;
  /** The row the peer had before it expired, when this announce comes after the dead time. */
  readonly expiredRow: Readonly<PeerRow> | null;
  /**
   * The previous announce of this session (applied or not), or null: only what detectors read of
   * it, since a session keeps this for every open peer.
   */
  readonly prev: Pick<Announce, 'downloaded'> | null;
  /** The first announce of this session (what detectors read of it). */
  readonly first: Pick<Announce, 'left' | 'port'>;
  readonly applied: boolean;
  readonly credited: Counters;
  readonly before: PeerState;
  readonly after: PeerState;
  /** Leechers in the torrent before / after this announce (the announcing peer included). */
  readonly leechersBefore: number;
  /** The address TBSource would use for this announce. */
  readonly ip: string;
  /** Gap since this peer's last applied announce (s), or null. */
  readonly gap: number | null;
  readonly interval: number;
  readonly deadTime: number;
  /** Torrent size, or null when unknown. */
  readonly size: bigint | null;
  /** `completed` events of this user on this torrent counted before this announce. */
  readonly userCompletedBefore: number;
  /** True when this announce counted a snatch (times_completed + 1). */
  readonly completedCounted: boolean;
  /** The user's listed peers on this torrent before and after this announce. */
  readonly userPeersBefore: SwarmCount;
  readonly userPeersAfter: SwarmCount;
  /** `min interval` of this peer's last reply, or null. */
  readonly replyMinInterval: number | null;
  /** The profile's predicted failure and the real reply's failure (undefined: no reply). */
  readonly predicted: string | null;
  readonly real: string | null | undefined;
}

/** The facts of one announce a session keeps for its session-level detectors. */
export interface SessionEntry {
  readonly ts: bigint;
  readonly event: string | null;
  readonly uploaded: bigint | null;
  readonly downloaded: bigint | null;
  readonly left: bigint | null;
  readonly applied: boolean;
}

/** What a session detector sees when the session ends. */
export interface SessionContext {
  readonly rules: Rules;
  readonly entries: readonly SessionEntry[];
  readonly finalState: PeerState;
  /** Seconds between the last applied announce and the end of input, or null. */
  readonly silence: number | null;
  readonly deadTime: number;
}

/** Detects one anomaly on one announce. Pure. */
export interface StepDetector {
  readonly code: string;
  readonly scope: 'step';
  detect(ctx: StepContext): Finding | undefined;
}

/** Detects one anomaly on a whole session. Pure. */
export interface SessionDetector {
  readonly code: string;
  readonly scope: 'session';
  detect(ctx: SessionContext): Finding | undefined;
}

/** Either kind of detector. */
export type Detector = StepDetector | SessionDetector;

/** How a profile credits one announce of a known peer. */
export interface CreditResult {
  readonly credited: Counters;
  /** Which counters went down ('uploaded', 'downloaded'). */
  readonly regressed: readonly ('uploaded' | 'downloaded')[];
  /** True when the profile resets the baseline (and credits nothing) because of a regression. */
  readonly reset: boolean;
}

/** Facts a `refuse` hook may use. */
export interface RefuseContext {
  readonly a: Announce;
  /** The peer row, or null for a new (or expired) peer. */
  readonly row: Readonly<PeerRow> | null;
}

/** A rule profile: data plus small hooks. The machine in replay.ts is shared by all profiles. */
export interface Rules {
  /** The `--rules` choice. */
  readonly name: string;
  /** The engine's name as the report prints it ("TBSource"). */
  readonly title: string;
  /** Where the behaviour was read (repository : file). */
  readonly source: string;
  /** Announce interval (s) when neither the input nor the options give one. */
  readonly defaultInterval: number;
  /** Dead time: a factor of the interval, or fixed seconds. */
  readonly deadTime: { readonly factor: number } | { readonly seconds: number };
  /** Ports refused for NEW peers ([from, to] inclusive). */
  readonly portBlacklist: readonly (readonly [number, number])[];
  /** TBD09: an unknown peer without `started` is refused with this text; null to accept. */
  readonly requireStarted: string | null;
  /** `started` on a known peer resets the baseline (Ocelot). */
  readonly resetOnStarted: boolean;
  /** Credit for a known peer. */
  credit(row: Readonly<PeerRow>, uploaded: bigint, downloaded: bigint): CreditResult;
  /** Whether this announce counts a snatch (times_completed + 1). `row` is the peer row before it (null: new peer). */
  countsCompleted(event: string | null, left: bigint | null, row: Readonly<PeerRow> | null, isNew: boolean): boolean;
  /** State-dependent refusals beyond request validation (e.g. XBT's 404); null to accept. */
  refuse(ctx: RefuseContext): string | null;
  /** `stopped` for an unknown peer: null = no-op, else the failure text answered. */
  readonly stoppedUnknown: string | null;
  /** Why-sentence for a counted `completed` (explain.ts prints it). */
  readonly completedNote: string;
}
