/**
 * The embedded tracker: replays decoded announces, in timestamp order, through one rule profile
 * (TBSource by default) and records credit, listing state, sessions and anomalies.
 * Semantics: /work/shared/reference/tracker-semantics.md. Principle: a real reply in the input
 * overrides the profile's prediction (accepted or refused), with a rules-disagree finding.
 *
 * This file is the per-announce step and the order of things; its parts live by job in
 * expiry.ts (dead rows), stop-echoes.ts (the `stopped` echo window), session-book.ts (opening
 * and closing sessions), user-book.ts (users and credit), verdict.ts (accepted or refused),
 * orphan-step.ts, detector-views.ts, thresholds.ts and torrent-summary.ts.
 */
import type { Announce } from '../announce/types.js';
import { InputError } from '../errors.js';
import { STEP_DETECTORS } from './anomalies/index.js';
import { getRules, RULES } from './rules/index.js';
import * as why from './explain.js';
import { FirstView, PrevView } from './detector-views.js';
import { Expiry } from './expiry.js';
import { IdleSlots } from './idle-slots.js';
import { orphanStep } from './orphan-step.js';
import { NO_SESSION, RowCopy, type MutableSwarm, putRow, removeRow, ROW_EXPIRED, ROW_LISTED, ROW_NONE, secondsToNs, setSessionFirstLeft, swarmOf, TorrentTable, userSwarm, UserPeersBefore, type PeerSlot, type TorrentState } from './state.js';
import { copyText } from './text.js';
import { LogStore } from './session-log.js';
import { ReplayStep } from './replay-step.js';
import { SessionBook } from './session-book.js';
import { StopEchoes } from './stop-echoes.js';
import type { StepNote } from './text-form.js';
import { thresholdsOf } from './thresholds.js';
import { summarizeTorrents } from './torrent-summary.js';
import { UserBook, ZERO } from './user-book.js';
import { predictFailure, replyFailure } from './verdict.js';
import type { Finding, PeerState, ReplayOptions, ReplayResult, Rules, StepContext, TrackerStep } from './types.js';

/** What the replay remembers per (info_hash, peer_id): row, open session, reply intervals. */
type PeerTrack = PeerSlot;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Shared by every step without findings (not frozen: a frozen array has its own elements kind, which readers would also have to handle). */
const NO_FINDINGS: readonly Finding[] = [];

function stateOf(row: { readonly seeder: boolean }): PeerState {
  return row.seeder ? 'seeding' : 'leeching';
}

/**
 * The replay machine. Feed it with step() in timestamp order, then call finish() once.
 * Sessions are handed to `onSessionClosed` as they end; finish() returns all of them.
 */
/** Capture time between sweeps of every torrent's expired rows (TBSource's cleanup runs every 900 s). */
const SWEEP_ALL_NS = 900e9;

export class TrackerReplay {
  private readonly rules: Rules;
  private readonly torrents = new TorrentTable();
  /**
   * The row of the step's peer before the step (listed or expired), copied out of its slot: the
   * slot's row is updated in place, while detectors and the profile read the values before it.
   */
  private readonly rowBefore = new RowCopy();
  /** The columns every open session's log lives in. */
  private readonly store = new LogStore();
  /** Reused for every step: detectors are pure and keep nothing of it. */
  private readonly ctx: Mutable<StepContext>;
  /** The user's peers before and after the step, filled in by every step for the detectors. */
  private readonly peersBefore = new UserPeersBefore();
  private readonly peersAfter: MutableSwarm = { seeders: 0, leechers: 0 };
  /** Whether the table's time base is set (at the first announce). */
  private timed = false;
  private readonly firstView = new FirstView(this.torrents);
  private readonly prevView = new PrevView();
  private readonly expiry: Expiry;
  /** Idle peer slots, forgotten after their horizon. */
  private readonly idle: IdleSlots;
  private readonly stops: StopEchoes;
  private readonly book: SessionBook;
  private readonly users = new UserBook();
  private readonly orphans: Finding[] = [];
  private lastTs = 0n;
  /** Capture time (ns after the time base) of the last sweepAll. */
  private sweptAllAt = 0;
  /** --torrent sizes, null when there are none (the usual case: no lookup per announce). */
  private readonly sizes: ReadonlyMap<string, bigint> | null;

