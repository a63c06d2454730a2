/**
 * HAProxy `option httplog`, configuration manual §8.2.3 "HTTP log format"
 * (https://docs.haproxy.org/2.8/configuration.html#8.2.3):
 *   %ci:%cp [%tr] %ft %b/%s %TR/%Tw/%Tc/%Tr/%Ta %ST %B %CC %CS %tsc %ac/%fc/%bc/%sc/%rc %sq/%bq %hr %hs %{+Q}r
 * e.g. `10.0.1.2:33317 [06/Feb/2009:12:14:14.655] http-in static/srv1 10/0/30/69/109 200 2750
 * - - ---- 1/1/1/1/0 0/0 {1wt.eu} {} "GET /index.html HTTP/1.1"`, with or without a syslog header
 * (`<134>Nov 25 16:12:08 haproxy[123]: `, RFC 5424 `<134>1 2026-… host haproxy 123 - - `, or
 * rsyslog's `Nov 25 16:12:08 host haproxy[123]: `). The request line encodes bytes < 0x20,
 * >= 0x7f, `"` and `#` as `#XX` (§8.6). The date has no UTC offset: it is the host's local time.
 * Syslog lines are cut at `log … len` bytes (default 1024).
 */
import { unescapeHaproxy } from './escape.js';
import { splitRequestLine } from './request-line.js';
import { parseClfTime } from './time.js';
import { logOrigin, type LogLineResult, type LogParser } from './types.js';

/** HAProxy's default syslog message length limit. */
export const HAPROXY_SYSLOG_LEN = 1024;

const SYSLOG_HEADER = new RegExp(
  '^(?:<\\d{1,3}>)?' +
    '(?:1 \\S+ \\S+ \\S+ \\S+ \\S+ \\S+ ' + // RFC 5424: version ts host app procid msgid sd
    '|(?:[A-Z][a-z]{2} [ \\d]\\d \\d{2}:\\d{2}:\\d{2} |\\d{4}-\\d{2}-\\d{2}T\\S+ )(?:\\S+ )??[^ \\[:]+(?:\\[\\d+\\])?: )',
);

const BODY = new RegExp(
  '^(\\S+):(\\d{1,5}) \\[(\\d{2}/[A-Z][a-z]{2}/\\d{4}:\\d{2}:\\d{2}:\\d{2}\\.\\d{3})\\] ' + // client, date
    '\\S+ \\S+ ' + // frontend, backend/server
    '(?:-?\\d+/){4}\\+?-?\\d+ ' + // timers TR/Tw/Tc/Tr/Ta (1.4: Tq/Tw/Tc/Tr/Tt), '+' with logasap
    '(-?\\d+) \\+?\\d+ \\S+ \\S+ \\S{4} ' + // status, bytes, cookies, termination state
    '\\d+/\\d+/\\d+/\\d+/\\+?\\d+ \\d+/\\d+ ' + // connection counts, queues
    '(?:\\{[^}]*\\} ){0,2}' + // captured request / response headers
    '"(.*)$',
);

/** Options of the HAProxy parser. */
export interface HaproxyOptions {
  /** UTC offset of the HAProxy host in minutes, since its dates carry none (default 0). */
  readonly utcOffsetMinutes?: number;
}

/** Builds an `option httplog` parser. */
export function createHaproxyParser(options: HaproxyOptions = {}): LogParser {
  const offset = options.utcOffsetMinutes ?? 0;
  function parse(line: string, lineNo: number, off: number, file = ''): LogLineResult {
    const h = SYSLOG_HEADER.exec(line);
    const body = h === null ? line : line.slice(h[0].length);
    const m = BODY.exec(body);
    if (m === null) return { ok: false, reason: 'not haproxy-httplog' };
    const ts = parseClfTime(m[3]!, offset);
    if (ts === null) return { ok: false, reason: 'bad time' };
    let raw = m[5]!;
    // The quoted request ends the line; without its closing quote (or version) it was cut.
    const closed = raw.endsWith('"');
    if (closed) raw = raw.slice(0, -1);
    if (raw === '<BADREQ>') return { ok: false, reason: 'bad request (<BADREQ>)' };
    const parts = splitRequestLine(unescapeHaproxy(raw));
    if (parts === null) return { ok: false, reason: 'unparsable request line' };
    const status = +m[4]!;
    return {
      ok: true,
      request: {
        origin: logOrigin(file, lineNo, off),
        ts,
        timePrecision: 'ms',
        clientIp: m[1]!,
        clientPort: +m[2]!,
        forwardedFor: null,
        method: parts.method,
        target: parts.target,
        httpVersion: parts.version,
        status: status >= 100 && status <= 999 ? status : null,
        userAgent: null,
        truncated: !closed || parts.version === '' || (h !== null && line.length === HAPROXY_SYSLOG_LEN),
        queryStripped: false,
      },
    };
  }
  return {
    format: 'haproxy-httplog',
    parse,
    advice: {
      truncated:
        'HAProxy cut the log line at the syslog length limit (1024 bytes by default): raise it ' +
        "with 'log <target> len 8192 …' in the global section, or log to stdout ('log stdout format raw …')",
    },
    notes: [
      `haproxy-httplog: accept dates carry no UTC offset; read as UTC${offset === 0 ? '' : `${offset > 0 ? '+' : '-'}${Math.abs(offset)}min`} ` +
        '(the HAProxy host must log in that zone for times to match a capture)',
    ],
  };
}

/** The HAProxy `option httplog` parser, dates read as UTC. */
export const haproxyHttplog: LogParser = createHaproxyParser();
