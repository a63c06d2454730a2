/**
 * `tracker-anatomy check <inputs...> --expect <file.json> [--update]`: replays the inputs and
 * compares users' credited totals, sessions' final states and anomaly codes with an expectations
 * file. Exit 0 when met, 1 when not (a readable diff on stdout), 2 on unusable input.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { runPipeline } from '../pipeline/run.js';
import type { Session } from '../tracker/types.js';
import type { ReportWriter } from '../report/writer.js';
import { compare, expectationsFrom, formatExpectations, parseExpectations } from '../check/index.js';
import { describeInputError, InputError } from '../errors.js';
import type { RunConfig } from './config.js';
import { sanitize } from '../report/sanitize.js';
import type { ExecIO } from './execute.js';

export interface CheckOptions {
  readonly expect: string;
  readonly update: boolean;
  readonly mode: 'exactly' | 'atLeast';
}

/** Collects the closed sessions (the replay hands each over once). */
class SessionCollector implements ReportWriter {
  readonly sessions: Session[] = [];
  begin(): void {}
  announce(): void {}
  scrape(): void {}
  sessionClosed(s: Session): void { this.sessions.push(s); }
  end(): void {}
}

export async function runCheck(config: RunConfig, o: CheckOptions, io: ExecIO & { stdout(text: string): void }): Promise<number> {
  const collector = new SessionCollector();
  const outcome = await runPipeline(config.pipeline, collector);
  for (const e of outcome.fatal) io.stderr(`tracker-anatomy: ${sanitize(describeInputError(e))}\n`);
  if (outcome.fatal.length > 0) return 2;
  const sessions = [...collector.sessions, ...outcome.result.sessions].sort((a, b) => a.index - b.index);
  const actual = { users: outcome.result.users, sessions };
  if (o.update) {
    writeFileSync(o.expect, formatExpectations(expectationsFrom(actual, o.mode)));
    io.stdout(`wrote ${o.expect}: ${actual.users.length} users, ${sessions.length} sessions\n`);
    return 0;
  }
  let text: string;
  try {
    text = readFileSync(o.expect, 'utf8');
  } catch (e) {
    throw new InputError('check.unreadable', `cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)} (write one with --update)`, o.expect);
  }
  const report = compare(parseExpectations(text, o.expect), actual);
  io.stdout(report.lines.join('\n') + '\n');
  return report.ok ? 0 : 1;
}
