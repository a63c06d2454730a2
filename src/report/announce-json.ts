/**
 * The JSON shape of one announce (schemaVersion 1). Field names are a contract read by CI and
 * other tools: add fields freely, never rename or reshape.
 */
import type { Announce, QueryParam, Scrape, TrackerReply } from '../announce/types.js';
import { findParam } from '../announce/params.js';
import { describePeerId, escapeBytes, toHex } from '../announce/peer-id.js';
import type { Finding, TrackerStep } from '../tracker/types.js';
import { isoTime, jsonCounter } from '../format/units.js';

/** "capture.pcap#17" for packet 17, "access.log:12" for line 12. */
export function sourceOf(origin: { file: string; packet: number | null; line: number | null }): string {
  const file = origin.file === '-' ? 'stdin' : origin.file;
  if (origin.packet !== null) return `${file}#${origin.packet}`;
  if (origin.line !== null) return `${file}:${origin.line}`;
  return file;
}

import { latin1 } from '../announce/bytes.js';

/** A parameter's decoded value for JSON: hex for 20-byte ids, numbers for counters, safe text otherwise. */
export function paramJsonValue(p: QueryParam): unknown {
  const info = findParam(p.name);
  const text = latin1(p.bytes);
  switch (info?.type) {
    case 'bytes20':
      return info.name === 'peer_id' ? escapeBytes(p.bytes) : toHex(p.bytes);
    case 'counter':
    case 'int':
    case 'uint16':
      return /^[0-9]{1,20}$/.test(text) ? jsonCounter(BigInt(text)) : escapeBytes(p.bytes);
    default:
      return escapeBytes(p.bytes);
  }
}

/** The reply as JSON; `peers` is the count, `peerList` the addresses (only with --peer-list: they dominate the output's size). */
export function replyJson(r: TrackerReply | null, peerList = false): Record<string, unknown> | null {
  if (r === null) return null;
  const out: Record<string, unknown> = {
    status: r.status, interval: r.interval, minInterval: r.minInterval, complete: r.complete,
    incomplete: r.incomplete, downloaded: r.downloaded, peers: r.peerCount ?? r.peers.length,
    failure: r.failure, warning: r.warning, trackerId: r.trackerId, externalIp: r.externalIp,
    peerForms: r.peerForms, problems: r.problems,
  };
  if (peerList) out['peerList'] = r.peers.map((p) => ({ ip: p.ip, port: p.port }));
  return out;
}

function findingJson(f: Finding): Record<string, unknown> {
  return { code: f.code, severity: f.severity, message: f.message };
}

/** The per-announce replay facts (added to each announce as `replay`). */
export function stepJson(step: TrackerStep): Record<string, unknown> {
  return {
    ref: step.ref, session: step.session, user: step.user,
    credited: { uploaded: jsonCounter(step.credited.uploaded), downloaded: jsonCounter(step.credited.downloaded) },
    state: { before: step.before, after: step.after },
    totals: { uploaded: jsonCounter(step.totals.uploaded), downloaded: jsonCounter(step.totals.downloaded) },
    swarm: step.swarm, applied: step.applied, failure: step.failure, predicted: step.predicted,
    anomalies: step.findings.map(findingJson), notes: step.notes,
  };
}

/** One announce as a JSON object (the contract's fields first). */
export function announceJson(a: Announce, step: TrackerStep | null, peerList = false): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const p of a.params) params[p.name] = paramJsonValue(p);
  const out: Record<string, unknown> = {
    time: isoTime(a.ts), source: sourceOf(a.origin),
    client: { ip: a.client.ip, port: a.client.port }, tracker: { ip: a.tracker.ip, port: a.tracker.port },
    path: latin1ToSafe(a.path),
    infoHash: a.infoHash && a.infoHash.length === 20 ? toHex(a.infoHash) : null,
    peerId: a.peerId ? describePeerId(a.peerId) : null,
    port: a.port, uploaded: jsonCounter(a.uploaded), downloaded: jsonCounter(a.downloaded), left: jsonCounter(a.left),
    event: a.event, numwant: a.numwant, key: a.key === null ? null : latin1ToSafe(a.key), passkey: a.passkey,
    params, errors: a.errors, problems: a.problems ?? [], response: replyJson(a.reply, peerList),
    transport: a.transport, forwardedFor: a.forwardedFor, userAgent: a.userAgent === null ? null : latin1ToSafe(a.userAgent),
    httpVersion: a.httpVersion, target: latin1ToSafe(a.target), proxyMerged: a.proxyMerged,
    timeNs: a.ts.toString(),
  };
  if (a.infoHash && a.infoHash.length !== 20) out['infoHashHex'] = toHex(a.infoHash);
  if (step) out['replay'] = stepJson(step);
  return out;
}

