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
import { announceOpening, writeAnnounce } from './announce-bytes.js';
import { FieldPieces, StatePairPieces } from './json-pieces.js';
import { ByteOut } from './byte-out.js';
import { writeMessage } from './form-bytes.js';
import { piece, type Piece } from './piece.js';
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

const SE_PEER_ID = piece(',"peerId":{"hex":');
const SE_TEXT = piece(',"text":');
const SE_CLIENT = piece(',"client":');
const SE_USER = piece('},"user":');
const SE_IP = piece(',"ip":');
const SE_PORT = piece(',"port":');
const SE_ANNOUNCES = piece(',"announces":[');
const SE_FINAL_STATE = piece('],"finalState":');
const SE_CREDITED = piece(',"credited":{"uploaded":');
const SE_DOWNLOADED = piece(',"downloaded":');
const SE_REPORTED = piece('},"reported":{"uploaded":');
const SE_ANOMALIES = piece('},"anomalies":[');
const SE_INDEX = piece('],"index":');
const SE_START = piece(',"start":');
const SE_END = piece(',"end":');
const SE_CADENCE = piece(',"cadence":{"medianGap":');
const SE_INTERVAL = piece(',"interval":');
const SE_DEAD_TIME = piece('},"deadTime":');
const SE_NOTES = piece(',"notes":');
const SA_REF = piece('{"ref":');
/** `},"state":{…},"anomalies":` */
const SA_STATES = new StatePairPieces('},"state":', ',"anomalies":');
/** `,"event":"started","applied":true,"time":` */
const SA_EVENT_APPLIED = new FieldPieces(',"event":', ',"applied":true,"time":');
const SA_EVENT_NOT_APPLIED = new FieldPieces(',"event":', ',"applied":false,"time":');
const F_CODE = piece('{"code":');
const F_SEVERITY = piece(',"severity":');
const F_ANNOUNCE = piece(',"announce":');
const F_MESSAGE = piece(',"message":');
const COMMA = piece(',');
const CLOSE = piece('}');

/**
 * What comes before a session (`,\n{` between two in a list, `{"kind":"session",` on a line of
 * its own) with the session's first key: the `opening` writeSession starts with.
 */
export function sessionOpening(before: string): Piece {
  return piece(`${before}"infoHash":`);
}

/**
 * A session as JSON: exactly the bytes of `stringify(sessionJson(s))` after what `opening`
 * (from sessionOpening) puts before it, written without the intermediate objects (one per
 * session and one per announce of it).
 */
