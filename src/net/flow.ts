/**
 * The state of one TCP connection while it is reassembled (reassembly.ts): per direction the next
 * expected sequence number, the FIN and the peer's acknowledgment, and the out-of-order segments
 * held until the hole before them is filled.
 */
import type { TcpConnection, TcpStreamSink } from './types.js';
import { seqGte } from './sequence.js';
import { Hold } from '../order/holds.js';
import { flowHash, type FlowKey } from './flow-table.js';

/** An out-of-order segment, copied out of the reader's buffer. */
export interface Pending {
  readonly seq: number;
  readonly bytes: Uint8Array;
  readonly ts: bigint;
  readonly packet: number;
  readonly offset: number;
}

/** One direction of a flow. */
export class Half {
  /** Whether `next` is known yet (from a SYN, the peer's ACK, or the first data). */
  known = false;
  /** Next sequence number to deliver. */
  next = 0;
  hasIsn = false;
  isn = 0;
  fin = false;
  /** Sequence number of the FIN itself (= end of this direction's data). */
  finSeq = 0;
  /** Highest acknowledgment the peer sent for this direction. */
  ackValid = false;
  acked = 0;
  pending: Pending[] = [];
  pendingBytes = 0;

  /** True when every byte before the FIN was delivered (or skipped as a gap). */
  finished(): boolean {
    return this.fin && this.known && this.pending.length === 0 && seqGte(this.next, this.finSeq);
  }
}

/** One TCP connection being reassembled, or the marker left by a closed one. */
export class Flow implements FlowKey {
  readonly ab = new Half();
  readonly ba = new Half();
  ignored = false;
  closed = false;
  closedAt = 0n;
  lastTs: bigint;
  lastPacket: number;
  /** While out-of-order segments are held: the oldest of their times (a request may start in them). */
  readonly hold = new Hold();

  /** The consumer; once the flow has ended, ENDED_SINK (see `release`). */
  sink: TcpStreamSink;
  readonly loKey: number;
  readonly hiKey: number;
  readonly ports: number;
  readonly loName: string | null;
  readonly hiName: string | null;
  /** `flowHash` of the tuple. */
  readonly hash: number;
  /** The next flow whose tuple has the same hash (FlowTable's chain). */
  sameHash: Flow | undefined = undefined;

  constructor(
    readonly conn: TcpConnection,
    sink: TcpStreamSink,
    /** Whether `a` is the lower end of the normalised key. */
    readonly aIsLo: boolean,
    key: FlowKey,
    ts: bigint,
    packet: number,
  ) {
    this.sink = sink;
    this.loKey = key.loKey;
    this.hiKey = key.hiKey;
    this.ports = key.ports;
    this.loName = key.loName;
    this.hiName = key.hiName;
    this.hash = flowHash(key.loKey, key.hiKey, key.ports);
    this.lastTs = ts;
    this.lastPacket = packet;
  }

  /**
   * Lets go of the consumer once it has been told the end: a closed flow stays as a marker for a
   * while (late packets), and its consumer (an HTTP connection with its parsers and buffers, a few
   * KB) would otherwise live as long, thousands of them in a busy capture.
   */
  release(): void {
    this.sink = ENDED_SINK;
  }
}

/** What an ended flow's sink is: nothing reaches it (a closed flow delivers nothing). */
const ENDED_SINK: TcpStreamSink = {
  data: () => false,
  gap: () => {},
  end: () => {},
};
