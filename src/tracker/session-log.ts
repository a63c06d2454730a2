/**
 * The announces (and findings) of every open session, as compact bytes: in memory up to a fixed
 * budget, then in an append-only temp file. A large capture keeps every open session's history
 * until the session ends, and sessions often stay open to the end of the input: as objects that
 * cost about 500 bytes per announce, as shared typed-array columns about 100, so the tracker's
 * memory grew with the input. Here an announce is about 40 bytes in a shared in-memory arena; when
 * the arena is full its entries are regrouped into one block per session and written to the file,
 * each block pointing back to the session's previous one. A session keeps only where its last
 * block and its last in-memory entry are, and reads its history back (one read per block) when
 * it closes, or in the rare case a detector asks for its first or previous announce. The arena
 * and file are a ChainStore (src/spill/chain-store.ts), shared with the text reports' open sessions.
 */
import { ChainStore, releaseChain, type Chain } from '../spill/chain-store.js';
import { ByteReader, ByteWriter } from './bytes.js';
import { FindingStore } from './finding-store.js';
import { NOTHING } from './rules/common.js';
import { PEER_STATES, stateCode } from './peer-state.js';
import type { Counters, Finding, PeerState, SessionAnnounce } from './types.js';

const EVENTS = [null, 'started', 'completed', 'stopped', 'paused'] as const;
/** Flag bits next to the 3-bit event code. */
const ODD_EVENT = 7, NULL_UP = 8, NULL_DOWN = 16, NULL_LEFT = 32, APPLIED = 64;
/** Bytes of in-memory entries before they move to the temp file (about 200k announces). */
const BUDGET = 8 << 20;
/** Reads every log back (reading is synchronous: one reader serves them all). */
const READER = new ByteReader(new Uint8Array(0));
const EMPTY = new Uint8Array(0);

