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
import { Worker } from 'node:worker_threads';
import type { ReleaseSink } from '../../order/reorder.js';
import { InputError } from '../../errors.js';
import { detectFormat } from '../../capture/detect.js';
import type { ReadConfig, ReadOutcome } from '../read-inputs.js';
import { ByteReader } from './wire.js';
import { readRequest } from './record-codec.js';
import type { AckMessage, BatchMessage, DoneMessage, WorkerInit } from './messages.js';

/** Whether the first half runs in a worker: 'auto' decides by the inputs (see useWorker). */
export type WorkerMode = 'auto' | 'always' | 'never';

/** Below this many bytes of input in all, one thread is as fast. */
export const WORKER_MIN_BYTES = 16 * 1024 * 1024;

const THREAD = new URL('./thread.js', import.meta.url);

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
export function readInputsInWorker(config: ReadConfig, release: ReleaseSink): Promise<ReadOutcome> {
  const ap = config.input.announcePath;
  const init: WorkerInit = {
    inputs: config.inputs,
    inputFormat: config.input.inputFormat,
    announcePath: ap === undefined ? null : { source: ap.source, flags: ap.flags },
    chunkSize: config.input.chunkSize,
    mergeProxyLegs: config.mergeProxyLegs,
  };
  return new Promise<ReadOutcome>((resolve, reject) => {
    const worker = new Worker(THREAD, { workerData: init });
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
    worker.on('error', fail);
    worker.on('exit', () => fail(new Error('the input worker stopped before it finished')));
  });
}
