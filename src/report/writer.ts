/** The interface every output format implements. Reports only render: they never decide anything. */
import type { Announce, Scrape } from '../announce/types.js';
import type { ReplayResult, Session, TrackerStep } from '../tracker/types.js';
import type { InputSummary } from '../pipeline/summary.js';
import type { ByteOut } from './byte-out.js';

/** Facts about the whole run, known at the end. */
export interface RunTotals {
  readonly inputs: readonly InputSummary[];
  /** Proxy backend legs merged into the client's request. */
  readonly proxyLegsMerged: number;
  /** Requests that reached the replay after later ones (out of time order). */
  readonly lateRequests: number;
  readonly rules: string;
}

/** Receives the replay as it happens. Calls: begin, then announce/scrape/sessionClosed interleaved in time order, then end. */
export interface ReportWriter {
  begin(inputs: readonly string[], rules: string): void;
  announce(a: Announce, ref: number, step: TrackerStep): void;
  scrape(s: Scrape): void;
  sessionClosed(s: Session): void;
  end(totals: RunTotals, result: ReplayResult): void;
}

/** Where a report's text goes: buffered, flushed in large writes. */
export interface Output {
  write(text: string): void;
  /**
   * The same output as a byte buffer, when it has one: the JSON writers encode straight into it.
   * Text written either way comes out in the order written.
   */
  readonly bytes?: ByteOut;
}
