/**
 * IPv4 header decoding, following RFC 791 §3.1 (header layout, IHL options, fragmentation
 * fields). Addresses are printed as dotted quads.
 */

/** The fields of one IPv4 header that later stages need. Reused between packets: read it, then forget it. */
export interface Ipv4Header {
  /** The source address as an int32 (its text, when needed, from `ipv4KeyText`). */
  srcKey: number;
  dstKey: number;
  protocol: number;
  id: number;
  /** Fragment offset in bytes. */
  fragOffset: number;
  /** More-fragments flag. */
  more: boolean;
  /** The upper-layer bytes present in the capture (Ethernet padding removed): `[payloadStart, payloadEnd)` of the decoded buffer. */
  payloadStart: number;
  payloadEnd: number;
  /** True when the capture holds fewer bytes than the total length says (snap length cut it). */
  truncated: boolean;
  /** True when the total length was 0 (segmentation offload on the capturing host) and was taken from the capture. */
  zeroLength: boolean;
}

/** A fresh scratch header for `decodeIpv4`. */
export function newIpv4Header(): Ipv4Header {
  return {
    srcKey: 0,
    dstKey: 0,
    protocol: 0,
    id: 0,
    fragOffset: 0,
    more: false,
    payloadStart: 0,
    payloadEnd: 0,
    truncated: false,
    zeroLength: false,
  };
}

const OCTET: string[] = Array.from({ length: 256 }, (_, i) => String(i));
const cache = new Map<number, string>();
const CACHE_MAX = 65536;

/** The 4 address bytes at `at` as an int32 (a small integer to V8: no heap number, cheap to hash). */
export function ipv4Key(b: Uint8Array, at: number): number {
  return (b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!;
}

/** The dotted-quad text of the 4 bytes at `at`. */
export function ipv4Text(b: Uint8Array, at: number): string {
  return ipv4KeyText(ipv4Key(b, at));
}

/**
 * The dotted-quad text of an address given as `ipv4Key` makes it. Cached by value: captures hold
 * few distinct addresses and each appears in many connections, so a Map lookup beats rebuilding
 * the string. (Packets carry the key; the text is made only where an address is shown or kept.)
 */
export function ipv4KeyText(key: number): string {
  let s = cache.get(key);
  if (s === undefined) {
    s = `${OCTET[key >>> 24]!}.${OCTET[(key >>> 16) & 255]!}.${OCTET[(key >>> 8) & 255]!}.${OCTET[key & 255]!}`;
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(key, s);
  }
  return s;
}

/**
 * Decodes the IPv4 packet `ip[at, limit)` (default: all of `ip`) into `out`. Returns null on
 * success or the reason the packet cannot be used (to be counted as a skip); never throws. The
 * header checksum is not checked: captures taken on the sending host carry checksums the NIC fills
 * in later. (A range, not a view: the frame and its layers are read in place.)
 */
export function decodeIpv4(ip: Uint8Array, out: Ipv4Header, at = 0, limit = ip.length): string | null {
  const len = limit - at;
  if (len < 20) return 'ipv4 header truncated';
  const b0 = ip[at]!;
  if (b0 >> 4 !== 4) return 'ipv4 bad version';
  const ihl = (b0 & 0x0f) * 4;
  if (ihl < 20) return 'ipv4 bad header length';
  if (len < ihl) return 'ipv4 header truncated';
  let total = (ip[at + 2]! << 8) | ip[at + 3]!;
  out.zeroLength = total === 0;
  if (total === 0) total = len;
  else if (total < ihl) return 'ipv4 bad total length';
  out.truncated = total > len;
  const end = total < len ? total : len;
  const ff = (ip[at + 6]! << 8) | ip[at + 7]!;
  out.id = (ip[at + 4]! << 8) | ip[at + 5]!;
  out.more = (ff & 0x2000) !== 0;
  out.fragOffset = (ff & 0x1fff) * 8;
  out.protocol = ip[at + 9]!;
  out.srcKey = ipv4Key(ip, at + 12);
  out.dstKey = ipv4Key(ip, at + 16);
  out.payloadStart = at + ihl;
  out.payloadEnd = at + end;
  return null;
}
