/**
 * The announces (and findings) of every open session, as compact bytes: in memory up to a fixed
 * budget, then in an append-only temp file. A large capture keeps every open session's history
 * until the session ends, and sessions often stay open to the end of the input: as objects that
 * cost about 500 bytes per announce, as shared typed-array columns about 100, so the tracker's
 * memory grew with the input. Here an announce is about 40 bytes in a shared in-memory arena; when
 * the arena is full its entries are regrouped into one block per session and written to the file,
 * each block pointing back to the session's previous one. A session keeps only where its last
 * block and its last in-memory entry are, and reads its history back (one read per block) when
 * it closes, or in the rare case a detector asks for its first or previous announce.
 */
import { closeSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ByteReader, ByteWriter } from './bytes.js';
import { FindingStore } from './finding-store.js';
import type { Counters, Finding, PeerState, SessionAnnounce, SessionEntry } from './types.js';

const EVENTS = [null, 'started', 'completed', 'stopped', 'paused'] as const;
const STATES: readonly PeerState[] = ['none', 'leeching', 'seeding', 'removed', 'expired'];
/** Flag bits next to the 3-bit event code. */
const ODD_EVENT = 7, NULL_UP = 8, NULL_DOWN = 16, NULL_LEFT = 32, APPLIED = 64;
/** Bytes of in-memory entries before they move to the temp file (about 200k announces). */
const BUDGET = 8 << 20;
/** In-memory entry header: previous entry of the session + 1 (0: none), payload length. */
const ENTRY_HEAD = 8;
/** File block header: payload length, previous block's length, previous block's offset (-1: none). */
const BLOCK_HEAD = 16;
/** Bytes read ahead from the file, and how many such windows are kept. */
const WINDOW = 256 << 10;
const WINDOWS = 8;
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

function u32(b: Uint8Array, at: number, v: number): void {
  b[at] = v;
  b[at + 1] = v >>> 8;
  b[at + 2] = v >>> 16;
  b[at + 3] = v >>> 24;
}

function getU32(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}

/** The shared arena and temp file every open session's log lives in. */
export class LogStore {
  /** Encodes the open sessions' findings into their logs. */
  readonly findings = new FindingStore();
  private hot: Uint8Array;
  private hotLength = 0;
  /** Logs with entries in the arena (a log may be listed again after a release, or be released). */
  private owners: SessionLog[] = [];
  private fd = -1;
  private path: string | null = null;
  private fileLength = 0;
  /** Recently read stretches of the file (see block()). */
  private windows: { start: number; bytes: Buffer }[] = [];
  private nextWindow = 0;
  /** The entry being encoded. */
  private readonly entry = new ByteWriter(256);

  /** `budget`: bytes of entries kept in memory (tests make it small to exercise the file). */
  constructor(private readonly budget = BUDGET) {
    this.hot = new Uint8Array(Math.min(budget, 1 << 16));
  }

  /** Encodes record `r` and its findings as the newest entry of `log`. */
  append(log: SessionLog, r: LogRecord, findings: readonly Finding[]): void {
    const w = this.entry;
    w.length = 0;
    const ev = eventCode(r.event);
    w.byte(ev | (r.uploaded === null ? NULL_UP : 0) | (r.downloaded === null ? NULL_DOWN : 0) | (r.left === null ? NULL_LEFT : 0) | (r.applied ? APPLIED : 0));
    w.byte(stateCode(r.before) | (stateCode(r.after) << 4));
    w.varint(r.ref);
    w.ts(r.ts);
    if (r.uploaded !== null) w.big(r.uploaded);
    if (r.downloaded !== null) w.big(r.downloaded);
    if (r.left !== null) w.big(r.left);
    w.big(r.credited.uploaded);
    w.big(r.credited.downloaded);
    if (ev === ODD_EVENT) w.text(r.event!);
    w.varint(findings.length);
    for (const f of findings) this.findings.write(w, f);
    const need = ENTRY_HEAD + w.length;
    if (this.hotLength + need > this.hot.length) {
      if (this.hot.length < this.budget || need > this.hot.length) this.growHot(need);
      else this.spill();
    }
    const at = this.hotLength;
    u32(this.hot, at, log.hotTail + 1);
    u32(this.hot, at + 4, w.length);
    this.hot.set(w.bytes.subarray(0, w.length), at + ENTRY_HEAD);
    this.hotLength += need;
    if (log.hotTail < 0) this.owners.push(log);
    log.hotTail = at;
  }

  private growHot(need: number): void {
    let size = this.hot.length * 2;
    while (size < this.hotLength + need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.hot.subarray(0, this.hotLength));
    this.hot = next;
  }

  /** The payloads of `log`'s in-memory entries, in order (views into the arena: read them before the next append). */
  private hotPayloads(log: SessionLog, out: Uint8Array[]): void {
    const from = out.length;
    for (let at = log.hotTail; at >= 0; at = getU32(this.hot, at) - 1) {
      out.push(this.hot.subarray(at + ENTRY_HEAD, at + ENTRY_HEAD + getU32(this.hot, at + 4)));
    }
    reverseFrom(out, from);
  }

