/**
 * TCP header decoding, RFC 9293 §3.1 (https://www.rfc-editor.org/rfc/rfc9293#section-3.1).
 * Options are skipped, not parsed: reassembly needs only ports, sequence numbers and flags.
 * The checksum is not verified: captures taken on the sending host carry offloaded (unfilled)
 * checksums, so a check would reject good segments.
 */

/** FIN flag bit (no more data from the sender). */
export const TCP_FIN = 0x01;
/** SYN flag bit (synchronise sequence numbers). */
export const TCP_SYN = 0x02;
/** RST flag bit (reset the connection). */
export const TCP_RST = 0x04;
/** PSH flag bit. */
export const TCP_PSH = 0x08;
/** ACK flag bit (the acknowledgment field is significant). */
export const TCP_ACK = 0x10;
/** URG flag bit. */
export const TCP_URG = 0x20;

/** One decoded TCP segment. `payload` is a view into the caller's bytes: copy what you keep. */
export interface TcpSegment {
  readonly srcPort: number;
  readonly dstPort: number;
  /** Sequence number, uint32. */
  readonly seq: number;
  /** Acknowledgment number, uint32 (meaningful only with TCP_ACK). */
  readonly ack: number;
  /** The low 8 flag bits (TCP_FIN … TCP_URG, plus ECE/CWR). */
  readonly flags: number;
  /** Header length in bytes (data offset × 4), 20..60. */
  readonly headerLength: number;
  /** The segment's data after the header. */
  readonly payload: Uint8Array;
}

/**
 * Decodes the TCP header at the start of `bytes` (the IP payload). Returns null when the bytes
 * cannot be a TCP header: shorter than 20 bytes, data offset < 5, or a data offset that points
 * past the end. The caller counts that as 'bad tcp header'.
 */
export function decodeTcp(bytes: Uint8Array): TcpSegment | null {
  const out = newTcpSegment();
  return decodeTcpInto(bytes, out) ? out : null;
}

/** A TcpSegment that `decodeTcpInto` fills in, reused from packet to packet. */
export type TcpScratch = { -readonly [K in keyof TcpSegment]: TcpSegment[K] };

const EMPTY = new Uint8Array(0);

/** A fresh scratch segment for `decodeTcpInto`. */
export function newTcpSegment(): TcpScratch {
  return { srcPort: 0, dstPort: 0, seq: 0, ack: 0, flags: 0, headerLength: 0, payload: EMPTY };
}

/**
 * decodeTcp into a reused segment: false when `bytes` cannot be a TCP header. Most segments carry
 * no data (handshake, ACKs, FIN): they get a shared empty payload instead of a view of their own.
 */
export function decodeTcpInto(bytes: Uint8Array, out: TcpScratch): boolean {
  const h = RANGE_SCRATCH;
  if (!decodeTcpHeader(bytes, 0, bytes.length, h)) return false;
  out.srcPort = h.srcPort;
  out.dstPort = h.dstPort;
  out.seq = h.seq;
  out.ack = h.ack;
  out.flags = h.flags;
  out.headerLength = h.headerLength;
  out.payload = h.payloadStart === h.payloadEnd ? EMPTY : bytes.subarray(h.payloadStart);
  return true;
}

/** A TCP header read in place: the segment's data is `[payloadStart, payloadEnd)` of the buffer it was read from. */
export interface TcpHeader extends Omit<TcpScratch, 'payload'> {
  payloadStart: number;
  payloadEnd: number;
}

/** A fresh scratch header for `decodeTcpHeader`. */
export function newTcpHeader(): TcpHeader {
  return { srcPort: 0, dstPort: 0, seq: 0, ack: 0, flags: 0, headerLength: 0, payloadStart: 0, payloadEnd: 0 };
}

const RANGE_SCRATCH = newTcpHeader();

/**
 * Decodes the TCP header of the segment `bytes[start, end)` into `out`, without a view of its
 * data; false when the bytes cannot be a TCP header (as for decodeTcp).
 */
export function decodeTcpHeader(bytes: Uint8Array, start: number, end: number, out: TcpHeader): boolean {
  if (end - start < 20) return false;
  const headerLength = (bytes[start + 12]! >>> 4) * 4;
  if (headerLength < 20 || headerLength > end - start) return false;
  out.srcPort = (bytes[start]! << 8) | bytes[start + 1]!;
  out.dstPort = (bytes[start + 2]! << 8) | bytes[start + 3]!;
  out.seq = ((bytes[start + 4]! << 24) | (bytes[start + 5]! << 16) | (bytes[start + 6]! << 8) | bytes[start + 7]!) >>> 0;
  out.ack = ((bytes[start + 8]! << 24) | (bytes[start + 9]! << 16) | (bytes[start + 10]! << 8) | bytes[start + 11]!) >>> 0;
  out.flags = bytes[start + 13]!;
  out.headerLength = headerLength;
  out.payloadStart = start + headerLength;
  out.payloadEnd = end;
  return true;
}
