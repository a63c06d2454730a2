/**
 * Tracker replies to bytes and back (part of record-codec.ts). A reply whose compact peers were
 * never asked for (announce/reply.ts keeps the bytes and decodes them on first read of `peers`)
 * crosses as those bytes and comes back just as lazy; any other reply crosses with its peer list
 * and its own key order (UDP replies and body-problem copies list their keys differently).
 */
import type { ReplyPeer, TrackerReply } from '../../announce/types.js';
import { ipv4Text, ipv6Text } from '../../announce/ip-text.js';
import type { ByteReader, ByteWriter } from './wire.js';

const NONE = 0;
const LAZY = 1;
const LISTED = 2;

/**
 * The hidden state of announce/reply.ts's lazy replies. Read only to send the compact bytes as they
 * are; a reply without it (or already decoded) is sent with its peer list, which is as exact.
 */
interface LazyState {
  readonly _compact4?: Uint8Array | null;
  readonly _compact6?: Uint8Array | null;
  readonly _peers?: readonly ReplyPeer[] | null;
}

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
  const lazy = r as unknown as LazyState;
  const isLazy = lazy._peers === null && r.peerCount !== undefined;
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
    w.nbytes(lazy._compact4 ?? null);
    w.nbytes(lazy._compact6 ?? null);
    w.f64(r.peerCount!);
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
    const problems = readList(r, false);
    const ts = r.nbig()!;
    return lazyReply(
      { status, failure, warning, interval, minInterval, complete, incomplete, downloaded, trackerId, externalIp },
      compact4, compact6, count, peerForms, problems.length === 0 ? NO_PROBLEMS : problems, ts,
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

function readList(r: ByteReader, table: boolean): string[] {
  const n = r.u32();
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

// --- the lazy reply, as announce/reply.ts builds it -------------------------------------------

/** Shared lists for the common cases, as decodeReply shares them (frozen: nobody may change them). */
const NO_PROBLEMS: readonly string[] = Object.freeze([]);
const FORMS: readonly (readonly string[])[] = [[], ['compact'], ['compact6'], ['compact', 'compact6']].map((f) => Object.freeze(f));

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

interface LazyHidden {
  _compact4: Uint8Array | null;
  _compact6: Uint8Array | null;
  _peers: ReplyPeer[] | null;
}

/** The `peers` getter every lazy reply shares: decodes the compact bytes on first read. */
function lazyPeers(this: LazyHidden): readonly ReplyPeer[] {
  if (this._peers === null) {
    const peers: ReplyPeer[] = [];
    if (this._compact4 !== null) compactPeers(this._compact4, 6, peers);
    if (this._compact6 !== null) compactPeers(this._compact6, 18, peers);
    this._compact4 = this._compact6 = null;
    this._peers = peers;
  }
  return this._peers;
}

function compactPeers(b: Uint8Array, size: 6 | 18, out: ReplyPeer[]): void {
  for (let off = 0; off + size <= b.length; off += size) {
    const ip = size === 6 ? ipv4Text(b, off) : ipv6Text(b, off);
    out.push({ ip, port: (b[off + size - 2]! << 8) | b[off + size - 1]! });
  }
}

const PEERS_GETTER: PropertyDescriptor = { get: lazyPeers, enumerable: true, configurable: true };
const HIDDEN = (value: unknown): PropertyDescriptor => ({ value, writable: true, enumerable: false, configurable: true });

/** A reply with compact peers decoded on first read: the same shape and keys as announce/reply.ts's. */
function lazyReply(
  head: Record<string, unknown>, compact4: Uint8Array | null, compact6: Uint8Array | null, count: number,
  peerForms: readonly string[], problems: readonly string[], ts: bigint,
): TrackerReply {
  const r = head;
  Object.defineProperty(r, 'peers', PEERS_GETTER);
  r['peerForms'] = peerForms;
  r['problems'] = problems;
  r['ts'] = ts;
  Object.defineProperty(r, 'peerCount', HIDDEN(count));
  Object.defineProperty(r, '_compact4', HIDDEN(compact4));
  Object.defineProperty(r, '_compact6', HIDDEN(compact6));
  Object.defineProperty(r, '_peers', HIDDEN(null));
  return r as unknown as TrackerReply;
}
