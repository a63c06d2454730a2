/** Builds an expectations document from a replay: what `check --update` writes. */
import type { Session } from '../tracker/types.js';
import { sessionKey, type CheckInput, type CheckMode, type Expectations, type SessionExpectation } from './expectations.js';

/** Sessions in order of their first announce, each with its position among its (info_hash, peer_id)'s sessions. */
export function numberSessions(sessions: readonly Session[]): { session: Session; nth: number; key: string }[] {
  const counts = new Map<string, number>();
  return [...sessions].sort((a, b) => a.index - b.index).map((session) => {
    const pair = `${session.infoHash}/${session.peerId.hex}`;
    const nth = counts.get(pair) ?? 0;
    counts.set(pair, nth + 1);
    return { session, nth, key: sessionKey(session.infoHash, session.peerId.hex, nth) };
  });
}

/**
 * The replay as expectations: every user's credited totals; every session's final state, credited
 * counters and anomaly codes. A note names each session's client and user for the reader.
 */
export function expectationsFrom(result: CheckInput, mode: CheckMode = 'exactly'): Expectations {
  const sessions: SessionExpectation[] = numberSessions(result.sessions).map(({ session: s, nth }) => ({
    infoHash: s.infoHash,
    peerId: s.peerId.hex,
    nth,
    note: `${s.peerId.client ?? 'unknown client'}, user ${s.user}`,
    finalState: s.finalState,
    credited: { uploaded: s.credited.uploaded, downloaded: s.credited.downloaded },
    anomalies: { mode, codes: s.anomalies.map((f) => f.code).sort(), inherited: true },
  }));
  const users = result.users.map((u) => ({ user: u.user, credited: { uploaded: u.credited.uploaded, downloaded: u.credited.downloaded } }));
  return { mode, users, sessions };
}
