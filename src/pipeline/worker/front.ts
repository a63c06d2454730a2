/**
 * Runs the first half of the pipeline (read, decode, order: readInputs) in a worker thread, so
 * that it overlaps the second half (redact, replay, report) on another core. Released records
 * cross in binary batches (record-codec.ts); this side reads each batch and calls `release` for
 * every record in order, exactly as the one-thread run calls it.
 *
 * Used only where it is simple and safe: every input a regular pcap or pcapng file (not stdin, not
 * compressed, not a log, not --follow), large enough for the second core to pay for the thread's
 * start (about 100 ms: a fresh isolate loads the decoding modules), and only from the compiled
 * build (tests on the TypeScript sources run one thread; test/pipeline/worker-run.test.ts runs dist).
 *
 * Why not postMessage the records as objects: structured clone of the same records (b60, 33k)
 * took 1.07 s to write and 1.01 s to read, against 0.17 s and 0.09 s for these batches; the
 * reading alone would cost the main thread about what the replay and report do. It also loses
 * Buffers, lazy peers and hidden counts.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { ReleaseSink } from '../../order/reorder.js';
import { InputError } from '../../errors.js';
import { detectFormat } from '../../capture/detect.js';
import type { ReadConfig, ReadOutcome } from '../read-inputs.js';
import { ByteReader } from './byte-reader.js';
import { readRequest } from './record-codec.js';
import type { AckMessage, BatchMessage, DoneMessage, WorkerInit } from './messages.js';

/** Whether the first half runs in a worker: 'auto' decides by the inputs (see useWorker). */
export type WorkerMode = 'auto' | 'always' | 'never';

/** Below this many bytes of input in all, one thread is as fast. */
export const WORKER_MIN_BYTES = 16 * 1024 * 1024;

const THREAD = new URL('./thread.js', import.meta.url);

/**
 * The worker's heap, sized for peak memory (1 GiB bench capture: 283-318 MB peak RSS with V8's
 * defaults, 231-251 MB with these, at the same CPU time). Its live data is small (~13 MB: open
 * connections, fragments, the reorder window) but V8 sizes a heap for throughput:
 * - young generation: 16 MB (two 8 MB semi-spaces) instead of the 32 MB it grows to by default.
 *   The worker's records die young or go out in a batch; a smaller nursery costs it no measurable
 *   time. (The main thread's is left at the default: at 16 MB it cost about 3-5% more CPU.)
 * - old generation: V8 lets a heap grow to up to 4x its live size after each full collection
 *   when its limit is 2 GiB or more, and to at most 2x below that. Just under 2 GiB keeps the old
 *   generation near 2x its live set; the limit itself (V8's default is 4 GiB on a machine with
 *   16 GB or more) is far above what any real capture keeps (a hostile one that passes it ends the run with ERR_WORKER_OUT_OF_MEMORY,
 *   reported as an InputError: see outOfMemory).
 */
export const WORKER_HEAP: ResourceLimits = { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 2047 };

/**
 * True when the run should read its inputs in a worker: see the module comment. 'always' still
 * needs inputs a worker can read (regular capture files) and the compiled build.
 */
export function useWorker(config: Pick<ReadConfig, 'inputs' | 'input'>, mode: WorkerMode = 'auto'): boolean {
  if (mode === 'never' || !THREAD.pathname.endsWith('.js')) return false;
  const input = config.input;
  if (input.follow !== undefined || input.inputFormat === 'log' || config.inputs.length === 0) return false;
  let total = 0;
  for (const path of config.inputs) {
    if (path === '-') return false;
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat === undefined || !stat.isFile()) return false;
    total += stat.size;
    if (input.inputFormat === 'auto') {
      const format = detectFormat(head(path));
      if (format !== 'pcap' && format !== 'pcapng') return false;
    }
  }
  return mode === 'always' || total >= WORKER_MIN_BYTES;
}

/** The first bytes of a file (empty when it cannot be read: the one-thread run then reports why). */
function head(path: string): Uint8Array {
  const b = new Uint8Array(8);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return new Uint8Array(0);
  }
  try {
    return b.subarray(0, readSync(fd, b, 0, b.length, 0));
  } catch {
    return new Uint8Array(0);
  } finally {
    closeSync(fd);
  }
}

/** readInputs, run in a worker: calls `release` for every request in the same order. */
export function readInputsInWorker(config: ReadConfig, release: ReleaseSink, heap: ResourceLimits = WORKER_HEAP): Promise<ReadOutcome> {
  const ap = config.input.announcePath;
  const init: WorkerInit = {
    inputs: config.inputs,
    inputFormat: config.input.inputFormat,
    announcePath: ap === undefined ? null : { source: ap.source, flags: ap.flags },
    chunkSize: config.input.chunkSize,
    mergeProxyLegs: config.mergeProxyLegs,
  };
  return new Promise<ReadOutcome>((resolve, reject) => {
    const worker = new Worker(THREAD, { workerData: init, resourceLimits: heap });
    const reader = new ByteReader();
    let settled = false;
    const fail = (e: unknown): void => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      reject(e);
    };
    worker.on('message', (m: BatchMessage | DoneMessage) => {
      if (settled) return;
      if (m.kind === 'batch') {
        try {
          reader.load(m.buffer, m.length);
          while (reader.more) release(readRequest(reader));
          const ack: AckMessage = { buffer: m.buffer };
          worker.postMessage(ack, [m.buffer]);
          config.onProgress?.(m.bytesRead);
        } catch (e) {
          fail(e);
        }
        return;
      }
      settled = true;
      void worker.terminate();
      resolve({
        inputs: m.inputs,
        fatal: m.fatal.map((e) => new InputError(e.code, e.message, e.file, e.position)),
        unusable: m.unusable,
        end: m.end,
        proxyLegsMerged: m.proxyLegsMerged,
        lateRequests: m.lateRequests,
      });
    });
    worker.on('error', (e: NodeJS.ErrnoException) => fail(e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? outOfMemory(config.inputs, heap) : e));
    worker.on('exit', () => fail(new Error('the input worker stopped before it finished')));
  });
}

/**
 * The worker ran out of heap: what it holds grows with the open connections, fragments and
 * requests waiting for their replies, so an input has more of them than the limit allows.
 * `--threads 1` reads it on the main thread instead, under V8's default limit (4 GiB here).
 */
function outOfMemory(inputs: readonly string[], heap: ResourceLimits): InputError {
  return new InputError(
    'input.out-of-memory',
    `the reading thread ran out of memory (over ${heap.maxOldGenerationSizeMb ?? 0} MB of open connections, fragments and waiting requests); try --threads 1`,
    inputs.join(', '),
  );
}
