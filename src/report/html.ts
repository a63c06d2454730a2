/**
 * `--format html`: one self-contained page that support staff can attach to a ticket. Per session
 * a timeline chart (inline SVG), every announce annotated, and the session's end summary; then what
 * was read and the tables. Sessions are written as they close; while a session is open only its
 * chart points and the rendered HTML of its announces are held, as bytes in a HeldText (fixed
 * memory, then a temp file).
 */
import { isFilteredOut } from './filter.js';
import type { Announce, Scrape } from '../announce/types.js';
import type { ReplayResult, Session, TrackerStep } from '../tracker/types.js';
import type { Output, ReportWriter, RunTotals } from './writer.js';
import type { ReportOptions } from './options.js';
import { sanitize } from './sanitize.js';
import { getRules } from '../tracker/rules/index.js';
import { ANNOUNCE_END, announceStart, renderAnnounceInner, wrapAnnounce, type Explained } from './html-announce.js';
import { ascii } from './byte-out.js';
import { renderChart, renderLegend, type ChartMark, type ChartPoint } from './html-chart.js';
import { esc, pageEnd, pageStart, wire } from './html-page.js';
import { announceAnchor, renderSessionEnd, renderSessionHeading, sessionAnchor } from './html-session.js';
import { renderInputsHtml, renderTablesHtml, SESSION_INDEX_END, SESSION_INDEX_HEAD, sessionIndexRow } from './html-summary.js';
import { ClientTally } from './client-tally.js';
import { HeldText, newChain, type Chain } from './held-text.js';
import { ByteReader, ByteWriter } from '../tracker/bytes.js';

/** An announce of a closing session: its rendered HTML (as held: UTF-8) and whether it opens expanded. */
interface HeldAnnounce {
  readonly inner: Uint8Array;
  /** Has an event, a finding, or was refused: worth showing expanded in a long session. */
  readonly notable: boolean;
}

/** An open session: its announces held as records (chart point and flags, then the rendered HTML). */
interface OpenSession extends Chain {
  count: number;
  readonly explained: Explained;
}

/** Flag bits of a held announce's record. */
const NULL_UP = 1, NULL_DOWN = 2, NULL_LEFT = 4, NULL_EVENT = 8, APPLIED = 16, NOTABLE = 32;

function writePoint(w: ByteWriter, p: ChartPoint, notable: boolean): void {
  w.length = 0;
  w.byte((p.uploaded === null ? NULL_UP : 0) | (p.downloaded === null ? NULL_DOWN : 0) | (p.left === null ? NULL_LEFT : 0)
    | (p.event === null ? NULL_EVENT : 0) | (p.applied ? APPLIED : 0) | (notable ? NOTABLE : 0));
  w.ts(p.ts);
  if (p.uploaded !== null) w.big(p.uploaded);
  if (p.downloaded !== null) w.big(p.downloaded);
  if (p.left !== null) w.big(p.left);
  if (p.event !== null) w.text(p.event);
  w.varint(p.number);
}

function readPoint(head: Uint8Array): { point: ChartPoint; notable: boolean } {
  const r = new ByteReader(head);
  const f = r.byte();
  const ts = r.ts();
  const uploaded = f & NULL_UP ? null : r.big();
  const downloaded = f & NULL_DOWN ? null : r.big();
  const left = f & NULL_LEFT ? null : r.big();
  const event = f & NULL_EVENT ? null : r.text();
  const number = r.varint();
  return { point: { ts, uploaded, downloaded, left, event, applied: (f & APPLIED) !== 0, number }, notable: (f & NOTABLE) !== 0 };
}

const decoder = new TextDecoder();
const END_BYTES = ascii(ANNOUNCE_END);

/** Sessions with at most this many announces show all of them expanded; longer ones only the notable. */
const EXPAND_ALL = 20;

/** Writes the HTML report to `out` as the replay goes. */
export class HtmlWriter implements ReportWriter {
  private readonly open = new Map<number, OpenSession>();
  /** Announces without a session, written at the end. */
  private readonly orphans = newChain();
  private hasOrphans = false;
  /** The session index's rows, as HTML, in the order the sessions closed (see sessionIndexRow). */
  private readonly indexRows = newChain();
  /** Sessions listed in the index. */
  private listed = 0;
  /** Sessions handed to sessionClosed (the replay hands over every one, or none when not asked to). */
  private closed = 0;
  private readonly clients = new ClientTally();
  private timeOrderStarted = false;
  private readonly held: HeldText;
  private readonly head = new ByteWriter(64);

