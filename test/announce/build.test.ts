import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildFromExchange, buildFromRequest, type TrackerRequestInput } from '../../src/announce/build.js';
import type { Announce, Scrape } from '../../src/announce/types.js';
import type { HttpExchange } from '../../src/http/types.js';

const hex = (b: Uint8Array | null): string | null => (b === null ? null : Buffer.from(b).toString('hex'));

function input(target: string, extra: Partial<TrackerRequestInput> = {}): TrackerRequestInput {
  return {
    origin: { file: 't', packet: null, line: 1, offset: 0 },
    ts: 0n,
    transport: 'log',
    client: { ip: '10.0.0.1', port: 0 },
    tracker: { ip: '10.0.0.2', port: 80 },
    method: 'GET',
    target,
    httpVersion: 'HTTP/1.1',
    headers: [],
    reply: null,
    ...extra,
  };
}
const announce = (target: string, extra: Partial<TrackerRequestInput> = {}): Announce => {
  const r = buildFromRequest(input(target, extra));
  if (r?.kind !== 'announce') throw new Error(`not an announce: ${target}`);
  return r;
};

/** The requests of an nginx `combined` log, as buildFromRequest inputs. */
function nginxLog(path: string): TrackerRequestInput[] {
  const re = /^(\S+) - \S+ \[[^\]]+\] "(\S+) (\S+) (HTTP\/[\d.]+)" \d+ \d+ "[^"]*" "([^"]*)"$/;
  return readFileSync(path, 'latin1')
    .split('\n')
    .filter((l) => l !== '')
    .map((l, i) => {
      const m = re.exec(l);
      if (m === null) throw new Error(`unparsed log line ${i + 1}`);
      return input(m[3]!, {
        origin: { file: path, packet: null, line: i + 1, offset: 0 },
        client: { ip: m[1]!, port: 0 },
        method: m[2]!,
        httpVersion: m[4]!,
        headers: [{ name: 'User-Agent', value: m[5]! }],
      });
    });
}

type Row = [client: string, event: string | null, up: bigint, down: bigint, left: bigint];
const summary = (a: Announce): Row => [a.userAgent!, a.event, a.uploaded!, a.downloaded!, a.left!];

describe('a_clean nginx_access.log: every announce decodes to scenario.md', () => {
  const all = nginxLog('fixtures/real/a_clean/nginx_access.log').map((r) => buildFromRequest(r));
  const anns = all.filter((a): a is Announce => a?.kind === 'announce');
  const TR = 'Transmission/3.00';
  const A2 = 'aria2/1.36.0';

  it('13 announces and 1 scrape, nothing else', () => {
    expect(all.every((a) => a !== null)).toBe(true);
    expect(anns).toHaveLength(13);
    const scrapes = all.filter((a): a is Scrape => a?.kind === 'scrape');
    expect(scrapes.map((s) => s.infoHashes.map(hex))).toEqual([['f472210256163113a9f94e380660e1f5ed6df57e']]);
  });
  it('info_hash, peer_id and counters per scenario.md timeline', () => {
    for (const a of anns) expect(hex(a.infoHash)).toBe('f472210256163113a9f94e380660e1f5ed6df57e');
    const ids = new Set(anns.map((a) => hex(a.peerId)));
    expect(ids).toEqual(new Set([Buffer.from('-TR3000-khgn2dfoy2iw').toString('hex'), '41322d312d33362d302d47b34a811e70fd3f5936']));
    expect(anns.map(summary)).toEqual<Row[]>([
      [TR, 'started', 0n, 0n, 0n],
      [TR, null, 0n, 0n, 0n],
      [TR, null, 0n, 0n, 0n],
      [A2, 'started', 0n, 0n, 33554432n],
      [TR, null, 10772829n, 0n, 0n],
      [A2, null, 0n, 9256960n, 24297472n],
      [TR, null, 21496467n, 0n, 0n],
      [TR, null, 32630030n, 0n, 0n],
      [A2, 'completed', 0n, 33554432n, 0n],
      [TR, null, 33581056n, 0n, 0n],
      [A2, null, 0n, 33554432n, 0n],
      [TR, null, 33581056n, 0n, 0n],
      [A2, 'stopped', 0n, 33554432n, 0n],
    ]);
  });
  it('ports, numwant, keys (aria2 binary key = last 8 bytes of its peer_id), no errors or problems', () => {
    const tr = anns[0]!;
    const a2 = anns[3]!;
    expect([tr.port, tr.numwant, tr.key]).toEqual([51413, 80, '70672bb6']);
    expect([a2.port, a2.numwant, a2.key]).toEqual([6881, 50, 'J\\x81\\x1ep\\xfd?Y6']);
    expect(hex(a2.params.find((p) => p.name === 'key')!.bytes)).toBe(hex(a2.peerId!.subarray(12)));
    expect(anns[12]!.numwant).toBe(0);
    for (const a of anns) {
      expect(a.errors).toEqual([]);
      expect(a.problems).toEqual([]);
      expect([a.path, a.passkey, a.forwardedFor]).toEqual(['/announce', null, null]);
    }
  });
  it('agrees with the backend log (tracker.jsonl events) on every announce', () => {
    const events = readFileSync('fixtures/real/a_clean/tracker.jsonl', 'utf8')
      .split('\n')
      .filter((l) => l.includes('"kind":"event"'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events.map((e) => [e.info_hash, e.peer_id_hex, BigInt(String(e.uploaded)), BigInt(String(e.downloaded)), BigInt(String(e.left))])).toEqual(
      anns.map((a) => [hex(a.infoHash), hex(a.peerId), a.uploaded, a.downloaded, a.left]),
    );
  });
});

describe('b_crash nginx_access.log: every announce decodes to scenario.md', () => {
  const anns = nginxLog('fixtures/real/b_crash/nginx_access.log').map((r) => buildFromRequest(r) as Announce);
  const RT = '2d6c74304438302de1f81c4ad371b11bb5f8294c';
  const C1 = '2d4344303330332d032f6a9ee3d29a9fdb2f25a6';
  const C2 = '2d4344303330332d1c1965988b7b1d4b7e192c64';
  it('7 announces with the timeline of scenario.md', () => {
    expect(anns.map((a) => a.kind)).toEqual(Array(7).fill('announce'));
    for (const a of anns) expect(hex(a.infoHash)).toBe('190d49d6c5e2573351d54fe3a57a59ce56c47ef6');
    expect(anns.map((a) => [hex(a.peerId), a.event, a.uploaded, a.downloaded, a.left, a.key])).toEqual([
      [RT, 'started', 0n, 0n, 0n, '14762ffe'],
      [C1, 'started', 0n, 0n, 25165824n, '255QHJTK'],
      [C1, null, 0n, 8912896n, 16252928n, '255QHJTK'],
      [C2, 'started', 0n, 0n, 24903680n, 'WUZLNWVZ'],
      [C2, null, 0n, 8912896n, 2621440n, 'WUZLNWVZ'],
      [C2, 'stopped', 0n, 11534336n, 0n, 'WUZLNWVZ'],
      [RT, 'stopped', 25673728n, 0n, 0n, '14762ffe'],
    ]);
  });
  it('rtorrent sends ip=127.0.0.5 and no numwant; ctorrent numwant=100 over HTTP/1.0', () => {
    const rt = anns[0]!;
    expect(rt.params.find((p) => p.name === 'ip')?.raw).toBe('127.0.0.5');
    expect([rt.port, rt.numwant, rt.httpVersion]).toEqual([6890, null, 'HTTP/1.1']);
    expect([anns[1]!.port, anns[1]!.numwant, anns[1]!.httpVersion]).toEqual([6882, 100, 'HTTP/1.0']);
    for (const a of anns) expect([a.errors, a.problems]).toEqual([[], []]);
  });
});

describe("the anatomy page's three announces (TBSource anatomy.php, spaces from its HTML wrapping removed)", () => {
  const IH = 'info_hash=c%97%91%C5jG%951%BE%C7M%F9%BFa%03%F2%2C%ED%EE%0F&peer_id=S588-----gqQ8TqDeqaY&port=6882';
  // by hand: c=63 %97 %91 %C5 j=6a G=47 %95 1=31 %BE %C7 M=4d %F9 %BF a=61 %03 %F2 %2C %ED %EE %0F
  const HASH = '639791c56a479531bec74df9bf6103f22cedee0f';
  it.each([
    [`/announce.php?${IH}&uploaded=0&downloaded=0&left=753690875&event=started`, 'started', 0n, 0n, 753690875n, null],
    [`/announce.php?${IH}&uploaded=67960832&downloaded=40828928&left=715417851&numwant=0`, null, 67960832n, 40828928n, 715417851n, 0],
    [`/announce.php?${IH}&uploaded=754384896&downloaded=754215163&left=0&numwant=0&event=completed`, 'completed', 754384896n, 754215163n, 0n, 0],
  ])('%s', (target, event, up, down, left, numwant) => {
    const a = announce(target);
    expect(hex(a.infoHash)).toBe(HASH);
    expect(a.infoHash).toHaveLength(20);
    expect(Buffer.from(a.peerId!).toString('latin1')).toBe('S588-----gqQ8TqDeqaY');
    expect([a.port, a.event, a.uploaded, a.downloaded, a.left, a.numwant, a.path]).toEqual([6882, event, up, down, left, numwant, '/announce.php']);
    expect([a.errors, a.problems]).toEqual([[], []]);
  });
});

describe('buildFromRequest: odd requests', () => {
  const base = 'info_hash=12345678901234567890&peer_id=-TR3000-khgn2dfoy2iw&port=1';
  it('uint64 max counter is exact; over 2^64 is flagged but kept; signs, spaces, non-digits are null', () => {
    const a = announce(`/announce?${base}&uploaded=18446744073709551615&downloaded=18446744073709551616&left=+5`);
    expect(a.uploaded).toBe(18446744073709551615n);
    expect(a.downloaded).toBe(18446744073709551616n);
    expect(a.left).toBeNull();
    expect(a.problems).toEqual(['downloaded=18446744073709551616 does not fit in 64 bits', 'left= 5 is not an unsigned decimal number']);
    const b = announce(`/announce?${base}&uploaded=-1&downloaded=1%202&left=0x10`);
    expect([b.uploaded, b.downloaded, b.left]).toEqual([null, null, null]);
    expect(b.problems).toHaveLength(3);
    expect(b.errors).toEqual([]); // TBSource reads these as numbers, no failure (validate.ts)
  });
  it("event '' is null; unknown params kept; numwant aliases", () => {
    const a = announce(`/announce?${base}&uploaded=0&downloaded=0&left=0&event=&num_want=7&foo=bar`);
    expect(a.event).toBeNull();
    expect(a.numwant).toBe(7);
    expect(a.params.map((p) => p.name)).toContain('foo');
    expect(announce(`/announce?${base}&num+want=3&numwant=9`).numwant).toBe(3);
  });
  it('missing and bad params give TBSource failures and null fields', () => {
    const a = announce('/announce?info_hash=abc&port=0', { headers: [{ name: 'user-agent', value: 'Mozilla/5.0' }] });
    expect([a.peerId, a.uploaded, a.port, a.userAgent]).toEqual([null, null, 0, 'Mozilla/5.0']);
    expect(a.errors).toEqual(['missing key', 'invalid info_hash (3 - abc)', 'torrent not registered with this tracker', 'invalid port']);
  });
  it('passkey from the query, torrent_pass, the path, and the "?passkey=K?info_hash=" quirk', () => {
    const K = 'a'.repeat(32);
    expect(announce(`/announce.php?passkey=${K}&${base}`).passkey).toBe(K);
    expect(announce(`/announce?torrent_pass=${K}&${base}`).passkey).toBe(K);
    expect(announce(`/${K}/announce?${base}`).passkey).toBe(K);
    expect(announce(`/announce/${K}?${base}`).passkey).toBe(K);
    const q = announce(`/announce.php?passkey=${K}?${base}&uploaded=0&downloaded=0&left=0`);
    expect(q.passkey).toBe(K);
    expect(hex(q.infoHash)).toBe(Buffer.from('12345678901234567890').toString('hex'));
    expect(q.errors).toEqual([]);
    expect(q.problems).toEqual(["second '?' inside passkey: the URL already had a query and the client appended another"]);
  });
  it('forwardedFor: first X-Forwarded-For address, else X-Real-IP', () => {
    const h = (headers: { name: string; value: string }[]): string | null => announce(`/announce?${base}`, { headers }).forwardedFor;
    expect(h([{ name: 'X-Forwarded-For', value: ' 127.0.0.2, 10.0.0.1' }, { name: 'X-Real-IP', value: '9.9.9.9' }])).toBe('127.0.0.2');
    expect(h([{ name: 'x-real-ip', value: '127.0.0.3' }])).toBe('127.0.0.3');
    expect(h([])).toBeNull();
  });
  it('not a tracker request -> null', () => {
    expect(buildFromRequest(input('/index.php?info_hash=x'))).toBeNull();
    expect(buildFromRequest(input('/favicon.ico'))).toBeNull();
  });
});

describe('buildFromExchange', () => {
  // a_clean capture.pcap frames 9/13 (tshark): nginx -> backend leg of Transmission's first announce and its reply
  const target =
    '/announce?info_hash=%f4r%21%02V%161%13%a9%f9N8%06%60%e1%f5%edm%f5~&peer_id=-TR3000-khgn2dfoy2iw&port=51413&uploaded=0&downloaded=0&left=0&numwant=80&key=70672bb6&compact=1&supportcrypto=1&event=started';
  const body = Buffer.from(
    '64383a636f6d706c65746569316531303a696e636f6d706c657465693065383a696e74657276616c69333065353a7065657273363a7f000002c8d5363a706565727336303a65',
    'hex',
  );
  const x = (bodyProblem: string | null): HttpExchange => ({
    request: {
      method: 'GET',
      target,
      version: 'HTTP/1.0',
      headers: [
        { name: 'X-Forwarded-For', value: '127.0.0.2' },
        { name: 'User-Agent', value: 'Transmission/3.00' },
      ],
      ts: 1795623128242493000n,
      origin: { file: 'capture.pcap', packet: 9, line: null, offset: 0 },
    },
    response: { status: 200, reason: 'OK', version: 'HTTP/1.1', headers: [], body, bodyProblem, ts: 1795623128247554000n, origin: { file: 'capture.pcap', packet: 13, line: null, offset: 0 } },
    client: { ip: '127.0.0.1', port: 44388 },
    server: { ip: '127.0.0.1', port: 8000 },
    connection: 3,
  });
  it('decodes the reply and takes origin, time and endpoints from the exchange', () => {
    const a = buildFromExchange(x(null)) as Announce;
    expect(a.kind).toBe('announce');
    expect([a.transport, a.origin.packet, a.ts, a.forwardedFor, a.client.port, a.tracker.port]).toEqual(['http', 9, 1795623128242493000n, '127.0.0.2', 44388, 8000]);
    expect(a.reply).toMatchObject({ status: 200, interval: 30, complete: 1, peers: [{ ip: '127.0.0.2', port: 51413 }], ts: 1795623128247554000n, problems: [] });
  });
  it("adds the HTTP layer's body problem to the reply's problems", () => {
    expect((buildFromExchange(x('truncated chunked body')) as Announce).reply!.problems).toEqual(['body: truncated chunked body']);
  });
});
