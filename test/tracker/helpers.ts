/** Builds Announce records by hand for the tracker tests (values from the reference or scenario.md). */
import type { Announce, TrackerReply } from '../../src/announce/types.js';

/** The fields a tracker test sets; everything else gets a neutral default. */
export interface AnnounceSpec {
  ts: bigint | string;
  infoHash?: Uint8Array | string | null;
  peerId?: Uint8Array | string | null;
  ip?: string;
  forwardedFor?: string | null;
  port?: number | null;
  uploaded?: bigint | null;
  downloaded?: bigint | null;
  left?: bigint | null;
  event?: string | null;
  passkey?: string | null;
  errors?: string[];
  /** A reply: `true` = accepted with `interval`, a string = failure reason, null/undefined = none. */
  reply?: { interval?: number; minInterval?: number; failure?: string; status?: number } | null;
}

/** ISO time (UTC) to ns. */
export function ns(iso: string): bigint {
  const m = /^(.*?)(?:\.(\d+))?Z$/.exec(iso);
  if (m === null) throw new Error(iso);
  const base = BigInt(Date.parse(`${m[1]}Z`)) * 1_000_000n;
  const frac = (m[2] ?? '').padEnd(9, '0').slice(0, 9);
  return base + BigInt(frac);
}

const enc = new TextEncoder();
function bytes(x: Uint8Array | string): Uint8Array {
  if (typeof x !== 'string') return x;
  if (/^[0-9a-f]{40}$/.test(x)) return Uint8Array.from(x.match(/../g)!.map((h) => parseInt(h, 16)));
  return enc.encode(x);
}

function reply(r: NonNullable<AnnounceSpec['reply']>, ts: bigint): TrackerReply {
  return {
    status: r.status ?? 200,
    failure: r.failure ?? null,
    warning: null,
    interval: r.failure !== undefined ? null : (r.interval ?? 1800),
    minInterval: r.minInterval ?? null,
    complete: null,
    incomplete: null,
    downloaded: null,
    trackerId: null,
    externalIp: null,
    peers: [],
    peerForms: [],
    problems: [],
    ts,
  };
}

/** An Announce from a spec. */
export function ann(s: AnnounceSpec): Announce {
  const ts = typeof s.ts === 'string' ? ns(s.ts) : s.ts;
  return {
    kind: 'announce',
    origin: { file: 'test', packet: null, line: null, offset: 0 },
    ts,
    transport: 'http',
    client: { ip: s.ip ?? '10.0.0.1', port: 40000 },
    tracker: { ip: '10.0.0.254', port: 80 },
    forwardedFor: s.forwardedFor ?? null,
    path: '/announce',
    target: '/announce?…',
    httpVersion: '1.1',
    userAgent: null,
    infoHash: s.infoHash === null ? null : bytes(s.infoHash ?? 'aaaaaaaaaaaaaaaaaaaa'),
    peerId: s.peerId === null ? null : bytes(s.peerId ?? '-TR3000-000000000000'),
    port: s.port === undefined ? 51413 : s.port,
    uploaded: s.uploaded === undefined ? 0n : s.uploaded,
    downloaded: s.downloaded === undefined ? 0n : s.downloaded,
    left: s.left === undefined ? 100n : s.left,
    event: s.event ?? null,
    numwant: null,
    key: null,
    passkey: s.passkey ?? null,
    params: [],
    errors: s.errors ?? [],
    reply: s.reply === undefined || s.reply === null ? null : reply(s.reply, ts),
    proxyMerged: false,
  };
}

/** Seconds to ns from a fixed epoch, for short synthetic sequences. */
export function at(seconds: number): bigint {
  return 1_000_000_000_000_000_000n + BigInt(Math.round(seconds * 1e3)) * 1_000_000n;
}
