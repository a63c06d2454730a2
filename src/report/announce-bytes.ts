/**
 * The same announce as JSON bytes, written straight into the output buffer: the report's hot
 * path. Byte-identical to stringify(announceJson(...)) (same keys, same order, JSON.stringify's
 * escaping and number text), without the intermediate objects or strings. Anything unusual
 * falls back to the object path.
 */
import type { Announce, QueryParam, TrackerReply } from '../announce/types.js';
import { findParam } from '../announce/params.js';
import { describePeerId, escapeBytes } from '../announce/peer-id.js';
import type { TrackerStep } from '../tracker/types.js';
import { jsonCounter } from '../format/units.js';
import { ascii, utf8, type ByteOut } from './byte-out.js';
import { FieldPieces, StatePairPieces } from './json-pieces.js';
import { latin1ToSafe, paramJsonValue, stringify } from './announce-json.js';


/** Any scalar as JSON.stringify (through `stringify`) would write it; bigint as jsonCounter. */
function sv(b: ByteOut, x: unknown): void {
  switch (typeof x) {
    case 'number': return b.num(x);
    case 'string': return b.str(x);
    case 'boolean': return b.bool(x);
    case 'bigint': return b.counter(x);
    default: return x === null ? b.raw(NULL) : b.text(stringify(x));
  }
}

const NULL = ascii('null');

/** A peer_id's description as JSON and its `params` value, cached per distinct peer_id (a session repeats it). */
interface PeerIdText {
  /** The peer_id's bytes (a copy). */
  readonly id: Uint8Array;
  /** `,"peerId":{…},"port":` */
  readonly json: Uint8Array;
  /** JSON of escapeBytes(id): the peer_id parameter's value in `params`. */
  readonly param: Uint8Array;
}

/**
 * A direct-mapped table indexed by a hash of the bytes: finding a peer_id costs a hash and a
 * compare of 20 bytes, where a Map needed a string made of them first. A collision replaces.
 */
const PEER_SLOTS = 1 << 16;
const peerTable: (PeerIdText | undefined)[] = new Array(PEER_SLOTS).fill(undefined);
function peerIdText(id: Uint8Array): PeerIdText {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id[i]!, 0x01000193);
  const slot = (h ^ (h >>> 15)) & (PEER_SLOTS - 1);
  const e = peerTable[slot];
  if (e !== undefined && sameBytes(e.id, id)) return e;
  const d = describePeerId(id);
  const t: PeerIdText = {
    id: id.slice(),
    json: utf8(`,"peerId":{"hex":"${d.hex}","text":${JSON.stringify(d.text)},"client":${d.client === null ? 'null' : JSON.stringify(d.client)}},"port":`),
    param: utf8(JSON.stringify(escapeBytes(id))),
  };
  peerTable[slot] = t;
  return t;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
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
  readonly first: Uint8Array;
  /** `,"name":` */
  readonly next: Uint8Array;
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
    k = { first: utf8(key), next: utf8(',' + key), kind, direct: !(c >= 0x30 && c <= 0x39) && name !== '__proto__', seen: 0 };
    paramKeys.set(name, k);
  }
  return k;
}
let paramsStamp = 0;
/** The current announce's keys, in order (reused). */
const keys: ParamKey[] = [];

