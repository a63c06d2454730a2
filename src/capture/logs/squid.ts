/**
 * Squid native access.log (`logformat squid`, http://www.squid-cache.org/Doc/config/logformat/):
 *   %ts.%03tu %6tr %>a %Ss/%03>Hs %<st %rm %ru %[un %Sh/%<a %mt
 * e.g. `1795623128.247      7 127.0.0.2 TCP_MISS/200 81 GET http://host/announce? - HIER_DIRECT/127.0.0.1 text/plain`.
 * The time is when the transaction ended, to the millisecond. No HTTP version, no client port,
 * no headers. With `strip_query_terms on` (the default,
 * http://www.squid-cache.org/Doc/config/strip_query_terms/) Squid cuts the URL just after '?'.
 */
import { parseEpochSeconds } from './time.js';
import { logOrigin, type LogLineResult, type LogParser } from './types.js';

const LINE = /^ *(\d+\.\d{3}) +(-?\d+) (\S+) ([A-Z_]+)\/(\d{3}) (\d+) (\S+) (\S+) (\S+) (\S+)\/(\S+) (\S+)(?: .*)?$/;

function parse(line: string, lineNo: number, offset: number, file = ''): LogLineResult {
  const m = LINE.exec(line);
  if (m === null) return { ok: false, reason: 'not squid-native' };
  const ts = parseEpochSeconds(m[1]!);
  if (ts === null) return { ok: false, reason: 'bad time' };
  const url = m[8]!;
  const status = +m[5]!;
  // Stripped: cut right after '?'. A tracker request without any query cannot be an announce
  // or scrape either, so an announce/scrape path with no query is stripped too.
  const q = url.indexOf('?');
  const stripped = q >= 0 ? q === url.length - 1 : /\/(announce|scrape)(\.php)?$/.test(url);
  return {
    ok: true,
    request: {
      origin: logOrigin(file, lineNo, offset),
      ts,
      timePrecision: 'ms',
      clientIp: m[3]!,
      clientPort: null,
      forwardedFor: null,
      method: m[7]!,
      target: url,
      httpVersion: '',
      // Squid logs 000 when no reply was sent (client abort, error before the reply).
      status: status === 0 ? null : status,
      userAgent: null,
      truncated: false,
      queryStripped: stripped,
    },
  };
}

/** The Squid native access.log parser. */
export const squidNative: LogParser = {
  format: 'squid-native',
  parse,
  advice: {
    queryStripped:
      "Squid stripped the query from logged URLs (strip_query_terms on, the default): set " +
      "'strip_query_terms off' in squid.conf; announces without their query cannot be replayed",
  },
};
