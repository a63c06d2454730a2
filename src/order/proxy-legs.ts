/**
 * Proxy-leg merging. A capture taken on a tracker host behind a reverse proxy holds every announce
 * twice: the client's request to the proxy (front leg) and the proxy's request to the backend (back
 * leg: from the proxy's address, usually HTTP/1.0, carrying X-Forwarded-For, sometimes with the path
 * rewritten, e.g. a path passkey removed). Each announce must count once, with the client's own
 * address and request; the back leg's reply fills in when the front reply was not captured.
 *
 * Matching: the back leg's forwarded-for address equals the front leg's source address, the query
 * strings are identical (proxies pass the query through; paths may be rewritten), the two are at most
 * `windowNs` apart, and each leg matches at most one other. Two front legs never merge with each other:
 * some clients announce once per listen address with the same peer_id in the same microsecond, and
 * both announces are real.
 */
import type { TrackerRequest } from '../announce/types.js';

/** A request waiting in the reorder buffer, with what merging needs. */
export interface Pending {
  /** Replaced (not mutated) when a back leg is merged into it. */
  rec: TrackerRequest;
  /** Query string (after '?'), the match key (with the leg's address). */
  readonly query: string;
  /** queryKey(query): what the maps are keyed by. */
  readonly key: number;
  /** Set when this record has been merged away into another (a back leg absorbed by its front). */
  dropped: boolean;
  /** Set when this record already absorbed or was absorbed by another. */
  matched: boolean;
}

/**
 * The address a leg is matched by: a front leg by its source address, a back leg by the address its
 * forwarded-for header names. The maps are keyed by a number made from the query (queryKey), and
 * the query and the address are compared on the few entries sharing it.
 */
function frontAddr(rec: TrackerRequest): string {
  return rec.client.ip;
}
function backAddr(rec: TrackerRequest): string | null {
  return rec.forwardedFor ? rec.forwardedFor : null;
}

export function queryOf(target: string): string {
  const q = target.indexOf('?');
  return q < 0 ? '' : target.slice(q + 1);
}

/** Characters of the query queryKey reads at most. */
const KEY_CHARS = 32;

/**
 * A number made from the query, the same for equal queries: its length and up to KEY_CHARS of its
 * characters, spread over it from the end (where announces of one client differ: counters, event,
 * key). Keying the maps by the query itself hashed all of it (a few hundred characters) for every
 * request; equal keys are told apart by comparing the queries.
 */
export function queryKey(query: string): number {
  const n = query.length;
  const step = n > KEY_CHARS ? Math.floor(n / KEY_CHARS) : 1;
  let h = n;
  for (let i = n - 1, k = 0; i >= 0 && k < KEY_CHARS; i -= step, k++) h = (Math.imul(h, 31) + query.charCodeAt(i)) | 0;
  return h;
}

/**
 * Finds front/back pairs among pending requests. Call `add` for every request as it arrives (in any
 * order) and `remove` when it leaves the buffer.
 */
export class ProxyLegMatcher {
  private readonly fronts = new Map<number, Pending[]>();
  private readonly backs = new Map<number, Pending[]>();
  merged = 0;

  constructor(private readonly windowNs: bigint) {}

  /** Registers `p`; if its counterpart is pending, merges the pair (the back leg is marked dropped). */
  add(p: Pending): void {
    const fa = frontAddr(p.rec);
    const ba = backAddr(p.rec);
    // As a back leg: look for its front.
    if (ba !== null) {
      const front = this.take(this.fronts, ba, frontAddr, p);
      if (front) { this.merge(front, p); return; }
    }
    // As a front leg: look for a back leg that names this client.
    const back = this.take(this.backs, fa, backAddr, p);
    if (back) { this.merge(p, back); return; }
    push(this.fronts, p.key, p);
    if (ba !== null) push(this.backs, p.key, p);
  }

  /** Forgets `p` (it left the buffer). */
  remove(p: Pending): void {
    unlist(this.fronts, p.key, p);
    if (backAddr(p.rec) !== null) unlist(this.backs, p.key, p);
  }

  private take(
    map: Map<number, Pending[]>, addr: string, addrOf: (rec: TrackerRequest) => string | null, self: Pending,
  ): Pending | undefined {
    const key = self.key;
    const list = map.get(key);
    if (!list) return undefined;
    for (let i = 0; i < list.length; i++) {
      const c = list[i]!;
      if (c === self || c.matched || addrOf(c.rec) !== addr || c.query !== self.query) continue;
      const dt = c.rec.ts > self.rec.ts ? c.rec.ts - self.rec.ts : self.rec.ts - c.rec.ts;
      if (dt > this.windowNs) continue;
      // both legs of one announce pass through different hops: the same socket pair is not a proxy leg
      if (sameHop(c.rec, self.rec)) continue;
      list.splice(i, 1);
      if (list.length === 0) map.delete(key);
      return c;
    }
    return undefined;
  }

  private merge(front: Pending, back: Pending): void {
    front.matched = true;
    back.matched = true;
    back.dropped = true;
    this.remove(back);
    this.remove(front);
    // the front leg keeps its own reply; the backend's fills in when the front reply was not captured
    const reply = front.rec.reply ?? back.rec.reply ?? null;
    front.rec = { ...front.rec, reply, proxyMerged: true } as TrackerRequest;
    this.merged++;
  }
}

function sameHop(a: TrackerRequest, b: TrackerRequest): boolean {
  return a.client.ip === b.client.ip && a.client.port === b.client.port;
}

function push(map: Map<number, Pending[]>, key: number, p: Pending): void {
  const list = map.get(key);
  if (list) list.push(p);
  else map.set(key, [p]);
}

function unlist(map: Map<number, Pending[]>, key: number, p: Pending): void {
  const list = map.get(key);
  if (!list) return;
  const i = list.indexOf(p);
  if (i >= 0) list.splice(i, 1);
  if (list.length === 0) map.delete(key);
}
