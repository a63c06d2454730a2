/**
 * The embedded tracker: replays decoded announces, in timestamp order, through one rule profile
 * (TBSource by default) and records credit, listing state, sessions and anomalies.
 * Semantics: /work/shared/reference/tracker-semantics.md. Principle: a real reply in the input
 * overrides the profile's prediction (accepted or refused), with a rules-disagree finding.
 */
import { describePeerId } from '../announce/peer-id.js';
import type { Announce, TrackerReply } from '../announce/types.js';
import { InputError } from '../errors.js';
import { SESSION_DETECTORS, STEP_DETECTORS } from './anomalies/index.js';
import { blacklistedPortText, NOTHING } from './rules/common.js';
import { getRules, RULES } from './rules/index.js';
import * as why from './explain.js';
import { NO_SESSION, RowCopy, nsToSeconds, type MutableSwarm, putRow, removeRow, ROW_EXPIRED, ROW_LISTED, ROW_NONE, secondsToNs, sessionFirstLeft, setSessionFirstLeft, swarmOf, TorrentTable, userSwarm, UserPeersBefore, type PeerSlot, type TorrentState, type UserEntry } from './state.js';
import { closeSession } from './session.js';
import { copyText } from './text.js';
import { LogStore } from './session-log.js';
import { ReplayStep } from './replay-step.js';
import type { StepNote } from './text-form.js';
import type {
  Counters,
  Finding,
  PeerIdInfo,
  PeerRow,
  PeerState,
  ReplayOptions,
  ReplayResult,
  Rules,
  Session,
  StepContext,
  SwarmCount,
  Thresholds,
  TorrentSummary,
  TrackerStep,
  UserSummary,
} from './types.js';

/** What the replay remembers per (info_hash, peer_id): row, open session, reply intervals. */
type PeerTrack = PeerSlot;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** No credit: the profiles' shared zero credit (compared by identity: bigint comparisons are calls). */
const ZERO: Counters = NOTHING;
/** Shared by every step without findings (not frozen: a frozen array has its own elements kind, which readers would also have to handle). */
const NO_FINDINGS: readonly Finding[] = [];

/** The failure text of a real reply, or null when it accepted the announce. */
function replyFailure(r: TrackerReply): string | null {
  if (r.failure !== null) return r.failure;
  if (r.status >= 400 || r.status === 0) return `HTTP ${r.status}`;
  return null;
}

function stateOf(row: { readonly seeder: boolean }): PeerState {
  return row.seeder ? 'seeding' : 'leeching';
}

/** True when `xs` is in ascending order. */
function ascending(xs: readonly number[]): boolean {
  for (let i = 1; i < xs.length; i++) if (xs[i - 1]! > xs[i]!) return false;
  return true;
}

function inBlacklist(rules: Rules, port: number): boolean {
  return rules.portBlacklist.some(([lo, hi]) => port >= lo && port <= hi);
}

/**
 * What step detectors read of the session's first announce: its port is the slot's, its left is
 * kept in the table's counters column when the session records it. Before its first record, the
 * first announce is the current one.
 */
class FirstView {
  session: PeerSlot | null = null;
  a: Announce | null = null;
  table: TorrentTable | null = null;
  get left(): bigint | null {
    return this.session!.length > 0 ? sessionFirstLeft(this.table!, this.session!) : this.a!.left;
  }
  get port(): number | null {
    return this.session!.firstPort;
  }
}

/** What step detectors read of the session's previous announce (only set when there is one). */
class PrevView {
  session: PeerSlot | null = null;
  get downloaded(): bigint | null {
    return this.session!.lastDownloaded();
  }
}

/**
 * The replay machine. Feed it with step() in timestamp order, then call finish() once.
 * Sessions are handed to `onSessionClosed` as they end; finish() returns all of them.
 */
