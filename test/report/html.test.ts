/**
 * `--format html` end to end, through the built CLI (dist/): fixtures/anatomy.pcap (the three
 * announces of TBSource's anatomy page, see fixtures/ANATOMY.md) and the real capture b_crash
 * (fixtures/real/b_crash/scenario.md; ctorrent #2's counters and times checked with
 * `tshark -n -2 -r capture.pcap -Y 'http.request && tcp.dstport==6969'`).
 * Checks: self-contained markup (nothing loads from the network), one chart per session with the
 * reported counters drawn to scale, the anatomy credits, escaping of wire text, independence from
 * timezone and locale, and that real headless Chromium renders the page without console errors.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, cliJson, ROOT } from '../e2e/cli.js';

const ANATOMY = 'fixtures/anatomy.pcap';
const B_CRASH = 'fixtures/real/b_crash/capture.pcap';

function html(args: readonly string[], env?: NodeJS.ProcessEnv): string {
  const r = cli(['--format', 'html', ...args], { env });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
}

/** The markup of one session's section (sections are written as sessions close, not in index order). */
function section(page: string, anchor: string): string {
  const start = page.indexOf(`<section class="session" id="${anchor}">`);
  expect(start).toBeGreaterThanOrEqual(0);
  return page.slice(start, page.indexOf('</section>', start));
}

/** The announce block `s1-a2` of a page. */
function announceBlock(page: string, anchor: string): string {
  const start = page.indexOf(`<details class="announce" id="${anchor}"`);
  expect(start).toBeGreaterThanOrEqual(0);
  return page.slice(start, page.indexOf('</details>', start));
}

/** Points of the polyline of a series ('s-up', 's-down', 's-left') in a section's chart. */
function series(sec: string, cls: string): [number, number][] {
  const m = new RegExp(`<polyline class="${cls}" points="([^"]+)"`).exec(sec);
  expect(m).not.toBeNull();
  return m![1]!.split(' ').map((p) => p.split(',').map(Number) as [number, number]);
}

/** The y of the chart's x axis (value 0). */
function baseline(sec: string): number {
  const m = /<line class="axis" x1="[\d.]+" x2="[\d.]+" y1="([\d.]+)" y2="\1"\/>/.exec(sec);
  expect(m).not.toBeNull();
  return Number(m![1]);
}

