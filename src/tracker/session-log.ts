/**
 * The announces of one session, stored in columns (typed arrays) instead of one object per announce.
 * A large capture keeps every open session's history until the session ends; as objects that cost
 * about 500 bytes per announce, in columns about 70. Records are materialised only when the session
 * closes.
 */
import type { Counters, PeerState, SessionAnnounce, SessionEntry } from './types.js';

const EVENTS = [null, 'started', 'completed', 'stopped', 'paused'] as const;
const STATES: readonly PeerState[] = ['none', 'leeching', 'seeding', 'removed', 'expired'];
const U64 = 1n << 64n;
const NULL_UP = 1, NULL_DOWN = 2, NULL_LEFT = 4, APPLIED = 8;

function eventCode(e: string | null): number {
  const i = EVENTS.indexOf(e as (typeof EVENTS)[number]);
  return i < 0 ? 255 : i;
}

/** One announce as the session records it. */
export interface LogRecord {
  readonly ref: number;
  readonly ts: bigint;
  readonly event: string | null;
  readonly uploaded: bigint | null;
  readonly downloaded: bigint | null;
  readonly left: bigint | null;
  readonly credited: Counters;
  readonly before: PeerState;
  readonly after: PeerState;
  readonly applied: boolean;
}

export class SessionLog {
  length = 0;
  private cap = 4;
  private ref = new Float64Array(this.cap);
  private ts = new BigInt64Array(this.cap);
  private nums = new BigUint64Array(this.cap * 5); // uploaded, downloaded, left, credited up, credited down
  private codes = new Uint8Array(this.cap * 4); // event, before, after, flags
  /** Rare values that do not fit a column: other event names, counters of 2^64 and more. */
  private readonly odd = new Map<string, string | bigint>();

  push(r: LogRecord): void {
    if (this.length === this.cap) this.grow();
    const i = this.length++;
    this.ref[i] = r.ref;
    this.ts[i] = r.ts;
    const vals = [r.uploaded, r.downloaded, r.left, r.credited.uploaded, r.credited.downloaded];
    for (let k = 0; k < 5; k++) {
      const v = vals[k] ?? 0n;
      if (v >= U64 || v < 0n) this.odd.set(`${i}:${k}`, v);
      this.nums[i * 5 + k] = v >= U64 || v < 0n ? 0n : v;
    }
    const ev = eventCode(r.event);
    if (ev === 255) this.odd.set(`${i}:e`, r.event!);
    this.codes[i * 4] = ev;
    this.codes[i * 4 + 1] = STATES.indexOf(r.before);
    this.codes[i * 4 + 2] = STATES.indexOf(r.after);
    this.codes[i * 4 + 3] = (r.uploaded === null ? NULL_UP : 0) | (r.downloaded === null ? NULL_DOWN : 0) | (r.left === null ? NULL_LEFT : 0) | (r.applied ? APPLIED : 0);
  }

  private grow(): void {
    this.cap *= 2;
    const ref = new Float64Array(this.cap); ref.set(this.ref); this.ref = ref;
    const ts = new BigInt64Array(this.cap); ts.set(this.ts); this.ts = ts;
    const nums = new BigUint64Array(this.cap * 5); nums.set(this.nums); this.nums = nums;
    const codes = new Uint8Array(this.cap * 4); codes.set(this.codes); this.codes = codes;
  }

  private num(i: number, k: number): bigint {
    return (this.odd.get(`${i}:${k}`) as bigint | undefined) ?? this.nums[i * 5 + k]!;
  }

  tsAt(i: number): bigint {
    return this.ts[i]!;
  }

  /** The record at `i`. */
  at(i: number): LogRecord {
    const f = this.codes[i * 4 + 3]!;
    const ev = this.codes[i * 4]!;
    return {
      ref: this.ref[i]!, ts: this.ts[i]!,
      event: ev === 255 ? (this.odd.get(`${i}:e`) as string) : EVENTS[ev] ?? null,
      uploaded: f & NULL_UP ? null : this.num(i, 0),
      downloaded: f & NULL_DOWN ? null : this.num(i, 1),
      left: f & NULL_LEFT ? null : this.num(i, 2),
      credited: { uploaded: this.num(i, 3), downloaded: this.num(i, 4) },
      before: STATES[this.codes[i * 4 + 1]!]!, after: STATES[this.codes[i * 4 + 2]!]!,
      applied: (f & APPLIED) !== 0,
    };
  }

  /** Every announce as session detectors see it. */
  entries(): SessionEntry[] {
    const out: SessionEntry[] = [];
    for (let i = 0; i < this.length; i++) {
      const r = this.at(i);
      out.push({ ts: r.ts, event: r.event, uploaded: r.uploaded, downloaded: r.downloaded, left: r.left, applied: r.applied });
    }
    return out;
  }

  /** Every announce as the report lists it; `codes[i]` are the anomaly codes of announce i. */
  announces(codes: ReadonlyMap<number, string[]>): SessionAnnounce[] {
    const out: SessionAnnounce[] = [];
    for (let i = 0; i < this.length; i++) {
      const r = this.at(i);
      out.push({ ref: r.ref, ts: r.ts, event: r.event, credited: r.credited, state: { before: r.before, after: r.after }, anomalies: codes.get(i) ?? [], applied: r.applied });
    }
    return out;
  }
}
