/**
 * `--format json`: one JSON document, streamed. Announces are written as they are replayed (one
 * per line, so a diff of two runs reads well); sessions, users, torrents and inputs follow at the end.
 * Key order differs from the contract's listing where streaming needs it; JSON objects are unordered.
 */
import type { Announce, Scrape } from '../announce/types.js';
import type { ReplayResult, Session } from '../tracker/types.js';
import type { InputSummary } from '../pipeline/summary.js';
import type { Output, ReportWriter, RunTotals } from './writer.js';
import { announceLine, statePairJson, stringify } from './announce-json.js';
import { isoTime, jsonCounter } from '../format/units.js';
import { Spool } from './spool.js';
import { isFilteredOut } from './filter.js';

export const SCHEMA_VERSION = 1;

/** A session as JSON (the contract's fields, then extras). */
export function sessionJson(s: Session): Record<string, unknown> {
  return {
    infoHash: s.infoHash, peerId: s.peerId, user: s.user, ip: s.ip, port: s.port,
    announces: s.announces.map((x) => ({
      ref: x.ref,
      credited: { uploaded: jsonCounter(x.credited.uploaded), downloaded: jsonCounter(x.credited.downloaded) },
      state: x.state, anomalies: x.anomalies, event: x.event, applied: x.applied, time: isoTime(x.ts),
    })),
    finalState: s.finalState,
    credited: { uploaded: jsonCounter(s.credited.uploaded), downloaded: jsonCounter(s.credited.downloaded) },
    reported: { uploaded: jsonCounter(s.reported.uploaded), downloaded: jsonCounter(s.reported.downloaded) },
    anomalies: s.anomalies.map((f) => ({ code: f.code, severity: f.severity, announce: f.announce, message: f.message })),
    index: s.index, start: isoTime(s.start), end: isoTime(s.end), cadence: s.cadence, deadTime: s.deadTime, notes: s.notes,
  };
}

const jstr = JSON.stringify as (s: string) => string;

function counter(n: bigint): string {
  return n <= 9007199254740991n && n >= -9007199254740991n ? String(Number(n)) : jstr(n.toString());
}

function num(n: number | null): string {
  return n === null || !Number.isFinite(n) ? 'null' : String(n);
}

function strList(xs: readonly string[]): string {
  if (xs.length === 0) return '[]';
  let s = '[' + jstr(xs[0]!);
  for (let i = 1; i < xs.length; i++) s += ',' + jstr(xs[i]!);
  return s + ']';
}

/**
 * A session as a JSON text: exactly `stringify(sessionJson(s))`, built without the intermediate
 * objects (one per session and one per announce of it).
 */
export function sessionLine(s: Session): string {
  let announces = '[';
  for (let i = 0; i < s.announces.length; i++) {
    const x = s.announces[i]!;
    announces +=
      `${i === 0 ? '' : ','}{"ref":${num(x.ref)},"credited":{"uploaded":${counter(x.credited.uploaded)},"downloaded":${counter(x.credited.downloaded)}}` +
      `,"state":${statePairJson(x.state.before, x.state.after)},"anomalies":${strList(x.anomalies)}` +
      `,"event":${x.event === null ? 'null' : jstr(x.event)},"applied":${x.applied},"time":"${isoTime(x.ts)}"}`;
  }
  let anomalies = '[';
  for (let i = 0; i < s.anomalies.length; i++) {
    const f = s.anomalies[i]!;
    anomalies += `${i === 0 ? '' : ','}{"code":${jstr(f.code)},"severity":${jstr(f.severity)},"announce":${num(f.announce)},"message":${jstr(f.message)}}`;
  }
  const p = s.peerId;
  return (
    `{"infoHash":${jstr(s.infoHash)},"peerId":{"hex":${jstr(p.hex)},"text":${jstr(p.text)},"client":${p.client === null ? 'null' : jstr(p.client)}}` +
    `,"user":${jstr(s.user)},"ip":${jstr(s.ip)},"port":${num(s.port)},"announces":${announces}]` +
    `,"finalState":${jstr(s.finalState)}` +
    `,"credited":{"uploaded":${counter(s.credited.uploaded)},"downloaded":${counter(s.credited.downloaded)}}` +
    `,"reported":{"uploaded":${counter(s.reported.uploaded)},"downloaded":${counter(s.reported.downloaded)}}` +
    `,"anomalies":${anomalies}],"index":${num(s.index)},"start":"${isoTime(s.start)}","end":"${isoTime(s.end)}"` +
    `,"cadence":{"medianGap":${num(s.cadence.medianGap)},"interval":${num(s.cadence.interval)}},"deadTime":${num(s.deadTime)}` +
    `,"notes":${strList(s.notes)}}`
  );
}

