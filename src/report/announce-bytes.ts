/**
 * The same announce as JSON bytes, written straight into the output buffer: the report's hot
 * path. Byte-identical to stringify(announceJson(...)) (same keys, same order, JSON.stringify's
 * escaping and number text), without the intermediate objects or strings. Anything unusual
 * falls back to the object path.
 */
import type { Announce, QueryParam, TrackerReply } from '../announce/types.js';
import { findParam } from '../announce/params.js';
import { escapeBytes } from '../announce/peer-id.js';
import type { TrackerStep } from '../tracker/types.js';
import { jsonCounter } from '../format/units.js';
import type { ByteOut } from './byte-out.js';
import { piece, type Piece } from './piece.js';
import { PeerTexts, peerIdTexts } from './peer-texts.js';
import { FieldPieces, StatePairPieces } from './json-pieces.js';
import { latin1ToSafe, paramJsonValue, stringify } from './announce-json.js';
import { writeMessage, writeNotes } from './form-bytes.js';


/** Any scalar as JSON.stringify (through `stringify`) would write it; bigint as jsonCounter. */
function sv(b: ByteOut, x: unknown): void {
  switch (typeof x) {
    case 'number': return b.num(x);
    case 'string': return b.str(x);
    case 'boolean': return b.bool(x);
    case 'bigint': return b.counter(x);
    default: return x === null ? b.put(NULL) : b.text(stringify(x));
  }
}

const NULL = piece('null');

/** Peer ids' texts; `peers` holds the current announce's after `peerText` said it found them. */
const peers = new PeerTexts();

/** Finds the texts of the announce's peer_id; false when it has none or the peer_id is too long to keep. */
function peerText(id: Uint8Array | null): boolean {
  return id !== null && peers.find(id);
}

/** JSON of escapeBytes(bytes): the bytes themselves when nothing needs escaping. */
function escapedBytes(b: ByteOut, bytes: Uint8Array): void {
  if (!b.plainBytes(bytes)) b.str(escapeBytes(bytes));
}

/** How a parameter's value is written (paramJsonValue's cases by the parameter's type). */
const enum ValueKind { Text, Hex, PeerId, Number }

/** What writing a parameter needs per name, made once: every announce repeats the same dozen names. */
interface ParamKey {
  /** `"name":` */
  readonly first: Piece;
  /** `,"name":` */
  readonly next: Piece;
  readonly kind: ValueKind;
  /** False for names a JS object would reorder or treat specially (integer-like, __proto__). */
  readonly direct: boolean;
  /** The last announce (its paramsStamp) that had this name: a second sighting is a duplicate. */
  seen: number;
}
const paramKeys = new Map<string, ParamKey>();
function paramKey(name: string): ParamKey {
  let k = paramKeys.get(name);
  if (k === undefined) {
    const info = findParam(name);
    const key = JSON.stringify(name) + ':';
    const c = name.charCodeAt(0);
    const kind = info?.type === 'bytes20' ? (info.name === 'peer_id' ? ValueKind.PeerId : ValueKind.Hex)
      : info?.type === 'counter' || info?.type === 'int' || info?.type === 'uint16' ? ValueKind.Number : ValueKind.Text;
    k = { first: piece(key), next: piece(',' + key), kind, direct: !(c >= 0x30 && c <= 0x39) && name !== '__proto__', seen: 0 };
    paramKeys.set(name, k);
  }
  return k;
}
let paramsStamp = 0;
/** The current announce's keys, in order (reused). */
const keys: ParamKey[] = [];

/** paramJsonValue's JSON; the announce's own peer_id (the same array) has its text cached when `known`. */
function paramValue(b: ByteOut, key: ParamKey, p: QueryParam, peer: Uint8Array | null, known: boolean): void {
  switch (key.kind) {
    case ValueKind.Hex:
      return b.hex(p.bytes);
    case ValueKind.PeerId:
      if (p.bytes === peer && known) return b.putFrom(peers.view, peers.paramAt, peers.paramLength);
      return escapedBytes(b, p.bytes);
    case ValueKind.Number:
      // the usual value is its own JSON: digits without a leading zero
      if (!b.plainDigits(p.bytes)) sv(b, paramJsonValue(p));
      return;
    default:
      return escapedBytes(b, p.bytes);
  }
}

