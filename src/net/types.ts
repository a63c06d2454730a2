/** Records that flow from the network layers to the HTTP layer. */

/** An IP address (dotted quad or RFC 5952 IPv6 text) and a port. */
export interface Endpoint {
  readonly ip: string;
  readonly port: number;
}

/** An IP datagram after link-layer decoding and fragment reassembly. */
export interface IpPacket {
  readonly version: 4 | 6;
  readonly src: string;
  readonly dst: string;
  /**
   * The addresses as int32s, for lookups that need no text: an IPv4 address itself, an IPv6 one
   * hashed. Equal addresses have equal keys; for IPv6, equal keys need not be equal addresses.
   */
  readonly srcKey: number;
  readonly dstKey: number;
  /** Upper-layer protocol number (6 TCP, 17 UDP) after IPv6 extension headers. */
  readonly protocol: number;
  /** Upper-layer bytes. A view: copy what you keep. */
  readonly payload: Uint8Array;
  /** `payload` as `payloadBytes[payloadStart, payloadEnd)`, to read in place without a view. */
  readonly payloadBytes: Uint8Array;
  readonly payloadStart: number;
  readonly payloadEnd: number;
}

/** A TCP connection as the reassembler sees it. `a` is the side that sent the SYN, or, for a connection picked up mid-stream, the sender of the first packet seen. */
export interface TcpConnection {
  /** 1-based, in order of first appearance in the input. */
  readonly id: number;
  readonly a: Endpoint;
  readonly b: Endpoint;
  /** True when the three-way handshake was seen (so `a` is surely the client). */
  readonly synSeen: boolean;
  readonly file: string;
}

/** `ab`: bytes sent by `a` to `b`; `ba` the reverse. */
export type Direction = 'ab' | 'ba';

export type StreamEndReason = 'fin' | 'rst' | 'eof' | 'reuse' | 'idle';

/** Receives both directions of one TCP connection, each in sequence order, synchronously. */
export interface TcpStreamSink {
  /**
   * In-order bytes for `dir`. `bytes` is reused after return: copy what you keep. `packet` is the
   * packet that carried them. Return `false` to say "not my protocol": the reassembler then stops
   * buffering and delivering this connection (it still tracks FIN/RST) and counts it as ignored.
   */
  data(dir: Direction, bytes: Uint8Array, ts: bigint, packet: number, offset: number): boolean | void;
  /** `length` bytes of `dir` were never captured (lost segments) before the next data; the consumer should resync. */
  gap(dir: Direction, length: number, ts: bigint, packet: number): void;
  /** The connection ended (or the input did). Called once. */
  end(reason: StreamEndReason, ts: bigint): void;
}

/** Creates the sink for a new connection; the reassembler calls it once per connection. */
export type StreamSinkFactory = (conn: TcpConnection) => TcpStreamSink;

/** A UDP datagram, for BEP 15 trackers. `payload` is a view: copy what you keep. */
export interface UdpDatagram {
  readonly src: { ip: string; port: number };
  readonly dst: { ip: string; port: number };
  readonly payload: Uint8Array;
  readonly ts: bigint;
  readonly packet: number;
  readonly offset: number;
}
