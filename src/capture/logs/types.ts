/**
 * Records the proxy access-log readers emit: one client request per parsed log line.
 * A log line carries less than the wire (no headers but the logged ones, no response body),
 * so every record says how precise its time is and whether the log lost part of the request.
 */
import type { Origin } from '../packet.js';

/**
 * How fine the logged time is. `ns` is added beyond the three values because Traefik's
 * StartUTC is RFC 3339 with nanoseconds.
 */
export type TimePrecision = 's' | 'ms' | 'us' | 'ns';

/** One client request as a proxy logged it. Plain readonly data; safe to keep. */
export interface LogRequest {
  /** file, packet null, line (1-based), offset (byte offset of the line in the input). */
  readonly origin: Origin;
  /** Nanoseconds since the epoch, UTC (the log's own UTC offset applied). */
  readonly ts: bigint;
  /** What the format gives: `$msec` gives ms, `$time_local` s. */
  readonly timePrecision: TimePrecision;
  /** The TCP peer as the proxy saw it ($remote_addr, %a/%h, ClientHost, remote_ip …). */
  readonly clientIp: string;
  readonly clientPort: number | null;
  /** First address of X-Forwarded-For when the format logs it (null when absent or `-`). */
  readonly forwardedFor: string | null;
  readonly method: string;
  /** Raw request target as latin1 text (one char per byte), the log format's escapes undone. */
  readonly target: string;
  /** "HTTP/1.1", "HTTP/1.0", or "" when the format does not log it. */
  readonly httpVersion: string;
  readonly status: number | null;
  readonly userAgent: string | null;
  /** The line or the request in it is visibly cut (HAProxy syslog 1024 bytes, nginx 414 …). */
  readonly truncated: boolean;
  /** The logger replaced the query (Squid `strip_query_terms on`, its default). */
  readonly queryStripped: boolean;
}

/** A parse outcome: a request, or the reason the line was skipped (counted, never thrown). */
export type LogLineResult = { ok: true; request: LogRequest } | { ok: false; reason: string };

/**
 * Parses one line of one log format. Pure and synchronous; never throws on line content.
 * `line` is latin1 text (one char per byte) without its line ending.
 */
export interface LogParser {
  /** Stable format name, e.g. `nginx-combined`, `haproxy-httplog`. */
  readonly format: string;
  /** `file` fills `origin.file` (the decoder passes it; defaults to ""). */
  parse(line: string, lineNo: number, offset: number, file?: string): LogLineResult;
  /** How to fix each lossy-source flag for this format, shown once by the decoder. */
  readonly advice?: { readonly truncated?: string; readonly queryStripped?: string };
  /** Standing remarks about the format (e.g. dates without UTC offset), shown once. */
  readonly notes?: readonly string[];
}

/** Builds a record's origin for a log line. */
export function logOrigin(file: string, line: number, offset: number): Origin {
  return { file, packet: null, line, offset };
}