/** The params object as JSON; names that JS objects would reorder or drop take the object path. */
function paramsJson(b: ByteOut, params: readonly QueryParam[], peer: Uint8Array | null, known: boolean): void {
  // bounded (names are whatever clients send); never cleared during the loop, where a fresh key
  // object for a repeated name would hide the duplicate
  if (paramKeys.size + params.length > 4096) paramKeys.clear();
  const stamp = ++paramsStamp;
  keys.length = params.length;
  for (let i = 0; i < params.length; i++) {
    const k = paramKey(params[i]!.name);
    // duplicates keep the first position in a JS object: the object path says what that writes
    if (!k.direct || k.seen === stamp) return paramsViaObject(b, params);
    k.seen = stamp;
    keys[i] = k;
  }
  b.put(OPEN);
  for (let i = 0; i < params.length; i++) {
    const key = keys[i]!;
    b.put(i === 0 ? key.first : key.next);
    paramValue(b, key, params[i]!, peer, known);
  }
  b.put(CLOSE);
}

function paramsViaObject(b: ByteOut, params: readonly QueryParam[]): void {
  const o: Record<string, unknown> = {};
  for (const p of params) o[p.name] = paramJsonValue(p);
  b.text(stringify(o));
}

const OPEN = piece('{');
const CLOSE = piece('}');
const CLOSE_LIST = piece(']');
const COMMA = piece(',');

const R_INCOMPLETE = piece(',"incomplete":');
const R_DOWNLOADED = piece(',"downloaded":');
const R_PEERS = piece(',"peers":');
const R_FAILURE = piece(',"failure":');
const R_WARNING = piece(',"warning":');
const R_TRACKER_ID = piece(',"trackerId":');
const R_EXTERNAL_IP = piece(',"externalIp":');
const R_PEER_FORMS = piece(',"peerForms":');
const R_PROBLEMS = piece(',"problems":');
const R_PEER_LIST = piece(',"peerList":[');
const P_IP = piece('{"ip":');
const P_PORT = piece(',"port":');

/**
 * The reply's usual ending from `failure` on, one piece: no failure, warning, tracker id or
 * external ip, compact peers only, no problems (most replies of a capture).
 */
const R_USUAL_TAIL = piece(',"failure":null,"warning":null,"trackerId":null,"externalIp":null,"peerForms":["compact"],"problems":[]}');

/** `{"status":…,"interval":…,"minInterval":…,"complete":` of the last reply: a tracker repeats them. */
let replyHeadOf: readonly [unknown, unknown, unknown] = [NaN, NaN, NaN];
let replyHead = piece('');

function replyText(b: ByteOut, r: TrackerReply | null, peerList: boolean): void {
  if (r === null) return b.put(NULL);
  const h = replyHeadOf;
  if (r.status !== h[0] || r.interval !== h[1] || r.minInterval !== h[2]) {
    replyHeadOf = [r.status, r.interval, r.minInterval];
    replyHead = piece(`{"status":${stringify(r.status)},"interval":${stringify(r.interval)},"minInterval":${stringify(r.minInterval)},"complete":`);
  }
  b.put(replyHead); b.numOrNull(r.complete);
  b.put(R_INCOMPLETE); b.numOrNull(r.incomplete);
  b.put(R_DOWNLOADED); b.numOrNull(r.downloaded);
  b.put(R_PEERS); b.num(r.peerCount ?? r.peers.length);
  if (
    !peerList && r.failure === null && r.warning === null && r.trackerId === null && r.externalIp === null &&
    r.problems.length === 0 && r.peerForms.length === 1 && r.peerForms[0] === 'compact'
  ) return b.put(R_USUAL_TAIL);
  b.put(R_FAILURE); b.strOrNull(r.failure);
  b.put(R_WARNING); b.strOrNull(r.warning);
  b.put(R_TRACKER_ID); b.strOrNull(r.trackerId);
  b.put(R_EXTERNAL_IP); b.strOrNull(r.externalIp);
  b.put(R_PEER_FORMS); b.strList(r.peerForms);
  b.put(R_PROBLEMS); b.strList(r.problems);
  if (peerList) {
    b.put(R_PEER_LIST);
    for (let i = 0; i < r.peers.length; i++) {
      const p = r.peers[i]!;
      if (i > 0) b.put(COMMA);
      b.put(P_IP); b.str(p.ip);
      b.put(P_PORT); b.num(p.port);
      b.put(CLOSE);
    }
    b.put(CLOSE_LIST);
  }
  b.put(CLOSE);
}