export class TrackerReplay {
  private readonly rules: Rules;
  private readonly t: Thresholds;
  private readonly torrents = new TorrentTable();
  /**
   * The row of the step's peer before the step (listed or expired), copied out of its slot: the
   * slot's row is updated in place, while detectors and the profile read the values before it.
   */
  private readonly rowBefore = new RowCopy();
  /** Next PeerSlot sequence number (order of first appearance). */
  private seq = 0;
  /** The columns every open session's log lives in. */
  private readonly store = new LogStore();
  /** Reused for every step: detectors are pure and keep nothing of it. */
  private readonly ctx: Mutable<StepContext>;
  /** The user's peers before and after the step, filled in by every step for the detectors. */
  private readonly peersBefore = new UserPeersBefore();
  private readonly peersAfter: MutableSwarm = { seeders: 0, leechers: 0 };
  /** Last dead time converted to ns (it rarely changes; a BigInt per conversion is an allocation), also as a double. */
  private deadSeconds = NaN;
  private deadNsValue = 0n;
  private deadNsNumber = 0;
  /** Whether the table's time base is set (at the first announce). */
  private timed = false;
  private readonly firstView = new FirstView();
  private readonly prevView = new PrevView();
  /** Closed sessions by index (only with retainSessions), and how many sessions were opened. */
  private readonly sessions: (Session | null)[] = [];
  private sessionCount = 0;
  /**
   * Peers whose session ended with `stopped`, waiting out the echo window before it closes, in
   * the order they stopped (a Map: closing one early is O(1)), with their torrent.
   */
  private readonly pending = new Map<PeerTrack, TorrentState>();
  /** The latest `stoppedAt` in `pending`, and whether `pending` is in `stoppedAt` order. */
  private pendingMax = 0n;
  private pendingSorted = true;
  /**
   * No entry of `pending` is due before this time: the earliest `stoppedAt` + echo window when it
   * was last known (closing an entry early leaves it lower than it could be, never higher).
   */
  private pendingDue = 0n;
  /** Per user: indices of closed sessions and their finding count. */
  private readonly userSessions = new Map<string, { sessions: number[]; anomalies: number }>();
  private readonly orphan: Finding[] = [];
  /** Client names, one string each. */
  private readonly clients = new Map<string, string>();
  /** Every user by name (see userOf). */
  private readonly users = new Map<string, UserEntry>();
  /** The entry userOf returned last. */
  private lastUser: UserEntry | null = null;
  private lastTs = 0n;
  private readonly echoNs: bigint;
  /** --torrent sizes, null when there are none (the usual case: no lookup per announce). */
  private readonly sizes: ReadonlyMap<string, bigint> | null;

  constructor(private readonly opts: ReplayOptions = {}) {
    const rules = getRules(opts.rules ?? 'tbsource');
    if (rules === undefined)
      throw new InputError('rules.unknown', `unknown rules profile "${opts.rules ?? ''}" (choices: ${Object.keys(RULES).join(', ')})`);
    this.rules = rules;
    this.firstView.table = this.torrents;
    this.echoNs = secondsToNs(opts.stoppedEchoSeconds ?? 10);
    this.sizes = opts.torrentSizes !== undefined && opts.torrentSizes.size > 0 ? opts.torrentSizes : null;
    this.t = {
      minInterval: opts.minInterval,
      speedMinBytes: opts.speedMinBytes ?? 1n << 30n,
      speedWarn: opts.speedWarn ?? 100 * 1048576,
      speedError: opts.speedError ?? 1000 * 1048576,
      u232MinBytes: opts.u232MinBytes ?? 103872n,
      u232Speed: opts.u232Speed ?? 503872,
      noLeecherMinBytes: opts.noLeecherMinBytes ?? 10n * 1048576n,
      noLeecherSpeed: opts.noLeecherSpeed ?? 100 * 1024,
    };
    const none = { seeders: 0, leechers: 0 };
    this.ctx = {
      a: null as unknown as Announce, rules, thresholds: this.t, index: 0, row: null, expiredRow: null, prev: null, first: this.firstView,
      applied: false, credited: ZERO, before: 'none', after: 'none', leechersBefore: 0, ip: '', gap: null, interval: 0, deadTime: 0, size: null,
      userCompletedBefore: 0, completedCounted: false, userPeersBefore: none, userPeersAfter: none,
      replyMinInterval: null, predicted: null, real: undefined,
    };
  }

  /**
   * The entry of a user name, with one string per user of its own storage: a name sliced from a
   * request head would keep the whole head alive in every map and session that holds it.
   */
  private userOf(user: string): UserEntry {
    // a new session asks twice in a row for its user (open, then its first step)
    if (this.lastUser !== null && this.lastUser.name === user) return this.lastUser;
    let u = this.users.get(user);
    if (u === undefined) {
      const name = copyText(user);
      this.users.set(name, (u = { name, totals: ZERO, stepped: false }));
    }
    this.lastUser = u;
    return u;
  }