  /** `heldBudget`: bytes of open sessions' HTML kept in memory before it spills to a temp file (tests make it tiny). */
  constructor(private readonly out: Output, private readonly opts: ReportOptions, heldBudget?: number) {
    this.held = new HeldText(heldBudget);
  }

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
      this.held.add(this.orphans, wrapAnnounce(`r${ref + 1}`, renderAnnounceInner(a, step, new Set(), `#${ref + 1}`), true));
      this.hasOrphans = true;
      return;
    }
    let s = this.open.get(step.session);
    if (!s) { s = { ...newChain(), count: 0, explained: new Set() }; this.open.set(step.session, s); }
    const n = (step.announceIndex ?? s.count) + 1;
    s.count++;
    writePoint(this.head, { ts: a.ts, uploaded: a.uploaded, downloaded: a.downloaded, left: a.left, event: a.event, applied: step.applied, number: n },
      a.event !== null || step.findings.length > 0 || !step.applied);
    this.held.addRecord(s, this.head.bytes, this.head.length, renderAnnounceInner(a, step, s.explained, `#${n}`));
  }

  scrape(_s: Scrape): void {}

  sessionClosed(session: Session): void {
    const s = this.open.get(session.index);
    this.open.delete(session.index);
    this.closed++;
    if (isFilteredOut(session)) return;
    this.list(session);
    if (this.opts.announcesOnly) return;
    const marks: ChartMark[] = session.anomalies.map((f) => ({
      announce: f.announce === null ? null : f.announce + 1, severity: f.severity, code: f.code, message: f.message,
    }));
    const id = sessionAnchor(session.index);
    const points: ChartPoint[] = [];
    const held: HeldAnnounce[] = [];
    if (s) {
      // the inner HTML stays bytes, views into the held store: nothing is added to it before they are written
      this.held.recordBytes(s, (head, inner) => {
        const r = readPoint(head);
        points.push(r.point);
        held.push({ inner, notable: r.notable });
      });
    }
    const all = held.length <= EXPAND_ALL;
    this.out.write(`<section class="session" id="${id}">\n`
      + renderSessionHeading(session, this.opts.torrentNames.get(session.infoHash.toLowerCase()))
      + renderChart(`${id}-chart`, points, marks) + '\n' + renderLegend() + '\n'
      + `<h3>Announces</h3>\n`);
    // the held bytes are copied to a byte output as they are (no decode and re-encode of every announce)
    const bytes = this.out.bytes;
    for (let i = 0; i < held.length; i++) {
      const h = held[i]!;
      this.out.write(announceStart(announceAnchor(session.index, i), all || h.notable));
      if (bytes) bytes.raw(h.inner);
      else this.out.write(decoder.decode(h.inner));
      if (bytes) bytes.raw(END_BYTES);
      else this.out.write(ANNOUNCE_END);
    }
    this.out.write(renderSessionEnd(session) + '</section>\n');
  }

  /** Lists a session in the index and the clients table. */
  private list(session: Session): void {
    this.listed++;
    this.clients.add(session);
    this.held.add(this.indexRows, sessionIndexRow(session));
  }

  end(totals: RunTotals, result: ReplayResult): void {
    if (this.hasOrphans) {
      this.out.write('<section class="session" id="orphans"><h2>Announces without a usable info_hash and peer_id (no session)</h2>\n');
      this.held.writeTo(this.orphans, this.out);
      this.out.write('</section>\n');
    }
    // retained sessions (a replay that keeps them) are the ones sessionClosed would have had
    if (this.closed === 0) for (const s of result.sessions) this.list(s);
    if (this.listed === 0 && !this.hasOrphans && !this.timeOrderStarted) this.out.write('<p>No announces found.</p>\n');
    this.out.write('<section id="summary">\n' + renderInputsHtml(totals));
    if (this.listed > 0) {
      this.out.write(SESSION_INDEX_HEAD);
      this.held.writeTo(this.indexRows, this.out);
      this.out.write(SESSION_INDEX_END + '\n');
    }
    this.held.close();
    const parts: string[] = [];
    parts.push(renderTablesHtml(result, this.clients, this.opts.torrentNames), '</section>\n');
    parts.push(`<footer class="meta">Generated by tracker-anatomy from ${esc(String(totals.inputs.length))} input${totals.inputs.length === 1 ? '' : 's'} with ${wire(totals.rules)} rules.</footer>\n`);
    parts.push(pageEnd());
    this.out.write(parts.join(''));
  }
}
