/**
 * The async I/O edge: reads a file or stdin in big chunks and gunzips it on the fly when it
 * starts with the gzip magic (RFC 1952 §2.3.1). Everything after this is synchronous.
 */

import { open, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { InputError } from '../errors.js';

/** Options for `readChunks`. */
export interface ReadChunksOptions {
  /** Bytes per read from a file (default 4 MiB). Stdin and gunzip output come as they come. */
  chunkSize?: number;
  /**
   * Keep reading a file that grows (`--follow`): at its end, wait `pollMs` and read again, yielding
   * an empty chunk each time nothing came (so the pipeline can flush what it holds), until `signal`
   * aborts.
   */
  follow?: { readonly signal: AbortSignal; readonly pollMs?: number };
  /**
   * Asked before each read from a file: true when the consumer keeps no view of the chunk it was
   * given last, which is then read into again instead of a fresh one. A fresh 4 MiB chunk a read
   * is garbage the collector only frees in bulk (the worker's heap held some 60 MiB of them).
   */
  reuse?: () => boolean;
}

const DEFAULT_CHUNK = 4 * 1024 * 1024;

/**
 * Yields the (decompressed) bytes of `path`, or of stdin when `path` is `-`, in large chunks.
 * Every chunk is a fresh buffer that the generator never writes to again, so a consumer may keep
 * views into it, unless `opts.reuse` says otherwise. A missing, unreadable or directory path
 * throws InputError `input.unreadable`; a corrupt gzip stream throws `input.bad-gzip`.
 */
export async function* readChunks(path: string, opts: ReadChunksOptions = {}): AsyncGenerator<Uint8Array> {
  const chunkSize = opts.chunkSize ?? DEFAULT_CHUNK;
  // never under gunzip: zlib may still be reading the last chunk when the next one is read
  let gzipped = false;
  const reuse = opts.reuse;
  const reuseIf = reuse === undefined ? undefined : (): boolean => !gzipped && reuse();
  const raw = path === '-' ? readStdin() : readFile(path, chunkSize, opts.follow, reuseIf);
  // Gather at least two bytes to look for the gzip magic.
  let head: Uint8Array = new Uint8Array(0);
  for (;;) {
    if (head.length >= 2) break;
    const r = await raw.next();
    if (r.done) break;
    head = head.length === 0 ? r.value : concat(head, r.value);
  }
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
    gzipped = true;
    yield* gunzip(path, head, raw, chunkSize);
    return;
  }
  if (head.length > 0) yield head;
  yield* raw;
}

async function* readFile(
  path: string,
  chunkSize: number,
  follow?: ReadChunksOptions['follow'],
  reuse?: ReadChunksOptions['reuse'],
): AsyncGenerator<Uint8Array> {
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw unreadable(path, e);
  }
  try {
    let last: Buffer | null = null;
    for (;;) {
      // allocUnsafe: every byte handed out is overwritten by the read first.
      const buf: Buffer = last !== null && reuse?.() === true ? last : Buffer.allocUnsafe(chunkSize);
      last = buf;
      let got: number;
      try {
        ({ bytesRead: got } = await fh.read(buf, 0, chunkSize, null));
      } catch (e) {
        throw unreadable(path, e);
      }
      if (got === 0) {
        if (follow === undefined || follow.signal.aborted) return;
        await pause(follow.pollMs ?? 500, follow.signal);
        if (follow.signal.aborted) return;
        yield new Uint8Array(0);
        continue;
      }
      // A plain Uint8Array view, not the Buffer: every later subarray/slice is then the typed array's
      // own (a Buffer's goes through node:buffer and allocates a FastBuffer per packet and per layer).
      yield new Uint8Array(buf.buffer, buf.byteOffset, got);
    }
  } finally {
    await fh.close();
  }
}

async function* readStdin(): AsyncGenerator<Uint8Array> {
  try {
    for await (const b of process.stdin as AsyncIterable<Buffer>) {
      yield new Uint8Array(b.buffer, b.byteOffset, b.length);
    }
  } catch (e) {
    throw unreadable('-', e);
  }
}

/** Streams `head` + the rest of `raw` through zlib; never holds more than zlib's window and a chunk. */
async function* gunzip(
  path: string,
  head: Uint8Array,
  raw: AsyncGenerator<Uint8Array>,
  chunkSize: number,
): AsyncGenerator<Uint8Array> {
  async function* all(): AsyncGenerator<Uint8Array> {
    yield head;
    yield* raw;
  }
  // zlib hands out slices of its output buffer and allocates a new one once it is full, so
  // earlier slices are never overwritten.
  const z = createGunzip({ chunkSize: Math.min(chunkSize, 1024 * 1024) });
  const src = Readable.from(all(), { objectMode: false });
  src.on('error', (e) => z.destroy(e));
  src.pipe(z);
  try {
    for await (const b of z as AsyncIterable<Buffer>) {
      yield new Uint8Array(b.buffer, b.byteOffset, b.length);
    }
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && code.startsWith('Z_')) {
      throw new InputError('input.bad-gzip', `cannot gunzip: ${(e as Error).message}`, path);
    }
    throw e;
  } finally {
    src.destroy();
  }
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

function unreadable(path: string, e: unknown): InputError {
  if (e instanceof InputError) return e;
  const err = e as NodeJS.ErrnoException;
  const reason =
    err.code === 'ENOENT'
      ? 'no such file'
      : err.code === 'EISDIR'
        ? 'is a directory'
        : err.code === 'EACCES'
          ? 'permission denied'
          : (err.message ?? String(e));
  return new InputError('input.unreadable', `cannot read: ${reason}`, path);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
