/**
 * The CLI as users and CI meet it: exit codes, one-line errors naming the file and position,
 * colour conventions, filters, --redact, --fail-on, explain and check, sanitised wire text.
 * Inputs are the real captures; expected values come from their scenario.md (see the e2e tests).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp.js';
import { cli, cliJson } from './cli.js';

const A = 'fixtures/real/a_clean/capture.pcap';
const B = 'fixtures/real/b_crash/capture.pcap';
const B_NANO = 'fixtures/real/b_crash/capture-nano.pcap';
const tmp = tempDir('ta-cli-');

describe('errors and exit codes', () => {
  it('a missing file: one line naming it, exit 2, no stack trace', () => {
    const r = cli(['no/such/file.pcap']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('tracker-anatomy: no/such/file.pcap: cannot read: no such file');
    expect(r.stdout).toBe('');
  });

  it('error lines never carry raw control characters, even from a file name', () => {
    const r = cli(['no/such/\x1b[31mred.pcap']);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain('\x1b');
    expect(r.stderr).toContain('\\x1b[31mred.pcap');
  });

  it('an unsupported link type names the type and the byte offset', () => {
    const f = join(tmp, 'usb.pcap');
    const head = Buffer.from(readFileSync(A).subarray(0, 24));
    head.writeUInt32LE(147, 20); // LINKTYPE_USER0
    writeFileSync(f, head);
    const r = cli([f]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`tracker-anatomy: ${f}: byte 20: unsupported link type 147 (USER0)`);
  });

  it('a capture cut mid-record (tcpdump killed) is processed up to the cut and warns where it ends', () => {
    const f = join(tmp, 'cut.pcap');
    writeFileSync(f, readFileSync(A).subarray(0, 50000));
    const { code, doc, stderr } = cliJson([f]);
    expect(code).toBe(0);
    expect(doc.inputs[0].skipped.truncated).toBe(1);
    expect(doc.inputs[0].warnings.join(' ')).toMatch(/^packet \d+ byte \d+: /);
    expect(stderr).toContain('warning');
    // the first announces (all before byte 50000) are there, in order
    expect(doc.announces.length).toBeGreaterThan(3);
    expect(doc.announces[0].time).toBe('2026-11-25T16:12:08.240Z');
  });

  it('a corrupt record header stops the input with one line (not twice), exit 2; the report keeps what came before', () => {
    // packet 11's captured length overwritten: records are a 16-byte header (caplen at +8) and caplen bytes
    const b = Buffer.from(readFileSync(A));
    let at = 24;
    for (let n = 1; n < 11; n++) at += 16 + b.readUInt32LE(at + 8);
    b.writeUInt32LE(0x7fffffff, at + 8);
    const f = join(tmp, 'bad-record.pcap');
    writeFileSync(f, b);
    const { code, doc, stderr } = cliJson([f]);
    expect(code).toBe(2);
    const line = `${f}: packet 11 (byte ${at}): record captured length 2147483647 exceeds the limit 262144 (corrupt file?)`;
    expect(stderr).toBe(`tracker-anatomy: ${line}\n`);
    expect(doc.inputs[0].warnings).toEqual([`stopped reading: packet 11 (byte ${at}): record captured length 2147483647 exceeds the limit 262144 (corrupt file?)`]);
    expect(doc.inputs[0].packets).toBe(10);
  });

  it('captures joined with cat read as the two files given one by one, with a warning where the second begins', () => {
    const a = readFileSync(A);
    const f = join(tmp, 'joined.pcap');
    writeFileSync(f, Buffer.concat([a, readFileSync(B_NANO)]));
    const joined = cliJson([f]);
    const apart = cliJson([A, B_NANO]);
    expect(joined.code).toBe(0);
    const warning = `byte ${a.length}: another pcap file header (captures joined with cat?): read on as link type 1 with ns times`;
    expect(joined.stderr).toBe(`tracker-anatomy: ${f}: warning: ${warning}\n`);
    expect(joined.doc.inputs[0]).toMatchObject({ packets: 1047 + 3149, announces: 13 + 7, warnings: [warning] });
    expect(joined.doc.inputs[0].skipped).toEqual({ 'non-http connection': 12 });
    const what = (x: any) => ({ ...x, source: undefined, replay: { ...x.replay, ref: undefined } });
    expect(joined.doc.announces.map(what)).toEqual(apart.doc.announces.map(what));
    expect(joined.doc.sessions).toEqual(apart.doc.sessions);
  });

  it('bad option values exit 2 with one line', () => {
    expect(cli(['--format', 'xml', A]).code).toBe(2);
    const r = cli(['--since', 'yesterday', A]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^tracker-anatomy: --since wants an ISO 8601 time/);
    expect(cli(['--fail-on', 'nonsense', A]).code).toBe(2);
  });

  it('stdin and gzip give the same announces as the file', () => {
    const plain = cliJson([A]).doc;
    const gz = join(tmp, 'a.pcap.gz');
    writeFileSync(gz, require('node:zlib').gzipSync(readFileSync(A)));
    const fromGz = cliJson([gz]).doc;
    expect(fromGz.announces.map((a: any) => a.time)).toEqual(plain.announces.map((a: any) => a.time));
    const r = cli(['-f', 'json', '-'], { input: readFileSync(A) });
    const fromStdin = JSON.parse(r.stdout);
    expect(fromStdin.announces.map((a: any) => a.source)).toEqual(plain.announces.map((a: any) => a.source.replace(A, 'stdin')));
  });
});

describe('colour', () => {
  it('no escape sequences when stdout is not a terminal, unless forced', () => {
    expect(cli([A]).stdout).not.toContain('\x1b[');
    expect(cli([A], { env: { FORCE_COLOR: '1' } }).stdout).toContain('\x1b[');
    expect(cli(['--color', A]).stdout).toContain('\x1b[');
    expect(cli(['--color', A], { env: { NO_COLOR: '1' } }).stdout).not.toContain('\x1b[');
  });
});

describe('filters, redaction and gates', () => {
  it('--client and --anomaly select sessions; the replay still runs over everything', () => {
    const out = cli(['--client', 'ctorrent', '--anomaly', 'missing-completed', B]).stdout;
    expect(out.match(/^== Session/gm)).toHaveLength(1);
    expect(out).toContain('-CD0303-\\x1c\\x19e');
    // credit still reflects the whole history
    expect(out).toContain('credited  0 bytes up, 11,534,336 bytes (11.0 MiB) down');
  });

  it('--event and --since filter announces', () => {
    const { doc } = cliJson(['--event', 'stopped', '--since', '2026-11-25T16:18:30Z', B]);
    expect(doc.announces.map((a: any) => a.time)).toEqual(['2026-11-25T16:18:35.661Z']);
  });

  it('--redact masks every address and keeps them consistent', () => {
    const { doc } = cliJson(['--redact', A]);
    const text = JSON.stringify(doc);
    expect(text).not.toMatch(/127\.0\.0\.\d/);
    const tr = doc.announces.filter((a: any) => a.peerId.text.startsWith('-TR3000-'));
    expect(new Set(tr.map((a: any) => a.client.ip)).size).toBe(1);
    expect(tr[0].client.ip).toMatch(/^ip#\d+$/);
  });

  it('--fail-on exits 1 on a matching finding, 0 otherwise', () => {
    expect(cli(['--fail-on', 'missing-completed', '-q', B]).code).toBe(1);
    expect(cli(['--fail-on', 'duplicate-completed', '-q', B]).code).toBe(0);
    expect(cli(['--fail-on', 'error', '-q', A]).code).toBe(0);
  });
});

describe('explain', () => {
  it("dissects the anatomy page's first URL even with line-wrap spaces, and says what TBSource answers", () => {
    const url = 'http://tracker/announce.php?info_hash=c%97%91%C5jG%951%BE%C7M%F9%BFa%03%F2%2C%ED%EE%0F&peer_id=S588-----gqQ8TqDeqaY&port=6882&uploaded=0&downl oaded=0&left=753690875&event=started';
    const r = cli(['explain', url]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('639791c56a479531bec74df9bf6103f22cedee0f');
    expect(r.stdout).toContain('S588-----gqQ8TqDeqaY (Shad0w 5.8.8)');
    expect(r.stdout).toContain('Port 6882 is blacklisted.');
    const ok = cli(['explain', url.replace('port=6882', 'port=51413'), '--format', 'json']);
    expect(JSON.parse(ok.stdout).replay.state).toEqual({ before: 'none', after: 'leeching' });
    expect(cli(['explain', 'http://tracker/index.php']).code).toBe(2);
  });
});

describe('check', () => {
  it('passes on the hand-checked expectations and fails, with a readable line, on a changed one', () => {
    expect(cli(['check', B, '--expect', 'fixtures/expect/b_crash.json']).code).toBe(0);
    const doc = JSON.parse(readFileSync('fixtures/expect/b_crash.json', 'utf8'));
    const f = join(tmp, 'bad.json');
    writeFileSync(f, JSON.stringify(doc).replace('"removed"', '"seeding"'));
    const r = cli(['check', B, '--expect', f]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/final state.*seeding.*removed|expected seeding/);
  });
});

describe('wire text is sanitised', () => {
  it('binary peer_ids are shown escaped, never raw', () => {
    const out = cli([B]).stdout;
    expect(out).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
    expect(out).toContain('-lt0D80-\\xe1\\xf8\\x1cJ');
  });
});

describe('torrent files and determinism', () => {
  it('--torrent gives the size and the name; its info_hash matches the one on the wire (scenario.md)', () => {
    const args = ['--torrent', 'fixtures/real/a_clean/sample-a-32MiB.torrent', A];
    const { doc } = cliJson(args);
    expect(doc.torrents).toEqual([expect.objectContaining({ infoHash: 'f472210256163113a9f94e380660e1f5ed6df57e', size: 33554432, sizeSource: 'option' })]);
    expect(cli(args).stdout).toContain('torrent f472210256163113a9f94e380660e1f5ed6df57e "sample-a-32MiB.bin"');
    expect(cli(['--torrent', 'fixtures/real/a_clean/nginx.conf', A]).code).toBe(2);
  });

  it('the same input gives byte-identical output whatever the timezone and locale', () => {
    for (const args of [[A], ['-f', 'json', A]]) {
      const here = cli(args).stdout;
      expect(cli(args, { env: { TZ: 'Pacific/Chatham', LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8' } }).stdout).toBe(here);
      expect(cli(args).stdout).toBe(here);
    }
  });
});

describe('proxies', () => {
  it('--keep-proxy-legs counts both legs; --trust-proxy decides whether the backend leg\'s X-Forwarded-For names the user', () => {
    const kept = cliJson(['--keep-proxy-legs', B]).doc;
    expect(kept.announces).toHaveLength(14);
    expect(kept.announces.filter((a: any) => a.forwardedFor !== null).map((a: any) => a.tracker.port)).toEqual(Array(7).fill(8000));
    expect(kept.users.map((u: any) => u.user)).toEqual(['127.0.0.4', '127.0.0.5']);
    const none = cliJson(['--keep-proxy-legs', '--trust-proxy', 'none', B]).doc;
    expect(none.users.map((u: any) => u.user)).toEqual(['127.0.0.1', '127.0.0.4', '127.0.0.5']);
    const listed = cliJson(['--keep-proxy-legs', '--trust-proxy', '127.0.0.1', B]).doc;
    expect(listed.users.map((u: any) => u.user)).toEqual(['127.0.0.4', '127.0.0.5']);
    expect(cli(['--trust-proxy', 'everyone', B]).code).toBe(2);
  });
});
