/**
 * `--format html`: one self-contained page that support staff can attach to a ticket. Per session
 * a timeline chart (inline SVG), every announce annotated, and the session's end summary; then what
 * was read and the tables. Sessions are written as they close; while a session is open only its
 * chart points and the rendered HTML of its announces are held.
 */
import { isFilteredOut } from './filter.js';
import type { Announce, Scrape } from '../announce/types.js';
import type { ReplayResult, Session, TrackerStep } from '../tracker/types.js';
import type { Output, ReportWriter, RunTotals } from './writer.js';
import type { ReportOptions } from './options.js';
import { sanitize } from './sanitize.js';
import { getRules } from '../tracker/rules/index.js';
import { renderAnnounceInner, wrapAnnounce, type Explained } from './html-announce.js';
import { renderChart, renderLegend, type ChartMark, type ChartPoint } from './html-chart.js';
import { esc, pageEnd, pageStart, wire } from './html-page.js';
import { announceAnchor, renderSessionEnd, renderSessionHeading, sessionAnchor } from './html-session.js';
import { renderInputsHtml, renderTablesHtml, sessionRow, type SessionRow } from './html-summary.js';

/** An announce of an open session: its rendered HTML and whether it opens expanded. */
interface HeldAnnounce {
  readonly inner: string;
  /** Has an event, a finding, or was refused: worth showing expanded in a long session. */
  readonly notable: boolean;
}

interface OpenSession {
  readonly points: ChartPoint[];
  readonly announces: HeldAnnounce[];
  readonly explained: Explained;
}

/** Sessions with at most this many announces show all of them expanded; longer ones only the notable. */
const EXPAND_ALL = 20;

/** Writes the HTML report to `out` as the replay goes. */
export class HtmlWriter implements ReportWriter {
  private readonly open = new Map<number, OpenSession>();
  private readonly orphans: string[] = [];
  private readonly rows: SessionRow[] = [];
  private timeOrderStarted = false;

  constructor(private readonly out: Output, private readonly opts: ReportOptions) {}

  begin(raw: readonly string[], rules: string): void {
    const inputs = raw.map(sanitize);
    const title = `tracker-anatomy: ${inputs.length === 1 ? inputs[0]! : `${inputs.length} inputs`}`;
    const sub = `${inputs.length} input${inputs.length === 1 ? '' : 's'} (${inputs.join(', ')}), replayed with ${getRules(rules)?.title ?? rules} rules. All times UTC.`;
    this.out.write(pageStart(title, sub));
    this.out.write('<p class="meta">Jump to: <a href="#read">what was read</a> · <a href="#sessions">sessions</a> · <a href="#users">users</a> · <a href="#torrents">torrents</a> · <a href="#clients">clients</a></p>\n');
  }

  announce(a: Announce, ref: number, step: TrackerStep): void {
    if (this.opts.announcesOnly) {
      if (!this.timeOrderStarted) { this.out.write('<h2>Announces in time order</h2>\n'); this.timeOrderStarted = true; }
      this.out.write(wrapAnnounce(`r${ref + 1}`, renderAnnounceInner(a, step, new Set(), `#${ref + 1}`), true));
      return;
    }
    if (step.session === null) {
      this.orphans.push(wrapAnnounce(`r${ref + 1}`, renderAnnounceInner(a, step, new Set(), `#${ref + 1}`), true));
      return;
    }
    let s = this.open.get(step.session);
    if (!s) { s = { points: [], announces: [], explained: new Set() }; this.open.set(step.session, s); }
    const n = (step.announceIndex ?? s.announces.length) + 1;
    s.points.push({ ts: a.ts, uploaded: a.uploaded, downloaded: a.downloaded, left: a.left, event: a.event, applied: step.applied, number: n });
    s.announces.push({
      inner: renderAnnounceInner(a, step, s.explained, `#${n}`),
      notable: a.event !== null || step.findings.length > 0 || !step.applied,
    });
  }

  scrape(_s: Scrape): void {}

  sessionClosed(session: Session): void {
    const s = this.open.get(session.index);
    this.open.delete(session.index);
    if (isFilteredOut(session)) return;
    this.rows.push(sessionRow(session));
    if (this.opts.announcesOnly) return;
    const marks: ChartMark[] = session.anomalies.map((f) => ({
      announce: f.announce === null ? null : f.announce + 1, severity: f.severity, code: f.code, message: f.message,
    }));
    const id = sessionAnchor(session.index);
    const held = s?.announces ?? [];
    const all = held.length <= EXPAND_ALL;
    const parts = [
      `<section class="session" id="${id}">\n`,
      renderSessionHeading(session, this.opts.torrentNames.get(session.infoHash.toLowerCase())),
      renderChart(`${id}-chart`, s?.points ?? [], marks), '\n', renderLegend(), '\n',
      `<h3>Announces</h3>\n`,
      ...held.map((h, i) => wrapAnnounce(announceAnchor(session.index, i), h.inner, all || h.notable)),
      renderSessionEnd(session),
      '</section>\n',
    ];
    this.out.write(parts.join(''));
  }

  end(totals: RunTotals, result: ReplayResult): void {
    const parts: string[] = [];
    if (this.orphans.length > 0) {
      parts.push('<section class="session" id="orphans"><h2>Announces without a usable info_hash and peer_id (no session)</h2>\n', ...this.orphans, '</section>\n');
    }
    // with retained sessions the result lists them too; each one is counted once
    const seen = new Set(this.rows.map((r) => r.index));
    for (const s of result.sessions) if (!seen.has(s.index)) this.rows.push(sessionRow(s));
    if (this.rows.length === 0 && this.orphans.length === 0 && !this.timeOrderStarted) parts.push('<p>No announces found.</p>\n');
    parts.push('<section id="summary">\n', renderInputsHtml(totals), renderTablesHtml(result, this.rows, this.opts.torrentNames), '</section>\n');
    parts.push(`<footer class="meta">Generated by tracker-anatomy from ${esc(String(totals.inputs.length))} input${totals.inputs.length === 1 ? '' : 's'} with ${wire(totals.rules)} rules.</footer>\n`);
    parts.push(pageEnd());
    this.out.write(parts.join(''));
  }
}
