/** Records the HTTP layer emits: requests paired with their responses. */
import type { Origin } from '../capture/packet.js';
import type { Endpoint } from '../net/types.js';

/** A header as sent: name in its original case, value as latin1 text (bytes preserved 1:1). */
export interface HttpHeader {
  readonly name: string;
  readonly value: string;
}

export interface HttpRequest {
  readonly method: string;
  /** The request target exactly as sent, as latin1 text (one char per byte). */
  readonly target: string;
  /** "HTTP/1.1", "HTTP/1.0", or "HTTP/0.9"-style absence as "". */
  readonly version: string;
  readonly headers: readonly HttpHeader[];
  /** Time of the packet holding the request's first byte (ns since epoch). */
  readonly ts: bigint;
  readonly origin: Origin;
}

export interface HttpResponse {
  readonly status: number;
  readonly reason: string;
  readonly version: string;
  readonly headers: readonly HttpHeader[];
  /**
   * The body after transfer decoding (chunked) and content decoding (gzip, deflate). When it came
   * whole in one delivered segment it is a view of that segment's bytes, which the reassembler may
   * reuse once the exchange callback returns (TcpStreamSink.data): copy the body if you keep it.
   */
  readonly body: Uint8Array;
  /** Why the body may be incomplete or undecodable, or null. */
  readonly bodyProblem: string | null;
  readonly ts: bigint;
  readonly origin: Origin;
}

/** One request and the response that answered it (null when none was captured). */
export interface HttpExchange {
  readonly request: HttpRequest;
  readonly response: HttpResponse | null;
  /** Sender of the request. */
  readonly client: Endpoint;
  /** Receiver of the request. */
  readonly server: Endpoint;
  /** TCP connection id within its input. */
  readonly connection: number;
}

/** Receives exchanges as they complete (not necessarily in request-time order). */
export interface ExchangeSink {
  exchange(x: HttpExchange): void;
}

/** Counted reasons the HTTP layer skipped bytes or messages, for the summary. */
export interface HttpCounters {
  requests: number;
  responses: number;
  /** reason -> count */
  readonly skipped: Map<string, number>;
}
