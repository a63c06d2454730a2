/**
 * The whole job: read every input, merge them in time order, replay through the tracker, report.
 * Async only at the I/O edge (one await per large chunk); every record flows synchronously.
 * The first half (read, decode, order: read-inputs.ts) runs in this thread or, for large capture
 * files, in a worker thread (worker/front.ts), so that it overlaps the second half (redact,
 * replay, report: here) on another core; the records reach the second half the same either way.
 */
import type { Announce, TrackerRequest } from '../announce/types.js';
import { TrackerReplay } from '../tracker/replay.js';
import type { ReplayOptions, ReplayResult } from '../tracker/types.js';
import type { ReportWriter, RunTotals } from '../report/writer.js';
import type { InputError } from '../errors.js';
import type { InputOptions } from './input.js';
import type { InputSummary } from './summary.js';
import { readInputs } from './read-inputs.js';
import { readInputsInWorker, useWorker, type WorkerMode } from './worker/front.js';
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
  /**
   * Whether reading, decoding and ordering run in a worker thread beside the replay and report
   * (default 'auto': for large capture files; see worker/front.ts). The output is the same.
   */
  readonly worker?: WorkerMode;
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
  // counted here, added to the inputs' summaries at the end (the first half may run in a worker)
  const counts = new Map<string, { announces: number; scrapes: number }>();
  const countsOf = (file: string): { announces: number; scrapes: number } => {
    let c = counts.get(file);
    if (c === undefined) counts.set(file, (c = { announces: 0, scrapes: 0 }));
    return c;
  };
  const redactor = config.redact ? new Redactor() : null;
  const trust = config.trustProxy ?? 'all';
  const release = (raw: TrackerRequest): void => {
    begin();
    const rec = redactor ? redactor.request(raw) : raw;
    if (rec.kind === 'scrape') {
      countsOf(rec.origin.file).scrapes++;
      writer.scrape(rec);
      return;
    }
    countsOf(rec.origin.file).announces++;
    const step = replay.step(trusted(rec, trust), ref);
    writer.announce(rec, ref, step);
    ref++;
  };
  const read = useWorker(config, config.worker) ? readInputsInWorker : readInputs;
  const front = await read({ inputs: config.inputs, input: config.input, mergeProxyLegs: config.mergeProxyLegs, onProgress: config.onProgress }, release);
  // a path given twice counts for its last input, as a lookup by file name always has
  const byFile = new Map<string, InputSummary>();
  for (const s of front.inputs) byFile.set(s.path, s);
  for (const [file, c] of counts) {
    const s = byFile.get(file);
    if (s) { s.announces += c.announces; s.scrapes += c.scrapes; }
  }
  if (!front.unusable) begin();
  const result = replay.finish(front.end >= 0n ? front.end : undefined);
  const totals: RunTotals = {
    inputs: front.inputs,
    proxyLegsMerged: front.proxyLegsMerged,
    lateRequests: front.lateRequests,
    rules: config.replay.rules,
  };
  return { totals, result, fatal: front.fatal, unusable: front.unusable };
}
