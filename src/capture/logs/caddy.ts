/**
 * Caddy v2 JSON access log, the `http.log.access` logger
 * (https://caddyserver.com/docs/caddyfile/directives/log): one JSON object a line,
 * `{"level":"info","ts":1795623128.24,"logger":"http.log.access","msg":"handled request",
 * "request":{"remote_ip":"127.0.0.2","remote_port":"34744","client_ip":…,"proto":"HTTP/1.1",
 * "method":"GET","host":…,"uri":"/announce?…","headers":{"User-Agent":[…]}},…,"status":200}`.
 * `uri` is Go's Request.RequestURI, the target as received. `ts` is unix seconds as a float by
 * default; the encoder's time_format may make it milli/nano integers or an ISO string.
 * Go's JSON encoder writes invalid UTF-8 as U+FFFD, which no log can undo.
 */
import { firstForwarded } from './request-line.js';
import { headerValue, jsonInt, jsonObject, jsonString, parseJsonObject, rawNumber } from './json-line.js';
import { isoFractionDigits, parseEpochInteger, parseEpochSeconds, parseIsoTime } from './time.js';
import { logOrigin, type LogLineResult, type LogParser, type TimePrecision } from './types.js';

function caddyTime(line: string, v: unknown): { ts: bigint; precision: TimePrecision } | null {
  if (typeof v === 'string') {
    const ts = parseIsoTime(v);
    if (ts === null) return null;
    const d = isoFractionDigits(v);
    return { ts, precision: d === 0 ? 's' : d <= 3 ? 'ms' : d <= 6 ? 'us' : 'ns' };
  }
  const raw = rawNumber(line, 'ts');
  if (raw === null || raw.includes('e') || raw.includes('E') || raw.startsWith('-')) return null;
  const intLen = raw.split('.')[0]!.length;
  // unix_seconds_float (default) has 10 integer digits; unix_milli_float 13; unix_nano 19.
  if (intLen <= 11) {
    const ts = parseEpochSeconds(raw);
    return ts === null ? null : { ts, precision: raw.includes('.') ? 'us' : 's' };
  }
  const whole = raw.split('.')[0]!;
  if (intLen <= 14) {
    const ts = parseEpochInteger(whole, 1_000_000n);
    return ts === null ? null : { ts, precision: 'ms' };
  }
  const ts = parseEpochInteger(whole, 1n);
  return ts === null ? null : { ts, precision: 'ns' };
}

function parse(line: string, lineNo: number, offset: number, file = ''): LogLineResult {
  const o = parseJsonObject(line);
  if (o === null) return { ok: false, reason: 'not caddy-json' };
  const logger = o['logger'];
  const req = jsonObject(o['request']);
  if (typeof logger !== 'string' || !logger.startsWith('http.log.access') || req === null) {
    return { ok: false, reason: 'not caddy-json' };
  }
  const t = caddyTime(line, o['ts']);
  if (t === null) return { ok: false, reason: 'bad time' };
  const method = jsonString(req['method']);
  const uri = jsonString(req['uri']);
  const ip = jsonString(req['remote_ip']) ?? jsonString(req['client_ip']);
  if (method === null || uri === null || ip === null) return { ok: false, reason: 'no request in caddy entry' };
  const headers = jsonObject(req['headers']);
  const status = jsonInt(o['status']);
  return {
    ok: true,
    request: {
      origin: logOrigin(file, lineNo, offset),
      ts: t.ts,
      timePrecision: t.precision,
      clientIp: ip,
      clientPort: jsonInt(req['remote_port']),
      forwardedFor: firstForwarded(headerValue(headers, 'X-Forwarded-For')),
      method,
      target: uri,
      httpVersion: jsonString(req['proto']) ?? '',
      // Caddy logs status 0 when the handler wrote nothing (it then sends 200).
      status: status === null || status === 0 ? null : status,
      userAgent: headerValue(headers, 'User-Agent'),
      truncated: false,
      queryStripped: false,
    },
  };
}

/** The Caddy JSON access-log parser. */
export const caddyJson: LogParser = { format: 'caddy-json', parse };
