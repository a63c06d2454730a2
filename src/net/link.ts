/**
 * Link-layer decapsulation to the IP packet, for the link types listed at
 * https://www.tcpdump.org/linktypes.html: Ethernet II with IEEE 802.1Q / 802.1ad tags, Linux
 * cooked capture v1 and v2 (https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL.html, _SLL2),
 * BSD loopback NULL/LOOP (https://www.tcpdump.org/linktypes/LINKTYPE_NULL.html) and raw IP.
 */

import { unsupportedLinkTypeMessage } from '../capture/link-types.js';

/** The IP packet inside a frame, or why there is none. `ip` is a view into the frame. */
export type LinkResult = { ok: true; version: 4 | 6; ip: Uint8Array } | { ok: false; reason: string };

const ETH_IPV4 = 0x0800;
const ETH_IPV6 = 0x86dd;

// Reasons are constants so a skip does not build a string per frame.
const SHORT_ETHERNET: LinkResult = { ok: false, reason: 'ethernet frame truncated' };
const SHORT_SLL: LinkResult = { ok: false, reason: 'linux cooked header truncated' };
const SHORT_SLL2: LinkResult = { ok: false, reason: 'linux cooked v2 header truncated' };
const SHORT_NULL: LinkResult = { ok: false, reason: 'loopback header truncated' };
const EMPTY_RAW: LinkResult = { ok: false, reason: 'raw ip frame empty' };
const LLC: LinkResult = { ok: false, reason: 'non-ip 802.3 llc frame' };
const NON_IP_RAW: LinkResult = { ok: false, reason: 'raw frame is not ipv4 or ipv6' };

const nonIpCache = new Map<number, LinkResult>();
const unsupportedCache = new Map<number, LinkResult>();
const afCache = new Map<number, LinkResult>();

/** Frames of a non-IP ethertype, e.g. `non-ip ethertype 0x0806` (ARP). */
function nonIp(ethertype: number): LinkResult {
  let r = nonIpCache.get(ethertype);
  if (r === undefined) {
    r = { ok: false, reason: `non-ip ethertype 0x${ethertype.toString(16).padStart(4, '0')}` };
    nonIpCache.set(ethertype, r);
  }
  return r;
}

function unsupported(linkType: number): LinkResult {
  let r = unsupportedCache.get(linkType);
  if (r === undefined) {
    r = { ok: false, reason: unsupportedLinkTypeMessage(linkType) };
    unsupportedCache.set(linkType, r);
  }
  return r;
}

function nonIpFamily(af: number): LinkResult {
  let r = afCache.get(af);
  if (r === undefined) {
    r = { ok: false, reason: `non-ip address family ${af}` };
    afCache.set(af, r);
  }
  return r;
}

function byEthertype(ethertype: number, data: Uint8Array, at: number): LinkResult {
  if (ethertype === ETH_IPV4) return { ok: true, version: 4, ip: data.subarray(at) };
  if (ethertype === ETH_IPV6) return { ok: true, version: 6, ip: data.subarray(at) };
  return nonIp(ethertype);
}

/**
 * Finds the IP packet inside one captured frame of the given LINKTYPE. Never throws: frames that
 * carry no IP (ARP, LLC, other families) or are cut too short come back with a reason to count.
 */
export function linkPayload(linkType: number, data: Uint8Array): LinkResult {
  switch (linkType) {
    case 1:
      return ethernet(data);
    case 113: {
      // Linux SLL: 16 bytes, protocol (ethertype) in the last two.
      if (data.length < 16) return SHORT_SLL;
      return byEthertype((data[14]! << 8) | data[15]!, data, 16);
    }
    case 276: {
      // Linux SLL2: 20 bytes, protocol (ethertype) first.
      if (data.length < 20) return SHORT_SLL2;
      return byEthertype((data[0]! << 8) | data[1]!, data, 20);
    }
    case 0:
    case 108:
      return loopback(data);
    case 12:
    case 14:
    case 101: {
      if (data.length === 0) return EMPTY_RAW;
      const v = data[0]! >> 4;
      if (v === 4) return { ok: true, version: 4, ip: data };
      if (v === 6) return { ok: true, version: 6, ip: data };
      return NON_IP_RAW;
    }
    case 228:
      return { ok: true, version: 4, ip: data };
    case 229:
      return { ok: true, version: 6, ip: data };
    default:
      return unsupported(linkType);
  }
}

/** Ethernet II; VLAN tags (802.1Q 0x8100, 802.1ad 0x88a8, old QinQ 0x9100) may be stacked. */
function ethernet(data: Uint8Array): LinkResult {
  let at = 12;
  if (data.length < 14) return SHORT_ETHERNET;
  let type = (data[at]! << 8) | data[at + 1]!;
  while (type === 0x8100 || type === 0x88a8 || type === 0x9100) {
    at += 4;
    if (data.length < at + 2) return SHORT_ETHERNET;
    type = (data[at]! << 8) | data[at + 1]!;
  }
  // Values up to 1500 are an 802.3 length, followed by LLC: never IP on the networks we read.
  if (type <= 1500) return LLC;
  return byEthertype(type, data, at + 2);
}

/**
 * NULL (0) stores the address family in the capturing host's byte order, LOOP (108) in network
 * order; OpenBSD writes either under either name, so both orders are tried. AF_INET is 2 everywhere;
 * AF_INET6 is 24 (NetBSD, OpenBSD), 28 (FreeBSD), 30 (macOS) or 10 (Linux).
 */
function loopback(data: Uint8Array): LinkResult {
  if (data.length < 4) return SHORT_NULL;
  // A family fits in one byte: it sits in byte 0 (little-endian) or byte 3 (big-endian).
  const af = data[1] === 0 && data[2] === 0 && data[3] === 0 ? data[0]! : data[0] === 0 && data[1] === 0 && data[2] === 0 ? data[3]! : -1;
  if (af === 2) return { ok: true, version: 4, ip: data.subarray(4) };
  if (af === 24 || af === 28 || af === 30 || af === 10) return { ok: true, version: 6, ip: data.subarray(4) };
  if (af === -1) {
    const v = ((data[0]! << 24) | (data[1]! << 16) | (data[2]! << 8) | data[3]!) >>> 0;
    return nonIpFamily(v);
  }
  return nonIpFamily(af);
}
