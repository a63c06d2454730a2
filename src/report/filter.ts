/**
 * Report filters (--user, --info-hash, --peer-id, --client, --ip, --since, --until, --event,
 * --anomaly). --anomaly selects sessions only. The replay always runs over everything, since credit depends on history; only what
 * reaches the report is filtered. An announce is reported when its own facts match; a session when
 * its facts match. With filters, JSON `sessions[].announces[].ref` still counts every replayed
 * announce: match it against an announce's `index`.
 */
import type { Announce, Scrape } from '../announce/types.js';
import { describePeerId, toHex } from '../announce/peer-id.js';
import type { ReplayResult, Session, TrackerStep } from '../tracker/types.js';
import type { ReportWriter, RunTotals } from './writer.js';

export interface ReportFilter {
  readonly user?: string;
  readonly infoHash?: string;
  readonly peerId?: string;
  readonly client?: string;
  readonly ip?: string;
  /** ns since epoch, inclusive. */
  readonly since?: bigint;
  readonly until?: bigint;
  /** Relative forms ('+10m') are resolved against the first announce: offsets in ns. */
  readonly sinceOffset?: bigint;
  readonly untilOffset?: bigint;
  readonly event?: string;
  readonly anomalies?: readonly string[];
}

/** True when no filter is set. */
export function isEmptyFilter(f: ReportFilter): boolean {
  return Object.values(f).every((v) => v === undefined);
}

function peerMatches(text: string, hex: string, want: string): boolean {
  return text.startsWith(want) || hex.startsWith(want.toLowerCase());
}

export class FilteredWriter implements ReportWriter {
  private first: bigint | null = null;

  constructor(private readonly inner: ReportWriter, private readonly f: ReportFilter) {}

  begin(inputs: readonly string[], rules: string): void {
    this.inner.begin(inputs, rules);
  }

  private timeOk(ts: bigint): boolean {
    if (this.first === null) this.first = ts;
    const since = this.f.since ?? (this.f.sinceOffset !== undefined ? this.first + this.f.sinceOffset : undefined);
    const until = this.f.until ?? (this.f.untilOffset !== undefined ? this.first + this.f.untilOffset : undefined);
    return (since === undefined || ts >= since) && (until === undefined || ts <= until);
  }

  announce(a: Announce, ref: number, step: TrackerStep): void {
    const f = this.f;
    if (!this.timeOk(a.ts)) return;
    if (f.user !== undefined && step.user !== f.user) return;
    if (f.infoHash !== undefined && !(a.infoHash && toHex(a.infoHash).startsWith(f.infoHash.toLowerCase()))) return;
    if (f.peerId !== undefined || f.client !== undefined) {
      if (!a.peerId) return;
      const d = describePeerId(a.peerId);
      if (f.peerId !== undefined && !peerMatches(d.text, d.hex, f.peerId)) return;
      if (f.client !== undefined && !(d.client ?? '').toLowerCase().includes(f.client.toLowerCase())) return;
    }
    if (f.ip !== undefined && a.client.ip !== f.ip && a.forwardedFor !== f.ip) return;
    if (f.event !== undefined && (a.event ?? 'none') !== f.event) return;
    // --anomaly selects sessions (most anomalies are known only when a session ends), not announces
    this.inner.announce(a, ref, step);
  }

  scrape(s: Scrape): void {
    if (this.timeOk(s.ts) && (this.f.ip === undefined || s.client.ip === this.f.ip)) this.inner.scrape(s);
  }

  /** Whether a session passes the session-level filters. */
  sessionMatches(s: Session): boolean {
    const f = this.f;
    if (f.user !== undefined && s.user !== f.user) return false;
    if (f.infoHash !== undefined && !s.infoHash.startsWith(f.infoHash.toLowerCase())) return false;
    if (f.peerId !== undefined && !peerMatches(s.peerId.text, s.peerId.hex, f.peerId)) return false;
    if (f.client !== undefined && !(s.peerId.client ?? '').toLowerCase().includes(f.client.toLowerCase())) return false;
    if (f.ip !== undefined && s.ip !== f.ip) return false;
    if (f.event !== undefined && !s.announces.some((x) => (x.event ?? 'none') === f.event)) return false;
    if (f.anomalies !== undefined && !s.anomalies.some((x) => f.anomalies!.includes(x.code))) return false;
    if (!s.announces.some((x) => this.timeOk(x.ts))) return false;
    return true;
  }

  sessionClosed(s: Session): void {
    if (this.sessionMatches(s)) this.inner.sessionClosed(s);
    else this.inner.sessionClosed({ ...s, filteredOut: true } as Session);
  }

  end(totals: RunTotals, result: ReplayResult): void {
    const f = this.f;
    const users = result.users.filter((u) => f.user === undefined || u.user === f.user);
    const torrents = result.torrents.filter((t) => f.infoHash === undefined || t.infoHash.startsWith(f.infoHash.toLowerCase()));
    this.inner.end(totals, { ...result, users, torrents, sessions: result.sessions.filter((s) => this.sessionMatches(s)) });
  }
}

/** True for a session the filter dropped (writers still see it close, to free what they hold). */
export function isFilteredOut(s: Session): boolean {
  return (s as Session & { filteredOut?: boolean }).filteredOut === true;
}