/** An input's summary as JSON. */
export function inputJson(i: InputSummary): Record<string, unknown> {
  return {
    path: i.path, format: i.format, packets: i.packets, lines: i.lines, bytes: i.bytes,
    announces: i.announces, scrapes: i.scrapes, otherRequests: i.otherRequests,
    skipped: Object.fromEntries([...i.skipped].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    warnings: i.warnings, notes: i.notes,
    stats: Object.fromEntries([...i.stats].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  };
}

/** The end-of-run part of the document, shared by json and the check command. */
export function resultJson(totals: RunTotals, result: ReplayResult): Record<string, unknown> {
  return {
    inputs: totals.inputs.map(inputJson),
    sessions: result.sessions.map(sessionJson),
    users: result.users.map((u) => ({
      user: u.user,
      credited: { uploaded: jsonCounter(u.credited.uploaded), downloaded: jsonCounter(u.credited.downloaded) },
      sessions: u.sessions, anomalies: u.anomalies,
    })),
    torrents: result.torrents.map((t) => ({
      infoHash: t.infoHash, seeders: t.seeders, leechers: t.leechers, timesCompleted: t.timesCompleted,
      size: jsonCounter(t.size), sizeSource: t.sizeSource,
    })),
    rules: result.rules,
    proxyLegsMerged: totals.proxyLegsMerged,
    lateRequests: totals.lateRequests,
  };
}

export class JsonWriter implements ReportWriter {
  private first = true;
  /** Sessions are written after the announces; they wait here (spilling to disk when many). */
  private readonly sessions = new Spool();
  constructor(private readonly out: Output, private readonly peerList = false) {}

  begin(_inputs: readonly string[], rules: string): void {
    this.out.write(`{"schemaVersion":${SCHEMA_VERSION},"rules":${JSON.stringify(rules)},"announces":[`);
  }

  announce(a: Announce, _ref: number, step: import('../tracker/types.js').TrackerStep): void {
    this.out.write((this.first ? '\n' : ',\n') + announceLine(a, step, this.peerList));
    this.first = false;
  }

  scrape(_s: Scrape): void {}
  sessionClosed(s: Session): void {
    if (isFilteredOut(s)) return;
    this.sessions.add(sessionLine(s));
  }

  end(totals: RunTotals, result: ReplayResult): void {
    const rest = resultJson(totals, result);
    let text = '\n]';
    // sessions handed over by the replay as they closed, then any it still held
    for (const s of result.sessions) this.sessions.add(sessionLine(s));
    if (this.sessions.count > 0) {
      this.out.write(text + ',"sessions":[\n');
      this.sessions.drain((t) => this.out.write(t), ',\n');
      text = '\n]';
    } else text += ',"sessions":[]';
    for (const [k, v] of Object.entries(rest)) {
      if (k === 'rules' || k === 'sessions') continue;
      if (Array.isArray(v) && v.length > 0) text += `,${JSON.stringify(k)}:[\n` + v.map((x) => stringify(x)).join(',\n') + '\n]';
      else text += `,${JSON.stringify(k)}:${stringify(v)}`;
    }
    this.out.write(text + '}\n');
  }
}