  private intervalFor(track: PeerTrack | undefined, t: TorrentState): number {
    return this.opts.interval ?? track?.replyInterval ?? t.replyInterval ?? this.rules.defaultInterval;
  }

  private deadTimeFor(track: PeerTrack | undefined, t: TorrentState): number {
    if (this.opts.deadTime !== undefined) return this.opts.deadTime;
    const d = this.rules.deadTime;
    return 'factor' in d ? d.factor * this.intervalFor(track, t) : d.seconds;
  }

  /** `seconds` in ns, as secondsToNs. */
  private deadNs(seconds: number): bigint {
    if (seconds !== this.deadSeconds) {
      this.deadSeconds = seconds;
      this.deadNsValue = secondsToNs(seconds);
      this.deadNsNumber = Number(this.deadNsValue);
    }
    return this.deadNsValue;
  }

  /** Drops one expired row, remembering it for the peer's late announce. */
  private expire(t: TorrentState, track: PeerTrack): void {
    if (!removeRow(t, track, ROW_EXPIRED)) return;
    if (track.session !== NO_SESSION && track.stoppedAt === null) track.state = 'expired';
  }

  /**
   * Expires rows older than their dead time. Rows are ordered by lastTs, so a step stops at the first
   * live one (O(expired) per step); a row with a shorter dead time behind a live one waits for the
   * next sweep, while its own announce is always judged exactly (gap > dead time).
   */
  private sweep(t: TorrentState, now: bigint, nowAt: number, all: boolean): void {
    let gone: PeerTrack[] | null = null;
    const times = this.torrents.times;
    for (let slot = t.first; slot !== null; slot = slot.next) {
      const dead = this.deadNs(this.deadTimeFor(slot, t));
      if (times.exceeds(slot.seq, now, nowAt, dead, this.deadNsNumber)) (gone ??= []).push(slot);
      else if (!all) break;
    }
    if (gone !== null) for (const slot of gone) this.expire(t, slot);
  }

  /** Closes sessions whose echo window has passed. */
  private flushPending(now: bigint | null): void {
    // most steps: nothing pending is due yet, known without looking at the entries
    if (this.pending.size === 0 || (now !== null && now <= this.pendingDue)) return;
    let low: bigint | null = null;
    for (const [track, t] of this.pending) {
      const at = track.stoppedAt ?? 0n;
      if (now !== null && now - at <= this.echoNs) {
        if (low === null || at < low) low = at;
        // in stoppedAt order every later one is inside the window too
        if (this.pendingSorted) break;
        continue;
      }
      this.close(t, track, null); // deletes it from `pending` (safe while iterating a Map)
    }
    if (low !== null) this.pendingDue = low + this.echoNs;
  }

  private addPending(track: PeerTrack, t: TorrentState): void {
    const at = track.stoppedAt ?? 0n;
    const due = at + this.echoNs;
    if (this.pending.size === 0) {
      this.pendingSorted = true;
      this.pendingMax = at;
      this.pendingDue = due;
    } else {
      if (at < this.pendingMax) this.pendingSorted = false;
      else this.pendingMax = at;
      if (due < this.pendingDue) this.pendingDue = due;
    }
    this.pending.set(track, t);
  }

  /** Closes the peer's open session. */
  private close(t: TorrentState, track: PeerTrack, end: bigint | null): void {
    this.pending.delete(track);
    const times = this.torrents.times;
    const silence = end !== null && track.rowState === ROW_LISTED ? times.secondsSince(track.seq, end, times.offsetOf(end)) : null;
    const session = closeSession(track, {
      rules: this.rules,
      detectors: SESSION_DETECTORS,
      interval: this.intervalFor(track, t),
      deadTime: this.deadTimeFor(track, t),
      silence,
      infoHash: t.infoHash,
      peerId: this.peerIdOf(track),
    });
    track.session = NO_SESSION;
    // with retainSessions false the consumer of onSessionClosed owns the session: memory stays flat
    if (this.opts.retainSessions !== false) this.sessions[session.index] = session;
    let u = this.userSessions.get(session.user);
    if (u === undefined) this.userSessions.set(session.user, (u = { sessions: [], anomalies: 0 }));
    u.sessions.push(session.index);
    u.anomalies += session.anomalies.length;
    this.opts.onSessionClosed?.(session);
  }

