/**
 * The JSON shape of one announce (schemaVersion 1). Field names are a contract read by CI and
 * other tools: add fields freely, never rename or reshape. These objects are the definition;
 * announce-bytes.ts writes the same bytes straight into the output for the reports' hot path.
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

/** JSON.stringify that writes bigint as a number when exact, else a decimal string. */
export function stringify(v: unknown, indent?: number): string {
  // the replacer costs a call per key: only pay it when a bigint slipped through
  try {
    return JSON.stringify(v, undefined, indent);
  } catch {
    return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? jsonCounter(x) : x), indent);
  }
}
