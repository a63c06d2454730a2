/**
 * `--format markdown` on the real capture a_clean, through the built CLI: one GFM table row per
 * announce (13) with the counters of fixtures/real/a_clean/scenario.md and TBSource's credit, the
 * session end, and the users table. A hand-made log line with a hostile peer_id and User-Agent
 * checks that nothing from the wire becomes markup, HTML or a control byte.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp.js';
import { cli, ROOT } from '../e2e/cli.js';
import { mdCode, mdText } from '../../src/report/markdown.js';

/** Table cells of a GFM row, split on unescaped pipes (pairs `\x` are one unit, as GFM reads them). */
function cells(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 1; i < line.length; i++) {
    const c = line[i]!;
    if (c === '\\') { cur += c + (line[i + 1] ?? ''); i++; continue; }
    if (c === '|') { out.push(cur.trim()); cur = ''; continue; }
    cur += c;
  }
  return out;
}

/** The text with every code span removed (what is left is what a renderer interprets). */
function outsideCode(md: string): string {
  return md.replace(/(`+)[^`]*?(?:`(?!\1)[^`]*?)*\1/g, '');
}

describe('markdown on a_clean capture.pcap', () => {
  const r = cli(['fixtures/real/a_clean/capture.pcap', '--format', 'markdown']);
  const lines = r.stdout.split('\n');
  const rows = lines.filter((l) => /^\| \d+ \| 2026-/.test(l)).map(cells);

  it('exits 0; sessions as they close (aria2 stopped first), then what was read and the tables', () => {
    expect(r.code).toBe(0);
    const headings = lines.filter((l) => l.startsWith('## '));
    expect(headings).toEqual([
      '## Session 2: peer `A2-1-36-0-G\\xb3J\\x81\\x1ep\\xfd?Y6` (aria2 1.36.0)',
      '## Session 1: peer `-TR3000-khgn2dfoy2iw` (Transmission 3.00)',
      '## What was read',
      '## Users (as the tracker credited them)',
      '## Torrents (as the tracker holds them at the end)',
      '## Clients (which leave ghost peers)',
    ]);
  });

  it('one row per announce (13): event, uploaded, downloaded, left, credited up/down, state, anomalies', () => {
    expect(rows.map((c) => c.slice(2))).toEqual([
      // aria2 (session 2)
      ['`started`', '0', '0', '33,554,432', '0', '0', 'not listed → leeching', '`rules-disagree`'],
      ['—', '0', '9,256,960', '24,297,472', '0', '9,256,960', 'leeching', ''],
      ['`completed`', '0', '33,554,432', '0', '0', '0', 'expired → seeding', '`rules-disagree` `missing-started` `late-announce`'],
      ['—', '0', '33,554,432', '0', '0', '0', 'seeding', ''],
      ['`stopped`', '0', '33,554,432', '0', '0', '0', 'seeding → removed', ''],
      // Transmission (session 1)
      ['`started`', '0', '0', '0', '0', '0', 'not listed → seeding', ''],
      ['—', '0', '0', '0', '0', '0', 'seeding', ''],
      ['—', '0', '0', '0', '0', '0', 'seeding', ''],
      ['—', '10,772,829', '0', '0', '10,772,829', '0', 'seeding', ''],
      ['—', '21,496,467', '0', '0', '10,723,638', '0', 'seeding', ''],
      ['—', '32,630,030', '0', '0', '11,133,563', '0', 'seeding', ''],
      ['—', '33,581,056', '0', '0', '951,026', '0', 'seeding', ''],
      ['—', '33,581,056', '0', '0', '0', '0', 'seeding', ''],
    ]);
    expect(rows[0]!.slice(0, 2)).toEqual(['1', '2026-11-25 16:13:12.740092']);
  });

  it('explains the session ends and credits the users as TBSource would', () => {
    expect(lines).toContain('**Session end:** removed: the client said `stopped`, so the torrent left the user\'s profile');
    expect(lines).toContain('- credited: 0 bytes up, 9,256,960 bytes (8.8 MiB) down');
    // Transmission never sent stopped (scenario.md): still listed at the end of the capture
    expect(lines).toContain('**Session end:** still listed as seeding at the end of the input; the tracker drops it 39 s after its last announce');
    expect(lines).toContain('- credited: 33,581,056 bytes (32.0 MiB) up, 0 bytes down');
    expect(lines.filter((l) => l.includes('`missing-stopped`'))).toHaveLength(1);
    expect(lines).toContain('- #3: the peer had expired (gap 66.3 s &gt; dead time 39 s): this announce is a new row, a new baseline with zero credit');
    const from = lines.indexOf('## Users (as the tracker credited them)');
    const users = lines.slice(from, lines.indexOf('## Torrents (as the tracker holds them at the end)')).filter((l) => l.startsWith('| `')).map(cells);
    expect(users).toEqual([
      ['`127.0.0.2`', '32.0 MiB', '0 B', '∞', '1', '1'],
      ['`127.0.0.3`', '0 B', '8.8 MiB', '0.00', '1', '4'],
    ]);
  });
});