  /** Adds `c` to the user's credit; returns the user's totals afterwards. */
  private credit(u: UserEntry, c: Counters): Counters {
    u.stepped = true;
    // the shared zero credit by identity (bigint comparisons are calls); another zero credit adds 0n
    if (c !== ZERO) {
      const t = u.totals;
      u.totals = { uploaded: t.uploaded + c.uploaded, downloaded: t.downloaded + c.downloaded };
    }
    return u.totals;
  }

  /** Replays one announce. `ref` is its index in the output's announces array. */
  step(a: Announce, ref: number): TrackerStep {
    if (a.ts > this.lastTs) this.lastTs = a.ts;
    this.flushPending(a.ts);
    const ip = a.forwardedFor ?? a.client.ip;
    const announcedUser = a.passkey ?? ip;
    const real = a.reply !== null ? replyFailure(a.reply) : undefined;
    if (a.infoHash === null || a.peerId === null) return this.orphanStep(a, ref, announcedUser, real);

    const times = this.torrents.times;
    if (!this.timed) {
      times.base = a.ts;
      this.timed = true;
    }
    const nowAt = times.offsetOf(a.ts);
    const track = this.torrents.peer(a.infoHash, a.peerId, this.seq, this.store);
    const t = track.torrent;
    const ih = t.infoHash;
    if (track.seq === this.seq) this.seq++;
    const interval = this.intervalFor(track, t);
    const deadTime = this.deadTimeFor(track, t);
    this.sweep(t, a.ts, nowAt, false);
    if (track.rowState === ROW_LISTED && times.exceeds(track.seq, a.ts, nowAt, this.deadNs(deadTime), this.deadNsNumber)) this.expire(t, track);

    // session: a `stopped` echoed within a few seconds stays in the session that just ended
    const stoppedAt = track.session !== NO_SESSION ? track.stoppedAt : null;
    const echo = stoppedAt !== null && a.event === 'stopped' && a.ts - stoppedAt <= this.echoNs;
    if (stoppedAt !== null && !echo) this.close(t, track, null);
    if (track.session === NO_SESSION) this.open(a, track, announcedUser, ip);

    const row = track.rowState === ROW_LISTED ? this.rowBefore.copy(track, this.torrents) : null;
    const expiredRow = track.rowState === ROW_EXPIRED ? this.rowBefore.copy(track, this.torrents) : null;
    const before: PeerState = row !== null ? stateOf(row) : expiredRow !== null ? 'expired' : track.state;
    const gap = row !== null || expiredRow !== null ? times.secondsSince(track.seq, a.ts, nowAt) : null;
    const isNew = row === null;

    const predicted = this.predict(a, row);
    const applied = real !== undefined ? real === null : predicted === null;
    const failure = real !== undefined ? real : predicted;
    const notes: StepNote[] = [];
    if (real !== undefined && (predicted === null) !== (real === null)) notes.push(why.realOverridesNote(this.rules, predicted, real));
    else if (typeof real === 'string') notes.push(why.realFailureNote(real));
    else if (real === undefined && predicted !== null) notes.push(why.refusedNote(this.rules, predicted));

    if (isNew && a.event !== 'stopped' && a.left !== null) {
      const seen = a.left + (a.downloaded ?? 0n);
      if (seen > t.sizeSeen) t.sizeSeen = seen;
    }
    const sizeOpt = this.sizes?.get(ih);
    const size = sizeOpt ?? (t.sizeSeen > 0n ? t.sizeSeen : null);

    const userEntry = row !== null ? track.user : this.userOf(announcedUser);
    const user = userEntry.name;
    const leechersBefore = t.swarm.leechers;
    const userPeersBefore = this.peersBefore;
    userPeersBefore.reset(t, user);
    const recounts = t.recounts;
    const userCompletedBefore = t.completedByUser?.get(user) ?? 0;
    let credited = ZERO;
    let after = before;
    let completedCounted = false;
    if (expiredRow !== null) notes.push(why.expiredNote(gap ?? 0, deadTime));

    if (applied) {
      const up = a.uploaded ?? row?.uploaded ?? 0n;
      const down = a.downloaded ?? row?.downloaded ?? 0n;
      if (row !== null) {
        if (this.rules.resetOnStarted && a.event === 'started') notes.push(why.startedResetNote(this.rules));
        else {
          const c = this.rules.credit(row, up, down);
          credited = c.credited;
          notes.push(why.creditNoteText(credited, row, up, down));
          if (c.regressed.length > 0) notes.push(why.regressionNote(c.regressed, c.reset, this.rules));
        }
      }
      if (a.event === 'stopped') {
        if (row !== null) {
          userPeersBefore.settle();
          removeRow(t, track, ROW_NONE);
          after = 'removed';
          notes.push(why.stoppedNote());
        } else notes.push(why.stoppedUnknownNote(this.rules));
        track.rowState = ROW_NONE;
      } else {
        completedCounted = this.rules.countsCompleted(a.event, a.left, row, isNew);
        if (isNew) notes.push(why.baselineNoteText(up, down));
        const seeder = a.left !== null ? a.left === 0n : (row?.seeder ?? false);
        // the user's counts before a change are taken just before it (see UserPeersBefore)
        if (row === null || track.user !== userEntry || row.seeder !== seeder) userPeersBefore.settle();
        putRow(
          t, this.torrents, track, userEntry,
          row !== null ? row.ip : track.sessionIp === ip ? track.sessionIp : copyText(ip),
          row !== null ? row.port : a.port,
          up, down,
          a.left ?? row?.left ?? null,
          seeder,
          a.ts,
        );
        after = stateOf(track);
        const tr = why.transitionNote(before, after);
        if (tr !== null) notes.push(tr);
      }
      if (a.event === 'completed') (t.completedByUser ??= new Map()).set(user, userCompletedBefore + 1);
      if (completedCounted) {
        t.timesCompleted++;
        notes.push(this.rules.completedNote);
      }
    }
    if (a.reply !== null) {
      if (a.reply.interval !== null) track.replyInterval = t.replyInterval = a.reply.interval;
      if (a.reply.minInterval !== null) track.replyMinInterval = a.reply.minInterval;
    }

    const index = track.length;
    const ctx = this.ctx;
    this.firstView.session = this.prevView.session = track;
    this.firstView.a = a;
    ctx.a = a; ctx.index = index; ctx.row = row; ctx.expiredRow = expiredRow; ctx.prev = index > 0 ? this.prevView : null;
    ctx.applied = applied; ctx.credited = credited; ctx.before = before; ctx.after = after; ctx.leechersBefore = leechersBefore;
    ctx.ip = ip; ctx.gap = gap; ctx.interval = interval; ctx.deadTime = deadTime; ctx.size = size;
    ctx.userCompletedBefore = userCompletedBefore; ctx.completedCounted = completedCounted; ctx.userPeersBefore = userPeersBefore;
    // unchanged counts: the same object, which tells multi-location that nothing moved
    ctx.userPeersAfter = t.recounts === recounts ? userPeersBefore : userSwarm(t, user, this.peersAfter); ctx.replyMinInterval = track.replyMinInterval; ctx.predicted = predicted; ctx.real = real;
    let findings: Finding[] | readonly Finding[] = NO_FINDINGS; // most steps find nothing: no array for them
    for (const d of STEP_DETECTORS) {
      const f = d.detect(ctx);
      if (f !== undefined) (findings === NO_FINDINGS ? (findings = []) : (findings as Finding[])).push(f);
    }
    ctx.a = null as unknown as Announce; // keep nothing of the announce past its step
    this.firstView.a = null;
    this.firstView.session = this.prevView.session = null;
    ctx.row = ctx.expiredRow = null;
    const totals = this.credit(userEntry, credited);
    if (index === 0) setSessionFirstLeft(this.torrents, track, a.left);
    this.store.appendFields(track, ref, a.ts, a.event, a.uploaded, a.downloaded, a.left, credited, before, after, applied, findings);
    track.state = after;
    if (a.event === 'stopped' && !echo) {
      track.stoppedAt = a.ts;
      this.addPending(track, t);
    }
    return new ReplayStep(ref, track.session, index, user, credited, before, after, swarmOf(t), totals, findings, notes, applied, failure, predicted);
  }

