/**
 * The progress line: on stderr only when stderr is a terminal (here a pseudo-terminal made by
 * util-linux `script`), never in a pipe, and never with --quiet.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp.js';
import { BIN, ROOT, cli } from './cli.js';

const hasScript = spawnSync('script', ['--version']).status === 0;

function onTerminal(args: string): string {
  const log = join(tempDir('ta-tty-'), 'typescript');
  spawnSync('script', ['-qc', `${process.execPath} ${BIN} ${args}`, log], { cwd: ROOT, stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' } });
  return readFileSync(log, 'latin1');
}

describe('progress on stderr', () => {
  it('is absent when stderr is not a terminal', () => {
    expect(cli(['-f', 'json', 'fixtures/real/b_crash/capture.pcap']).stderr).toBe('');
  });

  it.skipIf(!hasScript)('shows bytes, percent, rate and ETA on a terminal, and erases itself; --quiet silences it', () => {
    const shown = onTerminal('-f json -o /dev/null fixtures/real/b_crash/capture.pcap');
    expect(shown).toMatch(/\rreading 0\.3 MiB of 0\.3 MiB \(100%\), [\d.]+ MiB\/s, ETA \d+ s\x1b\[K/);
    expect(shown).toContain('\r\x1b[K');
    expect(onTerminal('-q -f json -o /dev/null fixtures/real/b_crash/capture.pcap')).not.toContain('reading');
  });
});
