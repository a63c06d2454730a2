/**
 * The expectations file of `tracker-anatomy check`: what a replay must produce, for CI.
 *
 * Format (JSON, one object):
 *
 * ```json
 * {
 *   "version": 1,
 *   "mode": "exactly",
 *   "note": "free text, ignored",
 *   "users": {
 *     "127.0.0.4": { "credited": { "uploaded": 0, "downloaded": 20447232 } }
 *   },
 *   "sessions": [
 *     {
 *       "infoHash": "190d49d6c5e2573351d54fe3a57a59ce56c47ef6",
 *       "peerId": "2d4344303330332d032f6a9ee3d29a9fdb2f25a6",
 *       "nth": 0,
 *       "note": "ctorrent run #1, killed",
 *       "finalState": "expired",
 *       "credited": { "uploaded": 0, "downloaded": 8912896 },
 *       "anomalies": ["missing-stopped", "rules-disagree"]
 *     }
 *   ]
 * }
 * ```
 *
 * - `version`: 1 (optional; other values are refused so a future format is not misread).
 * - `mode`: `"exactly"` (default) or `"atLeast"`. With `exactly`, a user or session of the replay
 *   that the file does not list is a failure, and each session's anomaly codes must be exactly
 *   those listed. With `atLeast`, unlisted users and sessions are fine, and the listed anomaly codes
 *   must be present (others may be too).
 * - `users`: by user (passkey, else the address the tracker credits). `credited.uploaded` and
 *   `credited.downloaded` are each optional; a counter is a non-negative integer, written as a
 *   decimal string when it is above 2^53 - 1 (JSON numbers are not exact beyond that).
 * - `sessions`: a session is named by `infoHash` and `peerId` (lowercase hex, 40 digits each) and
 *   `nth`, its position (0 first, default 0) among the replay's sessions of that same pair in order
 *   of their first announce (a client that resumes with the same peer_id after a `stopped` has
 *   several). Each of `finalState` (none, leeching, seeding, removed, expired), `credited` and
 *   `anomalies` is optional; what is absent is not checked.
 * - `anomalies`: a list of codes (a code may repeat: each occurrence counts) checked by the
 *   file's `mode`, or `{ "exactly": [...] }` / `{ "atLeast": [...] }` to override it for one session.
 * - `note` (top level, user, session): free text for the reader, never checked.
 *
 * Unknown keys are refused, so a misspelt key cannot silently check nothing.
 */
import { InputError } from '../errors.js';
import type { PeerState, Session, UserSummary } from '../tracker/types.js';

/** What the lead collects from a replay for a check: every user and every closed session. */
export interface CheckInput {
  readonly users: readonly UserSummary[];
  readonly sessions: readonly Session[];
}

/** How lists are compared: `exactly` (nothing extra allowed) or `atLeast` (extra is fine). */
export type CheckMode = 'exactly' | 'atLeast';

/** Expected credited counters; an absent one is not checked. */
export interface ExpectedCounters {
  readonly uploaded?: bigint;
  readonly downloaded?: bigint;
}

/** One user's expectations. */
export interface UserExpectation {
  readonly user: string;
  readonly note?: string;
  readonly credited?: ExpectedCounters;
}

/** Expected anomaly codes and how to compare them. */
export interface AnomalyExpectation {
  readonly mode: CheckMode;
  /** Sorted; repeats count. */
  readonly codes: readonly string[];
  /** True when the file gave a plain list (it follows the document's mode). */
  readonly inherited: boolean;
}

/** One session's expectations. */
export interface SessionExpectation {
  readonly infoHash: string;
  readonly peerId: string;
  readonly nth: number;
  readonly note?: string;
  readonly finalState?: PeerState;
  readonly credited?: ExpectedCounters;
  readonly anomalies?: AnomalyExpectation;
}

/** A validated expectations document. Counters are bigint. */
export interface Expectations {
  readonly mode: CheckMode;
  readonly note?: string;
  readonly users: readonly UserExpectation[];
  readonly sessions: readonly SessionExpectation[];
}

const STATES: readonly PeerState[] = ['none', 'leeching', 'seeding', 'removed', 'expired'];
const MAX_SAFE = 9007199254740991n;
const HEX40 = /^[0-9a-f]{40}$/;
const CODE = /^[a-z0-9]+(-[a-z0-9]+)*$/;

type Obj = Record<string, unknown>;

/** Validation with the path of the offending value in every message. */
class Reader {
  constructor(private readonly file: string) {}

  fail(where: string, message: string): never {
    throw new InputError('check.bad-expectations', `${where}: ${message}`, this.file);
  }

