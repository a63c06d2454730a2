/**
 * The announces of every open session, in one shared columnar store (typed arrays) instead of one
 * object per announce or one set of arrays per session. A large capture keeps every open session's
 * history until the session ends: as objects that cost about 500 bytes per announce, as four
 * small typed arrays per session about 1 KB per session before its first announce. Here a session
 * owns a chain of fixed-size blocks in the shared columns (about 70 bytes per announce, a few
 * bytes per session), and gives them back to a free list when it closes, so the store's size
 * follows the open sessions, not the input. Records are materialised only when the session closes.
 */
import { FindingStore } from './finding-store.js';
import type { Counters, PeerState, SessionAnnounce, SessionEntry } from './types.js';

const EVENTS = [null, 'started', 'completed', 'stopped', 'paused'] as const;
const STATES: readonly PeerState[] = ['none', 'leeching', 'seeding', 'removed', 'expired'];
const U64 = 1n << 64n;
const NULL_UP = 1, NULL_DOWN = 2, NULL_LEFT = 4, APPLIED = 8;
/** Records per block: most sessions of a capture have a handful of announces. */
const BLOCK = 4;

function eventCode(e: string | null): number {
  switch (e) {
    case null: return 0;
    case 'started': return 1;
    case 'completed': return 2;
    case 'stopped': return 3;
    case 'paused': return 4;
    default: return 255;
  }
}

