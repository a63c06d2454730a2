/**
 * The replay's users (passkey, or IP without one): one entry per name with its credit totals,
 * and the users summary at the end.
 */
import { NOTHING } from './rules/common.js';
import type { UserEntry } from './state.js';
import { copyText } from './text.js';
import type { UserSessions } from './session-book.js';
import type { Counters, UserSummary } from './types.js';

/** No credit: the profiles' shared zero credit (compared by identity: bigint comparisons are calls). */
export const ZERO: Counters = NOTHING;

export class UserBook {
  /** Every user by name. */
  private readonly users = new Map<string, UserEntry>();
  /** The entry of() returned last. */
  private last: UserEntry | null = null;

  /**
   * The entry of a user name, with one string per user of its own storage: a name sliced from a
   * request head would keep the whole head alive in every map and session that holds it.
   */
  of(user: string): UserEntry {
    // a new session asks twice in a row for its user (open, then its first step)
    if (this.last !== null && this.last.name === user) return this.last;
    let u = this.users.get(user);
    if (u === undefined) {
      const name = copyText(user);
      this.users.set(name, (u = { name, totals: ZERO, stepped: false }));
    }
    this.last = u;
    return u;
  }

  /** Adds `c` to the user's credit; returns the user's totals afterwards. */
  credit(u: UserEntry, c: Counters): Counters {
    u.stepped = true;
    // the shared zero credit by identity (bigint comparisons are calls); another zero credit adds 0n
    if (c !== ZERO) {
      const t = u.totals;
      u.totals = { uploaded: t.uploaded + c.uploaded, downloaded: t.downloaded + c.downloaded };
    }
    return u.totals;
  }

  /** The user's totals so far, without creating an entry (ZERO for a user never credited). */
  totalsOf(user: string): Counters {
    const entry = this.users.get(user);
    return entry !== undefined && entry.stepped ? entry.totals : ZERO;
  }

  /** Every user who made a step, by name, with their closed sessions. */
  summaries(sessionsByUser: ReadonlyMap<string, UserSessions>): UserSummary[] {
    const stepped = [...this.users.values()].filter((u) => u.stepped).map((u) => u.name);
    return stepped.sort().map((user) => {
      const c = this.users.get(user)!.totals;
      const u = sessionsByUser.get(user) ?? { sessions: [], anomalies: 0 };
      return { user, credited: { uploaded: c.uploaded, downloaded: c.downloaded }, sessions: u.sessions, anomalies: u.anomalies };
    });
  }
}