/** paramJsonValue's JSON; the announce's own peer_id (the same array) has its text cached. */
function paramValue(b: ByteOut, key: ParamKey, p: QueryParam, peer: Uint8Array | null, peerText: PeerIdText | null): void {
  switch (key.kind) {
    case ValueKind.Hex:
      return b.hex(p.bytes);
    case ValueKind.PeerId:
      if (p.bytes === peer && peerText !== null) return b.raw(peerText.param);
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
function paramsJson(b: ByteOut, params: readonly QueryParam[], peer: Uint8Array | null, peerText: PeerIdText | null): void {
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
  b.raw(OPEN);
  for (let i = 0; i < params.length; i++) {
    const key = keys[i]!;
    b.raw(i === 0 ? key.first : key.next);
    paramValue(b, key, params[i]!, peer, peerText);
  }
  b.raw(CLOSE);
}

function paramsViaObject(b: ByteOut, params: readonly QueryParam[]): void {
  const o: Record<string, unknown> = {};
  for (const p of params) o[p.name] = paramJsonValue(p);
  b.text(stringify(o));
}

const OPEN = ascii('{');
const CLOSE = ascii('}');
const CLOSE_LIST = ascii(']');
const COMMA = ascii(',');

const R_INCOMPLETE = ascii(',"incomplete":');
const R_DOWNLOADED = ascii(',"downloaded":');
const R_PEERS = ascii(',"peers":');
const R_FAILURE = ascii(',"failure":');
const R_WARNING = ascii(',"warning":');
const R_TRACKER_ID = ascii(',"trackerId":');
const R_EXTERNAL_IP = ascii(',"externalIp":');
const R_PEER_FORMS = ascii(',"peerForms":');
const R_PROBLEMS = ascii(',"problems":');
const R_PEER_LIST = ascii(',"peerList":[');
const P_IP = ascii('{"ip":');
const P_PORT = ascii(',"port":');

/**
 * The reply's usual ending from `failure` on, one piece: no failure, warning, tracker id or
 * external ip, compact peers only, no problems (most replies of a capture).
 */
const R_USUAL_TAIL = ascii(',"failure":null,"warning":null,"trackerId":null,"externalIp":null,"peerForms":["compact"],"problems":[]}');

/** `{"status":…,"interval":…,"minInterval":…,"complete":` of the last reply: a tracker repeats them. */
let replyHeadOf: readonly [unknown, unknown, unknown] = [NaN, NaN, NaN];
let replyHead: Uint8Array = new Uint8Array(0);

function replyText(b: ByteOut, r: TrackerReply | null, peerList: boolean): void {
  if (r === null) return b.raw(NULL);
  const h = replyHeadOf;
  if (r.status !== h[0] || r.interval !== h[1] || r.minInterval !== h[2]) {
    replyHeadOf = [r.status, r.interval, r.minInterval];
    replyHead = utf8(`{"status":${stringify(r.status)},"interval":${stringify(r.interval)},"minInterval":${stringify(r.minInterval)},"complete":`);
  }
  b.raw(replyHead); b.numOrNull(r.complete);
  b.raw(R_INCOMPLETE); b.numOrNull(r.incomplete);
  b.raw(R_DOWNLOADED); b.numOrNull(r.downloaded);
  b.raw(R_PEERS); b.num(r.peerCount ?? r.peers.length);
  if (
    !peerList && r.failure === null && r.warning === null && r.trackerId === null && r.externalIp === null &&
    r.problems.length === 0 && r.peerForms.length === 1 && r.peerForms[0] === 'compact'
  ) return b.raw(R_USUAL_TAIL);
  b.raw(R_FAILURE); b.strOrNull(r.failure);
  b.raw(R_WARNING); b.strOrNull(r.warning);
  b.raw(R_TRACKER_ID); b.strOrNull(r.trackerId);
  b.raw(R_EXTERNAL_IP); b.strOrNull(r.externalIp);
  b.raw(R_PEER_FORMS); b.strList(r.peerForms);
  b.raw(R_PROBLEMS); b.strList(r.problems);
  if (peerList) {
    b.raw(R_PEER_LIST);
    for (let i = 0; i < r.peers.length; i++) {
      const p = r.peers[i]!;
      if (i > 0) b.raw(COMMA);
      b.raw(P_IP); b.str(p.ip);
      b.raw(P_PORT); b.num(p.port);
      b.raw(CLOSE);
    }
    b.raw(CLOSE_LIST);
  }
  b.raw(CLOSE);
}

const S_REF = ascii('{"ref":');
const S_SESSION = ascii(',"session":');
const S_USER = ascii(',"user":');
const S_CREDITED = ascii(',"credited":{"uploaded":');
const S_DOWNLOADED = ascii(',"downloaded":');
/** `},"state":{…},"totals":{"uploaded":` */
const STEP_STATES = new StatePairPieces('},"state":', ',"totals":{"uploaded":');
const S_SWARM = ascii('},"swarm":{"seeders":');
const S_LEECHERS = ascii(',"leechers":');
const S_APPLIED = ascii('},"applied":');
const S_FAILURE = ascii(',"failure":');
const S_PREDICTED = ascii(',"predicted":');
const S_ANOMALIES = ascii(',"anomalies":[');
const S_NOTES = ascii('],"notes":');
/** An applied step's usual ending up to the notes, one piece: no failure, no prediction, no findings. */
const S_USUAL_TAIL = ascii('},"applied":true,"failure":null,"predicted":null,"anomalies":[],"notes":');
const F_CODE = ascii('{"code":');
const F_SEVERITY = ascii(',"severity":');
const F_MESSAGE = ascii(',"message":');

function stepText(b: ByteOut, step: TrackerStep): void {
  b.raw(S_REF); b.num(step.ref);
  b.raw(S_SESSION); b.numOrNull(step.session);
  b.raw(S_USER); b.str(step.user);
  b.raw(S_CREDITED); b.counter(step.credited.uploaded);
  b.raw(S_DOWNLOADED); b.counter(step.credited.downloaded);
  b.raw(STEP_STATES.of(step.before, step.after)); b.counter(step.totals.uploaded);
  b.raw(S_DOWNLOADED); b.counter(step.totals.downloaded);
  b.raw(S_SWARM); b.num(step.swarm.seeders);
  b.raw(S_LEECHERS); b.num(step.swarm.leechers);
  if (step.applied && step.failure === null && step.predicted === null && step.findings.length === 0) {
    b.raw(S_USUAL_TAIL); b.strList(step.notes);
    return b.raw(CLOSE);
  }
  b.raw(S_APPLIED); b.bool(step.applied);
  b.raw(S_FAILURE); b.strOrNull(step.failure);
  b.raw(S_PREDICTED); b.strOrNull(step.predicted);
  b.raw(S_ANOMALIES);
  for (let i = 0; i < step.findings.length; i++) {
    const f = step.findings[i]!;
    if (i > 0) b.raw(COMMA);
    b.raw(F_CODE); b.str(f.code);
    b.raw(F_SEVERITY); b.str(f.severity);
    b.raw(F_MESSAGE); b.str(f.message);
    b.raw(CLOSE);
  }
  b.raw(S_NOTES); b.strList(step.notes);
  b.raw(CLOSE);
}

const A_TIME = ascii('"time":');
const A_SOURCE = ascii(',"source":');
const A_CLIENT = ascii(',"client":{"ip":');
const A_TRACKER = ascii('},"tracker":');
const A_INFO_HASH = ascii(',"infoHash":');
const A_NO_PEER_ID = ascii(',"peerId":null,"port":');
const A_UPLOADED = ascii(',"uploaded":');
const A_LEFT = ascii(',"left":');
/** `,"event":"started","numwant":` */
const EVENT = new FieldPieces(',"event":', ',"numwant":');
const A_KEY = ascii(',"key":');
const A_PASSKEY = ascii(',"passkey":');
const A_PARAMS = ascii(',"params":');
const A_NO_PASSKEY = ascii(',"passkey":null,"params":');
const A_ERRORS = ascii(',"errors":');
const A_RESPONSE = ascii(',"response":');
/** A valid announce decoded without problems: `errors` to `response` in one piece. */
const A_CLEAN = ascii(',"errors":[],"problems":[],"response":');
/** `,"transport":"http","forwardedFor":null,"userAgent":` (no proxy header, the usual case) */
const TRANSPORT_DIRECT = new FieldPieces(',"transport":', ',"forwardedFor":null,"userAgent":');
const TRANSPORT = new FieldPieces(',"transport":', ',"forwardedFor":');
const A_USER_AGENT = ascii(',"userAgent":');
/** `,"httpVersion":"HTTP/1.1","target":` */
const HTTP_VERSION = new FieldPieces(',"httpVersion":', ',"target":');
const A_MERGED = ascii(',"proxyMerged":true,"timeNs":');
const A_NOT_MERGED = ascii(',"proxyMerged":false,"timeNs":');
const A_INFO_HASH_HEX = ascii(',"infoHashHex":');
const A_REPLAY = ascii(',"replay":');
const QUOTE = ascii('"');

/** The last input name's JSON text without its closing quote (every announce of an input repeats it). */
let sourceFile = '';
let sourceText: Uint8Array = new Uint8Array(0);

/** sourceOf(origin) as JSON. */
function sourceJson(b: ByteOut, origin: Announce['origin']): void {
  if (origin.file !== sourceFile) {
    const t = JSON.stringify(origin.file === '-' ? 'stdin' : origin.file);
    sourceText = utf8(t.slice(0, -1));
    sourceFile = origin.file;
  }
  b.raw(sourceText);
  if (origin.packet !== null) {
    b.raw(HASH);
    b.num(origin.packet);
  } else if (origin.line !== null) {
    b.raw(COLON);
    b.num(origin.line);
  }
  b.raw(QUOTE);
}

const HASH = ascii('#');

/**
 * The last tracker address and path as JSON (`{"ip":"10.255.0.1","port":80},"path":"/announce"`):
 * most captures show one tracker and one path.
 */
let trackerIp = '';
let trackerPort = NaN;
let trackerPath = '';
let trackerText: Uint8Array = new Uint8Array(0);
function trackerJson(b: ByteOut, t: Announce['tracker'], path: string): void {
  if (t.ip !== trackerIp || t.port !== trackerPort || path !== trackerPath) {
    trackerText = utf8(`{"ip":${stringify(t.ip)},"port":${stringify(t.port)}},"path":${JSON.stringify(latin1ToSafe(path))}`);
    trackerIp = t.ip;
    trackerPort = t.port;
    trackerPath = path;
  }
  b.raw(trackerText);
}
const COLON = ascii(':');

/**
 * One announce as JSON: exactly the bytes of `stringify(announceJson(a, step, peerList))` after
 * `head` (which opens the object: `{` or `{"kind":"announce",`), written without the
 * intermediate objects (this runs once per announce on captures of millions).
 */
export function writeAnnounce(b: ByteOut, head: Uint8Array, a: Announce, step: TrackerStep | null, peerList = false): void {
  const ih = a.infoHash;
  const peerText = a.peerId ? peerIdText(a.peerId) : null;
  b.raw(head);
  b.raw(A_TIME); b.iso(a.ts);
  b.raw(A_SOURCE); sourceJson(b, a.origin);
  b.raw(A_CLIENT); b.str(a.client.ip);
  b.raw(P_PORT); b.num(a.client.port);
  b.raw(A_TRACKER); trackerJson(b, a.tracker, a.path);
  b.raw(A_INFO_HASH);
  if (ih && ih.length === 20) b.hex(ih);
  else b.raw(NULL);
  b.raw(peerText !== null ? peerText.json : A_NO_PEER_ID); b.numOrNull(a.port);
  b.raw(A_UPLOADED); b.counter(a.uploaded);
  b.raw(R_DOWNLOADED); b.counter(a.downloaded);
  b.raw(A_LEFT); b.counter(a.left);
  b.raw(EVENT.of(a.event)); b.numOrNull(a.numwant);
  b.raw(A_KEY);
  if (a.key === null) b.raw(NULL);
  else b.safeStr(a.key, latin1ToSafe);
  if (a.passkey === null) b.raw(A_NO_PASSKEY);
  else {
    b.raw(A_PASSKEY); b.str(a.passkey);
    b.raw(A_PARAMS);
  }
  paramsJson(b, a.params, a.peerId, peerText);
  if (a.errors.length === 0 && (a.problems === undefined || a.problems.length === 0)) b.raw(A_CLEAN);
  else {
    b.raw(A_ERRORS); b.strList(a.errors);
    b.raw(R_PROBLEMS); b.strList(a.problems ?? []);
    b.raw(A_RESPONSE);
  }
  replyText(b, a.reply, peerList);
  if (a.forwardedFor === null) b.raw(TRANSPORT_DIRECT.of(a.transport));
  else {
    b.raw(TRANSPORT.of(a.transport)); b.str(a.forwardedFor);
    b.raw(A_USER_AGENT);
  }
  if (a.userAgent === null) b.raw(NULL);
  else b.safeStr(a.userAgent, latin1ToSafe);
  b.raw(HTTP_VERSION.of(a.httpVersion)); b.safeStr(a.target, latin1ToSafe);
  b.raw(a.proxyMerged ? A_MERGED : A_NOT_MERGED); b.nsText(a.ts);
  if (ih && ih.length !== 20) {
    b.raw(A_INFO_HASH_HEX);
    b.hex(ih);
  }
  if (step) {
    b.raw(A_REPLAY);
    stepText(b, step);
  }
  b.raw(CLOSE);
}
