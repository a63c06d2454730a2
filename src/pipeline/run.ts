/**
 * The whole job: read every input, merge them in time order, replay through the tracker, report.
 * Async only at the I/O edge (one await per large chunk); every record flows synchronously.
 */
import type { Announce, TrackerRequest } from '../announce/types.js';
import { ReorderBuffer } from '../order/reorder.js';
import { TrackerReplay } from '../tracker/replay.js';
import type { ReplayOptions, ReplayResult } from '../tracker/types.js';
import type { ReportWriter, RunTotals } from '../report/writer.js';
import type { InputError } from '../errors.js';
import { InputRunner, type InputOptions } from './input.js';
import { CaptureChain } from './capture-chain.js';
import { bump } from './summary.js';
import { Redactor } from '../redact/redact.js';

export interface PipelineConfig {
  readonly inputs: readonly string[];
  readonly input: InputOptions;
  readonly replay: Omit<ReplayOptions, 'onSessionClosed'> & { readonly rules: string };
  readonly mergeProxyLegs: boolean;
  /** Masks passkeys and addresses before the replay (--redact). */
  readonly redact?: boolean;
  /**
   * Whose forwarded-for header the replay believes (--trust-proxy). 'all' is TBSource's own
   * behaviour; otherwise an untrusted header is shown in the report but not used for the user.
   */
  readonly trustProxy?: 'all' | 'none' | ReadonlySet<string>;
  /** Called after each chunk with bytes read so far (progress display). */
  readonly onProgress?: (bytesRead: number) => void;
}

export interface PipelineOutcome {
  readonly totals: RunTotals;
  readonly result: ReplayResult;
  /** Inputs that became unusable part-way (their one-line errors). */
  readonly fatal: readonly InputError[];
  /** Every input failed before yielding a packet or line: there is no report, only the errors. */
  readonly unusable: boolean;
}

/** The announce as the replay should see it: a forwarded-for address from an untrusted sender is ignored. */
function trusted(a: Announce, trust: 'all' | 'none' | ReadonlySet<string>): Announce {
  if (a.forwardedFor === null || trust === 'all') return a;
  if (trust !== 'none' && trust.has(a.client.ip)) return a;
  return { ...a, forwardedFor: null };
}

/** Runs the pipeline, feeding `writer`; returns what the exit code depends on. */
export async function runPipeline(config: PipelineConfig, writer: ReportWriter): Promise<PipelineOutcome> {
  const replay = new TrackerReplay({ ...config.replay, retainSessions: false, onSessionClosed: (s) => writer.sessionClosed(s) });
  let ref = 0;
  // the report starts with the first record, so an input that is unusable from its first byte
  // gives one error line and no empty report
  let begun = false;
  const begin = (): void => {
    if (!begun) { begun = true; writer.begin(config.inputs, config.replay.rules); }
  };
  const byFile = new Map<string, InputRunner>();
  const redactor = config.redact ? new Redactor() : null;
  const release = (raw: TrackerRequest): void => {
    begin();
    const rec = redactor ? redactor.request(raw) : raw;
    const summary = byFile.get(rec.origin.file)?.summary;
    if (rec.kind === 'scrape') {
      if (summary) summary.scrapes++;
      writer.scrape(rec);
      return;
    }
    if (summary) summary.announces++;
    const step = replay.step(trusted(rec, config.trustProxy ?? 'all'), ref);
    writer.announce(rec, ref, step);
    ref++;
  };
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
  const unusable = runners.every((r) => r.fatal !== null && r.summary.packets === 0 && r.summary.lines === 0);
  if (!unusable) begin();
  // the input ends at its last packet or line, not at its last announce: that decides expiry
  let end = -1n;
  for (const r of runners) if (r.now > end) end = r.now;
  const result = replay.finish(end >= 0n ? end : undefined);
  const totals: RunTotals = {
    inputs: runners.map((r) => r.summary),
    proxyLegsMerged: reorder.merged,
    lateRequests: reorder.late,
    rules: config.replay.rules,
  };
  return { totals, result, fatal: runners.flatMap((r) => (r.fatal ? [r.fatal] : [])), unusable };
}
