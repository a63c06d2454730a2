/** Runs the real pipeline on a capture and collects what `check` compares: users and closed sessions. */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runPipeline } from '../../src/pipeline/run.js';
import type { ReportWriter } from '../../src/report/writer.js';
import type { Session } from '../../src/tracker/types.js';
import type { CheckInput } from '../../src/check/index.js';

export const ROOT = join(fileURLToPath(import.meta.url), '..', '..', '..');

/** The replay of `path` (relative to the repository) with the default (TBSource) rules. */
export async function replayForCheck(path: string): Promise<CheckInput> {
  const sessions: Session[] = [];
  const writer: ReportWriter = {
    begin() {}, announce() {}, scrape() {}, end() {},
    sessionClosed(s) { sessions.push(s); },
  };
  const outcome = await runPipeline({
    inputs: [join(ROOT, path)],
    input: { inputFormat: 'auto', logParser: null },
    replay: { rules: 'tbsource' },
    mergeProxyLegs: true,
  }, writer);
  return { users: outcome.result.users, sessions };
}
