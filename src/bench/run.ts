/**
 * End-to-end benchmark: generates a synthetic capture (src/bench/generate.ts) or takes an existing
 * one, runs the whole CLI on it as a child process (`node bin/tracker-anatomy.js <file> --format json
 * --quiet`, stdout to /dev/null) and prints one JSON line:
 * {fileBytes, packets?, announces?, seconds, mbPerSecond, cpuSeconds?, peakRssMB, node, exitCode}.
 *
 * Usage: npm run bench [-- <existing.pcap>] [-- --size MB] [-- --seed N] [-- --churn] [-- --keep] [-- --stages]
 * --churn generates the capture with peers that restart under fresh peer_ids over hours (generate.ts).
 * --stages also measures the same capture through the pipeline's first stages alone (stage.ts) and
 * adds them as `stages: {decode, handoff, replay}`, each {seconds, mbPerSecond, cpuSeconds, peakRssMB, exitCode}.
 * Peak RSS and CPU time come from GNU time (`/usr/bin/time -f '%M %e %U %S'`); without it, peak RSS
 * comes from polling the child's /proc/<pid>/status VmHWM (Linux) and CPU time is not reported.
 * CPU seconds (user + system, all threads) say what the run costs on a busy machine, where wall
 * seconds also count waiting for a core.
 */

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateBenchCapture, type BenchSummary } from './generate.js';
import { STAGES, type Stage } from './stage.js';

/** What one benchmark run measured. */
export interface BenchResult {
  readonly fileBytes: number;
  readonly packets?: number;
  readonly announces?: number;
  readonly seconds: number;
  readonly mbPerSecond: number;
  /** User + system CPU seconds of the CLI process (every thread); absent without GNU time. */
  readonly cpuSeconds?: number;
  readonly peakRssMB: number;
  readonly node: string;
  readonly exitCode: number | null;
  /** With --stages: the same capture through the first stages alone (see stage.ts). */
  readonly stages?: Readonly<Record<Stage, StageResult>>;
}

const GNU_TIME = '/usr/bin/time';

/** The CLI entry point, found from this file's place in dist/bench/. */
export function cliPath(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'tracker-anatomy.js');
}

/**
 * Runs the CLI on `file` and measures it. Resolves once the child has exited. `gnuTime: false`
 * forces the /proc polling fallback (default: GNU time when it works).
 */
export async function measure(
  file: string, bin = cliPath(), gnuTime = hasGnuTime(),
): Promise<Omit<BenchResult, 'packets' | 'announces'>> {
  return measureRun(file, [bin, file, '--format', 'json', '--quiet'], gnuTime);
}

/** What one stage alone measured (see stage.ts), as BenchResult's timing fields. */
export type StageResult = Pick<BenchResult, 'seconds' | 'mbPerSecond' | 'cpuSeconds' | 'peakRssMB' | 'exitCode'>;

/** Runs the pipeline cut short after `stage` (stage.ts, beside this file) on `file` and measures it. */
export async function measureStage(file: string, stage: Stage, gnuTime = hasGnuTime()): Promise<StageResult> {
  const script = resolve(dirname(fileURLToPath(import.meta.url)), 'stage.js');
  const { seconds, mbPerSecond, cpuSeconds, peakRssMB, exitCode } = await measureRun(file, [script, stage, file], gnuTime);
  return { seconds, mbPerSecond, ...(cpuSeconds === undefined ? {} : { cpuSeconds }), peakRssMB, exitCode };
}

