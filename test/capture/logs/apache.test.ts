// Apache common/combined (example lines from the mod_log_config documentation) and %-directives.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { apacheCombined, apacheCommon, compileApacheFormat, LogDecoder, type LogParser, type LogRequest } from '../../../src/capture/logs/index.js';

function ok(p: LogParser, line: string) {
  const r = p.parse(line, 1, 0);
  if (!r.ok) throw new Error(r.reason);
  return r.request;
}

describe('apache', () => {
  it('common: the documentation example', () => {
    const r = ok(apacheCommon, '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326');
    expect(r.ts).toBe(971211336000000000n); // 2000-10-10T20:55:36Z
    expect(r.clientIp).toBe('127.0.0.1');
    expect(r.target).toBe('/apache_pb.gif');
    expect(r.httpVersion).toBe('HTTP/1.0');
    expect(r.status).toBe(200);
    expect(r.userAgent).toBeNull();
  });

  it('combined fixture: \\" \\xhh \\\\ undone; %b "-"', () => {
    const out: LogRequest[] = [];
    const d = new LogDecoder('fixtures/logs/apache-combined.log', apacheCombined, (r) => out.push(r));
    d.push(readFileSync('fixtures/logs/apache-combined.log'));
    d.end();
    expect(d.parsed).toBe(3);
    expect(out[0]!.userAgent).toBe('Mozilla/4.08 [en] (Win98; I ;Nav)');
    expect(out[1]!.target.startsWith('/announce?info_hash=%f4r%21')).toBe(true);
    expect(out[2]!.target).toBe('/announce?x="q"&y=\xff&z=\\');
    expect(out[2]!.userAgent).toBe('odd "client"');
    expect(out[2]!.status).toBe(400);
  });

  it('custom: %{c}a wins over %h, %{remote}p, %{msec}t, %m %U%q %H, %{X-Forwarded-For}i', () => {
    const p = compileApacheFormat('%h %{c}a:%{remote}p %{msec}t \\"%m %U%q %H\\" %>s %D \\"%{X-Forwarded-For}i\\" \\"%{User-Agent}i\\"');
    const r = ok(p, 'proxy.example 127.0.0.2:34744 1795623128247 "GET /announce?info_hash=%f4&port=1 HTTP/1.1" 200 7012 "127.0.0.3, 10.0.0.1" "Transmission/3.00"');
    expect(r.clientIp).toBe('127.0.0.2');
    expect(r.clientPort).toBe(34744);
    expect(r.ts).toBe(1795623128247000000n);
    expect(r.timePrecision).toBe('ms');
    expect(r.target).toBe('/announce?info_hash=%f4&port=1');
    expect(r.forwardedFor).toBe('127.0.0.3');
    expect(r.userAgent).toBe('Transmission/3.00');
  });
});
