/**
 * The worker's side of a two-thread run: reads, decodes and orders the inputs (readInputs, as in a
 * one-thread run) and sends the released records to the main thread in batches. A batch goes out
 * when it is full and before each read; the reading waits while the main thread is more than a few
 * batches behind, so neither thread holds more than a few megabytes of records.
 *
 * Memory (peak RSS counts every batch buffer of both threads): the main thread's acknowledgements
 * arrive as messages, and this thread's event loop runs only between reads, so while it decodes
 * a chunk they wait in its queue and each batch it sends needs a fresh buffer. send() therefore
 * takes the waiting acknowledgements first (receiveMessageOnPort): on the 1 GiB bench capture a
 * heap snapshot had found seven 1.25 MiB buffers on this side (writer, two spares, four acks not
 * yet read) and five on the main thread's.
 */
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { readInputs } from '../read-inputs.js';
import { ByteWriter } from './byte-writer.js';
import { writeRequest } from './record-codec.js';
import type { AckMessage, BatchMessage, DoneMessage, WorkerInit } from './messages.js';

/**
 * A batch goes out once it holds this many bytes (about 500 records). Every buffer in flight is
 * this size and a quarter: 1 MiB batches were no faster, and took twice the memory.
 */
const BATCH_BYTES = 1 << 19;
/** The first batches are smaller, so that the main thread has work while this one gets going. */
const FIRST_BATCH_BYTES = 1 << 15;
/**
 * Bytes of one read. Less than a one-thread run's 4 MiB: the reading waits for the main thread
 * only between reads, so smaller reads also keep fewer batches in flight; and the chunk itself is
 * held for the whole run. (The real two-thread run was as fast with 1 MiB reads in session 3.)
 */
const READ_BYTES = 1 << 20;
/** Batches sent and not yet read back before the reading waits. */
const MAX_UNREAD = 3;

const port = parentPort!;
const init = workerData as WorkerInit;
const writer = new ByteWriter(BATCH_BYTES + (BATCH_BYTES >> 2));
const spare: ArrayBuffer[] = [];
let unread = 0;
let wake: (() => void) | null = null;
let bytesRead = 0;
let sentBytesRead = -1;
let batchBytes = FIRST_BATCH_BYTES;

function acknowledged(m: AckMessage): void {
  unread--;
  spare.push(m.buffer);
  const w = wake;
  wake = null;
  w?.();
}

port.on('message', acknowledged);

/** A buffer for the next batch: one the main thread sent back, else a fresh one (undefined). */
function spareBuffer(): ArrayBuffer | undefined {
  if (spare.length === 0) {
    for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) acknowledged(m.message as AckMessage);
  }
  return spare.pop();
}

function send(): void {
  if (writer.length === 0 && bytesRead === sentBytesRead) return;
  const { buffer, length } = writer.finish();
  const msg: BatchMessage = { kind: 'batch', buffer, length, bytesRead };
  port.postMessage(msg, [buffer]);
  sentBytesRead = bytesRead;
  unread++;
  if (batchBytes < BATCH_BYTES) batchBytes *= 2;
  writer.reset(spareBuffer());
}

const outcome = await readInputs(
  {
    inputs: init.inputs,
    input: {
      inputFormat: init.inputFormat,
      logParser: null,
      announcePath: init.announcePath === null ? undefined : new RegExp(init.announcePath.source, init.announcePath.flags),
      chunkSize: init.chunkSize ?? READ_BYTES,
    },
    mergeProxyLegs: init.mergeProxyLegs,
    onProgress: (n) => { bytesRead = n; },
    beforeRead: async () => {
      send();
      while (unread > MAX_UNREAD) await new Promise<void>((resolve) => { wake = resolve; });
    },
  },
  (rec) => {
    writeRequest(writer, rec);
    if (writer.length >= batchBytes) send();
  },
);
send();
const done: DoneMessage = {
  kind: 'done',
  inputs: outcome.inputs,
  fatal: outcome.fatal.map((e) => ({ code: e.code, message: e.message, file: e.file, position: e.position })),
  unusable: outcome.unusable,
  end: outcome.end,
  proxyLegsMerged: outcome.proxyLegsMerged,
  lateRequests: outcome.lateRequests,
};
port.postMessage(done);
// nothing more to do: the port (open for acknowledgements) must not keep this thread alive
port.unref();
