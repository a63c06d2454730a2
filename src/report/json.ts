/**
 * `--format json`: one JSON document, streamed. Announces are written as they are replayed (one
 * per line, so a diff of two runs reads well); sessions, users, torrents and inputs follow at the end.
 * Key order differs from the contract's listing where streaming needs it; JSON objects are unordered.
 */
import type { Announce, Scrape } from '../announce/types.js';
import type { ReplayResult, Session, TorrentSummary, UserSummary } from '../tracker/types.js';
import type { InputSummary } from '../pipeline/summary.js';
import type { Output, ReportWriter, RunTotals } from './writer.js';
import { stringify } from './announce-json.js';
import { writeAnnounce } from './announce-bytes.js';
import { FieldPieces, StatePairPieces } from './json-pieces.js';
import { ascii, ByteOut } from './byte-out.js';
import { StringDecoder } from 'node:string_decoder';
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

const SE_INFO_HASH = ascii('"infoHash":');
const SE_PEER_ID = ascii(',"peerId":{"hex":');
const SE_TEXT = ascii(',"text":');
const SE_CLIENT = ascii(',"client":');
const SE_USER = ascii('},"user":');
const SE_IP = ascii(',"ip":');
const SE_PORT = ascii(',"port":');
const SE_ANNOUNCES = ascii(',"announces":[');
const SE_FINAL_STATE = ascii('],"finalState":');
const SE_CREDITED = ascii(',"credited":{"uploaded":');
const SE_DOWNLOADED = ascii(',"downloaded":');
const SE_REPORTED = ascii('},"reported":{"uploaded":');
const SE_ANOMALIES = ascii('},"anomalies":[');
const SE_INDEX = ascii('],"index":');
const SE_START = ascii(',"start":');
const SE_END = ascii(',"end":');
const SE_CADENCE = ascii(',"cadence":{"medianGap":');
const SE_INTERVAL = ascii(',"interval":');
const SE_DEAD_TIME = ascii('},"deadTime":');
const SE_NOTES = ascii(',"notes":');
const SA_REF = ascii('{"ref":');
/** `},"state":{…},"anomalies":` */
const SA_STATES = new StatePairPieces('},"state":', ',"anomalies":');
/** `,"event":"started","applied":true,"time":` */
const SA_EVENT_APPLIED = new FieldPieces(',"event":', ',"applied":true,"time":');
const SA_EVENT_NOT_APPLIED = new FieldPieces(',"event":', ',"applied":false,"time":');
const F_CODE = ascii('{"code":');
const F_SEVERITY = ascii(',"severity":');
const F_ANNOUNCE = ascii(',"announce":');
const F_MESSAGE = ascii(',"message":');
const COMMA = ascii(',');
const CLOSE = ascii('}');

/**
 * A session as JSON: exactly the bytes of `stringify(sessionJson(s))` after `head` (which opens
 * the object: `{` or `{"kind":"session",`), written without the intermediate objects (one per
 * session and one per announce of it).
 */