const S_SESSION = piece(',"session":');
const S_USER = piece(',"user":');
const S_CREDITED = piece(',"credited":{"uploaded":');
const S_DOWNLOADED = piece(',"downloaded":');
/** `},"state":{…},"totals":{"uploaded":` */
const STEP_STATES = new StatePairPieces('},"state":', ',"totals":{"uploaded":');
const S_SWARM = piece('},"swarm":{"seeders":');
const S_LEECHERS = piece(',"leechers":');
const S_APPLIED = piece('},"applied":');
const S_FAILURE = piece(',"failure":');
const S_PREDICTED = piece(',"predicted":');
const S_ANOMALIES = piece(',"anomalies":[');
const S_NOTES = piece('],"notes":');
/** An applied step's usual ending up to the notes, one piece: no failure, no prediction, no findings. */
const S_USUAL_TAIL = piece('},"applied":true,"failure":null,"predicted":null,"anomalies":[],"notes":');
const F_CODE = piece('{"code":');
const F_SEVERITY = piece(',"severity":');
const F_MESSAGE = piece(',"message":');

/** The replay step as JSON after its `{"ref":` and up to its closing brace. */
function stepText(b: ByteOut, step: TrackerStep): void {
  b.num(step.ref);
  b.put(S_SESSION); b.numOrNull(step.session);
  b.put(S_USER); b.str(step.user);
  b.put(S_CREDITED); b.counter(step.credited.uploaded);
  b.put(S_DOWNLOADED); b.counter(step.credited.downloaded);
  b.put(STEP_STATES.of(step.before, step.after)); b.counter(step.totals.uploaded);
  b.put(S_DOWNLOADED); b.counter(step.totals.downloaded);
  b.put(S_SWARM); b.num(step.swarm.seeders);
  b.put(S_LEECHERS); b.num(step.swarm.leechers);
  if (step.applied && step.failure === null && step.predicted === null && step.findings.length === 0) {
    b.put(S_USUAL_TAIL); notesJson(b, step);
    return;
  }
  b.put(S_APPLIED); b.bool(step.applied);
  b.put(S_FAILURE); b.strOrNull(step.failure);
  b.put(S_PREDICTED); b.strOrNull(step.predicted);
  b.put(S_ANOMALIES);
  for (let i = 0; i < step.findings.length; i++) {
    const f = step.findings[i]!;
    if (i > 0) b.put(COMMA);
    b.put(F_CODE); b.str(f.code);
    b.put(F_SEVERITY); b.str(f.severity);
    b.put(F_MESSAGE); writeMessage(b, f);
    b.put(CLOSE);
  }
  b.put(S_NOTES); notesJson(b, step);
}

/** The step's notes as JSON: from the replay's forms when it kept them. */
function notesJson(b: ByteOut, step: TrackerStep): void {
  if (step.noteTexts !== undefined) writeNotes(b, step.noteTexts);
  else b.strList(step.notes);
}

const A_CLIENT = piece('","client":{"ip":');
const A_NO_PEER_ID = piece(',"peerId":null,"port":');
const A_UPLOADED = piece(',"uploaded":');
const A_LEFT = piece(',"left":');
/** `,"event":"started","numwant":` */
const EVENT = new FieldPieces(',"event":', ',"numwant":');
const A_KEY = piece(',"key":');
const A_PASSKEY = piece(',"passkey":');
const A_PARAMS = piece(',"params":');
const A_NO_PASSKEY = piece(',"passkey":null,"params":');
const A_ERRORS = piece(',"errors":');
const A_RESPONSE = piece(',"response":');
/** A valid announce decoded without problems: `errors` to `response` in one piece. */
const A_CLEAN = piece(',"errors":[],"problems":[],"response":');
/** `,"transport":"http","forwardedFor":null,"userAgent":` (no proxy header, the usual case) */
const TRANSPORT_DIRECT = new FieldPieces(',"transport":', ',"forwardedFor":null,"userAgent":');
const TRANSPORT = new FieldPieces(',"transport":', ',"forwardedFor":');
const A_USER_AGENT = piece(',"userAgent":');
/** `,"httpVersion":"HTTP/1.1","target":` */
const HTTP_VERSION = new FieldPieces(',"httpVersion":', ',"target":');
const A_MERGED = piece(',"proxyMerged":true,"timeNs":');
const A_NOT_MERGED = piece(',"proxyMerged":false,"timeNs":');
const A_INFO_HASH_HEX = piece(',"infoHashHex":');
const A_REPLAY = piece(',"replay":{"ref":');
/** The end of the replay step and of the announce. */
const CLOSE_TWO = piece('}}');
const QUOTE = piece('"');

/**
 * `,"source":"capture.pcap#` of the last input name and kind of position (every announce of an
 * input repeats it): the JSON text of sourceOf(origin) up to its number.
 */
let sourceFile = '';
let sourceBy: 'packet' | 'line' | 'none' = 'none';
let sourceText = piece('');