  /** Moves every in-memory entry to the file: one block per log, written in one pass. */
  private spill(): void {
    if (this.fd < 0) this.open();
    let out = Buffer.allocUnsafe(1 << 20);
    let used = 0;
    const hot = this.hot;
    for (const log of this.owners) {
      if (log.hotTail < 0) continue; // released since
      let size = BLOCK_HEAD;
      for (let e = log.hotTail; e >= 0; e = getU32(hot, e) - 1) size += getU32(hot, e + 4);
      if (used + size > out.length) {
        this.write(out, used);
        used = 0;
        if (size > out.length) out = Buffer.allocUnsafe(size);
      }
      out.writeUInt32LE(size - BLOCK_HEAD, used);
      out.writeUInt32LE(log.diskLength, used + 4);
      out.writeDoubleLE(log.diskTail, used + 8);
      // the chain runs newest first: fill the block from its end (entries are a few dozen bytes, copied in place)
      let at = used + size;
      for (let e = log.hotTail; e >= 0; e = getU32(hot, e) - 1) {
        const n = getU32(hot, e + 4);
        at -= n;
        for (let i = 0, from = e + ENTRY_HEAD; i < n; i++) out[at + i] = hot[from + i]!;
      }
      log.diskTail = this.fileLength + used;
      log.diskLength = size;
      log.hotTail = -1;
      used += size;
    }
    this.write(out, used);
    this.owners = [];
    this.hotLength = 0;
  }

  private write(b: Buffer, n: number): void {
    for (let done = 0; done < n; ) done += writeSync(this.fd, b, done, n - done, this.fileLength + done);
    this.fileLength += n;
  }

  private open(): void {
    const path = join(tmpdir(), `tracker-anatomy-log-${process.pid}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`);
    this.fd = openSync(path, 'wx+', 0o600);
    // unlinked while open (POSIX): the data stays readable and the file goes away however the process ends
    try {
      unlinkSync(path);
    } catch {
      this.path = path;
      process.once('exit', this.removeFile);
    }
  }

  private readonly removeFile = (): void => {
    if (this.path === null) return;
    try {
      unlinkSync(this.path);
    } catch {
      // already gone
    }
    this.path = null;
  };

  /** Every payload of `log` (file blocks, then in-memory entries), in order. */
  payloads(log: SessionLog): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (let off = log.diskTail, len = log.diskLength; off >= 0; ) {
      const b = this.block(off, len);
      out.push(b.subarray(BLOCK_HEAD, BLOCK_HEAD + b.readUInt32LE(0)));
      len = b.readUInt32LE(4);
      off = b.readDoubleLE(8);
    }
    out.reverse();
    this.hotPayloads(log, out);
    return out;
  }

  /**
   * The `len` bytes at `off` in the file. Read through a few windows of WINDOW bytes: a spill
   * writes the blocks of sessions in the order of their first entry since the previous spill, which
   * is close to the order they close in at the end of the input, so one read serves many sessions
   * (one readSync per block cost about a second per million blocks).
   */
  private block(off: number, len: number): Buffer {
    for (const w of this.windows) {
      if (off >= w.start && off + len <= w.start + w.bytes.length) return w.bytes.subarray(off - w.start, off - w.start + len);
    }
    // a fresh buffer per window: views handed out from a replaced window stay valid
    const b = Buffer.allocUnsafe(Math.max(len, WINDOW));
    let done = 0;
    while (done < len) {
      const n = readSync(this.fd, b, done, b.length - done, off + done);
      if (n === 0) throw new Error('session log: temp file shorter than written');
      done += n;
    }
    const w = { start: off, bytes: b.subarray(0, done) };
    if (this.windows.length < WINDOWS) this.windows.push(w);
    else this.windows[this.nextWindow++ % WINDOWS] = w;
    return w.bytes.subarray(0, len);
  }

  /** Closes and removes the temp file (the store may be used again afterwards: it opens a new one). */
  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
    this.fileLength = 0;
    this.windows = [];
    this.removeFile();
    process.removeListener('exit', this.removeFile);
  }
}

function reverseFrom<T>(xs: T[], from: number): void {
  for (let i = from, j = xs.length - 1; i < j; i++, j--) {
    const t = xs[i]!;
    xs[i] = xs[j]!;
    xs[j] = t;
  }
}

/** Reads one entry's record; its findings follow. */
function readRecord(r: ByteReader): LogRecord {
  const f = r.byte();
  const states = r.byte();
  const ref = r.varint();
  const ts = r.ts();
  const uploaded = f & NULL_UP ? null : r.big();
  const downloaded = f & NULL_DOWN ? null : r.big();
  const left = f & NULL_LEFT ? null : r.big();
  const credited = { uploaded: r.big(), downloaded: r.big() };
  const ev = f & 7;
  const event = ev === ODD_EVENT ? r.text() : EVENTS[ev] ?? null;
  return { ref, ts, event, uploaded, downloaded, left, credited, before: STATES[states & 15]!, after: STATES[states >> 4]!, applied: (f & APPLIED) !== 0 };
}

/** The announces of one session, in a LogStore. */
export class SessionLog {
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
    for (const p of this.store.payloads(this)) {
      const r = new ByteReader(p);
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
    this.length++;
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
    this.hotTail = this.diskTail = -1;
    this.diskLength = 0;
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
