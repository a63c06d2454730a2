/**
 * IPv6 header and extension-header walking, following RFC 8200 §3-4 (hop-by-hop 0, routing 43,
 * fragment 44, destination options 60), RFC 4302 §2 (AH 51, whose length is in 4-byte units) and
 * RFC 6946 (atomic fragments). Addresses are printed per RFC 5952 §4.
 */

/** The fields of one IPv6 packet that later stages need. Reused between packets. */
export interface Ipv6Header {
  src: string;
  dst: string;
  /** The addresses hashed to int32s (`ipv6Key`), for lookups. */
  srcKey: number;
  dstKey: number;
  /** Upper-layer protocol after the extension headers (or the fragment header's next header). */
  protocol: number;
  /** Upper-layer bytes, or for a fragment the fragmentable part after the fragment header. */
  payload: Uint8Array;
  truncated: boolean;
  /** True when a (non-atomic) fragment header was found; the fields below are then set. */
  fragment: boolean;
  fragId: number;
  fragOffset: number;
  more: boolean;
}

/** A fresh scratch header for `decodeIpv6`. */
export function newIpv6Header(): Ipv6Header {
  return {
    src: '',
    dst: '',
    srcKey: 0,
    dstKey: 0,
    protocol: 0,
    payload: new Uint8Array(0),
    truncated: false,
    fragment: false,
    fragId: 0,
    fragOffset: 0,
    more: false,
  };
}

const MAX_EXTENSIONS = 16;

/**
 * Decodes the IPv6 packet at the start of `ip` into `out`, walking extension headers up to the
 * upper layer or a fragment header. Returns null on success or a skip reason; never throws.
 */
export function decodeIpv6(ip: Uint8Array, out: Ipv6Header): string | null {
  const len = ip.length;
  if (len < 40) return 'ipv6 header truncated';
  if (ip[0]! >> 4 !== 6) return 'ipv6 bad version';
  const plen = (ip[4]! << 8) | ip[5]!;
  // Payload length 0: a jumbogram, or a segmentation-offloaded packet seen on the sending host.
  const total = plen === 0 ? len : 40 + plen;
  out.truncated = total > len;
  const end = total < len ? total : len;
  out.src = ipv6Text(ip, 8);
  out.dst = ipv6Text(ip, 24);
  out.srcKey = ipv6Key(ip, 8);
  out.dstKey = ipv6Key(ip, 24);
  out.fragment = false;
  return walkExtensions(ip, 40, end, ip[6]!, out);
}

/**
 * Walks extension headers from `at` (whose type is `nh`) up to `end`, setting `protocol` and
 * `payload` (and the fragment fields when a fragment header stops the walk). Also used on a
 * reassembled fragmentable part, which may hold further headers.
 */
export function walkExtensions(ip: Uint8Array, at: number, end: number, nh: number, out: Ipv6Header): string | null {
  for (let i = 0; i < MAX_EXTENSIONS; i++) {
    switch (nh) {
      case 0:
      case 43:
      case 60:
      case 51: {
        if (at + 2 > end) return 'ipv6 extension header truncated';
        const hl = nh === 51 ? (ip[at + 1]! + 2) * 4 : (ip[at + 1]! + 1) * 8;
        nh = ip[at]!;
        at += hl;
        if (at > end) return 'ipv6 extension header truncated';
        continue;
      }
      case 44: {
        if (at + 8 > end) return 'ipv6 extension header truncated';
        const next = ip[at]!;
        const ff = (ip[at + 2]! << 8) | ip[at + 3]!;
        const offset = ff & 0xfff8;
        const more = (ff & 1) !== 0;
        at += 8;
        if (offset === 0 && !more) {
          // An atomic fragment (RFC 6946) is a whole packet: keep walking.
          nh = next;
          continue;
        }
        out.fragment = true;
        out.fragOffset = offset;
        out.more = more;
        out.fragId = ((ip[at - 4]! << 24) | (ip[at - 3]! << 16) | (ip[at - 2]! << 8) | ip[at - 1]!) >>> 0;
        out.protocol = next;
        out.payload = ip.subarray(at, end);
        return null;
      }
      case 50:
        return 'ipv6 esp (encrypted)';
      case 59:
        return 'ipv6 no next header';
      default:
        out.protocol = nh;
        out.payload = ip.subarray(at, end);
        return null;
    }
  }
  return 'ipv6 too many extension headers';
}

/**
 * The 16 address bytes at `at` hashed to an int32: equal addresses have equal keys, so a lookup
 * by key only compares the text of the few flows that share one.
 */
export function ipv6Key(b: Uint8Array, at: number): number {
  let h = 0;
  for (let i = at; i < at + 16; i += 4) {
    const w = (b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!;
    h = Math.imul(h ^ w, 0x9e3779b1);
    h ^= h >>> 15;
  }
  return h;
}

const RING = 16;
const ringBytes = new Uint8Array(RING * 16);
const ringText: string[] = new Array<string>(RING).fill('');
const ringUsed = new Uint8Array(RING);
let ringNext = 0;

/**
 * RFC 5952 text of the 16 bytes at `at`: lowercase, no leading zeros, the longest run (of two or
 * more) of zero groups as `::` (the first when tied), IPv4-mapped addresses as `::ffff:a.b.c.d`.
 * A small ring of recent addresses avoids rebuilding the strings of a flow's two endpoints.
 */
export function ipv6Text(b: Uint8Array, at: number): string {
  outer: for (let r = 0; r < RING; r++) {
    if (ringUsed[r] === 0) continue;
    const base = r * 16;
    for (let k = 15; k >= 0; k--) if (ringBytes[base + k] !== b[at + k]) continue outer;
    return ringText[r]!;
  }
  const s = formatIpv6(b, at);
  const r = ringNext;
  ringNext = (ringNext + 1) % RING;
  ringBytes.set(b.subarray(at, at + 16), r * 16);
  ringText[r] = s;
  ringUsed[r] = 1;
  return s;
}

function hex(x: number): string {
  return x.toString(16);
}

function formatIpv6(b: Uint8Array, at: number): string {
  const g = new Array<number>(8);
  for (let i = 0; i < 8; i++) g[i] = (b[at + 2 * i]! << 8) | b[at + 2 * i + 1]!;
  if (g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0xffff) {
    return `::ffff:${b[at + 12]}.${b[at + 13]}.${b[at + 14]}.${b[at + 15]}`;
  }
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestStart < 0) return g.map(hex).join(':');
  const head = g.slice(0, bestStart).map(hex).join(':');
  const tail = g.slice(bestStart + bestLen).map(hex).join(':');
  return `${head}::${tail}`;
}
