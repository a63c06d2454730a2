import { describe, it, expect } from 'vitest';
import { LogStore, NO_CREDIT, SessionLog, type LogRecord } from '../../src/tracker/session-log.js';
import type { Finding } from '../../src/tracker/types.js';

function rec(i: number, over: Partial<LogRecord> = {}): LogRecord {
  return {
    ref: i, ts: 1_700_000_000_000_000_000n + BigInt(i) * 1_000_000_000n, event: i === 0 ? 'started' : null,
    uploaded: BigInt(i) * 1000n, downloaded: BigInt(i) * 7n, left: i % 3 === 0 ? null : 500n - BigInt(i),
    credited: { uploaded: BigInt(i), downloaded: 0n }, before: 'leeching', after: i % 2 ? 'seeding' : 'leeching', applied: i % 4 !== 3,
    ...over,
  };
}

describe('LogStore: session logs sharing one arena and temp file', () => {
  it('keeps interleaved sessions apart across blocks and hands every record back as written', () => {
    const store = new LogStore();
    const a = new SessionLog(store);
    const b = new SessionLog(store);
    const wa: LogRecord[] = [];
    const wb: LogRecord[] = [];
    for (let i = 0; i < 11; i++) {
      wa.push(rec(i)); a.push(wa[i]!);
      wb.push(rec(100 + i)); b.push(wb[i]!);
    }
    expect(a.records()).toEqual(wa);
    expect(b.records()).toEqual(wb);
  });

  it('stores values that do not fit a column (2^64 and more, negative, other event names) exactly', () => {
    const store = new LogStore();
    const log = new SessionLog(store);
    const odd = rec(1, { uploaded: 1n << 70n, credited: { uploaded: -5n, downloaded: 1n << 64n }, event: 'empty' });
    log.push(rec(0));
    log.push(odd);
    expect(log.records()).toEqual([rec(0), odd]);
  });

  it('reads zero credit back as the shared NO_CREDIT, and a credit with one zero side exactly', () => {
    const store = new LogStore();
    const log = new SessionLog(store);
    const written = [
      rec(0, { credited: { uploaded: 0n, downloaded: 0n }, left: 0n }),
      rec(1, { credited: { uploaded: 0n, downloaded: -3n } }),
      rec(2, { credited: { uploaded: -1n << 80n, downloaded: 0n } }),
      rec(3, { credited: { uploaded: 0n, downloaded: 9n } }),
    ];
    for (const r of written) log.push(r);
    const back = log.records();
    expect(back).toEqual(written);
    expect(back[0]!.credited).toBe(NO_CREDIT);
    expect(back[0]!.left).toBe(0n);
  });

  it('recycles the blocks of a released log without leaking its odd values into the next one', () => {
    const store = new LogStore();
    const first = new SessionLog(store);
    for (let i = 0; i < 9; i++) first.push(rec(i, { uploaded: 1n << 65n, event: 'x' }));
    const kept = new SessionLog(store);
    kept.push(rec(50));
    first.release();
    expect(first.length).toBe(0);
    const next = new SessionLog(store);
    const want: LogRecord[] = [];
    for (let i = 0; i < 9; i++) { want.push(rec(i)); next.push(want[i]!); }
    expect(next.records()).toEqual(want);
    expect(kept.records()).toEqual([rec(50)]);
  });

  it('moves entries to the temp file past its memory budget and reads every session back in order, findings included', () => {
    const store = new LogStore(200); // a few entries: most of the history goes to the file
    const logs = [0, 1, 2].map(() => new SessionLog(store));
    const want: LogRecord[][] = [[], [], []];
    const found: Finding[][] = [[], [], []];
    for (let i = 0; i < 40; i++) {
      const k = i % 3;
      if (i === 31) { logs[1]!.release(); want[1] = []; found[1] = []; }
      const r = rec(i, i === 7 ? { uploaded: -(1n << 66n), event: 'odd' } : {});
      const fs: Finding[] = i % 4 === 0 ? [{ code: 'announce-too-soon', severity: 'info', announce: want[k]!.length, message: `re-announce ${i}.5 s after` }] : [];
      logs[k]!.push(r, fs);
      want[k]!.push(r);
      found[k]!.push(...fs);
    }
    expect((store as unknown as { chains: { fileLength: number } }).chains.fileLength).toBeGreaterThan(1000);
    expect(logs[0]!.firstLeft()).toBe(want[0]![0]!.left);
    expect(logs[2]!.lastDownloaded()).toBe(want[2]!.at(-1)!.downloaded);
    for (let k = 0; k < 3; k++) expect(logs[k]!.take()).toEqual({ records: want[k], findings: found[k] });
    store.close();
  });
});

