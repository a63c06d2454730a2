/**
 * `--format jsonl`: one JSON object per line as the replay goes: each announce (with its replay
 * facts), each scrape, each session when it closes, and a final summary line. Every line has `kind`.
 */
import type { Announce, Scrape } from '../announce/types.js';
import type { ReplayResult, Session, TrackerStep } from '../tracker/types.js';
import type { Output, ReportWriter, RunTotals } from './writer.js';
import { announceLine, scrapeJson, stringify } from './announce-json.js';
import { isFilteredOut } from './filter.js';
import { resultJson, sessionLine, SCHEMA_VERSION } from './json.js';

export class JsonlWriter implements ReportWriter {
  constructor(private readonly out: Output, private readonly peerList = false) {}
  begin(): void {}
  announce(a: Announce, _ref: number, step: TrackerStep): void {
    this.out.write('{"kind":"announce",' + announceLine(a, step, this.peerList).slice(1) + '\n');
  }
  scrape(s: Scrape): void {
    this.out.write(stringify(scrapeJson(s)) + '\n');
  }
  sessionClosed(s: Session): void {
    if (isFilteredOut(s)) return;
    this.out.write('{"kind":"session",' + sessionLine(s).slice(1) + '\n');
  }
  end(totals: RunTotals, result: ReplayResult): void {
    const r = resultJson(totals, result);
    delete r['sessions'];
    this.out.write(stringify({ kind: 'summary', schemaVersion: SCHEMA_VERSION, ...r }) + '\n');
  }
}
