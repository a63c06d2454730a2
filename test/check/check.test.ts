/**
 * `check` core on the real capture b_crash (fixtures/real/b_crash/scenario.md): the hand-checked
 * fixtures/expect/b_crash.json must pass; one altered number, anomaly or final state must each show
 * as one failing line naming the expected and actual value. Checks: users' credited totals,
 * sessions' final state, credited counters and anomaly codes, modes, and file validation.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compare, expectationsFrom, formatExpectations, parseExpectations, type CheckInput } from '../../src/check/index.js';
import { InputError } from '../../src/errors.js';
import { replayForCheck, ROOT } from './replay.js';

const FILE = 'fixtures/expect/b_crash.json';
const TEXT = readFileSync(join(ROOT, FILE), 'utf8');
const CT1 = '2d4344303330332d032f6a9ee3d29a9fdb2f25a6';
const CT2 = '2d4344303330332d1c1965988b7b1d4b7e192c64';

let replay: CheckInput;
beforeAll(async () => { replay = await replayForCheck('fixtures/real/b_crash/capture.pcap'); });

/** The fixture as an object, edited by `f`, parsed back. */
function edited(f: (doc: any) => void) {
  const doc = JSON.parse(TEXT);
  f(doc);
  return parseExpectations(JSON.stringify(doc), FILE);
}

const failures = (lines: readonly string[]) => lines.filter((l) => l.startsWith('FAIL'));

describe('check on b_crash', () => {
  it('the hand-checked expectations pass: 2 users x 2 counters, 3 sessions x (state, 2 counters, anomalies)', () => {
    const r = compare(parseExpectations(TEXT, FILE), replay);
    expect(failures(r.lines)).toEqual([]);
    expect(r).toMatchObject({ ok: true, checked: 16, failed: 0 });
    expect(r.lines).toContain('ok   user 127.0.0.4: credited downloaded 20,447,232');
    expect(r.lines.at(-1)).toBe('check passed: 16 expectations met');
  });

  it('expectations built from the replay match the hand-checked file and survive formatting', () => {
    const built = expectationsFrom(replay);
    const hand = parseExpectations(TEXT, FILE);
    const strip = (e: typeof hand) => ({ ...e, note: undefined, users: e.users.map((u) => ({ ...u, note: undefined })), sessions: e.sessions.map((s) => ({ ...s, note: undefined })) });
    expect(strip(built)).toEqual(strip(hand));
    const again = parseExpectations(formatExpectations(built), 'built.json');
    expect(again).toEqual(built);
    expect(compare(again, replay).ok).toBe(true);
  });

  it('a changed user total fails with expected and actual', () => {
    const r = compare(edited((d) => { d.users['127.0.0.4'].credited.downloaded = 20447233; }), replay);
    expect(r.ok).toBe(false);
    expect(failures(r.lines)).toEqual(['FAIL user 127.0.0.4: credited downloaded expected 20,447,233, got 20,447,232']);
    expect(r.lines.at(-1)).toBe('check failed: 1 of 16 expectations not met');
  });

  it('a changed anomaly fails, naming what is missing and what is unexpected', () => {
    const r = compare(edited((d) => { d.sessions[2].anomalies = ['completed-with-left', 'rules-disagree']; }), replay);
    expect(failures(r.lines)).toEqual([
      'FAIL session -CD0303-\\x1c\\x19e\\x98\\x8b{\\x1dK~\\x19,d on 190d49d6… (' + JSON.parse(TEXT).sessions[2].note + '): anomalies expected completed-with-left, rules-disagree, got missing-completed, rules-disagree (missing completed-with-left; unexpected missing-completed)',
    ]);
  });

  it('a changed final state fails', () => {
    const r = compare(edited((d) => { d.sessions[1].finalState = 'removed'; }), replay);
    const f = failures(r.lines);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatch(/^FAIL session -CD0303-\\x03\/j\\x9e.* on 190d49d6….*: final state expected removed, got expired$/);
  });

  it('a session counter above 2^53 is read from a decimal string and compared exactly', () => {
    const r = compare(edited((d) => { d.sessions[0].credited.uploaded = '18446744073709551615'; }), replay);
    expect(failures(r.lines)).toEqual([expect.stringMatching(/: credited uploaded expected 18,446,744,073,709,551,615, got 0$/)]);
  });

  it('mode exactly: an unlisted user, session or anomaly fails; atLeast: they are fine', () => {
    const trim = (d: any) => { delete d.users['127.0.0.5']; d.sessions.splice(0, 1); d.sessions[0].anomalies = ['missing-stopped']; };
    const exact = compare(edited(trim), replay);
    expect(failures(exact.lines)).toEqual([
      expect.stringMatching(/^FAIL session -CD0303-\\x03.*: anomalies expected missing-stopped, got missing-stopped, rules-disagree \(unexpected rules-disagree\)$/),
      'FAIL user 127.0.0.5: in the replay (credited 0 up, 0 down) but not in the expectations',
      expect.stringMatching(/^FAIL session -lt0D80-\\xe1.*\(rTorrent\/libtorrent 0\.13\.8, user 127\.0\.0\.5\): in the replay \(expired\) but not in the expectations$/),
    ]);
    const atLeast = compare(edited((d) => { trim(d); d.mode = 'atLeast'; }), replay);
    expect(atLeast.ok).toBe(true);
    expect(atLeast.lines).toContainEqual(expect.stringMatching(/: anomalies at least missing-stopped$/));
  });

  it('a per-session override beats the document mode', () => {
    const loose = compare(edited((d) => { d.sessions[1].anomalies = { atLeast: ['rules-disagree'] }; }), replay);
    expect(loose.ok).toBe(true);
    const strict = compare(edited((d) => { d.mode = 'atLeast'; d.sessions[1].anomalies = { exactly: ['rules-disagree'] }; }), replay);
    expect(failures(strict.lines)).toEqual([expect.stringMatching(/\(unexpected missing-stopped\)$/)]);
  });

  it('a session or user missing from the replay fails', () => {
    const r = compare(edited((d) => {
      d.sessions.push({ infoHash: d.sessions[2].infoHash, peerId: CT2, nth: 1 });
      d.users['127.0.0.9'] = {};
    }), replay);
    expect(failures(r.lines)).toEqual([
      'FAIL user 127.0.0.9: not in the replay',
      'FAIL session -CD0303-\\x1c\\x19e\\x98\\x8b{\\x1dK~\\x19,d #2 on 190d49d6…: not in the replay',
    ]);
  });
});