/** Runs `node <args>` (a job that reads `file`) and measures it like `measure`. */
async function measureRun(file: string, args: string[], gnuTime: boolean): Promise<Omit<BenchResult, 'packets' | 'announces'>> {
  const fileBytes = statSync(file).size;
  const devNull = openSync('/dev/null', 'w');
  try {
    let seconds: number;
    let peakKB: number;
    let exitCode: number | null;
    let cpuSeconds: number | undefined;
    if (gnuTime) {
      const dir = mkdtempSync(join(tmpdir(), 'bench-time-'));
      const out = join(dir, 'time.txt');
      try {
        const r = spawnSync(GNU_TIME, ['-f', '%M %e %U %S', '-o', out, process.execPath, ...args], {
          stdio: ['ignore', devNull, 'inherit'],
        });
        exitCode = r.status;
        // -o gets "Command exited with non-zero status N" first when the child fails: take the last line.
        const last = readFileSync(out, 'utf8').trim().split('\n').pop() ?? '';
        const [m, e, u, sys] = last.split(' ').map(Number);
        peakKB = m;
        seconds = e;
        cpuSeconds = round(u + sys, 2);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    } else {
      ({ seconds, peakKB, exitCode } = await pollVmHwm(args, devNull));
    }
    return {
      fileBytes,
      seconds: round(seconds, 3),
      mbPerSecond: round(fileBytes / 1048576 / Math.max(seconds, 0.01), 1),
      ...(cpuSeconds === undefined ? {} : { cpuSeconds }),
      peakRssMB: round(peakKB / 1024, 1),
      node: process.version,
      exitCode,
    };
  } finally {
    closeSync(devNull);
  }
}

function hasGnuTime(): boolean {
  if (!existsSync(GNU_TIME)) return false;
  const r = spawnSync(GNU_TIME, ['-f', '%M', 'true'], { encoding: 'utf8' });
  return r.status === 0 && /^\d+\s*$/.test(r.stderr);
}

/** Fallback without GNU time: wall clock from spawn to exit, peak RSS from /proc/<pid>/status. */
function pollVmHwm(args: string[], stdout: number): Promise<{ seconds: number; peakKB: number; exitCode: number | null }> {
  return new Promise((done, fail) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { stdio: ['ignore', stdout, 'inherit'] });
    let peakKB = 0;
    const poll = (): void => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peakKB = Math.max(peakKB, Number(m[1]));
      } catch {
        // the child is gone between the timer and the read: keep the last value
      }
    };
    const timer = setInterval(poll, 20);
    child.on('error', (e) => { clearInterval(timer); fail(e); });
    child.on('exit', (code) => {
      clearInterval(timer);
      done({ seconds: Number(process.hrtime.bigint() - t0) / 1e9, peakKB, exitCode: code });
    });
  });
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

async function main(argv: string[]): Promise<number> {
  const args = argv.slice(2);
  const take = (name: string): string | undefined => {
    const i = args.indexOf(name);
    return i >= 0 ? args.splice(i, 2)[1] : undefined;
  };
  const flag = (name: string): boolean => {
    const i = args.indexOf(name);
    if (i >= 0) args.splice(i, 1);
    return i >= 0;
  };
  const sizeMB = Number(take('--size') ?? 1024);
  const seed = Number(take('--seed') ?? 1);
  const keep = flag('--keep');
  const withStages = flag('--stages');
  const churn = flag('--churn');
  const bin = cliPath();
  if (!existsSync(bin)) {
    process.stderr.write(`bench: ${bin} not found (build the CLI first)\n`);
    return 2;
  }
  let file = args[0];
  let summary: BenchSummary | undefined;
  let tempDir: string | undefined;
  if (file === undefined) {
    tempDir = mkdtempSync(join(tmpdir(), 'tracker-anatomy-bench-'));
    file = join(tempDir, `bench-${sizeMB}MB-seed${seed}${churn ? '-churn' : ''}.pcap`);
    process.stderr.write(`bench: generating ${sizeMB} MB into ${file}\n`);
    summary = generateBenchCapture(file, { targetBytes: sizeMB * 1048576, seed, churn });
  }
  try {
    const m = await measure(file, bin);
    let stages: Record<Stage, StageResult> | undefined;
    if (withStages) {
      stages = {} as Record<Stage, StageResult>;
      for (const stage of STAGES) stages[stage] = await measureStage(file, stage);
    }
    const result: BenchResult = {
      ...(summary ? { fileBytes: m.fileBytes, packets: summary.packets, announces: summary.announces } : { fileBytes: m.fileBytes }),
      seconds: m.seconds, mbPerSecond: m.mbPerSecond, ...(m.cpuSeconds === undefined ? {} : { cpuSeconds: m.cpuSeconds }),
      peakRssMB: m.peakRssMB, node: m.node, exitCode: m.exitCode,
      ...(stages ? { stages } : {}),
    };
    process.stdout.write(JSON.stringify(result) + '\n');
    // without --fail-on the CLI exits 0; anything else (a crash exits 1 too) makes the numbers suspect
    if (m.exitCode !== 0) process.stderr.write(`bench: the CLI exited with ${m.exitCode}: the timing is not a valid run\n`);
    const failed = STAGES.filter((st) => stages !== undefined && stages[st].exitCode !== 0);
    for (const st of failed) process.stderr.write(`bench: stage ${st} exited with ${stages![st].exitCode}: its timing is not a valid run\n`);
    return m.exitCode === 0 && failed.length === 0 ? 0 : 1;
  } finally {
    if (tempDir !== undefined && !keep) rmSync(tempDir, { recursive: true, force: true });
    else if (tempDir !== undefined) process.stderr.write(`bench: kept ${file}\n`);
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv);
}
