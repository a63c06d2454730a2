/**
 * `--format csv`: one row per announce, written as it is replayed (nothing is held), for
 * spreadsheets. Follows RFC 4180 (https://www.rfc-editor.org/rfc/rfc4180): a header row, CRLF line
 * ends, a field quoted when it holds `"`, `,`, CR or LF, with `"` doubled.
 *
 * Values: times ISO 8601 UTC (as in JSON); counters exact decimal strings (a spreadsheet may round
 * them when it reads them as numbers, the file never does); empty cell = absent; `session` is
 * 1-based like the "Session N" headings of the text and markdown reports; `anomalies` are codes
 * joined by a space. Wire text is shown escaped as the text report shows it (no control bytes).
 *
 * Formula injection (CWE-1236): a spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a
 * formula, so a hostile peer_id, passkey or failure text could make it do things when the file is
 * opened. Every text cell that starts with one of these (or tab / CR) gets a leading `'`, which
 * spreadsheets read as "this is text". Azureus-style peer_ids (`-TR3000-…`) therefore show as
 * `'-TR3000-…`. Counters and other numbers are digits only and never get one.
 */
import type { Announce, Scrape } from '../announce/types.js';
import { describePeerId, toHex } from '../announce/peer-id.js';
import type { ReplayResult, Session, TrackerStep } from '../tracker/types.js';
import type { Output, ReportWriter, RunTotals } from './writer.js';
import type { ReportOptions } from './options.js';
import { sanitize, sanitizeLatin1 } from './sanitize.js';
import { sourceOf } from './announce-json.js';
import { isoTime } from '../format/units.js';

/** The columns, in order (stable names: scripts read them). */
export const CSV_COLUMNS = [
  'time', 'source', 'client_ip', 'client_port', 'forwarded_for', 'info_hash', 'peer_id', 'client',
  'event', 'port', 'uploaded', 'downloaded', 'left', 'numwant', 'passkey', 'reply_status',
  'reply_interval', 'reply_failure', 'session', 'user', 'credited_up', 'credited_down',
  'state_before', 'state_after', 'applied', 'failure', 'anomalies',
] as const;

/** A text cell: a leading formula character is neutralised with `'` (see the file comment). */
export function csvText(s: string | null | undefined): string {
  if (s === null || s === undefined) return '';
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

/** One field quoted per RFC 4180 when it needs it. */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function num(n: bigint | number | null | undefined): string {
  return n === null || n === undefined ? '' : n.toString();
}

/** The cells of one announce's row, in CSV_COLUMNS order (unquoted). */
export function csvRow(a: Announce, step: TrackerStep): string[] {
  const peer = a.peerId ? describePeerId(a.peerId) : null;
  return [
    isoTime(a.ts),
    csvText(sanitize(sourceOf(a.origin))),
    csvText(a.client.ip),
    a.transport === 'log' ? '' : num(a.client.port),
    csvText(a.forwardedFor === null ? null : sanitize(a.forwardedFor)),
    a.infoHash ? toHex(a.infoHash) : '',
    csvText(peer?.text),
    csvText(peer?.client === null || peer === null ? null : sanitize(peer.client)),
    csvText(a.event === null ? null : sanitize(a.event)),
    num(a.port),
    num(a.uploaded),
    num(a.downloaded),
    num(a.left),
    num(a.numwant),
    csvText(a.passkey === null ? null : sanitizeLatin1(a.passkey)),
    num(a.reply?.status),
    num(a.reply?.interval),
    csvText(a.reply?.failure == null ? null : sanitize(a.reply.failure)),
    step.session === null ? '' : String(step.session + 1),
    csvText(sanitize(step.user)),
    num(step.credited.uploaded),
    num(step.credited.downloaded),
    step.before,
    step.after,
    step.applied ? 'true' : 'false',
    csvText(step.failure === null ? null : sanitize(step.failure)),
    step.findings.map((f) => f.code).join(' '),
  ];
}

/** Writes one CSV row per announce as the replay goes; sessions and the summary are not part of it. */
export class CsvWriter implements ReportWriter {
  constructor(private readonly out: Output, _opts: ReportOptions) {}

  begin(_inputs: readonly string[], _rules: string): void {
    this.out.write(CSV_COLUMNS.join(',') + '\r\n');
  }

  announce(a: Announce, _ref: number, step: TrackerStep): void {
    this.out.write(csvRow(a, step).map(csvField).join(',') + '\r\n');
  }

  scrape(_s: Scrape): void {}
  sessionClosed(_s: Session): void {}
  end(_totals: RunTotals, _result: ReplayResult): void {}
}