export function writeSession(b: ByteOut, head: Uint8Array, s: Session): void {
  const p = s.peerId;
  b.raw(head);
  b.raw(SE_INFO_HASH); b.str(s.infoHash);
  b.raw(SE_PEER_ID); b.str(p.hex);
  b.raw(SE_TEXT); b.str(p.text);
  b.raw(SE_CLIENT); b.strOrNull(p.client);
  b.raw(SE_USER); b.str(s.user);
  b.raw(SE_IP); b.str(s.ip);
  b.raw(SE_PORT); b.numOrNull(s.port);
  b.raw(SE_ANNOUNCES);
  for (let i = 0; i < s.announces.length; i++) {
    const x = s.announces[i]!;
    if (i > 0) b.raw(COMMA);
    b.raw(SA_REF); b.num(x.ref);
    b.raw(SE_CREDITED); b.counter(x.credited.uploaded);
    b.raw(SE_DOWNLOADED); b.counter(x.credited.downloaded);
    b.raw(SA_STATES.of(x.state.before, x.state.after)); b.strList(x.anomalies);
    b.raw((x.applied ? SA_EVENT_APPLIED : SA_EVENT_NOT_APPLIED).of(x.event)); b.iso(x.ts);
    b.raw(CLOSE);
  }
  b.raw(SE_FINAL_STATE); b.str(s.finalState);
  b.raw(SE_CREDITED); b.counter(s.credited.uploaded);
  b.raw(SE_DOWNLOADED); b.counter(s.credited.downloaded);
  b.raw(SE_REPORTED); b.counter(s.reported.uploaded);
  b.raw(SE_DOWNLOADED); b.counter(s.reported.downloaded);
  b.raw(SE_ANOMALIES);
  for (let i = 0; i < s.anomalies.length; i++) {
    const f = s.anomalies[i]!;
    if (i > 0) b.raw(COMMA);
    b.raw(F_CODE); b.str(f.code);
    b.raw(F_SEVERITY); b.str(f.severity);
    b.raw(F_ANNOUNCE); b.numOrNull(f.announce);
    b.raw(F_MESSAGE); b.str(f.message);
    b.raw(CLOSE);
  }
  b.raw(SE_INDEX); b.num(s.index);
  b.raw(SE_START); b.iso(s.start);
  b.raw(SE_END); b.iso(s.end);
  b.raw(SE_CADENCE); b.numOrNull(s.cadence.medianGap);
  b.raw(SE_INTERVAL); b.numOrNull(s.cadence.interval);
  b.raw(SE_DEAD_TIME); b.numOrNull(s.deadTime);
  b.raw(SE_NOTES); b.strList(s.notes);
  b.raw(CLOSE);
}

/**
 * The output's byte buffer, or (for an output without one) a buffer that hands its bytes over as
 * text; a character cut across two hand-overs is kept until its last byte comes.
 */
export function bytesOf(out: Output): ByteOut {
  if (out.bytes !== undefined) return out.bytes;
  const decoder = new StringDecoder('utf8');
  return new ByteOut((bytes) => out.write(decoder.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length))));
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

/** A user's totals as JSON. */
export function userJson(u: UserSummary): Record<string, unknown> {
  return {
    user: u.user,
    credited: { uploaded: jsonCounter(u.credited.uploaded), downloaded: jsonCounter(u.credited.downloaded) },
    sessions: u.sessions, anomalies: u.anomalies,
  };
}

/** A torrent's end state as JSON. */
export function torrentJson(t: TorrentSummary): Record<string, unknown> {
  return {
    infoHash: t.infoHash, seeders: t.seeders, leechers: t.leechers, timesCompleted: t.timesCompleted,
    size: jsonCounter(t.size), sizeSource: t.sizeSource,
  };
}

/**
 * The end-of-run part of the document, shared by json and the check command. `streamed`: the
 * writer writes sessions, users and torrents itself (straight to bytes); their lists stay empty.
 */
export function resultJson(totals: RunTotals, result: ReplayResult, streamed = false): Record<string, unknown> {
  return {
    inputs: totals.inputs.map(inputJson),
    sessions: streamed ? [] : result.sessions.map(sessionJson),
    users: streamed ? [] : result.users.map(userJson),
    torrents: streamed ? [] : result.torrents.map(torrentJson),
    rules: result.rules,
    proxyLegsMerged: totals.proxyLegsMerged,
    lateRequests: totals.lateRequests,
  };
}

const U_USER = ascii('{"user":');
const U_CREDITED = ascii(',"credited":{"uploaded":');
const U_SESSIONS = ascii('},"sessions":[');
const U_ANOMALIES = ascii('],"anomalies":');

/** A user as JSON: exactly the bytes of `stringify(userJson(u))`. */
export function writeUser(b: ByteOut, u: UserSummary): void {
  b.raw(U_USER); b.str(u.user);
  b.raw(U_CREDITED); b.counter(u.credited.uploaded);
  b.raw(SE_DOWNLOADED); b.counter(u.credited.downloaded);
  b.raw(U_SESSIONS);
  for (let i = 0; i < u.sessions.length; i++) {
    if (i > 0) b.raw(COMMA);
    b.num(u.sessions[i]!);
  }
  b.raw(U_ANOMALIES); b.num(u.anomalies);
  b.raw(CLOSE);
}