  constructor(private readonly opts: ReplayOptions = {}) {
    const rules = getRules(opts.rules ?? 'tbsource');
    if (rules === undefined)
      throw new InputError('rules.unknown', `unknown rules profile "${opts.rules ?? ''}" (choices: ${Object.keys(RULES).join(', ')})`);
    this.rules = rules;
    this.idle = new IdleSlots(this.torrents, (slot, t) => this.expiry.deadTimeFor(slot, t), (slot) => this.close(slot.torrent, slot, null));
    this.expiry = new Expiry(rules, opts.interval, opts.deadTime, this.torrents.times, this.idle);
    this.stops = new StopEchoes(secondsToNs(opts.stoppedEchoSeconds ?? 10), (t, track) => {
      this.close(t, track, null);
      // stopped and past the echo window: idle unless its row is still listed (a refused stop)
      if (track.idle) this.idle.add(track, t);
    });
    this.book = new SessionBook(rules, opts.retainSessions !== false, opts.onSessionClosed);
    this.sizes = opts.torrentSizes !== undefined && opts.torrentSizes.size > 0 ? opts.torrentSizes : null;
    const none = { seeders: 0, leechers: 0 };
    this.ctx = {
      a: null as unknown as Announce, rules, thresholds: thresholdsOf(opts), index: 0, row: null, expiredRow: null, prev: null, first: this.firstView,
      applied: false, credited: ZERO, before: 'none', after: 'none', leechersBefore: 0, ip: '', gap: null, interval: 0, deadTime: 0, size: null,
      userCompletedBefore: 0, completedCounted: false, userPeersBefore: none, userPeersAfter: none,
      replyMinInterval: null, predicted: null, real: undefined,
    };
  }

  /** Closes the peer's open session; `end`: the end of input, when it closes there (null otherwise). */
  private close(t: TorrentState, track: PeerTrack, end: bigint | null): void {
    this.stops.forget(track);
    const times = this.torrents.times;
    const silence = end !== null && track.rowState === ROW_LISTED ? times.secondsSince(track.cell, end, times.offsetOf(end)) : null;
    this.book.close(track, t.infoHash, this.expiry.intervalFor(track, t), this.expiry.deadTimeFor(track, t), silence);
  }

  /**
   * Expires the overdue rows of every torrent (as TBSource's periodic sweep does), now and then: a
   * step sweeps only its own torrent, so without this a torrent that falls silent would keep its
   * vanished peers, and their pairs, to the end. A torrent's next step would expire the same rows
   * before reading any of them, so what changes is only when their waits (IdleSlots) begin: nearer
   * the expiry itself.
   */
  private sweepAll(ts: bigint, nowAt: number, clock: number): void {
    this.sweptAllAt = clock;
    for (const t of this.torrents.byHex.values()) if (t.first !== null) this.expiry.sweep(t, ts, nowAt, false);
  }

  /** Peer slots in use: listed, with an open session, or idle within their horizon (see IdleSlots). */
  get peerSlots(): number {
    return this.torrents.size;
  }