/** A scrape as a JSON object (jsonl only). */
export function scrapeJson(s: Scrape): Record<string, unknown> {
  return {
    kind: 'scrape', time: isoTime(s.ts), source: sourceOf(s.origin), client: s.client,
    infoHashes: s.infoHashes.map(toHex), target: latin1ToSafe(s.target),
  };
}

/** Wire text (latin1) made safe for JSON consumers that print it: bytes >= 0x7f and controls escaped. */
const SAFE_LATIN1 = /^[\x20-\x5b\x5d-\x7e]*$/;
export function latin1ToSafe(s: string): string {
  return SAFE_LATIN1.test(s) ? s : escapeBytes(Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff));
}

// ---------------------------------------------------------------------------------------------
// The same announce as a JSON text, built directly: the report's hot path. Byte-identical to
// stringify(announceJson(...)) (same keys, same order, JSON.stringify's escaping and number text),
// without the intermediate objects. Anything unusual falls back to the object path.

const jstr = JSON.stringify as (s: string) => string;

/** A string or null as JSON. */
function sn(s: string | null): string {
  return s === null ? 'null' : jstr(s);
}

/** Any scalar as JSON.stringify (through `stringify`) would write it; bigint as jsonCounter. */
function sv(x: unknown): string {
  switch (typeof x) {
    case 'number': return Number.isFinite(x) ? String(x) : 'null';
    case 'string': return jstr(x);
    case 'boolean': return x ? 'true' : 'false';
    case 'bigint': return sv(jsonCounter(x));
    default: return x === null ? 'null' : stringify(x);
  }
}

/** A counter (bigint or null) as JSON. */
function counter(n: bigint | null): string {
  if (n === null) return 'null';
  return n <= 9007199254740991n && n >= -9007199254740991n ? String(Number(n)) : jstr(n.toString());
}

/** An array of strings as JSON. */
function strList(xs: readonly string[]): string {
  if (xs.length === 0) return '[]';
  let s = '[' + jstr(xs[0]!);
  for (let i = 1; i < xs.length; i++) s += ',' + jstr(xs[i]!);
  return s + ']';
}

/**
 * `{"before":…,"after":…}` per pair of states, made once: every announce's replay step and every
 * session announce writes one, from a handful of state names. Bounded.
 */
const statePairs = new Map<string, Map<string, string>>();
export function statePairJson(before: string, after: string): string {
  let m = statePairs.get(before);
  if (m === undefined) {
    if (statePairs.size >= 256) statePairs.clear();
    statePairs.set(before, (m = new Map()));
  }
  let t = m.get(after);
  if (t === undefined) {
    t = `{"before":${jstr(before)},"after":${jstr(after)}}`;
    if (m.size >= 256) m.clear();
    m.set(after, t);
  }
  return t;
}

/** A peer_id's description as JSON and its `params` value text, cached per distinct peer_id (a session repeats it). */
interface PeerIdText {
  readonly json: string;
  /** jstr(escapeBytes(id)): the peer_id parameter's value in `params`. */
  readonly param: string;
}
const peerIdCache = new Map<string, PeerIdText>();
function peerIdText(id: Uint8Array): PeerIdText {
  const k = latin1(id);
  let j = peerIdCache.get(k);
  if (j === undefined) {
    const d = describePeerId(id);
    j = { json: `{"hex":"${d.hex}","text":${jstr(d.text)},"client":${sn(d.client)}}`, param: jstr(escapeBytes(id)) };
    if (peerIdCache.size >= 1 << 16) peerIdCache.clear(); // bounded: a huge capture must not grow it forever
    peerIdCache.set(k, j);
  }
  return j;
}

