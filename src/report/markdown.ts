/**
 * `--format markdown`: the text report's content as GitHub-flavoured markdown (tables per the GFM
 * spec, https://github.github.com/gfm/#tables-extension-), for tickets and forum posts.
 * Sessions are written as they close; only the table rows and notes of open sessions are held
 * (as text in a HeldText: fixed memory, then a temp file).
 *
 * Anything from the wire (peer_ids, URLs, user agents, failure texts, passkeys) is first made
 * terminal-safe (sanitize: control bytes become visible escapes), then either put in a code span
 * (identifiers: nothing inside one is markup, so no link, image or HTML can be smuggled in) or
 * escaped as text (messages). In table cells `|` is escaped even inside code spans: GFM splits
 * table cells on it before it looks at code spans.
 */
import { isFilteredOut } from './filter.js';
import type { Announce, Scrape } from '../announce/types.js';
import type { ReplayResult, Session, TrackerStep } from '../tracker/types.js';
import { getRules } from '../tracker/rules/index.js';
import type { Output, ReportWriter, RunTotals } from './writer.js';
import type { ReportOptions } from './options.js';
import { sanitize, sanitizeLatin1 } from './sanitize.js';
import { bytesWithUnit, duration, grouped, humanBytes, textTime } from '../format/units.js';
import { sourceOf } from './announce-json.js';
import { ClientTally } from './client-tally.js';
import { HeldText, newChain, textLines, type Chain } from './held-text.js';

