/**
 * Traefik JSON access log (`accessLog.format: json`,
 * https://doc.traefik.io/traefik/observability/access-logs/), field names from
 * pkg/middlewares/accesslog/logdata.go: ClientAddr ("ip:port"), ClientHost, ClientPort,
 * RequestMethod, RequestPath (path + query), RequestProtocol, DownstreamStatus,
 * StartUTC (RFC 3339 with ns), and request headers as `request_<Name>` — kept only when
 * `fields.headers.defaultMode` (default `drop`) or a per-header rule keeps them.
 */
import { firstForwarded } from './request-line.js';
import { jsonInt, jsonString, parseJsonObject } from './json-line.js';
import { isoFractionDigits, parseIsoTime } from './time.js';
import { logOrigin, type LogLineResult, type LogParser } from './types.js';

/** Splits "127.0.0.2:34744" / "[::1]:34744" into host and port. */
function splitHostPort(addr: string): { host: string; port: number | null } {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(addr) ?? /^([^:]+):(\d+)$/.exec(addr);
  return m === null ? { host: addr, port: null } : { host: m[1]!, port: +m[2]! };
}

function parse(line: string, lineNo: number, offset: number, file = ''): LogLineResult {
  const o = parseJsonObject(line);
  if (o === null || !('RequestMethod' in o) || !('RequestPath' in o)) return { ok: false, reason: 'not traefik-json' };
  const start = jsonString(o['StartUTC']) ?? jsonString(o['StartLocal']) ?? jsonString(o['time']);
  const ts = start === null ? null : parseIsoTime(start);
  if (ts === null) return { ok: false, reason: 'bad time' };
  const addr = jsonString(o['ClientAddr']);
  const hp = addr === null ? null : splitHostPort(addr);
  const ip = jsonString(o['ClientHost']) ?? hp?.host ?? null;
  const method = jsonString(o['RequestMethod']);
  const target = jsonString(o['RequestPath']);
  if (ip === null || method === null || target === null) return { ok: false, reason: 'no request in traefik entry' };
  // Go's RFC3339Nano drops trailing zeros, so the digit count of StartUTC says nothing:
  // it is a ns clock reading. Only the fallback `time` field is whole seconds.
  const digits = 'StartUTC' in o || 'StartLocal' in o ? 9 : isoFractionDigits(start!);
  const ua = jsonString(o['request_User-Agent']);
  return {
    ok: true,
    request: {
      origin: logOrigin(file, lineNo, offset),
      ts,
      timePrecision: digits === 0 ? 's' : digits <= 3 ? 'ms' : digits <= 6 ? 'us' : 'ns',
      clientIp: ip,
      clientPort: jsonInt(o['ClientPort']) ?? hp?.port ?? null,
      forwardedFor: firstForwarded(jsonString(o['request_X-Forwarded-For'])),
      method,
      target,
      httpVersion: jsonString(o['RequestProtocol']) ?? '',
      status: jsonInt(o['DownstreamStatus']) ?? jsonInt(o['OriginStatus']),
      userAgent: ua === null || ua === '' || ua === 'REDACTED' ? null : ua,
      truncated: false,
      queryStripped: false,
    },
  };
}

/** The Traefik JSON access-log parser. */
export const traefikJson: LogParser = { format: 'traefik-json', parse };
