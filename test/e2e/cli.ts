/** Runs the built CLI (dist/, made by `npm test`'s build step) as a user would. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(ROOT, 'bin', 'tracker-anatomy.js');

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function cli(args: readonly string[], opts: { input?: Buffer | string; env?: NodeJS.ProcessEnv } = {}): CliRun {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT, input: opts.input, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '', FORCE_COLOR: undefined, ...opts.env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs with --format json and parses the document. */
export function cliJson(args: readonly string[]): { code: number | null; doc: any; stderr: string } {
  const r = cli(['--format', 'json', ...args]);
  let doc: any = null;
  try { doc = JSON.parse(r.stdout); } catch { /* the test asserts on doc */ }
  return { code: r.code, doc, stderr: r.stderr };
}