export function writeSession(b: ByteOut, opening: Piece, s: Session): void {
  const p = s.peerId;
  b.put(opening); b.str(s.infoHash);
  b.put(SE_PEER_ID); b.str(p.hex);
  b.put(SE_TEXT); b.str(p.text);
  b.put(SE_CLIENT); b.strOrNull(p.client);
  b.put(SE_USER); b.str(s.user);
  b.put(SE_IP); b.str(s.ip);
  b.put(SE_PORT); b.numOrNull(s.port);
  b.put(SE_ANNOUNCES);
  for (let i = 0; i < s.announces.length; i++) {
    const x = s.announces[i]!;
    if (i > 0) b.put(COMMA);
    b.put(SA_REF); b.num(x.ref);
    b.put(SE_CREDITED); b.counter(x.credited.uploaded);
    b.put(SE_DOWNLOADED); b.counter(x.credited.downloaded);
    b.put(SA_STATES.of(x.state.before, x.state.after)); b.strList(x.anomalies);
    b.put((x.applied ? SA_EVENT_APPLIED : SA_EVENT_NOT_APPLIED).of(x.event)); b.iso(x.ts);
    b.put(CLOSE);
  }
  b.put(SE_FINAL_STATE); b.str(s.finalState);
  b.put(SE_CREDITED); b.counter(s.credited.uploaded);
  b.put(SE_DOWNLOADED); b.counter(s.credited.downloaded);
  b.put(SE_REPORTED); b.counter(s.reported.uploaded);
  b.put(SE_DOWNLOADED); b.counter(s.reported.downloaded);
  b.put(SE_ANOMALIES);
  for (let i = 0; i < s.anomalies.length; i++) {
    const f = s.anomalies[i]!;
    if (i > 0) b.put(COMMA);
    b.put(F_CODE); b.str(f.code);
    b.put(F_SEVERITY); b.str(f.severity);
    b.put(F_ANNOUNCE); b.numOrNull(f.announce);
    b.put(F_MESSAGE); writeMessage(b, f);
    b.put(CLOSE);
  }
  b.put(SE_INDEX); b.num(s.index);
  b.put(SE_START); b.iso(s.start);
  b.put(SE_END); b.iso(s.end);
  b.put(SE_CADENCE); b.numOrNull(s.cadence.medianGap);
  b.put(SE_INTERVAL); b.numOrNull(s.cadence.interval);
  b.put(SE_DEAD_TIME); b.numOrNull(s.deadTime);
  b.put(SE_NOTES); b.strList(s.notes);
  b.put(CLOSE);
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

const U_USER = piece('{"user":');
const U_CREDITED = piece(',"credited":{"uploaded":');
const U_SESSIONS = piece('},"sessions":[');
const U_ANOMALIES = piece('],"anomalies":');

/** A user as JSON: exactly the bytes of `stringify(userJson(u))`. */
export function writeUser(b: ByteOut, u: UserSummary): void {
  b.put(U_USER); b.str(u.user);
  b.put(U_CREDITED); b.counter(u.credited.uploaded);
  b.put(SE_DOWNLOADED); b.counter(u.credited.downloaded);
  b.put(U_SESSIONS);
  for (let i = 0; i < u.sessions.length; i++) {
    if (i > 0) b.put(COMMA);
    b.num(u.sessions[i]!);
  }
  b.put(U_ANOMALIES); b.num(u.anomalies);
  b.put(CLOSE);
}

const T_INFO_HASH = piece('{"infoHash":');
const T_SEEDERS = piece(',"seeders":');
const T_LEECHERS = piece(',"leechers":');
const T_COMPLETED = piece(',"timesCompleted":');
const T_SIZE = piece(',"size":');
const T_SIZE_SOURCE = piece(',"sizeSource":');

/** A torrent as JSON: exactly the bytes of `stringify(torrentJson(t))`. */
export function writeTorrent(b: ByteOut, t: TorrentSummary): void {
  b.put(T_INFO_HASH); b.str(t.infoHash);
  b.put(T_SEEDERS); b.num(t.seeders);
  b.put(T_LEECHERS); b.num(t.leechers);
  b.put(T_COMPLETED); b.num(t.timesCompleted);
  b.put(T_SIZE); b.counter(t.size);
  b.put(T_SIZE_SOURCE); b.str(t.sizeSource);
  b.put(CLOSE);
}

/** Writes `,"key":[` + each item + `]` as the json document lays out a non-empty list, else `,"key":[]`. */
function writeList<T>(b: ByteOut, key: string, items: readonly T[], write: (x: T) => void): void {
  if (items.length === 0) return b.text(`,${JSON.stringify(key)}:[]`);
  b.text(`,${JSON.stringify(key)}:[\n`);
  for (let i = 0; i < items.length; i++) {
    if (i > 0) b.put(NEXT);
    write(items[i]!);
  }
  b.text('\n]');
}

const NEXT = piece(',\n');
const FIRST_ANNOUNCE = announceOpening('\n{');
const NEXT_ANNOUNCE = announceOpening(',\n{');
const FIRST_SESSION = sessionOpening('{');
const NEXT_SESSION = sessionOpening(',\n{');

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
    writeAnnounce(this.b, this.first ? FIRST_ANNOUNCE : NEXT_ANNOUNCE, a, step, this.peerList);
    this.first = false;
  }

  scrape(_s: Scrape): void {}
  sessionClosed(s: Session): void {
    if (isFilteredOut(s)) return;
    this.addSession(s);
  }

  private addSession(s: Session): void {
    writeSession(this.sessions.out, this.sessions.count++ > 0 ? NEXT_SESSION : FIRST_SESSION, s);
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