/** `,"source":…` and `,"client":{"ip":` as JSON. */
function sourceJson(b: ByteOut, origin: Announce['origin']): void {
  const by = origin.packet !== null ? 'packet' : origin.line !== null ? 'line' : 'none';
  if (origin.file !== sourceFile || by !== sourceBy) {
    const t = JSON.stringify(origin.file === '-' ? 'stdin' : origin.file);
    sourceText = piece(`,"source":${t.slice(0, -1)}${by === 'packet' ? '#' : by === 'line' ? ':' : ''}`);
    sourceFile = origin.file;
    sourceBy = by;
  }
  b.put(sourceText);
  if (origin.packet !== null) b.num(origin.packet);
  else if (origin.line !== null) b.num(origin.line);
  b.put(A_CLIENT);
}

/**
 * The last tracker address and path as JSON, from the key before them to the one after
 * (`},"tracker":{"ip":"10.255.0.1","port":80},"path":"/announce","infoHash":`): most captures
 * show one tracker and one path.
 */
let trackerIp = '';
let trackerPort = NaN;
let trackerPath = '';
let trackerText = piece('');
function trackerJson(b: ByteOut, t: Announce['tracker'], path: string): void {
  if (t.ip !== trackerIp || t.port !== trackerPort || path !== trackerPath) {
    trackerText = piece(`},"tracker":{"ip":${stringify(t.ip)},"port":${stringify(t.port)}},"path":${JSON.stringify(latin1ToSafe(path))},"infoHash":`);
    trackerIp = t.ip;
    trackerPort = t.port;
    trackerPath = path;
  }
  b.put(trackerText);
}
const COLON = piece(':');

/**
 * What comes before an announce (`,\n{` between two in a list, `{"kind":"announce",` on a
 * line of its own) with the announce's first key: the `opening` writeAnnounce starts with.
 */
export function announceOpening(before: string): Piece {
  return piece(`${before}"time":`);
}

/**
 * One announce as JSON: exactly the bytes of `stringify(announceJson(a, step, peerList))` after
 * what `opening` (from announceOpening) puts before it, written without the intermediate
 * objects (this runs once per announce on captures of millions).
 */
export function writeAnnounce(b: ByteOut, opening: Piece, a: Announce, step: TrackerStep | null, peerList = false): void {
  const ih = a.infoHash;
  const known = peerText(a.peerId);
  b.put(opening); b.iso(a.ts);
  sourceJson(b, a.origin); b.str(a.client.ip);
  b.put(P_PORT); b.num(a.client.port);
  trackerJson(b, a.tracker, a.path);
  if (ih && ih.length === 20) b.hex(ih);
  else b.put(NULL);
  if (known) b.putFrom(peers.view, peers.jsonAt, peers.jsonLength);
  else if (a.peerId !== null) b.text(peerIdTexts(a.peerId).json);
  else b.put(A_NO_PEER_ID);
  b.numOrNull(a.port);
  b.put(A_UPLOADED); b.counter(a.uploaded);
  b.put(R_DOWNLOADED); b.counter(a.downloaded);
  b.put(A_LEFT); b.counter(a.left);
  b.put(EVENT.of(a.event)); b.numOrNull(a.numwant);
  b.put(A_KEY);
  if (a.key === null) b.put(NULL);
  else b.safeStr(a.key, latin1ToSafe);
  if (a.passkey === null) b.put(A_NO_PASSKEY);
  else {
    b.put(A_PASSKEY); b.str(a.passkey);
    b.put(A_PARAMS);
  }
  paramsJson(b, a.params, a.peerId, known);
  if (a.errors.length === 0 && (a.problems === undefined || a.problems.length === 0)) b.put(A_CLEAN);
  else {
    b.put(A_ERRORS); b.strList(a.errors);
    b.put(R_PROBLEMS); b.strList(a.problems ?? []);
    b.put(A_RESPONSE);
  }
  replyText(b, a.reply, peerList);
  if (a.forwardedFor === null) b.put(TRANSPORT_DIRECT.of(a.transport));
  else {
    b.put(TRANSPORT.of(a.transport)); b.str(a.forwardedFor);
    b.put(A_USER_AGENT);
  }
  if (a.userAgent === null) b.put(NULL);
  else b.safeStr(a.userAgent, latin1ToSafe);
  b.put(HTTP_VERSION.of(a.httpVersion)); b.safeStr(a.target, latin1ToSafe);
  b.put(a.proxyMerged ? A_MERGED : A_NOT_MERGED); b.nsText(a.ts);
  if (ih && ih.length !== 20) {
    b.put(A_INFO_HASH_HEX);
    b.hex(ih);
  }
  if (step) {
    b.put(A_REPLAY);
    stepText(b, step);
    b.put(CLOSE_TWO);
  } else b.put(CLOSE);
}