function expectSelfContained(page: string): void {
  expect(page.startsWith('<!DOCTYPE html>')).toBe(true);
  expect(page.trimEnd().endsWith('</html>')).toBe(true);
  expect(page).not.toMatch(/<script/i);
  expect(page).not.toMatch(/<(link|img|iframe|object|embed)\b/i);
  expect(page).not.toMatch(/@import|url\(/i);
  // a URL may only appear as escaped text from the wire, never inside markup
  for (const tag of page.match(/<[^>]*>/g) ?? []) expect(tag).not.toMatch(/https?:|\/\//i);
  // links stay inside the page
  for (const href of page.match(/href="[^"]*"/g) ?? []) expect(href).toMatch(/^href="#[\w-]+"$/);
}

describe('html report of fixtures/anatomy.pcap', () => {
  const page = html([ANATOMY]);
  const sec = section(page, 's1');

  it('is one self-contained page', () => {
    expectSelfContained(page);
    expect(page).toContain('content="default-src \'none\'; style-src \'unsafe-inline\'"');
  });

  it('has one session with one chart, its events and anomalies marked', () => {
    expect(page.match(/<section class="session"/g)).toHaveLength(1);
    expect(page.match(/<svg class="chart"/g)).toHaveLength(1);
    expect(sec.match(/<text class="ev-label"[^>]*>(\w+)<\/text>/g)?.map((t) => t.replace(/<[^>]+>/g, ''))).toEqual(['started', 'completed']);
    const labels = (sec.match(/<text class="an-label[^>]*>[^<]+<\/text>/g) ?? []).map((t) => t.replace(/<[^>]+>/g, ''));
    expect(labels.sort()).toEqual(['missing-stopped', 'over-download', 'rules-disagree', 'upload-speed']);
  });

  it('draws the reported counters of the three announces to scale', () => {
    const y0 = baseline(sec);
    const up = series(sec, 's-up');
    const down = series(sec, 's-down');
    const left = series(sec, 's-left');
    expect([up.length, down.length, left.length]).toEqual([3, 3, 3]);
    // 15 min apart: the middle announce sits halfway
    expect((up[1]![0] - up[0]![0]) / (up[2]![0] - up[0]![0])).toBeCloseTo(0.5, 2);
    // heights above the axis are proportional to the bytes (anatomy.php's numbers)
    const h = (p: [number, number]): number => y0 - p[1];
    expect(h(up[0]!)).toBe(0);
    expect(h(left[2]!)).toBe(0);
    expect(h(up[1]!) / h(up[2]!)).toBeCloseTo(67960832 / 754384896, 2);
    expect(h(down[1]!) / h(down[2]!)).toBeCloseTo(40828928 / 754215163, 2);
    expect(h(left[1]!) / h(left[0]!)).toBeCloseTo(715417851 / 753690875, 2);
  });

  it('shows the three credits of the anatomy page', () => {
    expect(announceBlock(page, 's1-a1')).toContain('<dt>credited</dt><dd><span class="warn">nothing</span>');
    expect(announceBlock(page, 's1-a2')).toContain('+67,960,832 bytes (64.8 MiB) uploaded, +40,828,928 bytes (38.9 MiB) downloaded');
    // 754384896 − 67960832 and 754215163 − 40828928
    expect(announceBlock(page, 's1-a3')).toContain('+686,424,064 bytes (654.6 MiB) uploaded, +713,386,235 bytes (680.3 MiB) downloaded');
    expect(announceBlock(page, 's1-a3')).toContain('leeching → seeding');
  });

  it('annotates each parameter once with its meaning, and the session end', () => {
    const a1 = announceBlock(page, 's1-a1');
    expect(a1).toContain('<code>753690875 bytes (718.8 MiB)</code></td><td>bytes this client still needs');
    expect(a1).toContain('HTTP 200 · interval 1800 s · 1 peer (dict)');
    // #2 explains only what #1 did not send
    expect(announceBlock(page, 's1-a2')).toContain('how many peers the client wants in the reply');
    expect(announceBlock(page, 's1-a2')).not.toContain('<td>SHA-1 of the torrent');
    expect(announceBlock(page, 's1-a3')).not.toContain('<th>meaning</th>');
    expect(sec).toContain('<strong>seeding</strong>: still listed as seeding at the end of the input');
    expect(sec).toContain('median gap 15 min against the interval of 30 min');
  });

  it('sums up what was read and the tables', () => {
    expect(page).toContain('21 packets, 3 announces, 0 scrapes, 0 other HTTP requests');
    expect(page).toContain('<h2 id="users">');
    expect(page).toMatch(/<td>Shad0w 5\.8\.8<\/td><td class="num">1<\/td><td class="num">1<\/td>/);
  });

  it('does not depend on timezone or locale', () => {
    expect(html([ANATOMY], { TZ: 'Pacific/Chatham', LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8' })).toBe(page);
  });
});

describe('html report of b_crash', () => {
  const page = html([B_CRASH]);
  const { doc } = cliJson([B_CRASH]);

  it('is self-contained with one chart per session', () => {
    expectSelfContained(page);
    expect(doc.sessions).toHaveLength(3);
    expect(page.match(/<section class="session"/g)).toHaveLength(3);
    expect(page.match(/<svg class="chart"/g)).toHaveLength(3);
    for (const a of ['s1', 's2', 's3']) expect(section(page, a).match(/<svg class="chart"/g)).toHaveLength(1);
  });

  it('charts ctorrent #2 (session 3) as the scenario tells it', () => {
    const sec = section(page, 's3');
    const y0 = baseline(sec);
    const left = series(sec, 's-left');
    const down = series(sec, 's-down');
    // tshark: 16:17:44.264335, 16:18:14.046106, 16:18:29.794205
    expect((left[1]![0] - left[0]![0]) / (left[2]![0] - left[0]![0])).toBeCloseTo(29.781771 / 45.52987, 2);
    expect((y0 - left[1]![1]) / (y0 - left[0]![1])).toBeCloseTo(2621440 / 24903680, 2);
    expect((y0 - down[1]![1]) / (y0 - down[2]![1])).toBeCloseTo(8912896 / 11534336, 2);
    expect(sec.match(/<text class="ev-label"[^>]*>(\w+)<\/text>/g)?.map((t) => t.replace(/<[^>]+>/g, ''))).toEqual(['started', 'stopped']);
    expect(sec).toContain('<strong>removed</strong>');
    expect(sec).toContain('missing-completed');
  });

  it('marks the crashed session (session 2) as expired without stopped', () => {
    const sec = section(page, 's2');
    expect(sec).toContain('<strong>expired</strong>');
    expect(sec).toMatch(/<text class="an-label sev-\w+"[^>]*>missing-stopped<\/text>/);
    // the peer_id's control bytes are shown as escapes
    expect(sec).toContain('-CD0303-\\x03/j\\x9e');
  });

  it('indexes every session once, in the order of their sections (the order they ended, as in the JSON)', () => {
    const sections = [...page.matchAll(/<section class="session" id="s(\d+)">/g)].map((m) => Number(m[1]));
    const index = page.slice(page.indexOf('<h2 id="sessions">'), page.indexOf('</table>', page.indexOf('<h2 id="sessions">')));
    const rows = [...index.matchAll(/<tr><td><a href="#s(\d+)">\1<\/a><\/td>/g)].map((m) => Number(m[1]));
    expect(rows).toEqual(sections);
    expect(rows).toEqual(doc.sessions.map((s: { index: number }) => s.index + 1));
    expect([...rows].sort()).toEqual([1, 2, 3]);
    // the expired session (2) ended after ctorrent #2's (3) stopped: 3 comes first
    expect(rows.indexOf(3)).toBeLessThan(rows.indexOf(2));
  });
});

describe('html report with --torrent', () => {
  it('names the torrent (info.name of sample-b-24MiB.torrent) in the sessions and the torrents table', () => {
    const page = html([B_CRASH, '--torrent', 'fixtures/real/b_crash/sample-b-24MiB.torrent']);
    expect(page.match(/<span class="dim">\(sample-b-24MiB\.bin\)<\/span>/g)).toHaveLength(3);
    expect(page).toContain('<th>name</th>');
    expect(page).toContain('<td>sample-b-24MiB.bin</td><td>24.0 MiB</td>');
    // without names the column is left out
    expect(html([B_CRASH])).not.toContain('<th>name</th>');
  });
});

describe('html report escapes text from the wire', () => {
  it('escapes a hostile User-Agent and key from a log', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ta-html-'));
    try {
      const log = readFileSync(join(ROOT, 'fixtures/real/b_crash/nginx_access.log'), 'latin1')
        .replace('"rtorrent/0.9.8/0.13.8"', '"<script>alert(1)</script> &amp; \'x\' https://evil.example/"')
        .replace('key=14762ffe', 'key=%3Cb%3E%22%27%26');
      const file = join(dir, 'hostile.log');
      writeFileSync(file, log, 'latin1');
      const page = html([file]);
      expect(page).not.toMatch(/<script/i);
      expect(page).not.toContain('<b>');
      expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp;amp; &#39;x&#39; https://evil.example/');
      expect(page).toContain('<code>&lt;b&gt;&quot;&#39;&amp;</code>');
      for (const tag of page.match(/<[^>]*>/g) ?? []) expect(tag).not.toMatch(/https?:/i);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const CHROMIUM = ['chromium', 'chromium-browser'].find((c) => spawnSync('which', [c]).status === 0);
if (!CHROMIUM) console.warn('html.test: chromium not found, skipping the browser checks (CI: apt-get install -y chromium)');

/** Runs headless Chromium on a page with no network, and returns its stdout and console lines. */
function chromium(file: string, extra: readonly string[]): { stdout: string; console: string[]; code: number | null } {
  const profile = mkdtempSync(join(tmpdir(), 'ta-chromium-'));
  try {
    const r = spawnSync(CHROMIUM!, [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      `--user-data-dir=${profile}`, '--enable-logging=stderr', '--v=0', ...extra, `file://${file}`,
    ], { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
    const consoleLines = (r.stderr ?? '').split('\n').filter((l) => /:CONSOLE|Uncaught/.test(l));
    return { stdout: r.stdout ?? '', console: consoleLines, code: r.status };
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

describe.skipIf(!CHROMIUM)('html report in headless Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ta-html-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports console errors at all (control: a page that breaks its own CSP)', () => {
    const bad = join(dir, 'control.html');
    writeFileSync(bad, '<!DOCTYPE html><meta http-equiv="Content-Security-Policy" content="default-src \'none\'"><script>nope()</script><p>x</p>');
    expect(chromium(bad, ['--dump-dom']).console.length).toBeGreaterThan(0);
  }, 90_000);

  for (const [name, input, sessions] of [['anatomy', ANATOMY, 1], ['b_crash', B_CRASH, 3]] as const) {
    it(`renders ${name} with its charts in the DOM and no console errors`, () => {
      const file = join(dir, `${name}.html`);
      writeFileSync(file, html([input]));
      const dom = chromium(file, ['--dump-dom']);
      expect(dom.code).toBe(0);
      expect(dom.console).toEqual([]);
      expect(dom.stdout.match(/<svg class="chart"/g)).toHaveLength(sessions);
      expect(dom.stdout.match(/<polyline class="s-(up|down|left)"/g)?.length).toBeGreaterThanOrEqual(3 * sessions);

      const png = join(dir, `${name}.png`);
      const shot = chromium(file, [`--screenshot=${png}`, '--window-size=1200,3000']);
      expect(shot.console).toEqual([]);
      const bytes = readFileSync(png);
      expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
      // IHDR: width and height of the screenshot
      expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([1200, 3000]);
      // a blank page compresses to a few KB; a rendered report is far larger
      expect(statSync(png).size).toBeGreaterThan(100_000);
    }, 120_000);
  }
});
