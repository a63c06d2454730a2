/** The clients table's counts, kept as sessions close (text, markdown and html print it at the end). */
import type { Session } from '../tracker/types.js';

/** Sessions per client name, and how many of them never sent `stopped` (ghost peers). */
export class ClientTally {
  readonly byClient = new Map<string, { sessions: number; missingStopped: number }>();
  add(s: Session): void {
    const name = s.peerId.client ?? 'unknown client';
    const c = this.byClient.get(name) ?? { sessions: 0, missingStopped: 0 };
    c.sessions++;
    if (s.anomalies.some((f) => f.code === 'missing-stopped')) c.missingStopped++;
    this.byClient.set(name, c);
  }
}
