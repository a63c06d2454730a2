/**
 * Benchmark capture generator: a large, deterministic pcap of HTTP/1.1 (RFC 9112) tracker traffic
 * (BEP 3 announces, BEP 23 compact replies, nginx-style chunked bodies) among many peers and
 * torrents, with the TCP awkwardness real captures have (split requests, reordering,
 * retransmissions) and some non-HTTP traffic the pipeline must skip. Frames are streamed to disk
 * through PcapWriter, so memory stays flat whatever the size.
 *
 * Usage: node dist/bench/generate.js <out.pcap> [--size MB] [--seed N] [--churn]
 */

import { pathToFileURL } from 'node:url';
import { PcapWriter } from '../capture/pcap-writer.js';
import { ipv4, mac, synthConversation, udpFrame, type SynthExchange, type SynthFrame, type SynthHost } from '../tools/synth-tcp.js';

/** What to generate. */
export interface BenchOptions {
  /** Stop starting new connections once the file reaches this size (it ends slightly above). */
  readonly targetBytes: number;
  /** PRNG seed: the same seed and size give the same file, byte for byte. */
  readonly seed: number;
  /** Distinct peers (default 20000) and torrents (default 2000). */
  readonly peers?: number;
  readonly torrents?: number;
  /**
   * Peers restart with fresh peer_ids, as real clients do (libtorrent, Transmission: a new random
   * peer_id on every start): a torrent that stopped comes back under a new one. Its sessions are
   * shorter (a stop on one announce in 5) and the clock runs at a tracker's pace (each peer's
   * torrent announces about every 30 min), so the capture spans hours of many (torrent, peer_id)
   * pairs that never come back. Default off: the default capture stays the same, byte for byte.
   */
  readonly churn?: boolean;
}

/** What was written, for checking the pipeline's counts against. */
export interface BenchSummary {
  readonly fileBytes: number;
  readonly packets: number;
  /** HTTP announce requests written (each exactly once, retransmissions not counted). */
  readonly announces: number;
  /** HTTP responses written (one per announce). */
  readonly responses: number;
  readonly trackerConnections: number;
  readonly splitRequests: number;
  readonly reorderedRequests: number;
  readonly retransmissions: number;
  /** Packets that are not tracker HTTP (peer-wire TCP, DNS over UDP). */
  readonly otherPackets: number;
}

/** sfc32: small, fast, good enough, and the same in every JS engine. */
function prng(seed: number): () => number {
  let a = 0x9e3779b9, b = 0x243f6a88, c = 0xb7e15162, d = seed >>> 0;
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 15; i++) next();
  return next;
}

interface ClientKind {
  readonly prefix: string;
  readonly agent: string;
  readonly extra: string;
}

// Real clients' peer-id prefixes, User-Agents and their extra query parameters.
const CLIENTS: readonly ClientKind[] = [
  { prefix: '-TR4050-', agent: 'Transmission/4.0.5', extra: '&numwant=80&key=%KEY%&compact=1&supportcrypto=1' },
  { prefix: '-qB4620-', agent: 'qBittorrent/4.6.2', extra: '&corrupt=0&key=%KEY%&numwant=200&compact=1&no_peer_id=1&supportcrypto=1&redundant=0' },
  { prefix: '-lt0D80-', agent: 'rtorrent/0.9.8/0.13.8', extra: '&key=%KEY%&numwant=50&compact=1&no_peer_id=1' },
  { prefix: 'A2-1-37-0-', agent: 'aria2/1.37.0', extra: '&compact=1&key=%KEY%&numwant=50&no_peer_id=1&supportcrypto=1' },
];
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const TORRENTS_PER_PEER = 3;
/** With churn: the chance that an announce of a running torrent is its `stopped`. */
const CHURN_STOP_CHANCE = 0.2;