  /** The profile's answer: the first request-side failure, then the state-dependent checks. */
  private predict(a: Announce, row: PeerRow | null): string | null {
    if (a.errors.length > 0) return a.errors[0]!;
    if (row === null) {
      if (a.event === 'stopped') return this.rules.stoppedUnknown;
      if (a.port !== null && inBlacklist(this.rules, a.port)) return blacklistedPortText(a.port);
      if (this.rules.requireStarted !== null && a.event !== 'started') return this.rules.requireStarted;
    }
    return this.rules.refuse({ a, row });
  }

  /** Opens a session in the peer's slot. */
  private open(a: Announce, track: PeerTrack, user: string, ip: string): void {
    const index = this.sessionCount++;
    // a slot per session only when they are kept: otherwise this array would grow with the input
    if (this.opts.retainSessions !== false) this.sessions.push(null);
    track.open(index, this.userOf(user).name, copyText(ip), a.port);
  }

  /** The peer_id as the report shows it, made from the raw bytes when the session closes. */
  private peerIdOf(track: PeerTrack): PeerIdInfo {
    const p = describePeerId(Buffer.from(track.raw, 'latin1'));
    const client = p.client === null ? null : (this.clients.get(p.client) ?? (this.clients.set(p.client, p.client), p.client));
    return { hex: p.hex, text: p.text, client };
  }

