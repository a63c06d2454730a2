/**
 * The first half of the run: read every input, merge them in time order, decode them to tracker
 * requests, order those (proxy-leg merging, time window) and hand each one over as it is released.
 * It shares nothing with the second half (redact, replay, report) but the released records and the
 * outcome below, so it can run in this thread or in a worker (see worker/front.ts).
 */
import type { TrackerRequest } from '../announce/types.js';
import { ReorderBuffer, type ReleaseSink } from '../order/reorder.js';
import type { InputError } from '../errors.js';
import { InputRunner, type InputOptions } from './input.js';
import { CaptureChain } from './capture-chain.js';
import { bump, type InputSummary } from './summary.js';

/** What the first half needs to know. */
export interface ReadConfig {
  readonly inputs: readonly string[];
  readonly input: InputOptions;
  readonly mergeProxyLegs: boolean;
  /** Called after each chunk with bytes read so far (progress display). */
  readonly onProgress?: (bytesRead: number) => void;
  /**
   * Awaited before each read: a worker sends the requests released so far here, and waits when
   * the other half has fallen behind.
   */
  readonly beforeRead?: () => Promise<void> | void;
}

/** What the first half found, besides the released records. */
export interface ReadOutcome {
  /** One per input, in argument order; `announces` and `scrapes` are the second half's to count. */
  readonly inputs: InputSummary[];
  /** Inputs that became unusable part-way (their one-line errors). */
  readonly fatal: InputError[];
  /** Every input failed before yielding a packet or line: there is no report, only the errors. */
  readonly unusable: boolean;
  /** Time of the last packet or line of any input (ns), -1 when none: the replay's end of input. */
  readonly end: bigint;
  /** Proxy back legs merged into their front legs. */
  readonly proxyLegsMerged: number;
  /** Requests that arrived after later ones had been released. */
  readonly lateRequests: number;
}

/** Runs the first half, calling `release` for each request in replay order. */
export async function readInputs(config: ReadConfig, release: ReleaseSink): Promise<ReadOutcome> {
  const byFile = new Map<string, InputRunner>();
  const reorder = new ReorderBuffer(release, undefined, undefined, config.mergeProxyLegs);
  // every request read, before merging: counted for the input it came from
  const accept = (rec: TrackerRequest): void => {
    const summary = byFile.get(rec.origin.file)?.summary;
    if (summary) bump(summary.stats, rec.kind === 'announce' ? 'announce requests (proxy legs included)' : 'scrape requests (proxy legs included)');
    reorder.push(rec);
  };
  let chain: CaptureChain | null = null;
  // Releases what the inputs' clocks allow: everything the time window has passed, and, while only
  // captures are being read, everything older than the oldest request the capture chain could still
  // emit (so requests leave young instead of waiting out the window).
  const releaseReady = (): void => {
    let watermark: bigint | undefined;
    for (const r of runners) if (!r.done && (watermark === undefined || r.now < watermark)) watermark = r.now;
    if (watermark !== undefined && watermark >= 0n) reorder.advance(watermark);
    if (chain === null) return;
    let low: bigint | undefined;
    for (const r of runners) {
      if (r.done) continue;
      if (r.isLog) return; // a log's records may come up to the window late: keep the window alone
      if (low === undefined || r.now < low) low = r.now;
    }
    if (low !== undefined && low >= 0n) reorder.releaseBefore((chain as CaptureChain).horizon(low));
  };
  const sharedChain = (): CaptureChain =>
    (chain ??= new CaptureChain(accept, { announcePath: config.input.announcePath, onTick: releaseReady }));
  const runners = config.inputs.map((path) => {
    const runner: InputRunner = new InputRunner(path, config.input, accept, sharedChain);
    byFile.set(path, runner);
    return runner;
  });

  // Merge inputs by time. Capture inputs are merged packet by packet (a k-way merge over each
  // input's decoded chunk), so rotated or overlapping captures reach TCP reassembly in time order;
  // a log is read a chunk at a time when its clock is the furthest behind.
  let bytesRead = 0;
  const pump = async (r: InputRunner): Promise<void> => {
    await config.beforeRead?.();
    const before = r.summary.bytes;
    await r.pump();
    bytesRead += r.summary.bytes - before;
    config.onProgress?.(bytesRead);
  };
  const FOREVER = 1n << 80n;
  for (;;) {
    for (const r of runners) while (r.starved && !r.idle) await pump(r);
    let best: InputRunner | undefined;
    let bestKey = FOREVER;
    let secondKey = FOREVER;
    for (const r of runners) {
      const key = r.nextTs ?? (r.isLog && !r.done ? r.now : null);
      if (key === null) continue;
      if (best === undefined || key < bestKey) { secondKey = bestKey; best = r; bestKey = key; }
      else if (key < secondKey) secondKey = key;
    }
    if (best !== undefined) {
      if (best.isLog) {
        await pump(best);
        if (best.idle && runners.every((r) => r.done || r.idle || r.nextTs === null)) reorder.flush(); // a followed log went quiet
      } else best.feed(secondKey);
    } else if (runners.every((r) => r.done)) {
      break;
    } else {
      // following growing inputs that have gone quiet: show what is held now rather than wait,
      // then read again (the reader waits before it looks)
      reorder.flush();
      for (const r of runners) if (r.idle && !r.done) await pump(r);
      continue;
    }
    releaseReady();
  }
  // every capture input has ended: close the connections still open (their requests come out unanswered)
  (chain as CaptureChain | null)?.end();
  reorder.flush();
  // the input ends at its last packet or line, not at its last announce: that decides expiry
  let end = -1n;
  for (const r of runners) if (r.now > end) end = r.now;
  return {
    inputs: runners.map((r) => r.summary),
    fatal: runners.flatMap((r) => (r.fatal ? [r.fatal] : [])),
    unusable: runners.every((r) => r.fatal !== null && r.summary.packets === 0 && r.summary.lines === 0),
    end,
    proxyLegsMerged: reorder.merged,
    lateRequests: reorder.late,
  };
}