function eventCode(e: string | null): number {
  switch (e) {
    case null: return 0;
    case 'started': return 1;
    case 'completed': return 2;
    case 'stopped': return 3;
    case 'paused': return 4;
    default: return ODD_EVENT;
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

/** The shared arena and temp file every open session's log lives in (a ChainStore: each log is a chain). */
export class LogStore {
  /** Encodes the open sessions' findings into their logs. */
  readonly findings = new FindingStore();
  private readonly chains: ChainStore;
  /** The entry being encoded. */
  private readonly entry = new ByteWriter(256);

  /** `budget`: bytes of entries kept in memory (tests make it small to exercise the file). */
  constructor(budget = BUDGET) {
    this.chains = new ChainStore(budget, 'log');
  }

  /** Encodes record `r` and its findings as the newest entry of `log`. */
  append(log: SessionLog, r: LogRecord, findings: readonly Finding[]): void {
    this.appendFields(log, r.ref, r.ts, r.event, r.uploaded, r.downloaded, r.left, r.credited, r.before, r.after, r.applied, findings);
  }

  /**
   * As append, from the record's fields: the replay records every announce, and a LogRecord
   * object per announce only to be taken apart here was a short-lived allocation each time.
   */
  appendFields(
    log: SessionLog, ref: number, ts: bigint, event: string | null, uploaded: bigint | null, downloaded: bigint | null, left: bigint | null,
    credited: Counters, before: PeerState, after: PeerState, applied: boolean, findings: readonly Finding[],
  ): void {
    const w = this.entry;
    w.length = 0;
    const ev = eventCode(event);
    w.byte(ev | (uploaded === null ? NULL_UP : 0) | (downloaded === null ? NULL_DOWN : 0) | (left === null ? NULL_LEFT : 0) | (applied ? APPLIED : 0));
    w.byte(stateCode(before) | (stateCode(after) << 4));
    w.varint(ref);
    w.ts(ts);
    if (uploaded !== null) w.big(uploaded);
    if (downloaded !== null) w.big(downloaded);
    if (left !== null) w.big(left);
    if (credited === NOTHING || credited === NO_CREDIT) {
      w.varint(1); // w.big(0n) twice, with no conversion
      w.varint(1);
    } else {
      w.big(credited.uploaded);
      w.big(credited.downloaded);
    }
    if (ev === ODD_EVENT) w.text(event!);
    w.varint(findings.length);
    for (let i = 0; i < findings.length; i++) this.findings.write(w, findings[i]!);
    this.chains.append(log, w.bytes, w.length);
    log.length++;
  }

  /** Every payload of `log` (file blocks, then in-memory entries), in order. */
  payloads(log: SessionLog): Uint8Array[] {
    return this.chains.payloads(log);
  }

  /** Closes and removes the temp file (the store may be used again afterwards: it opens a new one). */
  close(): void {
    this.chains.close();
  }
}

/** The credit of every record that credits nothing (most of them): one shared object, not one each. */
export const NO_CREDIT: Counters = { uploaded: 0n, downloaded: 0n };

/** Reads one entry's record; its findings follow. */
function readRecord(r: ByteReader): LogRecord {
  const f = r.byte();
  const states = r.byte();
  const ref = r.varint();
  const ts = r.ts();
  const uploaded = f & NULL_UP ? null : r.big();
  const downloaded = f & NULL_DOWN ? null : r.big();
  const left = f & NULL_LEFT ? null : r.big();
  // most records credit nothing: told by the varints (zero is 1), with no bigint made or compared
  const upCode = r.varint();
  const up = r.bigOf(upCode);
  const downCode = r.varint();
  const credited = upCode === 1 && downCode === 1 ? NO_CREDIT : { uploaded: up, downloaded: r.bigOf(downCode) };
  const ev = f & 7;
  const event = ev === ODD_EVENT ? r.text() : EVENTS[ev] ?? null;
  return { ref, ts, event, uploaded, downloaded, left, credited, before: PEER_STATES[states & 15]!, after: PEER_STATES[states >> 4]!, applied: (f & APPLIED) !== 0 };
}

/** The announces of one session, in a LogStore. */
export class SessionLog implements Chain {
  length = 0;
  /** Arena offset of the newest in-memory entry, or -1. */
  hotTail = -1;
  /** File offset and length of the newest block, or -1 and 0. */
  diskTail = -1;
  diskLength = 0;

  constructor(protected readonly store: LogStore) {}

  /** Reads the log: every record and, when `take`, every finding (giving up their templates). */
  protected read(take: boolean, findings: Finding[] | null, limit = Infinity): LogRecord[] {
    const out: LogRecord[] = [];
    const payloads = this.store.payloads(this);
    const r = READER;
    for (let k = 0; k < payloads.length; k++) {
      const p = payloads[k]!;
      r.reset(p);
      while (r.pos < p.length && out.length < limit) {
        const index = out.length;
        out.push(readRecord(r));
        const n = r.varint();
        for (let i = 0; i < n; i++) {
          const f = this.store.findings.read(r, take, index);
          findings?.push(f);
        }
      }
    }
    r.reset(EMPTY); // keep no view of the store's memory
    return out;
  }

  /** `left` of the first record (the log must not be empty). */
  firstLeft(): bigint | null {
    return this.read(false, null, 1)[0]!.left;
  }

  /** `downloaded` of the last record (the log must not be empty). */
  lastDownloaded(): bigint | null {
    const all = this.read(false, null);
    return all[all.length - 1]!.downloaded;
  }

  /** Appends a record with the findings raised on it. */
  push(r: LogRecord, findings: readonly Finding[] = []): void {
    this.store.append(this, r, findings);
  }

  /** Every record, in order. */
  records(): LogRecord[] {
    return this.read(false, null);
  }

  /**
   * Every record and finding, in order, handed over once: the log is empty afterwards. A finding's
   * announce is the index of the record it was pushed with.
   */
  take(): { records: LogRecord[]; findings: Finding[] } {
    const findings: Finding[] = [];
    const records = this.read(true, findings);
    this.release();
    return { records, findings };
  }

  /** Forgets the log's entries (their bytes are left behind in the arena and file); the log is empty afterwards. */
  release(): void {
    releaseChain(this);
    this.length = 0;
  }
}

/** The two states of an announce, one shared object per pair (25 in all) instead of one per announce. */
const STATE_PAIRS: readonly { readonly before: PeerState; readonly after: PeerState }[] = PEER_STATES.flatMap((before) => PEER_STATES.map((after) => ({ before, after })));
/** The anomaly codes of an announce that has none (most): shared. */
const NO_CODES: readonly string[] = [];

/** Every announce as the report lists it; `codes[i]` are the anomaly codes of announce i (null: none at all). */
export function sessionAnnounces(records: readonly LogRecord[], codes: readonly (string[] | undefined)[] | null): SessionAnnounce[] {
  const out: SessionAnnounce[] = new Array<SessionAnnounce>(records.length);
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    out[i] = {
      ref: r.ref, ts: r.ts, event: r.event, credited: r.credited, state: STATE_PAIRS[stateCode(r.before) * PEER_STATES.length + stateCode(r.after)]!,
      anomalies: (codes !== null ? codes[i] : undefined) ?? NO_CODES, applied: r.applied,
    };
  }
  return out;
}
