/**
 * --follow on a growing access log: announces appear as lines are appended, Ctrl-C (SIGINT) ends
 * the run with the summary and exit 0. Waits poll the output (bounded), they assert no timing.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp.js';
import { BIN, ROOT } from './cli.js';

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe('--follow', () => {
  it('prints announces of a growing log as they come and the summary on SIGINT', async () => {
    const log = join(tempDir('ta-follow-'), 'access.log');
    copyFileSync(join(ROOT, 'fixtures/real/a_clean/nginx_access.log'), log);
    const child = spawn(process.execPath, [BIN, '--follow', log], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    child.stdout.on('data', (b: Buffer) => { out += b.toString('utf8'); });
    const count = (): number => (out.match(/^#\d+ /gm) ?? []).length;
    await until(() => count() === 13, 'the 13 announces already in the log');
    const rtorrentStopped = readFileSync(join(ROOT, 'fixtures/real/b_crash/nginx_access.log'), 'latin1').trimEnd().split('\n').pop()!;
    appendFileSync(log, rtorrentStopped + '\n', 'latin1');
    await until(() => count() === 14, 'the appended announce');
    expect(out).toContain('event=stopped');
    const code = await new Promise<number | null>((resolve) => { child.on('exit', resolve); child.kill('SIGINT'); });
    expect(code).toBe(0);
    expect(out).toContain('What was read');
    expect(out).toMatch(/15 lines, 14 announces/);
  }, 60_000);
});