const T_INFO_HASH = ascii('{"infoHash":');
const T_SEEDERS = ascii(',"seeders":');
const T_LEECHERS = ascii(',"leechers":');
const T_COMPLETED = ascii(',"timesCompleted":');
const T_SIZE = ascii(',"size":');
const T_SIZE_SOURCE = ascii(',"sizeSource":');

/** A torrent as JSON: exactly the bytes of `stringify(torrentJson(t))`. */
export function writeTorrent(b: ByteOut, t: TorrentSummary): void {
  b.raw(T_INFO_HASH); b.str(t.infoHash);
  b.raw(T_SEEDERS); b.num(t.seeders);
  b.raw(T_LEECHERS); b.num(t.leechers);
  b.raw(T_COMPLETED); b.num(t.timesCompleted);
  b.raw(T_SIZE); b.counter(t.size);
  b.raw(T_SIZE_SOURCE); b.str(t.sizeSource);
  b.raw(CLOSE);
}

/** Writes `,"key":[` + each item + `]` as the json document lays out a non-empty list, else `,"key":[]`. */
function writeList<T>(b: ByteOut, key: string, items: readonly T[], write: (x: T) => void): void {
  if (items.length === 0) return b.text(`,${JSON.stringify(key)}:[]`);
  b.text(`,${JSON.stringify(key)}:[\n`);
  for (let i = 0; i < items.length; i++) {
    if (i > 0) b.raw(NEXT);
    write(items[i]!);
  }
  b.text('\n]');
}

const OPEN = ascii('{');
const FIRST = ascii('\n');
const NEXT = ascii(',\n');

export class JsonWriter implements ReportWriter {
  private first = true;
  private readonly b: ByteOut;
  /** Sessions are written after the announces; they wait here (spilling to disk when many). */
  private readonly sessions = new Spool();
  constructor(out: Output, private readonly peerList = false) {
    this.b = bytesOf(out);
  }

  begin(_inputs: readonly string[], rules: string): void {
    this.b.text(`{"schemaVersion":${SCHEMA_VERSION},"rules":${JSON.stringify(rules)},"announces":[`);
  }

  announce(a: Announce, _ref: number, step: import('../tracker/types.js').TrackerStep): void {
    this.b.raw(this.first ? FIRST : NEXT);
    writeAnnounce(this.b, OPEN, a, step, this.peerList);
    this.first = false;
  }

  scrape(_s: Scrape): void {}
  sessionClosed(s: Session): void {
    if (isFilteredOut(s)) return;
    this.addSession(s);
  }

  private addSession(s: Session): void {
    if (this.sessions.count++ > 0) this.sessions.out.raw(NEXT);
    writeSession(this.sessions.out, OPEN, s);
  }

  end(totals: RunTotals, result: ReplayResult): void {
    const rest = resultJson(totals, result, true);
    let text = '\n]';
    // sessions handed over by the replay as they closed, then any it still held
    for (const s of result.sessions) this.addSession(s);
    if (this.sessions.count > 0) {
      this.b.text(text + ',"sessions":[\n');
      this.sessions.drain(this.b);
      text = '\n]';
    } else text += ',"sessions":[]';
    this.b.text(text);
    const b = this.b;
    for (const [k, v] of Object.entries(rest)) {
      if (k === 'rules' || k === 'sessions') continue;
      if (k === 'users') writeList(b, k, result.users, (u) => writeUser(b, u));
      else if (k === 'torrents') writeList(b, k, result.torrents, (t) => writeTorrent(b, t));
      else if (Array.isArray(v)) writeList(b, k, v, (x) => b.text(stringify(x)));
      else b.text(`,${JSON.stringify(k)}:${stringify(v)}`);
    }
    b.text('}\n');
    this.b.flush();
  }
}
