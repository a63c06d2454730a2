// HAProxy httplog, Caddy JSON, Traefik JSON and Squid native, on hand-written lines built from
// each server's documented format (fixtures/logs/README.md says where each came from).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  caddyJson, createHaproxyParser, haproxyHttplog, LogDecoder, squidNative, traefikJson,
  type LogParser, type LogRequest,
} from '../../../src/capture/logs/index.js';

const Q1 =
  '/announce?info_hash=%f4r%21%02V%161%13%a9%f9N8%06%60%e1%f5%edm%f5~&peer_id=-TR3000-khgn2dfoy2iw' +
  '&port=51413&uploaded=0&downloaded=0&left=0&numwant=80&key=70672bb6&compact=1&supportcrypto=1&event=started';

function decode(file: string, parser: LogParser | null) {
  const out: LogRequest[] = [];
  const d = new LogDecoder(file, parser, (r) => out.push(r));
  d.push(readFileSync(file));
  d.end();
  return { d, out };
}

describe('haproxy httplog', () => {
  it('syslog lines: client ip:port, ms date, status, #XX undone, 1024-byte cut flagged', () => {
    const { d, out } = decode('fixtures/logs/haproxy-syslog.log', null);
    expect(d.format).toBe('haproxy-httplog');
    expect(d.lines).toBe(5);
    expect(d.parsed).toBe(4);
    expect([...d.skipped]).toEqual([['bad request (<BADREQ>)', 1]]);
    const [a, b, cut, esc] = out as [LogRequest, LogRequest, LogRequest, LogRequest];
    expect(a).toMatchObject({ clientIp: '127.0.0.2', clientPort: 34744, method: 'GET', target: Q1, httpVersion: 'HTTP/1.1', status: 200, truncated: false, timePrecision: 'ms' });
    expect(a.ts).toBe(1795623128240000000n);
    expect(b.clientIp).toBe('127.0.0.3');
    expect(cut.truncated).toBe(true);
    expect(cut.httpVersion).toBe('');
    expect(cut.target.startsWith(Q1 + '&trackerid=xxx')).toBe(true);
    expect(esc.target).toBe('/announce?x="q"&y=\xff');
    expect(esc.status).toBe(400);
    const w = d.warnings;
    expect(w.some((l) => l.includes('1 of 4 requests are truncated') && l.includes('len 8192') && l.includes('stdout'))).toBe(true);
    expect(w.some((l) => l.includes('no UTC offset'))).toBe(true);
  });

  it('stdout lines (no syslog header), IPv6 client, HTTP/1.0', () => {
    const { d, out } = decode('fixtures/logs/haproxy-stdout.log', haproxyHttplog);
    expect(d.parsed).toBe(2);
    expect(out[1]).toMatchObject({ clientIp: '::1', clientPort: 51000, httpVersion: 'HTTP/1.0', truncated: false });
  });

  it('the manual example, with rsyslog header and captured headers; host offset option', () => {
    const line = 'Feb  6 12:14:14 localhost haproxy[14389]: 10.0.1.2:33317 [06/Feb/2009:12:14:14.655] http-in static/srv1 10/0/30/69/109 200 2750 - - ---- 1/1/1/1/0 0/0 {1wt.eu} {} "GET /index.html HTTP/1.1"';
    const r = haproxyHttplog.parse(line, 1, 0);
    expect(r.ok && r.request.target).toBe('/index.html');
    expect(r.ok && r.request.ts).toBe(1233922454655000000n); // 2009-02-06T12:14:14.655Z
    const cet = createHaproxyParser({ utcOffsetMinutes: 60 }).parse(line, 1, 0);
    expect(cet.ok && cet.request.ts).toBe(1233922454655000000n - 3_600_000_000_000n);
  });
});

