/**
 * Scratch directories for tests that are removed when the test file finishes, so a test run
 * leaves nothing behind in the system's temp folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const made: string[] = [];
// Registered when a test file imports this module (collection time), so it also covers
// directories made inside a test, where a hook can no longer be added.
afterAll(() => {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
});

/**
 * A fresh directory under the temp folder, named `<prefix>XXXXXX`. Call it at a test file's top
 * level or inside a test: either way the directory goes when the file's tests are done.
 */
export function tempDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  made.push(d);
  return d;
}
