/**
 * A scratch file under the temp directory ($TMPDIR) for bytes held past a memory budget. It is
 * unlinked as soon as it is open (POSIX keeps the data readable), so it goes away however the
 * process ends; where that fails, it is removed on close or at exit. A temp directory that cannot
 * be written, or a full disk, is the user's to fix: it becomes a one-line InputError naming the
 * directory, not an internal error.
 */
import { closeSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../errors.js';

function unusable(e: unknown): InputError {
  const reason = e instanceof Error ? e.message : String(e);
  return new InputError('tmp.unwritable', `cannot use a temporary file under ${tmpdir()} (set TMPDIR to a writable directory with free space): ${reason}`);
}

/** An open scratch file: positional writes and reads. */
export class TempFile {
  private readonly fd: number;
  private path: string | null = null;

  /** Opens a new scratch file; `name` goes into its file name (for whoever lists the directory). */
  constructor(name: string) {
    const path = join(tmpdir(), `tracker-anatomy-${name}-${process.pid}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`);
    try {
      this.fd = openSync(path, 'wx+', 0o600);
    } catch (e) {
      throw unusable(e);
    }
    try {
      unlinkSync(path);
    } catch {
      this.path = path;
      process.once('exit', this.remove);
    }
  }

  /** Writes bytes [from, to) of `b` at file offset `at`. */
  write(b: Uint8Array, from: number, to: number, at: number): void {
    try {
      for (let done = from; done < to; ) done += writeSync(this.fd, b, done, to - done, at + done - from);
    } catch (e) {
      throw unusable(e);
    }
  }

  /** Reads up to `length` bytes at file offset `at` into `b` from `offset`; returns how many. */
  read(b: Uint8Array, offset: number, length: number, at: number): number {
    return readSync(this.fd, b, offset, length, at);
  }

  /** Closes the file (and removes it, where it could not be unlinked while open). */
  close(): void {
    closeSync(this.fd);
    this.remove();
    process.removeListener('exit', this.remove);
  }

  private readonly remove = (): void => {
    if (this.path === null) return;
    try {
      unlinkSync(this.path);
    } catch {
      // already gone
    }
    this.path = null;
  };
}