describe('markdown --announces-only on a_clean', () => {
  it('is one table of the 13 announces in time order, numbered by replay order', () => {
    const r = cli(['fixtures/real/a_clean/capture.pcap', '--format', 'markdown', '--announces-only']);
    const rows = r.stdout.split('\n').filter((l) => /^\| \d+ \| 2026-/.test(l)).map(cells);
    expect(rows.map((c) => c[0])).toEqual(Array.from({ length: 13 }, (_, i) => String(i + 1)));
    expect(rows.map((c) => c[1]!.slice(11, 19))).toEqual(['16:12:08', '16:12:38', '16:13:08', '16:13:12', '16:13:39', '16:13:43', '16:14:08', '16:14:38', '16:14:49', '16:15:08', '16:15:19', '16:15:38', '16:15:50']);
    expect(r.stdout).not.toContain('## Session');
  });
});

describe('markdown escaping of wire data', () => {
  it('a hostile peer_id and User-Agent stay inert: code spans, escaped pipes, no control bytes', () => {
    const dir = tempDir('ta-md-');
    const log = join(dir, 'hostile.log');
    // a_clean's first nginx line; peer_id = 20 hostile bytes  =1+2|<b>x</b>`_ ESC [2J!  and a hostile User-Agent
    const line = readFileSync(join(ROOT, 'fixtures/real/a_clean/nginx_access.log'), 'utf8').split('\n')[0]!
      .replace('peer_id=-TR3000-khgn2dfoy2iw', 'peer_id=%3D1%2B2%7C%3Cb%3Ex%3C%2Fb%3E%60_%1B%5B2J%21')
      .replace('"Transmission/3.00"', '"Evil|<script>alert(1)</script>"');
    writeFileSync(log, line + '\n');
    const r = cli([log, '--format', 'markdown']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
    expect(r.stdout).toContain('## Session 1: peer ``=1+2|<b>x</b>`_\\x1b[2J!``');
    expect(r.stdout).toContain('User-Agent `Evil|<script>alert(1)</script>`');
    // outside code spans no raw HTML is left; the only tags are the report's own <details>
    expect(outsideCode(r.stdout).replace(/<\/?(details|summary)>/g, '')).not.toMatch(/[<>]/);
    for (const l of r.stdout.split('\n').filter((x) => x.startsWith('| '))) expect(cells(l).length).toBeGreaterThanOrEqual(3);
    const row = r.stdout.split('\n').find((l) => l.startsWith('| 1 |'))!;
    expect(cells(row)).toHaveLength(10);
  });

  it('mdCode escapes | only in table cells and fences around backticks; mdText escapes markup and HTML', () => {
    expect(mdCode('a|b', true)).toBe('`a\\|b`');
    expect(mdCode('a|b')).toBe('`a|b`');
    expect(mdCode('``x`')).toBe('``` ``x` ```');
    expect(mdCode('a\x1bb')).toBe('`a\\x1bb`');
    expect(mdText('*x* [l](http://e) <i>&|_')).toBe('\\*x\\* \\[l\\](http://e) &lt;i&gt;&amp;\\|\\_');
    expect(mdText('tab\there')).toBe('tab\\\\x09here');
  });
});