describe('caddy json', () => {
  it('remote_ip/port, exact float ts, uri, headers; non-access loggers skipped', () => {
    const { d, out } = decode('fixtures/logs/caddy-access.log', null);
    expect(d.format).toBe('caddy-json');
    expect(d.parsed).toBe(2);
    expect([...d.skipped]).toEqual([['not caddy-json', 1]]);
    expect(out[0]).toMatchObject({ clientIp: '127.0.0.2', clientPort: 34744, method: 'GET', target: Q1, httpVersion: 'HTTP/1.1', status: 200, userAgent: 'Transmission/3.00', forwardedFor: null, timePrecision: 'us' });
    expect(out[0]!.ts).toBe(1795623128247052200n); // "ts":1795623128.2470522 read as text
    expect(out[1]!.forwardedFor).toBe('127.0.0.3');
    expect(out[1]!.clientIp).toBe('10.0.0.1');
  });

  it('\\u escapes above 0xFF come back as UTF-8 bytes; raw UTF-8 bytes stay bytes', () => {
    const line = '{"level":"info","ts":1795623128,"logger":"http.log.access","request":{"remote_ip":"::1","remote_port":"1","proto":"HTTP/1.1","method":"GET","uri":"/a?x=\\ufffd&y=\xc3\xa9\\u0026"},"status":200}';
    const r = caddyJson.parse(line, 1, 0);
    expect(r.ok && r.request.target).toBe('/a?x=\xef\xbf\xbd&y=\xc3\xa9&');
    expect(r.ok && r.request.timePrecision).toBe('s');
  });
});

describe('traefik json', () => {
  it('StartUTC ns, ClientHost/Port, \\u0026 undone, request_User-Agent, [::1]:port', () => {
    const { d, out } = decode('fixtures/logs/traefik-access.log', null);
    expect(d.format).toBe('traefik-json');
    expect(d.parsed).toBe(2);
    expect(out[0]).toMatchObject({ clientIp: '127.0.0.2', clientPort: 34744, target: Q1, status: 200, userAgent: 'Transmission/3.00', timePrecision: 'ns' });
    expect(out[0]!.ts).toBe(1795623128240113125n);
    expect(out[1]!.ts).toBe(1795623192740000000n);
    expect(out[1]).toMatchObject({ clientIp: '::1', clientPort: 51000, forwardedFor: '127.0.0.3' });
  });

  it('ClientAddr alone still gives host and port; missing headers give null', () => {
    const r = traefikJson.parse('{"ClientAddr":"[2001:db8::1]:443","RequestMethod":"GET","RequestPath":"/x","StartUTC":"2026-11-25T16:12:08Z"}', 1, 0);
    expect(r.ok && r.request).toMatchObject({ clientIp: '2001:db8::1', clientPort: 443, userAgent: null, status: null });
  });
});

describe('squid native', () => {
  it('ms time, URL as logged, stripped queries flagged with the fix', () => {
    const { d, out } = decode('fixtures/logs/squid-access.log', null);
    expect(d.format).toBe('squid-native');
    expect(d.parsed).toBe(4);
    expect(out[0]).toMatchObject({ ts: 1795623128247000000n, timePrecision: 'ms', clientIp: '127.0.0.2', clientPort: null, method: 'GET', target: 'http://tracker.localhost:6969/announce?', httpVersion: '', status: 200, queryStripped: true });
    expect(out[2]!.queryStripped).toBe(false);
    expect(out[2]!.target).toContain('peer_id=A2-1-36-0-');
    expect(out[3]).toMatchObject({ method: 'CONNECT', status: 403, queryStripped: false });
    expect(d.warnings.some((w) => w.includes('2 of 4') && w.includes("strip_query_terms off"))).toBe(true);
  });

  it('an announce path with no query at all counts as stripped', () => {
    const r = squidNative.parse('1795623128.247      7 127.0.0.2 TCP_MISS/200 295 GET http://t/announce - HIER_DIRECT/127.0.0.1 text/plain', 1, 0);
    expect(r.ok && r.request.queryStripped).toBe(true);
  });
});