/** BEP 3 "escaped": unreserved bytes stay, everything else becomes %XX (uppercase, as libtorrent and Transmission do). */
function escapeBytes(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) {
    const c = String.fromCharCode(b);
    s += /[A-Za-z0-9.\-_~]/.test(c) ? c : '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return s;
}

const latin1 = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'latin1'));

/**
 * Writes the benchmark capture to `path` and says what is in it. Synchronous, flat memory: at most
 * a few dozen connections' frames are held at once.
 */
export function generateBenchCapture(path: string, opts: BenchOptions): BenchSummary {
  const rnd = prng(opts.seed);
  const int = (n: number): number => Math.floor(rnd() * n);
  const nPeers = opts.peers ?? 20000;
  const nTorrents = opts.torrents ?? 2000;
  const churn = opts.churn === true;
  const stopChance = churn ? CHURN_STOP_CHANCE : 0.05;
  // ns between new connections, up to: with churn about 2.35 announces per connection, one each
  // 1800 s for each of the peers' torrents
  const connectionGapNs = churn ? Math.round((2 * 1800e9 * 2.35) / (nPeers * TORRENTS_PER_PEER)) : 400_000;

  const torrentSize = new Float64Array(nTorrents);
  const torrentHash: string[] = [];
  for (let t = 0; t < nTorrents; t++) {
    torrentSize[t] = 16384 * (2000 + int(500000)); // 32 MiB .. 8 GiB
    torrentHash.push(escapeBytes(Uint8Array.from({ length: 20 }, () => int(256))));
  }
  const peerClient = new Uint8Array(nPeers);
  const peerId: string[] = [];
  const peerKey: string[] = [];
  const slot = (p: number, k: number): number => p * TORRENTS_PER_PEER + k;
  const torrentOf = new Uint32Array(nPeers * TORRENTS_PER_PEER);
  const uploaded = new Float64Array(nPeers * TORRENTS_PER_PEER);
  const downloaded = new Float64Array(nPeers * TORRENTS_PER_PEER);
  const left = new Float64Array(nPeers * TORRENTS_PER_PEER);
  const running = new Uint8Array(nPeers * TORRENTS_PER_PEER);
  /** With churn: the peer_id each peer's torrent announces with (a new one at each start). */
  const slotPeerId: string[] = [];
  const freshPeerId = (prefix: string): string => {
    let id = prefix;
    while (id.length < 20) id += ALNUM[int(ALNUM.length)];
    return id;
  };
  for (let p = 0; p < nPeers; p++) {
    const kind = CLIENTS[int(CLIENTS.length)];
    peerClient[p] = CLIENTS.indexOf(kind);
    peerId.push(escapeBytes(latin1(freshPeerId(kind.prefix))));
    peerKey.push((int(0x7fffffff) >>> 0).toString(16).toUpperCase().padStart(8, '0'));
    for (let k = 0; k < TORRENTS_PER_PEER; k++) torrentOf[slot(p, k)] = int(nTorrents);
  }

  const gateway = mac('00:1b:21:3a:4f:01');
  const tracker: SynthHost = { mac: mac('00:16:3e:11:22:33'), ip: ipv4('10.255.0.1'), port: 80, ttl: 64, window: 65160 };
  const peerHost = (p: number, port: number): SynthHost => ({
    mac: gateway, ip: (0x0a000000 + 256 + p) >>> 0, port, ttl: 61, window: 64240,
  });

  const w = PcapWriter.create(path, { precision: 'us', snaplen: 262144 });
  let announces = 0, conns = 0, split = 0, reordered = 0, retrans = 0, other = 0;
  let ipId = 1;

  const announce = (p: number, ts: bigint): SynthExchange => {
    const k = int(TORRENTS_PER_PEER);
    const s = slot(p, k);
    const t = torrentOf[s];
    let event = '';
    if (!running[s]) {
      running[s] = 1;
      if (churn) slotPeerId[s] = escapeBytes(latin1(freshPeerId(CLIENTS[peerClient[p]].prefix)));
      uploaded[s] = 0;
      downloaded[s] = 0;
      left[s] = rnd() < 0.2 ? 0 : torrentSize[t];
      event = 'started';
    } else if (rnd() < stopChance) {
      running[s] = 0;
      event = 'stopped';
    } else {
      const got = Math.min(left[s], 16384 * int(20000));
      downloaded[s] += got;
      uploaded[s] += 16384 * int(12000);
      if (left[s] > 0 && got === left[s]) event = 'completed';
      left[s] -= got;
    }
    const kind = CLIENTS[peerClient[p]];
    const port = 51413 + (p % 1000);
    const query =
      `info_hash=${torrentHash[t]}&peer_id=${churn ? slotPeerId[s] : peerId[p]}&port=${port}` +
      `&uploaded=${uploaded[s]}&downloaded=${downloaded[s]}&left=${left[s]}` +
      kind.extra.replace('%KEY%', peerKey[p]) + (event ? `&event=${event}` : '');
    const request = latin1(
      `GET /announce?${query} HTTP/1.1\r\nHost: tracker.example.net\r\nUser-Agent: ${kind.agent}\r\n` +
      'Accept: */*\r\nAccept-Encoding: gzip;q=1.0, deflate, identity\r\n\r\n',
    );
    const nPeersBack = event === 'stopped' ? 0 : int(51);
    const peers = new Uint8Array(6 * nPeersBack);
    for (let i = 0; i < nPeersBack; i++) {
      const q = int(nPeers);
      const ip = 0x0a000000 + 256 + q;
      peers.set([ip >>> 24, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255, (51413 + (q % 1000)) >>> 8, (51413 + (q % 1000)) & 255], i * 6);
    }
    const body = Buffer.concat([
      Buffer.from(`d8:completei${int(400)}e10:incompletei${int(90)}e8:intervali1800e12:min intervali900e5:peers${peers.length}:`, 'latin1'),
      peers,
      Buffer.from('e', 'latin1'),
    ]);
    const head =
      'HTTP/1.1 200 OK\r\nServer: nginx/1.24.0\r\n' +
      `Date: ${new Date(Number(ts / 1_000_000n)).toUTCString()}\r\n` +
      'Content-Type: text/plain; charset=utf-8\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive\r\n\r\n' +
      `${body.length.toString(16)}\r\n`;
    const response = Buffer.concat([Buffer.from(head, 'latin1'), body, Buffer.from('\r\n0\r\n\r\n', 'latin1')]);
    announces++;
    const x: { -readonly [K in keyof SynthExchange]: SynthExchange[K] } = {
      request, response: Uint8Array.from(response), gapNs: BigInt(50_000 + int(2_000_000)), serverNs: BigInt(200_000 + int(3_000_000)),
    };
    if (rnd() < 0.1) {
      // Clients that write the request line and the headers separately.
      x.requestSplits = [20 + int(request.length - 40)];
      split++;
      if (rnd() < 0.2) { x.reorderRequest = true; reordered++; }
    }
    if (rnd() < 0.01) { x.retransmitRequest = true; retrans++; }
    if (rnd() < 0.01) { x.retransmitResponse = true; retrans++; }
    return x;
  };

  const newConversation = (start: bigint): SynthFrame[] => {
    const roll = rnd();
    const p = int(nPeers);
    const client = peerHost(p, 32768 + int(28000));
    if (roll < 0.04) {
      // Peer wire (BEP 3) between two peers: must be recognised as not HTTP and skipped.
      const q = int(nPeers);
      const hs = latin1('\x13BitTorrent protocol\0\0\0\0\0\x10\0\x05' + 'x'.repeat(40));
      const data = Uint8Array.from({ length: 16384 * (1 + int(4)) }, () => int(256));
      const frames = synthConversation({
        client, server: peerHost(q, 51413 + (q % 1000)), clientIsn: int(2 ** 32), serverIsn: int(2 ** 32),
        clientIpId: int(65536), serverIpId: int(65536), start, rttNs: BigInt(20_000_000 + int(80_000_000)),
        mss: 1448, closeBy: 'client', exchanges: [{ request: hs, response: Buffer.concat([hs, data]) }],
      });
      other += frames.length;
      return frames;
    }
    if (roll < 0.06) {
      // DNS over UDP (RFC 1035): a query and its answer for the tracker's name.
      const dns: SynthHost = { mac: gateway, ip: ipv4('10.255.0.53'), port: 53, ttl: 64, window: 0 };
      const question = '\x07tracker\x07example\x03net\0\0\x01\0\x01';
      const id = String.fromCharCode(int(256), int(256));
      const query = latin1(`${id}\x01\x00\0\x01\0\0\0\0\0\0${question}`);
      const answer = latin1(`${id}\x81\x80\0\x01\0\x01\0\0\0\0${question}\xc0\x0c\0\x01\0\x01\0\0\x01\x2c\0\x04\x0a\xff\0\x01`);
      other += 2;
      return [
        { ts: start, frame: udpFrame(client, dns, ipId++, query) },
        { ts: start + 900_000n, frame: udpFrame(dns, client, ipId++, answer) },
      ];
    }
    conns++;
    const exchanges: SynthExchange[] = [];
    const n = 1 + int(4);
    for (let i = 0; i < n; i++) exchanges.push(announce(p, start));
    return synthConversation({
      client, server: tracker, clientIsn: int(2 ** 32), serverIsn: int(2 ** 32),
      clientIpId: int(65536), serverIpId: int(65536), start, rttNs: BigInt(5_000_000 + int(60_000_000)),
      mss: 1448, closeBy: rnd() < 0.5 ? 'client' : 'server', exchanges,
    });
  };

  // Keep POOL connections open at once and merge their frames by time, so flows interleave the
  // way they do on a busy tracker's link.
  const POOL = 48;
  let clock = BigInt(Date.UTC(2024, 0, 15, 12, 0, 0)) * 1_000_000n;
  const pool: { frames: SynthFrame[]; i: number }[] = [];
  for (let i = 0; i < POOL; i++) pool.push({ frames: newConversation((clock += BigInt(int(3_000_000)))), i: 0 });
  while (pool.length > 0) {
    let best = 0;
    for (let i = 1; i < pool.length; i++) {
      if (pool[i].frames[pool[i].i].ts < pool[best].frames[pool[best].i].ts) best = i;
    }
    const c = pool[best];
    const f = c.frames[c.i++];
    w.write(f.ts, f.frame);
    if (c.i === c.frames.length) {
      if (w.bytes < opts.targetBytes) {
        clock = (f.ts > clock ? f.ts : clock) + BigInt(int(connectionGapNs));
        pool[best] = { frames: newConversation(clock), i: 0 };
      } else {
        pool.splice(best, 1);
      }
    }
  }
  w.close();
  return {
    fileBytes: w.bytes, packets: w.packets, announces, responses: announces, trackerConnections: conns,
    splitRequests: split, reorderedRequests: reordered, retransmissions: retrans, otherPackets: other,
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const opt = (name: string, dflt: number): number => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args.splice(i, 2)[1]) : dflt;
  };
  const mb = opt('--size', 1024);
  const seed = opt('--seed', 1);
  const churnAt = args.indexOf('--churn');
  const churn = churnAt >= 0;
  if (churn) args.splice(churnAt, 1);
  const out = args[0];
  if (out === undefined) {
    process.stderr.write('usage: generate.js <out.pcap> [--size MB] [--seed N] [--churn]\n');
    process.exitCode = 2;
  } else {
    process.stdout.write(JSON.stringify(generateBenchCapture(out, { targetBytes: mb * 1024 * 1024, seed, churn })) + '\n');
  }
}
