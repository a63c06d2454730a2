// compileNginxFormat: variables, escapes (default \xXX, escape=json), time zones, errors.
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors.js';
import { compileNginxFormat, nginxCombined, nginxMain, readNginxLogFormat, type LogParser } from '../../../src/capture/logs/index.js';

function ok(p: LogParser, line: string) {
  const r = p.parse(line, 1, 0, 'x.log');
  if (!r.ok) throw new Error(r.reason);
  return r.request;
}

describe('nginx formats', () => {
  it('default escape: \\x22 \\x5C and high bytes come back as the raw bytes', () => {
    const r = ok(nginxCombined,
      '127.0.0.9 - - [25/Nov/2026:16:12:08 +0000] "GET /announce?a=\\x22q\\x22&b=\\x5C&peer_id=\\xFF\\x00 HTTP/1.1" 200 5 "-" "ua \\x22x\\x22"');
    expect(r.target).toBe('/announce?a="q"&b=\\&peer_id=\xff\x00');
    expect(r.userAgent).toBe('ua "x"');
  });

  it('a UTC offset in $time_local is applied', () => {
    const r = ok(nginxCombined, '127.0.0.1 - - [25/Nov/2026:17:12:08 +0100] "GET / HTTP/1.1" 200 5 "-" "-"');
    expect(r.ts).toBe(1795623128000000000n);
    expect(r.userAgent).toBeNull();
  });

  it('main: first X-Forwarded-For address', () => {
    const r = ok(nginxMain, '10.0.0.1 - - [25/Nov/2026:16:12:08 +0000] "GET / HTTP/1.1" 200 5 "-" "-" "127.0.0.3, 10.0.0.1"');
    expect(r.forwardedFor).toBe('127.0.0.3');
    expect(ok(nginxMain, '10.0.0.1 - - [25/Nov/2026:16:12:08 +0000] "GET / HTTP/1.1" 200 5 "-" "-" "-"').forwardedFor).toBeNull();
    expect(nginxCombined.parse('10.0.0.1 - - [25/Nov/2026:16:12:08 +0000] "GET / HTTP/1.1" 200 5 "-" "-" "-"', 1, 0).ok).toBe(false);
  });

  it('escape=json with $time_iso8601, method/uri/protocol variables and ${var}', () => {
    const p = compileNginxFormat(
      '{"t":"$time_iso8601","ip":"$remote_addr","port":"${remote_port}","m":"$request_method","u":"$request_uri","v":"$server_protocol","s":$status,"ua":"$http_user_agent","x":"$upstream_addr"}',
      { escape: 'json' },
    );
    const r = ok(p, '{"t":"2026-11-25T17:12:08+01:00","ip":"::1","port":"34744","m":"GET","u":"/announce?a=\\"b\\"&c=\\\\&d=\\u0001","v":"HTTP/1.1","s":200,"ua":"Transmission/3.00","x":"127.0.0.1:8000, 127.0.0.1:8001"}');
    expect(r.ts).toBe(1795623128000000000n);
    expect(r.clientIp).toBe('::1');
    expect(r.clientPort).toBe(34744);
    expect(r.target).toBe('/announce?a="b"&c=\\&d=\x01');
    expect(r.httpVersion).toBe('HTTP/1.1');
    expect(r.userAgent).toBe('Transmission/3.00');
  });

  it('$uri + $args build the target when $request is not logged', () => {
    const p = compileNginxFormat('$remote_addr $msec $request_method $uri $args $status $upstream_status');
    const r = ok(p, '127.0.0.2 1795623128.247 GET /announce info_hash=%f4&port=1 200 502, 200');
    expect(r.target).toBe('/announce?info_hash=%f4&port=1');
    expect(r.ts).toBe(1795623128247000000n);
    expect(r.httpVersion).toBe('');
    expect(ok(p, '127.0.0.2 1795623128.247 GET /announce  200 200').target).toBe('/announce');
  });

  it('414 or a request line without version is flagged truncated, with advice', () => {
    const r = ok(nginxCombined, '127.0.0.1 - - [25/Nov/2026:16:12:08 +0000] "GET /announce?info_hash=%aa" 414 5 "-" "-"');
    expect(r.truncated).toBe(true);
    expect(r.target).toBe('/announce?info_hash=%aa');
    expect(nginxCombined.advice?.truncated).toMatch(/large_client_header_buffers/);
  });

  it('skips: garbage request line, "-" request, bad date', () => {
    const bad = (l: string) => nginxCombined.parse(l, 1, 0);
    expect(bad('127.0.0.1 - - [25/Nov/2026:16:12:08 +0000] "\\x16\\x03\\x01\\x02" 400 5 "-" "-"')).toEqual({ ok: false, reason: 'unparsable request line' });
    expect(bad('127.0.0.1 - - [25/Nov/2026:16:12:08 +0000] "-" 400 0 "-" "-"')).toEqual({ ok: false, reason: 'no request line' });
    expect(bad('127.0.0.1 - - [31/Feb/2026:16:12:08 +0000] "GET / HTTP/1.1" 200 0 "-" "-"')).toEqual({ ok: false, reason: 'bad time' });
    expect(bad('127.0.0.1 - - [25/Noe/2026:16:12:08 +0000] "GET / HTTP/1.1" 200 0 "-" "-"')).toEqual({ ok: false, reason: 'bad time' });
  });

  it('a format without time or request is an InputError', () => {
    expect(() => compileNginxFormat('$remote_addr "$request"')).toThrow(InputError);
    expect(() => compileNginxFormat('$remote_addr $time_local $status')).toThrow(/request line/);
  });

  it('readNginxLogFormat joins the quoted pieces and reads escape=', () => {
    const conf = `http {\n  log_format j escape=json '{"a":"$remote_addr",'\n     '"r":"$request"}';\n}`;
    expect(readNginxLogFormat(conf, 'j')).toEqual({ format: '{"a":"$remote_addr","r":"$request"}', escape: 'json' });
    expect(readNginxLogFormat(conf, 'nope')).toBeNull();
    expect(readNginxLogFormat(conf, 'combined')?.format).toContain('$http_user_agent');
  });
});
