/**
 * The pipeline cut short after one stage, for `npm run bench -- --stages`: how fast the first
 * stages run with nothing after them says where a whole run's time goes, and what a faster replay
 * or report could gain at most. Run as its own process (the bench measures it with GNU time):
 *
 *   node dist/bench/stage.js <stage> FILE
 *
 * Stages, each the real modules the CLI runs, with the defaults of `--format json`:
 * - decode: read, decode and order the requests on this one thread (the CLI's `--threads 1`
 *   first half), each request only counted: capture -> packets -> TCP -> HTTP -> announces.
 * - handoff: the same in the reading thread, as the CLI runs a large capture, with this thread
 *   reading every record batch back and counting it: the two-thread run with a replay and report
 *   that cost nothing, so its speed is the most a faster second half could reach.
 * - replay: the two-thread run with the tracker replay and its session bookkeeping, writing no
 *   report.
 * Prints one JSON line on stdout: {stage, announces, scrapes}.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TrackerRequest } from '../announce/types.js';
import { buildConfig } from '../cli/config.js';
import { readInputs, type ReadConfig } from '../pipeline/read-inputs.js';
import { runPipeline } from '../pipeline/run.js';
import { readInputsInWorker } from '../pipeline/worker/front.js';
import type { ReportWriter } from '../report/writer.js';

export const STAGES = ['decode', 'handoff', 'replay'] as const;
export type Stage = (typeof STAGES)[number];

/** A report that writes nothing: the replay stage's second half. */
const NO_REPORT: ReportWriter = {
  begin: () => {},
  announce: () => {},
  scrape: () => {},
  sessionClosed: () => {},
  end: () => {},
};

/** Runs `stage` on `file` and returns what it released. */
export async function runStage(stage: Stage, file: string): Promise<{ announces: number; scrapes: number }> {
  const config = buildConfig([file], { inputFormat: 'auto', rules: 'tbsource', format: 'json', quiet: true }, {}, {
    stdoutIsTTY: false,
    stderrIsTTY: false,
  }).pipeline;
  const counted = { announces: 0, scrapes: 0 };
  const count = (r: TrackerRequest): void => {
    if (r.kind === 'scrape') counted.scrapes++;
    else counted.announces++;
  };
  const read: ReadConfig = { inputs: config.inputs, input: config.input, mergeProxyLegs: config.mergeProxyLegs };
  if (stage === 'decode') await readInputs(read, count);
  else if (stage === 'handoff') await readInputsInWorker(read, count);
  else {
    const outcome = await runPipeline({ ...config, worker: 'auto' }, NO_REPORT);
    for (const i of outcome.totals.inputs) {
      counted.announces += i.announces;
      counted.scrapes += i.scrapes;
    }
  }
  return counted;
}

async function main(argv: readonly string[]): Promise<number> {
  const [stage, file] = argv.slice(2);
  if (!STAGES.includes(stage as Stage) || file === undefined) {
    process.stderr.write(`usage: stage.js <${STAGES.join('|')}> FILE\n`);
    return 2;
  }
  const counted = await runStage(stage as Stage, file);
  process.stdout.write(JSON.stringify({ stage, ...counted }) + '\n');
  return 0;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv);
}
