/**
 * Writes fixtures/anatomy.pcap: the three announces quoted on TBSource's "Anatomy of a torrent
 * session" page (anatomy.php, "Updated to reflect the tracker changes. 14-04-2004"), byte for byte,
 * as three real-looking HTTP/1.1 (RFC 9112) TCP conversations with TBSource-style bencoded
 * (BEP 3) replies. Deterministic: the same bytes on every run. See fixtures/ANATOMY.md.
 *
 * Usage: node dist/tools/make-anatomy-pcap.js fixtures/anatomy.pcap
 */

import { pathToFileURL } from 'node:url';
import { PcapWriter } from '../capture/pcap-writer.js';
import { ipv4, mac, synthConversation, type SynthFrame, type SynthHost } from './synth-tcp.js';

const QUERY_HEAD =
  'info_hash=c%97%91%C5jG%951%BE%C7M%F9%BFa%03%F2%2C%ED%EE%0F&peer_id=S588-----gqQ8TqDeqaY&port=6882';

/** The three request targets exactly as the page prints them (its spaces are line wrapping). */
export const ANATOMY_TARGETS: readonly string[] = [
  `/announce.php?${QUERY_HEAD}&uploaded=0&downloaded=0&left=753690875&event=started`,
  `/announce.php?${QUERY_HEAD}&uploaded=67960832&downloaded=40828928&left=715417851&numwant=0`,
  `/announce.php?${QUERY_HEAD}&uploaded=754384896&downloaded=754215163&left=0&numwant=0&event=completed`,
];

/** When each announce's SYN leaves the client: 2004-04-14 21:00, 21:15 and 21:30 UTC, in ns. */
export const ANATOMY_TIMES: readonly bigint[] = [
  Date.UTC(2004, 3, 14, 21, 0, 0),
  Date.UTC(2004, 3, 14, 21, 15, 0),
  Date.UTC(2004, 3, 14, 21, 30, 0),
].map((ms) => BigInt(ms) * 1_000_000n);

/** The tracker's name in the Host header (RFC 2606 reserved), and the client's User-Agent. */
export const ANATOMY_HOST = 'tracker.example.org';
/** zurllib (John "TheSHAD0W" Hoffman) sends `BitTorrent/` + the version string, here S-5.8.8. */
export const ANATOMY_USER_AGENT = 'BitTorrent/S-5.8.8';

/** The other peer TBSource lists in its reply to `started` (numwant absent, so up to 50). */
export const ANATOMY_OTHER_PEER = { ip: '203.0.113.57', peerId: '-AZ2084-k2Xw9QfT0b3L', port: 6881 } as const;

// Shad0w's 5.8.8 (Windows, Python 2.3): httplib's putrequest adds Host and, before Python 2.4's
// skip_accept_encoding, always `Accept-Encoding: identity`; zurllib's own headers follow in
// Python 2.3 dict order (Accept-Encoding hashes to slot 5, User-Agent to slot 7).
function request(target: string): string {
  return (
    `GET ${target} HTTP/1.1\r\n` +
    `Host: ${ANATOMY_HOST}\r\n` +
    'Accept-Encoding: identity\r\n' +
    'Accept-Encoding: gzip\r\n' +
    `User-Agent: ${ANATOMY_USER_AGENT}\r\n` +
    '\r\n'
  );
}

// TBSource announce.php builds the reply by hand: d8:interval i1800e 5:peers l (one dict per
// other connectable peer: ip, peer id, port) e e, then benc_resp_raw() sets Content-Type
// text/plain and Pragma no-cache. Apache 1.3 with KeepAlive Off closes after the body.
function reply(ts: bigint, withPeer: boolean): string {
  const p = ANATOMY_OTHER_PEER;
  const peers = withPeer
    ? `d2:ip${p.ip.length}:${p.ip}7:peer id20:${p.peerId}4:porti${p.port}ee`
    : '';
  const body = `d8:intervali1800e5:peersl${peers}ee`;
  return (
    'HTTP/1.1 200 OK\r\n' +
    `Date: ${new Date(Number(ts / 1_000_000n)).toUTCString()}\r\n` +
    'Server: Apache/1.3.29 (Unix) PHP/4.3.5\r\n' +
    'X-Powered-By: PHP/4.3.5\r\n' +
    'Pragma: no-cache\r\n' +
    'Connection: close\r\n' +
    'Content-Type: text/plain\r\n' +
    '\r\n' +
    body
  );
}

const latin1 = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'latin1'));

/** Every frame of the fixture, in capture order. */
export function buildAnatomyFrames(): SynthFrame[] {
  // Documentation addresses (RFC 5737): client 192.0.2.10, tracker 198.51.100.1. MAC prefixes are
  // real vendors' (ASUSTek NIC, Netgear router) so dissectors print something ordinary.
  const client = (port: number): SynthHost => ({
    mac: mac('00:0c:6e:5a:10:02'), ip: ipv4('192.0.2.10'), port, ttl: 128, window: 64240,
  });
  const tracker: SynthHost = {
    mac: mac('00:09:5b:2c:41:01'), ip: ipv4('198.51.100.1'), port: 80, ttl: 52, window: 5840,
  };
  const frames: SynthFrame[] = [];
  ANATOMY_TARGETS.forEach((target, i) => {
    const start = ANATOMY_TIMES[i];
    frames.push(
      ...synthConversation({
        client: client(12345 + i),
        server: tracker,
        clientIsn: 0x3a1c0000 + i * 0x01234567,
        serverIsn: 0x8e42b000 + i * 0x00fedcba,
        clientIpId: 0x1f40 + i * 0x300,
        serverIpId: 0x5a10 + i * 0x51,
        start,
        rttNs: 48_300_000n, // a 2004 ADSL line to a hosted server
        mss: 1460,
        closeBy: 'server',
        exchanges: [{
          request: latin1(request(target)),
          response: latin1(reply(start, i === 0)),
          serverNs: 2_100_000n,
        }],
      }),
    );
  });
  return frames;
}

/** Writes the fixture to `path` (µs pcap, Ethernet); returns the number of packets. */
export function writeAnatomyPcap(path: string): number {
  const w = PcapWriter.create(path, { precision: 'us', snaplen: 65535 });
  for (const f of buildAnatomyFrames()) w.write(f.ts, f.frame);
  w.close();
  return w.packets;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const out = process.argv[2] ?? 'fixtures/anatomy.pcap';
  const n = writeAnatomyPcap(out);
  process.stdout.write(`${out}: ${n} packets\n`);
}