  /** An object whose keys are all `allowed` (null: any key, as for the users map). */
  object(v: unknown, where: string, allowed: readonly string[] | null): Obj {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(where, `expected an object, got ${kind(v)}`);
    if (allowed) for (const k of Object.keys(v)) {
      if (!allowed.includes(k)) this.fail(where, `unknown key "${k}" (allowed: ${allowed.join(', ')})`);
    }
    return v as Obj;
  }

  note(v: unknown, where: string): string | undefined {
    if (v === undefined) return undefined;
    if (typeof v !== 'string') this.fail(`${where}.note`, `expected a string, got ${kind(v)}`);
    return v;
  }

  counter(v: unknown, where: string): bigint {
    if (typeof v === 'number') {
      if (!Number.isInteger(v) || v < 0) this.fail(where, `expected a non-negative integer, got ${v}`);
      if (!Number.isSafeInteger(v)) this.fail(where, `${v} is above 2^53 - 1 and not exact as a JSON number: write it as a decimal string`);
      return BigInt(v);
    }
    if (typeof v === 'string') {
      if (!/^[0-9]{1,20}$/.test(v)) this.fail(where, `expected a decimal string of digits, got ${JSON.stringify(v)}`);
      return BigInt(v);
    }
    return this.fail(where, `expected a number or a decimal string, got ${kind(v)}`);
  }

  counters(v: unknown, where: string): ExpectedCounters | undefined {
    if (v === undefined) return undefined;
    const o = this.object(v, where, ['uploaded', 'downloaded']);
    return {
      ...(o['uploaded'] !== undefined ? { uploaded: this.counter(o['uploaded'], `${where}.uploaded`) } : {}),
      ...(o['downloaded'] !== undefined ? { downloaded: this.counter(o['downloaded'], `${where}.downloaded`) } : {}),
    };
  }

  mode(v: unknown, where: string): CheckMode {
    if (v === 'exactly' || v === 'atLeast') return v;
    return this.fail(where, `expected "exactly" or "atLeast", got ${JSON.stringify(v)}`);
  }

  codes(v: unknown, where: string): string[] {
    if (!Array.isArray(v)) this.fail(where, `expected a list of anomaly codes, got ${kind(v)}`);
    return v.map((c, i) => {
      if (typeof c !== 'string' || !CODE.test(c)) this.fail(`${where}[${i}]`, `expected an anomaly code such as "missing-stopped", got ${JSON.stringify(c)}`);
      return c;
    }).sort();
  }

  anomalies(v: unknown, where: string, mode: CheckMode): AnomalyExpectation | undefined {
    if (v === undefined) return undefined;
    if (Array.isArray(v)) return { mode, codes: this.codes(v, where), inherited: true };
    const o = this.object(v, where, ['exactly', 'atLeast']);
    const keys = Object.keys(o);
    if (keys.length !== 1) this.fail(where, 'expected a list, or an object with exactly one of "exactly" or "atLeast"');
    const m = keys[0] as CheckMode;
    return { mode: m, codes: this.codes(o[m], `${where}.${m}`), inherited: false };
  }

  hex40(v: unknown, where: string): string {
    if (typeof v !== 'string' || !HEX40.test(v.toLowerCase())) this.fail(where, `expected 40 hex digits, got ${JSON.stringify(v)}`);
    return v.toLowerCase();
  }
}

