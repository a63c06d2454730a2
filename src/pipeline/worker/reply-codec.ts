/**
 * Tracker replies to bytes and back (part of record-codec.ts). A reply whose compact peers were
 * never asked for (announce/reply.ts keeps the bytes and decodes them on first read of `peers`)
 * crosses as those bytes and comes back just as lazy; any other reply crosses with its peer list
 * and its own key order (UDP replies and body-problem copies list their keys differently).
 */
import type { ReplyPeer, TrackerReply } from '../../announce/types.js';
import { FORMS, NO_PROBLEMS, lazyPeersReply, pendingPeers } from '../../announce/reply.js';
import type { ByteReader } from './byte-reader.js';
import type { ByteWriter } from './byte-writer.js';

const NONE = 0;
const LAZY = 1;
const LISTED = 2;

/** TrackerReply's fields in the order decodeReply's replies list them. */
const KEYS = [
  'status', 'failure', 'warning', 'interval', 'minInterval', 'complete', 'incomplete', 'downloaded', 'trackerId',
  'externalIp', 'peers', 'peerForms', 'problems', 'ts',
] as const;
const CANONICAL = KEYS.join(',');
const KNOWN = new Set<string>(KEYS);

/** Appends a reply (or null) to the batch. */
export function writeReply(w: ByteWriter, r: TrackerReply | null): void {
  if (r === null) { w.u8(NONE); return; }
  const lazy = pendingPeers(r);
  const isLazy = lazy !== null;
  w.u8(isLazy ? LAZY : LISTED);
  if (!isLazy) {
    const keys = Object.keys(r).join(',');
    if (keys !== CANONICAL) {
      for (const k of Object.keys(r)) if (!KNOWN.has(k)) throw new Error(`worker batch: reply field "${k}" has no encoding`);
    }
    w.istr(keys);
  }
  w.f64(r.status);
  w.str(r.failure);
  w.str(r.warning);
  w.nf64(r.interval);
  w.nf64(r.minInterval);
  w.nf64(r.complete);
  w.nf64(r.incomplete);
  w.nf64(r.downloaded);
  w.str(r.trackerId);
  w.istr(r.externalIp);
  if (isLazy) {
    w.nbytes(lazy.compact4);
    w.nbytes(lazy.compact6);
    w.f64(lazy.count);
    w.u8(formsCode(r.peerForms));
  } else {
    const peers = r.peers;
    w.u32(peers.length);
    for (const p of peers) {
      w.str(p.ip);
      w.f64(p.port);
      if ('peerId' in p) { w.u8(1); w.nbytes(p.peerId ?? null); } else w.u8(0);
    }
    if (r.peerCount === undefined) w.u8(0);
    else { w.u8(1); w.f64(r.peerCount); }
  }
  if (!isLazy || formsCode(r.peerForms) === LISTED_FORMS) {
    w.u32(r.peerForms.length);
    for (const f of r.peerForms) w.istr(f);
  }
  w.u32(r.problems.length);
  for (const p of r.problems) w.str(p);
  w.nbig(r.ts);
}

/** Reads a reply (or null) written by writeReply. */
export function readReply(r: ByteReader): TrackerReply | null {
  const shape = r.u8();
  if (shape === NONE) return null;
  const keys = shape === LISTED ? r.istr()! : CANONICAL;
  const status = r.f64();
  const failure = r.str();
  const warning = r.str();
  const interval = r.nf64();
  const minInterval = r.nf64();
  const complete = r.nf64();
  const incomplete = r.nf64();
  const downloaded = r.nf64();
  const trackerId = r.str();
  const externalIp = r.istr();
  if (shape === LAZY) {
    const compact4 = r.nbytes();
    const compact6 = r.nbytes();
    const count = r.f64();
    const code = r.u8();
    const peerForms = code === LISTED_FORMS ? readList(r, true) : FORMS[code]!;
    // no array made for the usual empty list: the decoder shares NO_PROBLEMS too
    const problems = readList(r, false, NO_PROBLEMS);
    const ts = r.nbig()!;
    return lazyPeersReply(
      status, failure, warning, interval, minInterval, complete, incomplete, downloaded, trackerId, externalIp,
      compact4, compact6, count, peerForms, problems, ts,
    );
  }
  const n = r.u32();
  const peers: ReplyPeer[] = new Array<ReplyPeer>(n);
  for (let i = 0; i < n; i++) {
    const ip = r.str()!;
    const port = r.f64();
    peers[i] = r.u8() === 1 ? { ip, port, peerId: r.nbytes() as Uint8Array } : { ip, port };
  }
  const peerCount = r.u8() === 1 ? r.f64() : undefined;
  const peerForms = readList(r, true);
  const problems = readList(r, false);
  const ts = r.nbig()!;
  const fields = { status, failure, warning, interval, minInterval, complete, incomplete, downloaded, trackerId, externalIp, peers, peerForms, problems, ts };
  let reply: TrackerReply = fields;
  if (keys !== CANONICAL) {
    const ordered: Record<string, unknown> = {};
    for (const k of keysOf(keys)) ordered[k] = fields[k as keyof typeof fields];
    reply = ordered as unknown as TrackerReply;
  }
  // as announce/reply.ts's withProblem gives it: a fixed, hidden count
  if (peerCount !== undefined) Object.defineProperty(reply, 'peerCount', { value: peerCount, enumerable: false });
  return reply;
}

/** A list of strings (from the table or not); `empty`, when given, stands for an empty one. */
function readList(r: ByteReader, table: boolean): string[];
function readList(r: ByteReader, table: boolean, empty: readonly string[]): readonly string[];
function readList(r: ByteReader, table: boolean, empty?: readonly string[]): readonly string[] {
  const n = r.u32();
  if (n === 0 && empty !== undefined) return empty;
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) out[i] = (table ? r.istr() : r.str())!;
  return out;
}

const keyLists = new Map<string, readonly string[]>();
function keysOf(keys: string): readonly string[] {
  let list = keyLists.get(keys);
  if (list === undefined) keyLists.set(keys, (list = keys.split(',')));
  return list;
}

/** A lazy reply's peer forms as their index in FORMS (decodeReply shares those), else LISTED_FORMS. */
function formsCode(forms: readonly string[]): number {
  switch (forms.length) {
    case 0: return 0;
    case 1: return forms[0] === 'compact' ? 1 : forms[0] === 'compact6' ? 2 : LISTED_FORMS;
    case 2: return forms[0] === 'compact' && forms[1] === 'compact6' ? 3 : LISTED_FORMS;
    default: return LISTED_FORMS;
  }
}
const LISTED_FORMS = 255;
