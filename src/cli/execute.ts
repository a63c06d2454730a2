/** Runs one configured job: output, writer, pipeline, exit code. */
import { runPipeline } from '../pipeline/run.js';
import { STOPPED_READING } from '../pipeline/input.js';
import type { ReportWriter } from '../report/writer.js';
import { JsonWriter } from '../report/json.js';
import { JsonlWriter } from '../report/jsonl.js';
import { TextWriter } from '../report/text.js';
import type { ReportOptions } from '../report/options.js';
import { palette } from '../report/style.js';
import { describeInputError } from '../errors.js';
import { sanitize } from '../report/sanitize.js';
import type { RunConfig } from './config.js';
import { FdOutput } from './output.js';
import { Progress } from './progress.js';
import { FailOnTally } from './fail-on.js';
import { FilteredWriter, isEmptyFilter } from '../report/filter.js';

export interface ExecIO {
  stderr(text: string): void;
}

function reportOptions(config: RunConfig): ReportOptions {
  return { peerList: config.peerList, torrentNames: config.torrentNames, announcesOnly: config.announcesOnly };
}

/** The writer for the chosen format; the less common ones are loaded only when asked for. */
async function makeWriter(config: RunConfig, out: FdOutput): Promise<ReportWriter> {
  switch (config.format) {
    case 'json': return new JsonWriter(out, config.peerList);
    case 'jsonl': return new JsonlWriter(out, config.peerList);
    case 'markdown': return new (await import('../report/markdown.js')).MarkdownWriter(out, reportOptions(config));
    case 'csv': return new (await import('../report/csv.js')).CsvWriter(out, reportOptions(config));
    case 'html': return new (await import('../report/html.js')).HtmlWriter(out, reportOptions(config));
    default: return new TextWriter(out, palette(config.colour), { announcesOnly: config.announcesOnly, torrentNames: config.torrentNames, maxRows: config.maxRows });
  }
}

/** Exit status: 2 when an input was unusable (the report still covers what was read), else 0. */
export async function execute(config: RunConfig, io: ExecIO): Promise<number> {
  const out = config.output === null ? FdOutput.stdout() : FdOutput.file(config.output);
  const progress = config.progress ? new Progress(config.pipeline.inputs, io.stderr) : null;
  const base = await makeWriter(config, out);
  const tally = config.failOn ? new FailOnTally(base, config.failOn) : null;
  const inner = tally ?? base;
  const writer = isEmptyFilter(config.filter) ? inner : new FilteredWriter(inner, config.filter);
  try {
    const following = config.pipeline.input.follow !== undefined;
    const onProgress = progress || following
      ? (b: number): void => { progress?.update(b); if (following) out.flush(); } // a live view is shown as it comes
      : undefined;
    const outcome = await runPipeline({ ...config.pipeline, onProgress }, writer);
    progress?.done();
    if (!outcome.unusable) writer.end(outcome.totals, outcome.result);
    out.close();
    for (const e of outcome.fatal) io.stderr(`tracker-anatomy: ${sanitize(describeInputError(e))}\n`);
    if (!config.quiet && config.format !== 'text') {
      // an input that stopped part-way has its error line above; its 'stopped reading' warning,
      // there for the report's summary, would say the same again
      for (const i of outcome.totals.inputs) for (const w of i.warnings) if (!w.startsWith(STOPPED_READING)) io.stderr(`tracker-anatomy: ${sanitize(`${i.path}: warning: ${w.startsWith(i.path + ': ') ? w.slice(i.path.length + 2) : w}`)}\n`);
    }
    if (outcome.fatal.length > 0) return 2;
    if (tally && tally.tripped.length > 0) {
      if (!config.quiet) {
        const codes = [...new Set(tally.tripped.map((f) => f.code))].sort().join(', ');
        io.stderr(`tracker-anatomy: --fail-on: ${tally.tripped.length} finding${tally.tripped.length === 1 ? '' : 's'} (${codes})\n`);
      }
      return 1;
    }
    return 0;
  } finally {
    progress?.done();
    try { out.close(); } catch { /* already reported */ }
  }
}