function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)}`;
}

/** Validates a parsed document; throws InputError `check.bad-expectations` naming the bad value. */
export function validateExpectations(doc: unknown, file: string): Expectations {
  const r: Reader = new Reader(file);
  const top = r.object(doc, 'expectations', ['version', 'mode', 'note', 'users', 'sessions']);
  if (top['version'] !== undefined && top['version'] !== 1) r.fail('version', `this tracker-anatomy reads version 1, got ${JSON.stringify(top['version'])}`);
  const mode = top['mode'] === undefined ? 'exactly' : r.mode(top['mode'], 'mode');
  const users: UserExpectation[] = [];
  if (top['users'] !== undefined) {
    const u = r.object(top['users'], 'users', null);
    for (const [name, v] of Object.entries(u)) {
      const where = `users[${JSON.stringify(name)}]`;
      const o = r.object(v, where, ['credited', 'note']);
      const note = r.note(o['note'], where);
      const credited = r.counters(o['credited'], `${where}.credited`);
      users.push({ user: name, ...(note !== undefined ? { note } : {}), ...(credited ? { credited } : {}) });
    }
  }
  const sessions: SessionExpectation[] = [];
  if (top['sessions'] !== undefined) {
    const list: unknown = top['sessions'];
    if (!Array.isArray(list)) r.fail('sessions', `expected a list, got ${kind(list)}`);
    const seen = new Set<string>();
    list.forEach((v: unknown, i: number) => {
      const where = `sessions[${i}]`;
      const o = r.object(v, where, ['infoHash', 'peerId', 'nth', 'note', 'finalState', 'credited', 'anomalies']);
      const infoHash = r.hex40(o['infoHash'], `${where}.infoHash`);
      const peerId = r.hex40(o['peerId'], `${where}.peerId`);
      const nthRaw: unknown = o['nth'] ?? 0;
      if (typeof nthRaw !== 'number' || !Number.isSafeInteger(nthRaw) || nthRaw < 0) r.fail(`${where}.nth`, `expected a non-negative integer, got ${JSON.stringify(nthRaw)}`);
      const key = sessionKey(infoHash, peerId, nthRaw);
      if (seen.has(key)) r.fail(where, `the same session (infoHash, peerId, nth ${nthRaw}) is listed twice`);
      seen.add(key);
      const fs = o['finalState'];
      if (fs !== undefined && !STATES.includes(fs as PeerState)) r.fail(`${where}.finalState`, `expected one of ${STATES.join(', ')}, got ${JSON.stringify(fs)}`);
      const note = r.note(o['note'], where);
      const credited = r.counters(o['credited'], `${where}.credited`);
      const anomalies = r.anomalies(o['anomalies'], `${where}.anomalies`, mode);
      sessions.push({
        infoHash, peerId, nth: nthRaw,
        ...(note !== undefined ? { note } : {}),
        ...(fs !== undefined ? { finalState: fs as PeerState } : {}),
        ...(credited ? { credited } : {}),
        ...(anomalies ? { anomalies } : {}),
      });
    });
  }
  const note = r.note(top['note'], 'expectations');
  return { mode, ...(note !== undefined ? { note } : {}), users, sessions };
}

/** Parses and validates the text of an expectations file. */
export function parseExpectations(text: string, file: string): Expectations {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new InputError('check.bad-expectations', `not valid JSON: ${(e as Error).message}`, file);
  }
  return validateExpectations(doc, file);
}

/** The key that names a session in expectations and in the replay. */
export function sessionKey(infoHash: string, peerIdHex: string, nth: number): string {
  return `${infoHash}/${peerIdHex}/${nth}`;
}

function counterJson(n: bigint): number | string {
  return n <= MAX_SAFE ? Number(n) : n.toString();
}

function countersJson(c: ExpectedCounters): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  if (c.uploaded !== undefined) out['uploaded'] = counterJson(c.uploaded);
  if (c.downloaded !== undefined) out['downloaded'] = counterJson(c.downloaded);
  return out;
}

/** The document as JSON text (2-space indent, one anomaly list a line), what `--update` writes. */
export function formatExpectations(e: Expectations): string {
  const doc: Obj = { version: 1, mode: e.mode };
  if (e.note !== undefined) doc['note'] = e.note;
  const users: Obj = {};
  for (const u of e.users) {
    const o: Obj = {};
    if (u.note !== undefined) o['note'] = u.note;
    if (u.credited) o['credited'] = countersJson(u.credited);
    users[u.user] = o;
  }
  doc['users'] = users;
  doc['sessions'] = e.sessions.map((s) => {
    const o: Obj = { infoHash: s.infoHash, peerId: s.peerId, nth: s.nth };
    if (s.note !== undefined) o['note'] = s.note;
    if (s.finalState !== undefined) o['finalState'] = s.finalState;
    if (s.credited) o['credited'] = countersJson(s.credited);
    if (s.anomalies) o['anomalies'] = s.anomalies.inherited ? s.anomalies.codes : { [s.anomalies.mode]: s.anomalies.codes };
    return o;
  });
  // short objects and code lists on one line keep a reviewed diff small
  return JSON.stringify(doc, null, 2)
    .replace(/\{\n\s+("(?:uploaded|downloaded)": [^\n]+?)(?:,\n\s+("downloaded": [^\n]+))?\n\s+\}/g, (_m, a: string, b?: string) => `{ ${a}${b ? ', ' + b : ''} }`)
    .replace(/\[\n((?:\s+"[a-z0-9-]+",?\n)+)\s+\]/g, (_m, body: string) => `[${body.split('\n').map((l) => l.trim()).filter(Boolean).join(' ')}]`) + '\n';
}