function stateCode(s: PeerState): number {
  switch (s) {
    case 'none': return 0;
    case 'leeching': return 1;
    case 'seeding': return 2;
    case 'removed': return 3;
    default: return 4;
  }
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

/** The shared columns: blocks of BLOCK records, chained per session, recycled through a free list. */
export class LogStore {
  /** The open sessions' findings, kept alongside their logs. */
  readonly findings = new FindingStore();
  private blocks = 0;
  private capBlocks = 256;
  private ref = new Float64Array(this.capBlocks * BLOCK);
  private ts = new BigInt64Array(this.capBlocks * BLOCK);
  private nums = new BigUint64Array(this.capBlocks * BLOCK * 5); // uploaded, downloaded, left, credited up, credited down
  private codes = new Uint8Array(this.capBlocks * BLOCK * 4); // event, before, after, flags
  private next = new Int32Array(this.capBlocks);
  private free = -1;
  /** Rare values that do not fit a column (other event names, counters of 2^64 and more), by slot*8+field. */
  private readonly odd = new Map<number, string | bigint>();

  /** A fresh block (its `next` is -1). */
  alloc(): number {
    let b = this.free;
    if (b >= 0) this.free = this.next[b]!;
    else {
      if (this.blocks === this.capBlocks) this.grow();
      b = this.blocks++;
    }
    this.next[b] = -1;
    return b;
  }

  /** Gives a chain of blocks back. */
  release(head: number): void {
    for (let b = head; b >= 0; ) {
      const after = this.next[b]!;
      if (this.odd.size > 0) for (let i = 0; i < BLOCK; i++) for (let k = 0; k < 8; k++) this.odd.delete((b * BLOCK + i) * 8 + k);
      this.next[b] = this.free;
      this.free = b;
      b = after;
    }
  }

  link(from: number, to: number): void {
    this.next[from] = to;
  }

  nextOf(block: number): number {
    return this.next[block]!;
  }

  private grow(): void {
    this.capBlocks *= 2;
    const n = this.capBlocks * BLOCK;
    const ref = new Float64Array(n); ref.set(this.ref); this.ref = ref;
    const ts = new BigInt64Array(n); ts.set(this.ts); this.ts = ts;
    const nums = new BigUint64Array(n * 5); nums.set(this.nums); this.nums = nums;
    const codes = new Uint8Array(n * 4); codes.set(this.codes); this.codes = codes;
    const next = new Int32Array(this.capBlocks); next.set(this.next); this.next = next;
  }

  private setNum(slot: number, k: number, v: bigint | null): void {
    const x = v ?? 0n;
    if (x >= U64 || x < 0n) {
      this.odd.set(slot * 8 + k, x);
      this.nums[slot * 5 + k] = 0n;
    } else this.nums[slot * 5 + k] = x;
  }

  /** Writes record `r` at `slot` (block * BLOCK + position). */
  write(slot: number, r: LogRecord): void {
    this.ref[slot] = r.ref;
    this.ts[slot] = r.ts;
    this.setNum(slot, 0, r.uploaded);
    this.setNum(slot, 1, r.downloaded);
    this.setNum(slot, 2, r.left);
    this.setNum(slot, 3, r.credited.uploaded);
    this.setNum(slot, 4, r.credited.downloaded);
    const ev = eventCode(r.event);
    if (ev === 255) this.odd.set(slot * 8 + 5, r.event!);
    const c = slot * 4;
    this.codes[c] = ev;
    this.codes[c + 1] = stateCode(r.before);
    this.codes[c + 2] = stateCode(r.after);
    this.codes[c + 3] = (r.uploaded === null ? NULL_UP : 0) | (r.downloaded === null ? NULL_DOWN : 0) | (r.left === null ? NULL_LEFT : 0) | (r.applied ? APPLIED : 0);
  }

  private num(slot: number, k: number): bigint {
    if (this.odd.size > 0) {
      const v = this.odd.get(slot * 8 + k);
      if (v !== undefined) return v as bigint;
    }
    return this.nums[slot * 5 + k]!;
  }

  tsAt(slot: number): bigint {
    return this.ts[slot]!;
  }

  /** The `left` of the record at `slot`. */
  leftAt(slot: number): bigint | null {
    return this.codes[slot * 4 + 3]! & NULL_LEFT ? null : this.num(slot, 2);
  }

  /** The `downloaded` of the record at `slot`. */
  downloadedAt(slot: number): bigint | null {
    return this.codes[slot * 4 + 3]! & NULL_DOWN ? null : this.num(slot, 1);
  }

  /** The record at `slot`. */
  at(slot: number): LogRecord {
    const f = this.codes[slot * 4 + 3]!;
    const ev = this.codes[slot * 4]!;
    return {
      ref: this.ref[slot]!, ts: this.ts[slot]!,
      event: ev === 255 ? (this.odd.get(slot * 8 + 5) as string) : EVENTS[ev] ?? null,
      uploaded: f & NULL_UP ? null : this.num(slot, 0),
      downloaded: f & NULL_DOWN ? null : this.num(slot, 1),
      left: f & NULL_LEFT ? null : this.num(slot, 2),
      credited: { uploaded: this.num(slot, 3), downloaded: this.num(slot, 4) },
      before: STATES[this.codes[slot * 4 + 1]!]!, after: STATES[this.codes[slot * 4 + 2]!]!,
      applied: (f & APPLIED) !== 0,
    };
  }
}

/** The announces of one session: a chain of blocks in a LogStore. */
export class SessionLog {
  length = 0;
  private head = -1;
  private tail = -1;

  constructor(protected readonly store: LogStore) {}

  /** `left` of the first record (the log must not be empty). */
  firstLeft(): bigint | null {
    return this.store.leftAt(this.head * BLOCK);
  }

  /** `downloaded` of the last record (the log must not be empty). */
  lastDownloaded(): bigint | null {
    return this.store.downloadedAt(this.tail * BLOCK + ((this.length - 1) % BLOCK));
  }

  push(r: LogRecord): void {
    const pos = this.length % BLOCK;
    if (pos === 0) {
      const b = this.store.alloc();
      if (this.tail < 0) this.head = b;
      else this.store.link(this.tail, b);
      this.tail = b;
    }
    this.store.write(this.tail * BLOCK + pos, r);
    this.length++;
  }

  /** Slots of every record, in order. */
  private slots(): number[] {
    const out: number[] = [];
    let b = this.head;
    for (let i = 0; i < this.length; i++) {
      if (i > 0 && i % BLOCK === 0) b = this.store.nextOf(b);
      out.push(b * BLOCK + (i % BLOCK));
    }
    return out;
  }

  /** Every record, in order. */
  records(): LogRecord[] {
    return this.slots().map((s) => this.store.at(s));
  }

  /** Gives the blocks back to the store; the log is empty afterwards. */
  release(): void {
    if (this.head >= 0) this.store.release(this.head);
    this.head = this.tail = -1;
    this.length = 0;
  }
}

/** Every announce as session detectors see it. */
export function sessionEntries(records: readonly LogRecord[]): SessionEntry[] {
  return records.map((r) => ({ ts: r.ts, event: r.event, uploaded: r.uploaded, downloaded: r.downloaded, left: r.left, applied: r.applied }));
}

/** Every announce as the report lists it; `codes[i]` are the anomaly codes of announce i. */
export function sessionAnnounces(records: readonly LogRecord[], codes: ReadonlyMap<number, string[]>): SessionAnnounce[] {
  return records.map((r, i) => ({ ref: r.ref, ts: r.ts, event: r.event, credited: r.credited, state: { before: r.before, after: r.after }, anomalies: codes.get(i) ?? [], applied: r.applied }));
}