/** Markdown text for a value we did not write: specials backslash-escaped, `<` `>` `&` as entities. */
export function mdText(text: string): string {
  return sanitize(text).replace(/[\\`*_[\]#|~!]/g, (c) => '\\' + c).replace(/[<>&]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&amp;'));
}

/**
 * A code span for an identifier from the wire. `safe` must already be escaped for the terminal
 * (escapeBytes, sanitize, sanitizeLatin1: what the text report prints); any control byte left is
 * still shown as \xNN. The fence is longer than any backtick run inside. `cell`: escape `|`.
 */
export function mdCode(safe: string, cell = false): string {
  let t = safe.replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => '\\x' + c.charCodeAt(0).toString(16).padStart(2, '0'));
  if (cell) t = t.replace(/\|/g, '\\|');
  const runs = t.match(/`+/g) ?? [];
  const fence = '`'.repeat(Math.max(0, ...runs.map((r) => r.length)) + 1);
  const pad = t.startsWith('`') || t.endsWith('`') || t === '' ? ' ' : '';
  return `${fence}${pad}${t}${pad}${fence}`;
}

const STATE_NAMES: Record<string, string> = {
  none: 'not listed', leeching: 'leeching', seeding: 'seeding', removed: 'removed', expired: 'expired',
};

const FINAL: Record<string, (s: Session) => string> = {
  none: () => 'never listed: the tracker refused or ignored every announce of this session',
  removed: () => 'removed: the client said `stopped`, so the torrent left the user\'s profile',
  expired: (s) => `expired: no announce for longer than the dead time (${duration(s.deadTime)}); the tracker dropped the peer without crediting anything after its last announce`,
  leeching: (s) => `still listed as leeching at the end of the input; the tracker drops it ${duration(s.deadTime)} after its last announce`,
  seeding: (s) => `still listed as seeding at the end of the input; the tracker drops it ${duration(s.deadTime)} after its last announce`,
};

const ANNOUNCE_HEAD = [
  '| # | time (UTC) | event | uploaded | downloaded | left | credited up | credited down | state | anomalies |',
  '|--:|---|---|--:|--:|--:|--:|--:|---|---|',
];

function counter(n: bigint | null): string {
  return n === null ? '—' : grouped(n);
}

function row(label: string, a: Announce, step: TrackerStep): string {
  const transition = step.before === step.after ? STATE_NAMES[step.after]! : `${STATE_NAMES[step.before]} → ${STATE_NAMES[step.after]}`;
  const state = step.applied ? transition : `refused${step.failure ? `: ${mdText(step.failure)}` : ''}`;
  const cells = [
    label, textTime(a.ts), a.event === null ? '—' : mdCode(sanitize(a.event), true),
    counter(a.uploaded), counter(a.downloaded), counter(a.left),
    step.applied ? grouped(step.credited.uploaded) : '—', step.applied ? grouped(step.credited.downloaded) : '—',
    state, step.findings.map((f) => mdCode(f.code, true)).join(' '),
  ];
  return `| ${cells.join(' | ')} |`;
}

/** The request as one bullet: source, addresses, request target, user agent, reply. */
function requestLine(label: string, a: Announce): string {
  const where = a.transport === 'log' ? `from ${a.client.ip}` : `${a.client.ip}:${a.client.port} → ${a.tracker.ip}:${a.tracker.port}`;
  const via = a.forwardedFor ? ` (forwarded for ${mdCode(sanitize(a.forwardedFor))})` : '';
  const ua = a.userAgent ? `, User-Agent ${mdCode(sanitizeLatin1(a.userAgent))}` : '';
  const reply = a.reply === null ? (a.transport === 'log' ? 'reply not in a log' : 'no reply captured')
    : a.reply.failure !== null ? `reply HTTP ${a.reply.status}, failure ${mdCode(sanitize(a.reply.failure))}`
      : `reply HTTP ${a.reply.status}${a.reply.interval !== null ? `, interval ${a.reply.interval} s` : ''}, ${a.reply.peerCount ?? a.reply.peers.length} peer${(a.reply.peerCount ?? a.reply.peers.length) === 1 ? '' : 's'}`;
  const errors = a.errors.length > 0 ? `; malformed: TBSource would answer ${mdCode(sanitize(a.errors[0]!))}` : '';
  return `- ${label} ${mdCode(sanitize(sourceOf(a.origin)))} ${where}${via}: ${mdCode(sanitizeLatin1(a.target))}${ua}; ${reply}${errors}`;
}

function whyLines(label: string, step: TrackerStep): string[] {
  return step.notes.map((n) => `- ${label}: ${mdText(n)}`);
}

/** A session's held text (or the orphans'): table rows, request bullets, notes; each a chain of lines. */
interface OpenSession {
  readonly rows: Chain;
  readonly requests: Chain;
  readonly why: Chain;
  /** Whether any row, and any note, was held. */
  any: boolean;
  anyWhy: boolean;
}

function openSession(): OpenSession {
  return { rows: newChain(), requests: newChain(), why: newChain(), any: false, anyWhy: false };
}

/** Writes the report as GitHub-flavoured markdown; see the file comment for the escaping rules. */
export class MarkdownWriter implements ReportWriter {
  private readonly open = new Map<number, OpenSession>();
  private readonly orphans = openSession();
  private readonly clients = new ClientTally();
  private printed = 0;
  private readonly held: HeldText;

  /** `heldBudget`: bytes of open sessions' text kept in memory before it spills to a temp file (tests make it tiny). */
  constructor(private readonly out: Output, private readonly opts: ReportOptions, heldBudget?: number) {
    this.held = new HeldText(heldBudget);
  }

  begin(inputs: readonly string[], rules: string): void {
    const lines = ['# tracker-anatomy report', '', `${inputs.length} input${inputs.length === 1 ? '' : 's'} (${inputs.map((i) => mdCode(sanitize(i))).join(', ')}), replayed with ${mdText(getRules(rules)?.title ?? rules)} rules.`, ''];
    if (this.opts.announcesOnly) lines.push('## Announces in time order', '', ...ANNOUNCE_HEAD);
    this.out.write(lines.join('\n') + '\n');
  }

  announce(a: Announce, ref: number, step: TrackerStep): void {
    if (this.opts.announcesOnly) {
      this.out.write(row(String(ref + 1), a, step) + '\n');
      return;
    }
    let s = this.orphans;
    let label = String(ref + 1);
    if (step.session !== null) {
      s = this.open.get(step.session) ?? openSession();
      this.open.set(step.session, s);
      label = String((step.announceIndex ?? 0) + 1);
    }
    this.held.add(s.rows, row(label, a, step) + '\n');
    this.held.add(s.requests, requestLine(`#${label}`, a) + '\n');
    s.any = true;
    if (step.notes.length > 0) {
      this.held.add(s.why, textLines(whyLines(`#${label}`, step)));
      s.anyWhy = true;
    }
  }

  scrape(_s: Scrape): void {}

  sessionClosed(session: Session): void {
    const s = this.open.get(session.index);
    this.open.delete(session.index);
    if (isFilteredOut(session)) return;
    this.clients.add(session);
    if (this.opts.announcesOnly) return;
    this.printed++;
    this.out.write(textLines([...this.heading(session), ...ANNOUNCE_HEAD]));
    if (s) this.held.writeTo(s.rows, this.out);
    this.out.write('\n');
    this.body(s, session);
  }

  private torrent(infoHash: string): string {
    const name = this.opts.torrentNames.get(infoHash);
    return name === undefined ? mdCode(infoHash) : `${mdText(name)} (${mdCode(infoHash)})`;
  }

  private heading(s: Session): string[] {
    const who = s.peerId.client ? ` (${mdText(s.peerId.client)})` : '';
    return [
      `## Session ${s.index + 1}: peer ${mdCode(s.peerId.text)}${who}`,
      '',
      `Torrent ${this.torrent(s.infoHash)} · user ${mdCode(sanitize(s.user))} · listed as ${mdCode(`${s.ip}:${s.port ?? '?'}`)} · ${s.announces.length} announce${s.announces.length === 1 ? '' : 's'} from ${textTime(s.start)} to ${textTime(s.end)}`,
      '',
    ];
  }

  /** Writes the session's held requests and notes, and its end summary. */
  private body(open: OpenSession | undefined, s: Session): void {
    if (open?.any) {
      this.out.write('<details><summary>Requests</summary>\n\n');
      this.held.writeTo(open.requests, this.out);
      this.out.write('\n</details>\n\n');
    }
    if (open?.anyWhy) {
      this.out.write('**Why**\n\n');
      this.held.writeTo(open.why, this.out);
      this.out.write('\n');
    }
    const lines: string[] = [];
    const gap = s.cadence.medianGap;
    lines.push(
      `**Session end:** ${FINAL[s.finalState]!(s)}`, '',
      `- credited: ${bytesWithUnit(s.credited.uploaded)} up, ${bytesWithUnit(s.credited.downloaded)} down`,
      `- reported: ${bytesWithUnit(s.reported.uploaded)} up, ${bytesWithUnit(s.reported.downloaded)} down (last announce minus first, as the client counts)`,
      `- cadence: ${gap === null ? 'one announce only' : `median gap ${duration(gap)}`} against the interval of ${duration(s.cadence.interval)} the tracker asked for${gap !== null && gap > s.cadence.interval * 1.5 ? ' (announces less often than asked: credit comes late or is lost on expiry)' : ''}`,
      ...s.notes.map((n) => `- note: ${mdText(n)}`),
    );
    if (s.anomalies.length === 0) lines.push('- anomalies: none');
    else {
      lines.push('- anomalies:');
      for (const f of s.anomalies) lines.push(`  - **${f.severity}** ${mdCode(f.code)}${f.announce === null ? '' : ` (announce #${f.announce + 1})`}: ${mdText(f.message)}`);
    }
    lines.push('');
    this.out.write(textLines(lines));
  }

  end(totals: RunTotals, result: ReplayResult): void {
    if (this.opts.announcesOnly) this.out.write('\n');
    const o = this.orphans;
    if (o.any) {
      this.out.write(textLines(['## Announces without a usable info_hash and peer_id (no session)', '', ...ANNOUNCE_HEAD]));
      this.held.writeTo(o.rows, this.out);
      this.out.write('\n');
      this.held.writeTo(o.requests, this.out);
      this.out.write('\n');
      if (o.anyWhy) {
        this.out.write('**Why**\n\n');
        this.held.writeTo(o.why, this.out);
        this.out.write('\n');
      }
    }
    this.held.close();
    const lines: string[] = [];
    if (!this.opts.announcesOnly && this.printed === 0 && result.sessions.length === 0) lines.push('No announces found.', '');
    lines.push(...inputs(totals), '', ...tables(result, this.clients, (h) => this.torrent(h)));
    this.out.write(lines.join('\n') + '\n');
  }
}

function inputs(totals: RunTotals): string[] {
  const lines = ['## What was read', ''];
  for (const i of totals.inputs) {
    const size = i.packets > 0 || !i.format.startsWith('log') ? `${grouped(i.packets)} packets` : `${grouped(i.lines)} lines`;
    lines.push(`- ${mdCode(sanitize(i.path))} (${mdText(i.format)}, ${bytesWithUnit(BigInt(i.bytes))}): ${size}, ${grouped(i.announces)} announces, ${grouped(i.scrapes)} scrapes, ${grouped(i.otherRequests)} other HTTP requests`);
    for (const [reason, n] of [...i.skipped].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) lines.push(`  - skipped ${grouped(n)} × ${mdText(reason)}`);
    for (const w of i.warnings) lines.push(`  - warning: ${mdText(w)}`);
    for (const n of i.notes) lines.push(`  - note: ${mdText(n)}`);
  }
  if (totals.proxyLegsMerged > 0) lines.push(`- ${grouped(totals.proxyLegsMerged)} proxy backend legs merged into the client's own request (each announce counted once)`);
  if (totals.lateRequests > 0) lines.push(`- warning: ${grouped(totals.lateRequests)} requests reached the replay after later ones (their reply came very late); they were replayed out of time order`);
  return lines;
}

function tables(result: ReplayResult, tally: ClientTally, torrent: (h: string) => string): string[] {
  const lines: string[] = [];
  if (result.users.length > 0) {
    lines.push('## Users (as the tracker credited them)', '', '| user | credited up | credited down | ratio | sessions | anomalies |', '|---|--:|--:|--:|--:|--:|');
    for (const u of result.users) {
      const ratio = u.credited.downloaded === 0n ? (u.credited.uploaded === 0n ? '—' : '∞') : (Number(u.credited.uploaded) / Number(u.credited.downloaded)).toFixed(2);
      lines.push(`| ${mdCode(sanitize(u.user), true)} | ${humanBytes(u.credited.uploaded)} | ${humanBytes(u.credited.downloaded)} | ${ratio} | ${u.sessions.length} | ${u.anomalies} |`);
    }
    lines.push('');
  }
  if (result.torrents.length > 0) {
    lines.push('## Torrents (as the tracker holds them at the end)', '', '| torrent | size | seeders | leechers | completed |', '|---|--:|--:|--:|--:|');
    for (const t of result.torrents) {
      const size = t.size === null ? 'unknown' : `${humanBytes(t.size)}${t.sizeSource === 'announces' ? ' (from announces)' : ''}`;
      lines.push(`| ${torrent(t.infoHash)} | ${size} | ${t.seeders} | ${t.leechers} | ${t.timesCompleted} |`);
    }
    lines.push('');
  }
  for (const s of result.sessions) tally.add(s);
  if (tally.byClient.size > 0) {
    lines.push('## Clients (which leave ghost peers)', '', '| client | sessions | missing stopped |', '|---|--:|--:|');
    for (const [name, c] of [...tally.byClient].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) lines.push(`| ${mdText(name)} | ${c.sessions} | ${c.missingStopped} |`);
    lines.push('');
  }
  return lines;
}

