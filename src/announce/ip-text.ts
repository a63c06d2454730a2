/**
 * Address bytes to text for tracker replies and UDP messages: the network layer's formatting
 * (dotted quad; RFC 5952 for IPv6), so an address reads the same wherever it came from.
 */
import { ipv4Text as v4 } from '../net/ipv4.js';
import { ipv6Text as v6 } from '../net/ipv6.js';

/** Dotted quad of 4 bytes at `off`. */
export function ipv4Text(b: Uint8Array, off = 0): string {
  return v4(b, off);
}

/** RFC 5952 text of 16 bytes at `off`; IPv4-mapped addresses as ::ffff:a.b.c.d. */
export function ipv6Text(b: Uint8Array, off = 0): string {
  return v6(b, off);
}