  /** Replays one announce. `ref` is its index in the output's announces array. */
  step(a: Announce, ref: number): TrackerStep {
    if (a.ts > this.lastTs) this.lastTs = a.ts;
    this.stops.flush(a.ts);
    const ip = a.forwardedFor ?? a.client.ip;
    const announcedUser = a.passkey ?? ip;
    const real = a.reply !== null ? replyFailure(a.reply) : undefined;
    if (a.infoHash === null || a.peerId === null) return orphanStep(this.rules, a, ref, announcedUser, real, this.users.totalsOf(announcedUser), this.orphans);

    const times = this.torrents.times;
    if (!this.timed) {
      times.base = a.ts;
      this.timed = true;
    }
    const nowAt = times.offsetOf(a.ts);
    const clock = nowAt === nowAt ? nowAt : Number(a.ts - times.base);
    // before the lookup: a pair idle past its horizon is new to this step
    this.idle.sweep(clock);
    // after idle.sweep, which sets the clock the rows expired here start to wait from
    if (clock - this.sweptAllAt >= SWEEP_ALL_NS) this.sweepAll(a.ts, nowAt, clock);
    const track = this.torrents.peer(a.infoHash, a.peerId, this.store);
    const t = track.torrent;
    const ih = t.infoHash;
    const interval = this.expiry.intervalFor(track, t);
    const deadTime = this.expiry.deadTimeFor(track, t);
    this.expiry.sweep(t, a.ts, nowAt, false);
    if (track.rowState === ROW_LISTED && this.expiry.overdue(track, a.ts, nowAt, deadTime)) this.expiry.expire(t, track);

    // session: a `stopped` echoed within a few seconds stays in the session that just ended
    const stoppedAt = track.session !== NO_SESSION ? track.stoppedAt : null;
    const echo = stoppedAt !== null && a.event === 'stopped' && this.stops.isEcho(stoppedAt, a.ts);
    if (stoppedAt !== null && !echo) this.close(t, track, null);
    if (track.session === NO_SESSION) this.book.open(track, this.users.of(announcedUser).name, ip, a.port);
    // after anything above that made the slot wait in the idle queue: it is in use again
    track.noteStep();

    const row = track.rowState === ROW_LISTED ? this.rowBefore.copy(track, this.torrents) : null;
    const expiredRow = track.rowState === ROW_EXPIRED ? this.rowBefore.copy(track, this.torrents) : null;
    const before: PeerState = row !== null ? stateOf(row) : expiredRow !== null ? 'expired' : track.state;
    const gap = row !== null || expiredRow !== null ? times.secondsSince(track.cell, a.ts, nowAt) : null;
    const isNew = row === null;

    const predicted = predictFailure(this.rules, a, row);
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

    const userEntry = row !== null ? track.user : this.users.of(announcedUser);
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

    // refused and not listed, with its session open: like a vanished peer, it waits for a day
    if (!applied && track.rowState !== ROW_LISTED && track.stoppedAt === null) this.idle.add(track, t);

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
    const totals = this.users.credit(userEntry, credited);
    if (index === 0) setSessionFirstLeft(this.torrents, track, a.left);
    this.store.appendFields(track, ref, a.ts, a.event, a.uploaded, a.downloaded, a.left, credited, before, after, applied, findings);
    track.state = after;
    if (a.event === 'stopped' && !echo) {
      track.stoppedAt = a.ts;
      this.stops.add(track, t);
    }
    return new ReplayStep(ref, track.session, index, user, credited, before, after, swarmOf(t), totals, findings, notes, applied, failure, predicted);
  }

  /**
   * Ends the input. `endTs` is the end of the input (last packet), default the last announce.
   * Peers silent longer than their dead time end `expired`; the others stay listed.
   */
  finish(endTs?: bigint): ReplayResult {
    const end = endTs !== undefined && endTs > this.lastTs ? endTs : this.lastTs;
    const endAt = this.torrents.times.offsetOf(end);
    for (const t of this.torrents.byHex.values()) this.expiry.sweep(t, end, endAt, true);
    this.stops.flush(null);
    // the sessions still open close in order of the peers' first appearance (the table yields
    // them nearly in that order, its Map by first insertion of each key: the sort has little to do)
    const open: PeerTrack[] = [];
    for (const slot of this.torrents.slots()) if (slot.session !== NO_SESSION) open.push(slot);
    open.sort((x, y) => x.order - y.order);
    for (const track of open) this.close(track.torrent, track, end);
    this.store.close(); // every log is read back: the temp file goes
    const sessions = this.book.sessions();
    const users = this.users.summaries(this.book.sessionsByUser());
    const torrents = summarizeTorrents(this.torrents.byHex.values(), this.opts.torrentSizes);
    return { rules: this.rules.name, sessions, users, torrents, orphanFindings: [...this.orphans] };
  }
}
