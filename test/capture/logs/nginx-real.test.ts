// Real nginx logs (fixtures/real/*/nginx_access*.log): every line parses; times, targets, client
// addresses, versions and user agents match the captures (request times from
// `tshark -n -2 -o tcp.reassemble_out_of_order:TRUE -Y 'http.request && tcp.dstport==6969' -e frame.time_epoch`).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileNginxFormat, LogDecoder, readNginxLogFormat, type LogParser, type LogRequest } from '../../../src/capture/logs/index.js';

const real = (scenario: string, f: string): string => `fixtures/real/${scenario}/${f}`;

function decode(path: string, parser: LogParser | null): { d: LogDecoder; out: LogRequest[] } {
  const out: LogRequest[] = [];
  const d = new LogDecoder(path, parser, (r) => out.push(r));
  d.push(readFileSync(path));
  d.end();
  return { d, out };
}

function extParser(scenario: string): LogParser {
  const f = readNginxLogFormat(readFileSync(real(scenario, 'nginx.conf'), 'latin1'), 'tracker_ext');
  expect(f).not.toBeNull();
  return compileNginxFormat(f!.format, { escape: f!.escape, name: 'tracker_ext' });
}

// Client request times on port 6969 from the captures (ns), in log order.
const CAPTURE_NS: Record<string, bigint[]> = {
  a_clean: [
    1795623128240019000n, 1795623130051030000n, 1795623158100843000n, 1795623188159789000n,
    1795623192740092000n, 1795623219218636000n, 1795623223179089000n, 1795623248070274000n,
    1795623278119813000n, 1795623289430957000n, 1795623308187667000n, 1795623319691520000n,
    1795623338237304000n, 1795623350686834000n,
  ],
  b_crash: [
    1795623374004533000n, 1795623379241106000n, 1795623409020490000n, 1795623464264335000n,
    1795623494046106000n, 1795623509794205000n, 1795623515661480000n,
  ],
};

describe('nginx real logs', () => {
  for (const scenario of ['a_clean', 'b_crash'] as const) {
    const n = scenario === 'a_clean' ? 14 : 7;

    it(`${scenario} combined: detected, all ${n} lines parse, second-precision times match the capture`, () => {
      const { d, out } = decode(real(scenario, 'nginx_access.log'), null);
      expect(d.format).toBe('nginx-combined');
      expect(d.lines).toBe(n);
      expect(d.parsed).toBe(n);
      expect(d.skipped.size).toBe(0);
      expect(d.warnings).toEqual([]);
      out.forEach((r, i) => {
        expect(r.timePrecision).toBe('s');
        // $time_local is written when the response is done: same second or the next.
        const cap = CAPTURE_NS[scenario]![i]!;
        expect(r.ts - (cap / 1_000_000_000n) * 1_000_000_000n).toBeGreaterThanOrEqual(0n);
        expect(r.ts - cap).toBeLessThan(1_000_000_000n);
        expect(r.origin).toEqual({ file: real(scenario, 'nginx_access.log'), packet: null, line: i + 1, offset: r.origin.offset });
        expect(r.status).toBe(200);
        expect(r.method).toBe('GET');
        expect(r.truncated).toBe(false);
        expect(r.forwardedFor).toBeNull();
      });
    });

    it(`${scenario} tracker_ext (format read from nginx.conf): msec gives ms, same targets as combined`, () => {
      const ext = decode(real(scenario, 'nginx_access_ext.log'), extParser(scenario));
      const comb = decode(real(scenario, 'nginx_access.log'), null);
      expect(ext.d.parsed).toBe(n);
      expect(ext.d.skipped.size).toBe(0);
      ext.out.forEach((r, i) => {
        const c = comb.out[i]!;
        expect(r.timePrecision).toBe('ms');
        expect(r.target).toBe(c.target);
        expect(r.clientIp).toBe(c.clientIp);
        expect(r.userAgent).toBe(c.userAgent);
        expect(r.httpVersion).toBe(c.httpVersion);
        // $msec and $time_local are the same instant: the msec value floors to time_local.
        expect((r.ts / 1_000_000_000n) * 1_000_000_000n).toBe(c.ts);
        // $msec is the end of the request: at most ~20 ms after the client's request packet.
        const lag = r.ts - CAPTURE_NS[scenario]![i]!;
        expect(lag).toBeGreaterThanOrEqual(0n);
        expect(lag).toBeLessThan(20_000_000n);
      });
    });
  }

  it('a_clean line 1: exact fields', () => {
    const { out } = decode(real('a_clean', 'nginx_access_ext.log'), extParser('a_clean'));
    const r = out[0]!;
    expect(r.ts).toBe(1795623128247000000n); // msec=1795623128.247
    expect(r.clientIp).toBe('127.0.0.2');
    expect(r.clientPort).toBeNull();
    expect(r.target).toBe(
      '/announce?info_hash=%f4r%21%02V%161%13%a9%f9N8%06%60%e1%f5%edm%f5~&peer_id=-TR3000-khgn2dfoy2iw' +
        '&port=51413&uploaded=0&downloaded=0&left=0&numwant=80&key=70672bb6&compact=1&supportcrypto=1&event=started',
    );
    expect(r.httpVersion).toBe('HTTP/1.1');
    expect(r.userAgent).toBe('Transmission/3.00');
    expect(r.origin.offset).toBe(0);
    expect(out[1]!.origin.offset).toBe(readFileSync(real('a_clean', 'nginx_access_ext.log'), 'latin1').indexOf('\n') + 1);
    expect(out[1]!.target.startsWith('/scrape?info_hash=')).toBe(true);
  });

  it('b_crash: Enhanced-CTorrent requests are HTTP/1.0, rtorrent HTTP/1.1 (as in the capture)', () => {
    const { out } = decode(real('b_crash', 'nginx_access.log'), null);
    expect(out.map((r) => `${r.clientIp} ${r.httpVersion}`)).toEqual([
      '127.0.0.5 HTTP/1.1', '127.0.0.4 HTTP/1.0', '127.0.0.4 HTTP/1.0', '127.0.0.4 HTTP/1.0',
      '127.0.0.4 HTTP/1.0', '127.0.0.4 HTTP/1.0', '127.0.0.5 HTTP/1.1',
    ]);
    expect(out[0]!.ts).toBe(1795623374000000000n); // [25/Nov/2026:16:16:14 +0000]
    expect(out[1]!.userAgent).toBe('Enhanced-CTorrent/dnh3.3.2');
  });

  it('ext log without its format is detected as combined+ with a note, second precision', () => {
    const { d, out } = decode(real('a_clean', 'nginx_access_ext.log'), null);
    expect(d.format).toBe('nginx-combined+');
    expect(d.parsed).toBe(14);
    expect(out[0]!.timePrecision).toBe('s');
    expect(d.warnings.some((w) => w.includes('log_format'))).toBe(true);
  });
});
