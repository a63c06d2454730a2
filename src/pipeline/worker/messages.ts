/** What the two threads of a worker run say to each other (see front.ts and thread.ts). */
import type { InputSummary } from '../summary.js';

/** The worker's start: the first half's configuration, in what structured clone can carry. */
export interface WorkerInit {
  readonly inputs: readonly string[];
  readonly inputFormat: 'auto' | 'pcap' | 'pcapng' | 'log';
  /** --announce-path as source and flags (a RegExp does not cross threads). */
  readonly announcePath: { readonly source: string; readonly flags: string } | null;
  readonly chunkSize: number | undefined;
  readonly mergeProxyLegs: boolean;
}

/** Worker to main: released records (see record-codec.ts), and the bytes read so far. */
export interface BatchMessage {
  readonly kind: 'batch';
  /** Transferred; the main thread sends it back once read, for the next batch. */
  readonly buffer: ArrayBuffer;
  readonly length: number;
  readonly bytesRead: number;
}

/** An InputError as data (a class instance loses its class on the way). */
export interface InputErrorData {
  readonly code: string;
  readonly message: string;
  readonly file: string | undefined;
  readonly position: string | undefined;
}

/** Worker to main, last: everything of ReadOutcome but the records (all sent before it). */
export interface DoneMessage {
  readonly kind: 'done';
  readonly inputs: InputSummary[];
  readonly fatal: InputErrorData[];
  readonly unusable: boolean;
  readonly end: bigint;
  readonly proxyLegsMerged: number;
  readonly lateRequests: number;
}

/** Main to worker: a batch was read; its buffer comes back for reuse. */
export interface AckMessage {
  readonly buffer: ArrayBuffer;
}
