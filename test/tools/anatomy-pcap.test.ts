// Purpose: fixtures/anatomy.pcap holds the anatomy page's three GETs byte for byte, at the page's
// times, as valid TCP that independent readers (tcpdump, tshark) accept and reassemble; and the
// generator still produces exactly the committed file.
// Fields checked: request lines, packet times (tcpdump -tt), checksums (tcpdump -vv), HTTP
// request/response count (tshark), file bytes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ANATOMY_TARGETS, writeAnatomyPcap } from '../../src/tools/make-anatomy-pcap.js';

const FIXTURE = 'fixtures/anatomy.pcap';
const has = (tool: string): boolean => spawnSync(tool, ['--version']).status === 0;
const hasTcpdump = has('tcpdump');
const hasTshark = has('tshark');
if (!hasTcpdump) console.warn('SKIPPED anatomy-pcap tcpdump checks: tcpdump is not installed (apt-get install tcpdump)');
if (!hasTshark) console.warn('SKIPPED anatomy-pcap tshark check: tshark is not installed (apt-get install tshark)');

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'latin1', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

// The page's three URLs with its line-wrapping spaces removed, typed out here independently of the generator.
const PAGE_LINES = [
  'GET /announce.php?info_hash=c%97%91%C5jG%951%BE%C7M%F9%BFa%03%F2%2C%ED%EE%0F&peer_id=S588-----gqQ8TqDeqaY&port=6882&uploaded=0&downloaded=0&left=753690875&event=started HTTP/1.1',
  'GET /announce.php?info_hash=c%97%91%C5jG%951%BE%C7M%F9%BFa%03%F2%2C%ED%EE%0F&peer_id=S588-----gqQ8TqDeqaY&port=6882&uploaded=67960832&downloaded=40828928&left=715417851&numwant=0 HTTP/1.1',
  'GET /announce.php?info_hash=c%97%91%C5jG%951%BE%C7M%F9%BFa%03%F2%2C%ED%EE%0F&peer_id=S588-----gqQ8TqDeqaY&port=6882&uploaded=754384896&downloaded=754215163&left=0&numwant=0&event=completed HTTP/1.1',
];
// 2004-04-14 21:00:00, 21:15:00, 21:30:00 UTC (date -u -d '2004-04-14 21:00:00' +%s = 1081976400).
const PAGE_SECONDS = ['1081976400', '1081977300', '1081978200'];

describe('fixtures/anatomy.pcap', () => {
  it('is exactly what make-anatomy-pcap writes (deterministic)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'anatomy-'));
    try {
      const out = join(dir, 'a.pcap');
      expect(writeAnatomyPcap(out)).toBe(21);
      expect(Buffer.compare(readFileSync(out), readFileSync(FIXTURE))).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(ANATOMY_TARGETS.map((t) => `GET ${t} HTTP/1.1`)).toEqual(PAGE_LINES);
  });

  it.skipIf(!hasTcpdump)('tcpdump -A shows the three request lines byte for byte, at the three times', () => {
    const text = run('tcpdump', ['-n', '-tt', '-A', '-r', FIXTURE]);
    const lines = text.split('\n');
    const isSummary = (l: string): boolean => /^\d+\.\d{6} IP /.test(l);
    PAGE_LINES.forEach((line, i) => {
      // -A prints the IP and TCP headers (mostly unprintable) in front of the payload, on the
      // lines after the packet's summary line (which quotes the request line too).
      const at = lines.findIndex((l) => !isSummary(l) && l.endsWith(line));
      expect(at, line).toBeGreaterThan(0);
      // the packet summary line above the payload carries the timestamp
      const summary = lines.slice(0, at).reverse().find(isSummary);
      expect(summary).toContain('192.0.2.10.');
      expect(summary).toContain(`HTTP: ${line}`);
      expect(summary?.split('.')[0]).toBe(PAGE_SECONDS[i]);
    });
    expect(lines.filter((l) => !isSummary(l) && l.includes('GET /announce.php')).length).toBe(3);
  });

  it.skipIf(!hasTcpdump)('tcpdump -vv finds every IP and TCP checksum correct', () => {
    const text = run('tcpdump', ['-n', '-vv', '-r', FIXTURE]);
    expect(text).not.toMatch(/bad cksum|incorrect/);
    expect(text.match(/cksum 0x[0-9a-f]+ \(correct\)/g)?.length).toBe(21);
  });

  it.skipIf(!hasTshark)('tshark sees 3 HTTP requests and 3 responses', () => {
    const base = ['-n', '-2', '-o', 'tcp.reassemble_out_of_order:TRUE', '-r', FIXTURE];
    const reqs = run('tshark', [...base, '-Y', 'http.request', '-T', 'fields', '-e', 'http.request.uri']).trim().split('\n');
    expect(reqs).toEqual(PAGE_LINES.map((l) => l.slice(4, -9)));
    const codes = run('tshark', [...base, '-Y', 'http.response', '-T', 'fields', '-e', 'http.response.code']).trim().split('\n');
    expect(codes).toEqual(['200', '200', '200']);
  });
});
