/** Compares a replay with an expectations file: one readable line per expectation, met or not. */
import { escapeBytes } from '../announce/peer-id.js';
import { sanitize } from '../report/sanitize.js';
import { grouped } from '../format/units.js';
import type { Counters, Session, UserSummary } from '../tracker/types.js';
import { numberSessions } from './build.js';
import { sessionKey, type AnomalyExpectation, type CheckInput, type ExpectedCounters, type Expectations, type SessionExpectation } from './expectations.js';

/** The outcome of a check: `ok` when every expectation is met; `lines` say what was checked, failures first marked `FAIL`. */
export interface CheckReport {
  readonly ok: boolean;
  readonly lines: readonly string[];
  /** Expectations checked and how many failed. */
  readonly checked: number;
  readonly failed: number;
}

const OK = 'ok   ';
const FAIL = 'FAIL ';

class Lines {
  readonly lines: string[] = [];
  checked = 0;
  failed = 0;
  pass(text: string): void { this.checked++; this.lines.push(OK + text); }
  fail(text: string): void { this.checked++; this.failed++; this.lines.push(FAIL + text); }
  check(good: boolean, text: string): void { if (good) this.pass(text); else this.fail(text); }
}

function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/**
 * "session -CD0303-\x03/j… on 190d49d6… (note)": the peer_id as safe text (injective, so exact), the
 * torrent by its first hex digits, the position when the pair had several sessions.
 */
function sessionLabel(infoHash: string, peerIdHex: string, nth: number, note: string | undefined): string {
  const peer = escapeBytes(hexBytes(peerIdHex));
  const which = nth === 0 ? '' : ` #${nth + 1}`;
  return `session ${peer}${which} on ${infoHash.slice(0, 8)}…${note ? ` (${sanitize(note)})` : ''}`;
}

function counters(out: Lines, label: string, expected: ExpectedCounters | undefined, actual: Counters): void {
  if (!expected) return;
  for (const k of ['uploaded', 'downloaded'] as const) {
    const want = expected[k];
    if (want === undefined) continue;
    const got = actual[k];
    if (want === got) out.pass(`${label}: credited ${k} ${grouped(got)}`);
    else out.fail(`${label}: credited ${k} expected ${grouped(want)}, got ${grouped(got)}`);
  }
}

/** Multiset difference a - b of sorted code lists. */
function minus(a: readonly string[], b: readonly string[]): string[] {
  const left = [...b];
  const out: string[] = [];
  for (const x of a) {
    const i = left.indexOf(x);
    if (i >= 0) left.splice(i, 1);
    else out.push(x);
  }
  return out;
}

function list(codes: readonly string[]): string {
  return codes.length === 0 ? 'none' : codes.join(', ');
}

function anomalies(out: Lines, label: string, expected: AnomalyExpectation | undefined, s: Session): void {
  if (!expected) return;
  const got = s.anomalies.map((f) => f.code).sort();
  const missing = minus(expected.codes, got);
  const extra = expected.mode === 'exactly' ? minus(got, expected.codes) : [];
  const what = expected.mode === 'exactly' ? 'anomalies' : 'anomalies at least';
  if (missing.length === 0 && extra.length === 0) {
    out.pass(`${label}: ${what} ${list(expected.codes)}`);
    return;
  }
  const why = [missing.length ? `missing ${missing.join(', ')}` : '', extra.length ? `unexpected ${extra.join(', ')}` : ''].filter(Boolean).join('; ');
  out.fail(`${label}: ${what} expected ${list(expected.codes)}, got ${list(got)} (${why})`);
}

function session(out: Lines, e: SessionExpectation, s: Session | undefined): void {
  const label = sessionLabel(e.infoHash, e.peerId, e.nth, e.note);
  if (!s) {
    out.fail(`${label}: not in the replay`);
    return;
  }
  if (e.finalState !== undefined) {
    out.check(e.finalState === s.finalState, e.finalState === s.finalState
      ? `${label}: final state ${s.finalState}`
      : `${label}: final state expected ${e.finalState}, got ${s.finalState}`);
  }
  counters(out, label, e.credited, s.credited);
  anomalies(out, label, e.anomalies, s);
}

/**
 * Checks `actual` against `expect`. Users and sessions the file lists must be in the replay with
 * the listed values; with mode `exactly` the replay may hold no other user or session. Counters
 * always compare exactly; anomaly lists by the session's override, else the file's mode.
 */
export function compare(expect: Expectations, actual: CheckInput): CheckReport {
  const out = new Lines();
  const users = new Map<string, UserSummary>(actual.users.map((u) => [u.user, u]));
  const listedUsers = new Set<string>();
  for (const e of expect.users) {
    listedUsers.add(e.user);
    const label = `user ${sanitize(e.user)}`;
    const u = users.get(e.user);
    if (!u) { out.fail(`${label}: not in the replay`); continue; }
    if (!e.credited) { out.pass(`${label}: in the replay`); continue; }
    counters(out, label, e.credited, u.credited);
  }
  const byKey = new Map(numberSessions(actual.sessions).map((x) => [x.key, x]));
  const listedSessions = new Set<string>();
  for (const e of expect.sessions) {
    const key = sessionKey(e.infoHash, e.peerId, e.nth);
    listedSessions.add(key);
    const found = byKey.get(key)?.session;
    if (found && e.finalState === undefined && !e.credited && !e.anomalies) { out.pass(`${sessionLabel(e.infoHash, e.peerId, e.nth, e.note)}: in the replay`); continue; }
    session(out, e, found);
  }
  if (expect.mode === 'exactly') {
    for (const u of actual.users) {
      if (listedUsers.has(u.user)) continue;
      out.fail(`user ${sanitize(u.user)}: in the replay (credited ${grouped(u.credited.uploaded)} up, ${grouped(u.credited.downloaded)} down) but not in the expectations`);
    }
    for (const [key, { session: s, nth }] of byKey) {
      if (listedSessions.has(key)) continue;
      out.fail(`${sessionLabel(s.infoHash, s.peerId.hex, nth, `${s.peerId.client ?? 'unknown client'}, user ${s.user}`)}: in the replay (${s.finalState}) but not in the expectations`);
    }
  }
  const ok = out.failed === 0;
  out.lines.push(ok
    ? `check passed: ${out.checked} expectation${out.checked === 1 ? '' : 's'} met`
    : `check failed: ${out.failed} of ${out.checked} expectation${out.checked === 1 ? '' : 's'} not met`);
  return { ok, lines: out.lines, checked: out.checked, failed: out.failed };
}