/** Digits-only value of at most 15 chars (exact as a double), else -1. */
function smallDigits(b: Uint8Array): number {
  if (b.length === 0 || b.length > 15) return -1;
  let v = 0;
  for (let i = 0; i < b.length; i++) {
    const c = b[i]! - 0x30;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * The announce's own info_hash and peer_id with their texts, made once per announce: the params
 * repeat the same bytes (the same array, or equal bytes).
 */
interface Known {
  ih: Uint8Array | null;
  ihHex: string | null;
  peer: Uint8Array | null;
  peerText: PeerIdText | null;
}
const known: Known = { ih: null, ihHex: null, peer: null, peerText: null };

/** paramJsonValue's JSON text. */
function paramJsonText(p: QueryParam): string {
  const info = findParam(p.name);
  switch (info?.type) {
    case 'bytes20':
      if (info.name === 'peer_id') return p.bytes === known.peer && known.peerText !== null ? known.peerText.param : jstr(escapeBytes(p.bytes));
      return '"' + (p.bytes === known.ih && known.ihHex !== null ? known.ihHex : toHex(p.bytes)) + '"';
    case 'counter':
    case 'int':
    case 'uint16': {
      const v = smallDigits(p.bytes);
      return v >= 0 ? String(v) : sv(paramJsonValue(p));
    }
    default:
      return jstr(escapeBytes(p.bytes));
  }
}

/**
 * `"name":` and `,"name":` per parameter name, made once: every announce repeats the same dozen
 * names, and building the key text per parameter was several small strings each time. Bounded.
 */
const keyFirst = new Map<string, string>();
const keyNext = new Map<string, string>();
function keyText(name: string, first: boolean): string {
  const cache = first ? keyFirst : keyNext;
  let k = cache.get(name);
  if (k === undefined) {
    k = (first ? '' : ',') + jstr(name) + ':';
    if (cache.size >= 4096) cache.clear();
    cache.set(name, k);
  }
  return k;
}

/** The params object as JSON; names that JS objects would reorder or drop take the object path. */
function paramsJson(params: readonly QueryParam[]): string {
  let s = '{';
  for (let i = 0; i < params.length; i++) {
    const name = params[i]!.name;
    const c = name.charCodeAt(0);
    // integer-like keys sort first in a JS object, duplicates keep the first position, __proto__ is special
    if ((c >= 0x30 && c <= 0x39) || name === '__proto__') return paramsViaObject(params);
    for (let k = 0; k < i; k++) if (params[k]!.name === name) return paramsViaObject(params);
    s += keyText(name, i === 0);
    s += paramJsonText(params[i]!);
  }
  return s + '}';
}

function paramsViaObject(params: readonly QueryParam[]): string {
  const o: Record<string, unknown> = {};
  for (const p of params) o[p.name] = paramJsonValue(p);
  return stringify(o);
}

function replyText(r: TrackerReply | null, peerList: boolean): string {
  if (r === null) return 'null';
  let s =
    `{"status":${sv(r.status)},"interval":${sv(r.interval)},"minInterval":${sv(r.minInterval)},"complete":${sv(r.complete)}` +
    `,"incomplete":${sv(r.incomplete)},"downloaded":${sv(r.downloaded)},"peers":${r.peerCount ?? r.peers.length}` +
    `,"failure":${sn(r.failure)},"warning":${sn(r.warning)},"trackerId":${sn(r.trackerId)},"externalIp":${sn(r.externalIp)}` +
    `,"peerForms":${strList(r.peerForms)},"problems":${strList(r.problems)}`;
  if (peerList) {
    s += ',"peerList":[';
    for (let i = 0; i < r.peers.length; i++) {
      const p = r.peers[i]!;
      s += `${i === 0 ? '' : ','}{"ip":${sv(p.ip)},"port":${sv(p.port)}}`;
    }
    s += ']';
  }
  return s + '}';
}

function stepText(step: TrackerStep): string {
  let findings = '[';
  for (let i = 0; i < step.findings.length; i++) {
    const f = step.findings[i]!;
    findings += `${i === 0 ? '' : ','}{"code":${jstr(f.code)},"severity":${jstr(f.severity)},"message":${jstr(f.message)}}`;
  }
  return (
    `{"ref":${step.ref},"session":${sv(step.session)},"user":${jstr(step.user)}` +
    `,"credited":{"uploaded":${counter(step.credited.uploaded)},"downloaded":${counter(step.credited.downloaded)}}` +
    `,"state":${statePairJson(step.before, step.after)}` +
    `,"totals":{"uploaded":${counter(step.totals.uploaded)},"downloaded":${counter(step.totals.downloaded)}}` +
    `,"swarm":{"seeders":${sv(step.swarm.seeders)},"leechers":${sv(step.swarm.leechers)}}` +
    `,"applied":${step.applied},"failure":${sn(step.failure)},"predicted":${sn(step.predicted)}` +
    `,"anomalies":${findings}],"notes":${strList(step.notes)}}`
  );
}

/**
 * One announce as a JSON text: exactly `stringify(announceJson(a, step, peerList))`, built
 * without the intermediate objects (this runs once per announce on captures of millions).
 */
export function announceLine(a: Announce, step: TrackerStep | null, peerList = false): string {
  const ih = a.infoHash;
  const ihHex = ih === null ? null : toHex(ih);
  const peerText = a.peerId ? peerIdText(a.peerId) : null;
  known.ih = ih;
  known.ihHex = ihHex;
  known.peer = a.peerId;
  known.peerText = peerText;
  let s =
    `{"time":"${isoTime(a.ts)}","source":${jstr(sourceOf(a.origin))}` +
    `,"client":{"ip":${sv(a.client.ip)},"port":${sv(a.client.port)}},"tracker":{"ip":${sv(a.tracker.ip)},"port":${sv(a.tracker.port)}}` +
    `,"path":${jstr(latin1ToSafe(a.path))}` +
    `,"infoHash":${ih && ih.length === 20 ? '"' + ihHex + '"' : 'null'}` +
    `,"peerId":${peerText !== null ? peerText.json : 'null'}` +
    `,"port":${sv(a.port)},"uploaded":${counter(a.uploaded)},"downloaded":${counter(a.downloaded)},"left":${counter(a.left)}` +
    `,"event":${sn(a.event)},"numwant":${sv(a.numwant)},"key":${a.key === null ? 'null' : jstr(latin1ToSafe(a.key))},"passkey":${sn(a.passkey)}` +
    `,"params":${paramsJson(a.params)},"errors":${strList(a.errors)},"problems":${strList(a.problems ?? [])}` +
    `,"response":${replyText(a.reply, peerList)}` +
    `,"transport":${jstr(a.transport)},"forwardedFor":${sn(a.forwardedFor)},"userAgent":${a.userAgent === null ? 'null' : jstr(latin1ToSafe(a.userAgent))}` +
    `,"httpVersion":${jstr(a.httpVersion)},"target":${jstr(latin1ToSafe(a.target))},"proxyMerged":${a.proxyMerged}` +
    `,"timeNs":"${a.ts.toString()}"`;
  if (ih && ih.length !== 20) s += `,"infoHashHex":"${ihHex}"`;
  if (step) s += `,"replay":${stepText(step)}`;
  return s + '}';
}

/** JSON.stringify that writes bigint as a number when exact, else a decimal string. */
export function stringify(v: unknown, indent?: number): string {
  // the replacer costs a call per key: only pay it when a bigint slipped through
  try {
    return JSON.stringify(v, undefined, indent);
  } catch {
    return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? jsonCounter(x) : x), indent);
  }
}
