/**
 * `--format csv` on the real captures, through the built CLI. a_clean: one row per announce (13),
 * counters and events as in fixtures/real/a_clean/scenario.md (checked with
 * `tcpdump -n -tt -A -r capture.pcap 'tcp dst port 6969'`), credits as TBSource computes them.
 * b_crash: a real peer_id holding a comma is quoted. A hand-made log line with a hostile peer_id
 * checks the formula guard and control-byte escaping.
 */
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp.js';
import { cli, ROOT } from '../e2e/cli.js';

/** RFC 4180 reader for the test: quoted fields, doubled quotes, CRLF records. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i += 2; continue; }
      if (c === '"') { quoted = false; i++; continue; }
      field += c; i++; continue;
    }
    if (c === '"' && field === '') { quoted = true; i++; continue; }
    if (c === ',') { row.push(field); field = ''; i++; continue; }
    if (c === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i += 2; continue; }
    field += c; i++;
  }
  if (field !== '' || row.length > 0) throw new Error('last record not ended by CRLF');
  return rows;
}

function records(args: string[]): Record<string, string>[] {
  const r = cli([...args, '--format', 'csv']);
  expect(r.code).toBe(0);
  const [head, ...rows] = parseCsv(r.stdout);
  for (const row of rows) expect(row).toHaveLength(head!.length);
  return rows.map((row) => Object.fromEntries(head!.map((h, i) => [h, row[i]!])));
}

const TR = "'-TR3000-khgn2dfoy2iw";
const ARIA = 'A2-1-36-0-G\\xb3J\\x81\\x1ep\\xfd?Y6';

describe('csv on a_clean capture.pcap', () => {
  const rows = records(['fixtures/real/a_clean/capture.pcap']);

  it('has the documented header', () => {
    const r = cli(['fixtures/real/a_clean/capture.pcap', '--format', 'csv']);
    expect(r.stdout.split('\r\n')[0]).toBe('time,source,client_ip,client_port,forwarded_for,info_hash,peer_id,client,event,port,uploaded,downloaded,left,numwant,passkey,reply_status,reply_interval,reply_failure,session,user,credited_up,credited_down,state_before,state_after,applied,failure,anomalies');
  });

  it('one row per announce (13), with the clients\' counters and the credit TBSource gives', () => {
    // [time, peer_id (guarded), event, uploaded, downloaded, left, credited_up, credited_down, before, after]
    expect(rows.map((r) => [r['time'], r['peer_id'], r['event'], r['uploaded'], r['downloaded'], r['left'], r['credited_up'], r['credited_down'], r['state_before'], r['state_after']])).toEqual([
      ['2026-11-25T16:12:08.240Z', TR, 'started', '0', '0', '0', '0', '0', 'none', 'seeding'],
      ['2026-11-25T16:12:38.100Z', TR, '', '0', '0', '0', '0', '0', 'seeding', 'seeding'],
      ['2026-11-25T16:13:08.159Z', TR, '', '0', '0', '0', '0', '0', 'seeding', 'seeding'],
      ['2026-11-25T16:13:12.740Z', ARIA, 'started', '0', '0', '33554432', '0', '0', 'none', 'leeching'],
      ['2026-11-25T16:13:39.218Z', TR, '', '10772829', '0', '0', '10772829', '0', 'seeding', 'seeding'],
      ['2026-11-25T16:13:43.179Z', ARIA, '', '0', '9256960', '24297472', '0', '9256960', 'leeching', 'leeching'],
      ['2026-11-25T16:14:08.070Z', TR, '', '21496467', '0', '0', '10723638', '0', 'seeding', 'seeding'],
      ['2026-11-25T16:14:38.119Z', TR, '', '32630030', '0', '0', '11133563', '0', 'seeding', 'seeding'],
      // 66.3 s after its previous announce: past the dead time (1.3 x 30 s), a new baseline
      ['2026-11-25T16:14:49.430Z', ARIA, 'completed', '0', '33554432', '0', '0', '0', 'expired', 'seeding'],
      ['2026-11-25T16:15:08.187Z', TR, '', '33581056', '0', '0', '951026', '0', 'seeding', 'seeding'],
      ['2026-11-25T16:15:19.691Z', ARIA, '', '0', '33554432', '0', '0', '0', 'seeding', 'seeding'],
      ['2026-11-25T16:15:38.237Z', TR, '', '33581056', '0', '0', '0', '0', 'seeding', 'seeding'],
      ['2026-11-25T16:15:50.686Z', ARIA, 'stopped', '0', '33554432', '0', '0', '0', 'seeding', 'removed'],
    ]);
  });

  it('fills the connection, client, reply and replay columns', () => {
    const first = rows[0]!;
    expect(first).toMatchObject({
      source: 'fixtures/real/a_clean/capture.pcap#4', client_ip: '127.0.0.2', client_port: '34744', forwarded_for: '',
      info_hash: 'f472210256163113a9f94e380660e1f5ed6df57e', client: 'Transmission 3.00', port: '51413', numwant: '80',
      passkey: '', reply_status: '200', reply_interval: '30', reply_failure: '', session: '1', user: '127.0.0.2',
      applied: 'true', failure: '', anomalies: '',
    });
    expect(rows[3]).toMatchObject({ client: 'aria2 1.36.0', session: '2', user: '127.0.0.3', port: '6881', numwant: '50', anomalies: 'rules-disagree' });
    // aria2's stopped carries numwant=0 (scenario.md: the backend's own log wrongly shows 50)
    expect(rows[12]).toMatchObject({ numwant: '0' });
    expect(rows[8]!['anomalies']).toBe('rules-disagree missing-started late-announce');
  });
});

describe('csv quoting and formula guard', () => {
  it('quotes a real peer_id holding a comma (b_crash, ctorrent run #2: ...%7E%19%2Cd)', () => {
    const r = cli(['fixtures/real/b_crash/capture.pcap', '--format', 'csv']);
    expect(r.stdout).toContain(',"\'-CD0303-\\x1c\\x19e\\x98\\x8b{\\x1dK~\\x19,d",Enhanced CTorrent 3.3,');
    const rows = parseCsv(r.stdout);
    expect(rows).toHaveLength(1 + 7);
    expect(rows.filter((x) => x[6] === "'-CD0303-\\x1c\\x19e\\x98\\x8b{\\x1dK~\\x19,d")).toHaveLength(3);
  });

  it('neutralises a hostile peer_id starting with = and shows its control byte escaped', () => {
    const dir = tempDir('ta-csv-');
    const log = join(dir, 'hostile.log');
    // a_clean's first nginx line with the peer_id replaced by 20 hostile bytes: =1+2|<b>x</b>`_ ESC [2J!
    const line = readFileSync(join(ROOT, 'fixtures/real/a_clean/nginx_access.log'), 'utf8').split('\n')[0]!
      .replace('peer_id=-TR3000-khgn2dfoy2iw', 'peer_id=%3D1%2B2%7C%3Cb%3Ex%3C%2Fb%3E%60_%1B%5B2J%21');
    writeFileSync(log, line + '\n');
    const r = cli([log, '--format', 'csv']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('\x1b');
    const rows = parseCsv(r.stdout);
    expect(rows).toHaveLength(2);
    expect(rows[1]![6]).toBe("'=1+2|<b>x</b>`_\\x1b[2J!");
    expect(rows[1]![3]).toBe(''); // a log has no client port
  });
});
