/**
 * UDP header (RFC 768): ports and payload, for BEP 15 tracker traffic.
 */

/** Ports and payload view of a UDP datagram, or null when the header is unusable. */
export interface UdpHeader {
  readonly srcPort: number;
  readonly dstPort: number;
  readonly payload: Uint8Array;
}

/** Decodes the 8-byte UDP header; the payload is cut to the header's length when the frame is longer (Ethernet padding). */
export function decodeUdp(bytes: Uint8Array): UdpHeader | null {
  if (bytes.length < 8) return null;
  const srcPort = (bytes[0]! << 8) | bytes[1]!;
  const dstPort = (bytes[2]! << 8) | bytes[3]!;
  const length = (bytes[4]! << 8) | bytes[5]!;
  // length 0 is legal for IPv6 jumbograms; otherwise trust it unless it overruns the capture
  const end = length >= 8 && length <= bytes.length ? length : bytes.length;
  return { srcPort, dstPort, payload: bytes.subarray(8, end) };
}
