/**
 * `--format jsonl`: one JSON object per line as the replay goes: each announce (with its replay
 * facts), each scrape, each session when it closes, and a final summary line. Every line has `kind`.
 */
import type { Announce, Scrape } from '../announce/types.js';
import type { ReplayResult, Session, TrackerStep } from '../tracker/types.js';
import type { Output, ReportWriter, RunTotals } from './writer.js';
import { scrapeJson, stringify } from './announce-json.js';
import { announceOpening, writeAnnounce } from './announce-bytes.js';
import { isFilteredOut } from './filter.js';
import { bytesOf, resultJson, sessionOpening, torrentJson, userJson, writeSession, SCHEMA_VERSION } from './json.js';
import type { ByteOut } from './byte-out.js';
import { piece } from './piece.js';

const ANNOUNCE = announceOpening('{"kind":"announce",');
const SESSION = sessionOpening('{"kind":"session",');
const LF = piece('\n');

export class JsonlWriter implements ReportWriter {
  private readonly b: ByteOut;
  constructor(out: Output, private readonly peerList = false) {
    this.b = bytesOf(out);
  }
  begin(): void {}
  announce(a: Announce, _ref: number, step: TrackerStep): void {
    writeAnnounce(this.b, ANNOUNCE, a, step, this.peerList);
    this.b.put(LF);
  }
  scrape(s: Scrape): void {
    this.b.text(stringify(scrapeJson(s)) + '\n');
  }
  sessionClosed(s: Session): void {
    if (isFilteredOut(s)) return;
    writeSession(this.b, SESSION, s);
    this.b.put(LF);
  }
  end(totals: RunTotals, result: ReplayResult): void {
    // sessions were written as they closed; users and torrents go in the summary line
    const r: Record<string, unknown> = { ...resultJson(totals, result, true), users: result.users.map(userJson), torrents: result.torrents.map(torrentJson) };
    delete r['sessions'];
    this.b.text(stringify({ kind: 'summary', schemaVersion: SCHEMA_VERSION, ...r }) + '\n');
    this.b.flush();
  }
}