describe('expectations file validation', () => {
  const bad = (text: string): InputError => {
    try { parseExpectations(text, 'e.json'); } catch (e) { return e as InputError; }
    throw new Error('no error');
  };
  it.each([
    ['{', /^not valid JSON/],
    ['[]', /^expectations: expected an object, got a list$/],
    ['{"mode":"exact"}', /^mode: expected "exactly" or "atLeast", got "exact"$/],
    ['{"mdoe":"exactly"}', /^expectations: unknown key "mdoe"/],
    ['{"version":2}', /^version: this tracker-anatomy reads version 1, got 2$/],
    ['{"users":{"u":{"credited":{"uploaded":9007199254740993}}}}', /^users\["u"\]\.credited\.uploaded: .*write it as a decimal string$/],
    ['{"users":{"u":{"credited":{"uploaded":-1}}}}', /non-negative integer, got -1$/],
    ['{"users":{"u":{"credited":{"down":1}}}}', /unknown key "down"/],
    [`{"sessions":[{"infoHash":"190d","peerId":"${CT1}"}]}`, /^sessions\[0\]\.infoHash: expected 40 hex digits/],
    [`{"sessions":[{"infoHash":"${CT1}","peerId":"${CT1}","finalState":"gone"}]}`, /^sessions\[0\]\.finalState: expected one of none, leeching, seeding, removed, expired/],
    [`{"sessions":[{"infoHash":"${CT1}","peerId":"${CT1}","anomalies":{"atLeast":[],"exactly":[]}}]}`, /exactly one of "exactly" or "atLeast"/],
    [`{"sessions":[{"infoHash":"${CT1}","peerId":"${CT1}","anomalies":["Missing Stopped"]}]}`, /anomalies\[0\]: expected an anomaly code/],
    [`{"sessions":[{"infoHash":"${CT1}","peerId":"${CT1}"},{"infoHash":"${CT1}","peerId":"${CT1}","nth":0}]}`, /^sessions\[1\]: the same session .* is listed twice$/],
  ])('%s is refused', (text, message) => {
    const e = bad(text);
    expect(e).toBeInstanceOf(InputError);
    expect(e.code).toBe('check.bad-expectations');
    expect(e.file).toBe('e.json');
    expect(e.message).toMatch(message);
  });
});
