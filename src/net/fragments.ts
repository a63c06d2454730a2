/**
 * IP fragment reassembly for IPv4 (RFC 791 §3.2, RFC 815 hole filling) and IPv6 (RFC 8200 §4.5).
 * Memory is bounded, datagrams time out after 60 s of capture time (RFC 8200's reassembly
 * timeout; Linux uses 30 s for IPv4, but a lenient reader loses less), and when fragments overlap
 * the first one received wins, as on BSD and Linux since RFC 5722 made overlaps suspect.
 */

/** Limits of a reassembler. */
export interface FragmentLimits {
  /** Capture-time nanoseconds after the first fragment at which an incomplete datagram is dropped. */
  readonly timeoutNs: bigint;
  /** Datagrams in progress at once; the oldest is dropped beyond it. */
  readonly maxDatagrams: number;
  /** Fragment bytes held at once; the oldest datagrams are dropped beyond it. */
  readonly maxBytes: number;
  /** The largest reassembled datagram payload accepted. */
  readonly maxDatagramBytes: number;
}

/** 60 s, 4096 datagrams, 32 MiB, 65535-byte datagrams. */
export const DEFAULT_FRAGMENT_LIMITS: FragmentLimits = {
  timeoutNs: 60_000_000_000n,
  maxDatagrams: 4096,
  maxBytes: 32 * 1024 * 1024,
  maxDatagramBytes: 65535,
};

interface Piece {
  readonly off: number;
  readonly bytes: Uint8Array;
}

interface Pending<M> {
  readonly firstTs: bigint;
  readonly pieces: Piece[];
  /** Payload length, known once the last fragment (more = false) arrives; -1 until then. */
  total: number;
  held: number;
  meta: M;
  metaFromFirst: boolean;
}

/** What `add` did with a fragment. */
export type FragmentResult<M> =
  | { readonly kind: 'held' }
  | { readonly kind: 'complete'; readonly payload: Uint8Array; readonly meta: M; readonly fragments: number }
  | { readonly kind: 'too-large' };

const HELD = { kind: 'held' } as const;
const TOO_LARGE = { kind: 'too-large' } as const;

/**
 * Collects fragments by key until a datagram is whole. `M` is what the caller needs back with
 * the datagram (taken from the offset-0 fragment, e.g. IPv6's next header). Dropped datagrams
 * (timed out, evicted, left at the end) are reported to `onDrop` with their fragment count.
 */
export class FragmentReassembler<M> {
  private readonly pending = new Map<string, Pending<M>>();
  private bytes = 0;

  /** `onDrop(fragments)` is called once per datagram that will never complete. */
  constructor(
    private readonly onDrop: (fragments: number) => void,
    private readonly limits: FragmentLimits = DEFAULT_FRAGMENT_LIMITS,
  ) {}

  /** Datagrams in progress. */
  get size(): number {
    return this.pending.size;
  }

  /**
   * Adds one fragment (`data` is copied). `offset` is in bytes, `more` the more-fragments flag,
   * `meta` is kept from the offset-0 fragment. Returns the whole payload when this fragment
   * completes its datagram.
   */
  add(key: string, offset: number, more: boolean, data: Uint8Array, ts: bigint, meta: M): FragmentResult<M> {
    this.expire(ts);
    if (offset + data.length > this.limits.maxDatagramBytes) return TOO_LARGE;
    let p = this.pending.get(key);
    if (p === undefined) {
      p = { firstTs: ts, pieces: [], total: -1, held: 0, meta, metaFromFirst: offset === 0 };
      this.pending.set(key, p);
    } else if (offset === 0 && !p.metaFromFirst) {
      p.meta = meta;
      p.metaFromFirst = true;
    }
    p.pieces.push({ off: offset, bytes: data.slice() });
    p.held += data.length;
    this.bytes += data.length;
    if (!more) p.total = offset + data.length;
    if (p.total >= 0) {
      const whole = this.assemble(p);
      if (whole !== null) {
        this.pending.delete(key);
        this.bytes -= p.held;
        return { kind: 'complete', payload: whole, meta: p.meta, fragments: p.pieces.length };
      }
    }
    this.enforceLimits();
    return HELD;
  }

  /** Drops datagrams whose first fragment is older than the timeout at capture time `ts`. */
  expire(ts: bigint): void {
    if (this.pending.size === 0) return;
    const limit = ts - this.limits.timeoutNs;
    // Insertion order is first-fragment order, so the oldest come first.
    for (const [key, p] of this.pending) {
      if (p.firstTs > limit) break;
      this.drop(key, p);
    }
  }

  /** Drops everything still pending (end of input). */
  flush(): void {
    for (const [key, p] of this.pending) this.drop(key, p);
  }

  private drop(key: string, p: Pending<M>): void {
    this.pending.delete(key);
    this.bytes -= p.held;
    this.onDrop(p.pieces.length);
  }

  /** Drops the oldest datagrams (possibly the one just added to) until within limits. */
  private enforceLimits(): void {
    while (this.pending.size > this.limits.maxDatagrams || this.bytes > this.limits.maxBytes) {
      const first = this.pending.entries().next();
      if (first.done === true) return;
      this.drop(first.value[0], first.value[1]);
    }
  }

  /** The payload when pieces cover [0, total) without a hole, else null. */
  private assemble(p: Pending<M>): Uint8Array | null {
    const total = p.total;
    if (p.held < total) return null;
    const sorted = p.pieces.slice().sort((a, b) => a.off - b.off);
    let covered = 0;
    for (const s of sorted) {
      if (s.off > covered) return null;
      const e = s.off + s.bytes.length;
      if (e > covered) covered = e;
    }
    if (covered < total) return null;
    const out = new Uint8Array(total);
    // Write in reverse arrival order so the first-received bytes of an overlap win.
    for (let i = p.pieces.length - 1; i >= 0; i--) {
      const s = p.pieces[i]!;
      const room = total - s.off;
      if (room <= 0) continue;
      out.set(s.bytes.length > room ? s.bytes.subarray(0, room) : s.bytes, s.off);
    }
    return out;
  }
}