  /** An announce without info_hash or peer_id: no peer key, no session. */
  private orphanStep(a: Announce, ref: number, user: string, real: string | null | undefined): TrackerStep {
    const predicted = a.errors[0] ?? 'missing info_hash or peer_id';
    const failure = real !== undefined ? real : predicted;
    const f: Finding =
      real === undefined
        ? { code: 'rules-refused', severity: 'warning', announce: null, message: `${this.rules.title} refuses this announce ("${predicted}"): nothing is credited or listed` }
        : { code: 'tracker-failure', severity: 'warning', announce: null, message: `the tracker answered "${failure ?? ''}" to an announce without a usable info_hash/peer_id` };
    this.orphan.push(f);
    const entry = this.users.get(user);
    const totals = entry !== undefined && entry.stepped ? entry.totals : ZERO;
    return {
      ref, session: null, announceIndex: null, user, credited: ZERO, before: 'none', after: 'none',
      swarm: { seeders: 0, leechers: 0 }, totals: { uploaded: totals.uploaded, downloaded: totals.downloaded },
      findings: [f], notes: [why.refusedNote(this.rules, predicted)], applied: false, failure, predicted,
    };
  }

  /**
   * Ends the input. `endTs` is the end of the input (last packet), default the last announce.
   * Peers silent longer than their dead time end `expired`; the others stay listed.
   */
  finish(endTs?: bigint): ReplayResult {
    const end = endTs !== undefined && endTs > this.lastTs ? endTs : this.lastTs;
    const endAt = this.torrents.times.offsetOf(end);
    for (const t of this.torrents.byHex.values()) this.sweep(t, end, endAt, true);
    this.flushPending(null);
    // in order of the peers' first appearance
    // placed by sequence number: in order without a sort
    const open: (PeerTrack | undefined)[] = new Array<PeerTrack | undefined>(this.seq);
    for (const slot of this.torrents.slots()) if (slot.session !== NO_SESSION) open[slot.seq] = slot;
    for (let i = 0; i < open.length; i++) {
      const track = open[i];
      if (track !== undefined) this.close(track.torrent, track, end);
    }
    this.store.close(); // every log is read back: the temp file goes
    const sessions = this.sessions.filter((s): s is Session => s !== null);
    const byUser = this.userSessions;
    // sessions close mostly in index order: sort only the lists that are not
    for (const u of byUser.values()) if (!ascending(u.sessions)) u.sessions.sort((a, b) => a - b);
    const stepped = [...this.users.values()].filter((u) => u.stepped).map((u) => u.name);
    const users: UserSummary[] = stepped.sort().map((user) => {
      const c = this.users.get(user)!.totals;
      const u = byUser.get(user) ?? { sessions: [], anomalies: 0 };
      return { user, credited: { uploaded: c.uploaded, downloaded: c.downloaded }, sessions: u.sessions, anomalies: u.anomalies };
    });
    const torrents: TorrentSummary[] = [...this.torrents.byHex.values()].map((t) => {
      const opt = this.opts.torrentSizes?.get(t.infoHash);
      return {
        infoHash: t.infoHash,
        seeders: t.swarm.seeders,
        leechers: t.swarm.leechers,
        timesCompleted: t.timesCompleted,
        size: opt ?? (t.sizeSeen > 0n ? t.sizeSeen : null),
        sizeSource: opt !== undefined ? 'option' : t.sizeSeen > 0n ? 'announces' : 'unknown',
      };
    });
    return { rules: this.rules.name, sessions, users, torrents, orphanFindings: [...this.orphan] };
  }
}
