/**
 * The worker's record batches (src/pipeline/worker): every record the first half releases must come
 * back from bytes exactly as it went in, field by field: same keys in the same order, bigints as
 * bigints, null apart from absent, byte arrays with the same bytes, replies with the same peers
 * (lazy ones decoded on read, as before) and the same hidden peer count.
 */
import { describe, expect, it } from 'vitest';
import { readInputs } from '../../src/pipeline/read-inputs.js';
import { ByteReader } from '../../src/pipeline/worker/byte-reader.js';
import { ByteWriter } from '../../src/pipeline/worker/byte-writer.js';
import { readRequest, writeRequest } from '../../src/pipeline/worker/record-codec.js';
import { decodeReply, decodeReplyStrict, withProblem } from '../../src/announce/reply.js';
import type { Announce, Scrape, TrackerReply, TrackerRequest } from '../../src/announce/types.js';
import { SentParam } from '../../src/announce/sent-param.js';
import { buildFromRequest } from '../../src/announce/build.js';

/** Every record the first half releases for `path`, in order. */
async function released(path: string): Promise<TrackerRequest[]> {
  const out: TrackerRequest[] = [];
  await readInputs({ inputs: [path], input: { inputFormat: 'auto', logParser: null }, mergeProxyLegs: true }, (r) => { out.push(r); });
  return out;
}

/** Through batches of about `batchBytes`, with a string table of `tableSize` entries. */
function roundTrip(recs: readonly TrackerRequest[], batchBytes = 1 << 16, tableSize?: number): TrackerRequest[] {
  const w = new ByteWriter(1024, tableSize);
  const r = new ByteReader(tableSize);
  const out: TrackerRequest[] = [];
  const drain = (): void => {
    const { buffer, length } = w.finish();
    r.load(buffer, length);
    while (r.more) out.push(readRequest(r));
    w.reset();
  };
  for (const rec of recs) {
    writeRequest(w, rec);
    if (w.length >= batchBytes) drain();
  }
  drain();
  return out;
}

/** Compares two values field by field (keys in order, types exact); returns the first difference. */
function diff(a: unknown, b: unknown, at = ''): string | null {
  // a parameter as decodeQuery made it stands for the plain {name, raw, bytes} that comes back
  if (a instanceof SentParam) a = a.toJSON();
  if (b instanceof SentParam) b = b.toJSON();
  if (typeof a !== typeof b) return `${at}: ${typeof a} vs ${typeof b}`;
  if (a === null || b === null || typeof a !== 'object') return Object.is(a, b) ? null : `${at}: ${String(a)} vs ${String(b)}`;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return `${at}: ${(a as object).constructor.name} vs ${(b as object).constructor.name}`;
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    if (!(a instanceof Uint8Array && b instanceof Uint8Array)) return `${at}: Uint8Array vs other`;
    return Buffer.from(a).equals(Buffer.from(b)) ? null : `${at}: bytes differ`;
  }
  if (Array.isArray(a) !== Array.isArray(b)) return `${at}: array vs other`;
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  if (ka.join(',') !== kb.join(',')) return `${at}: keys [${ka.join(',')}] vs [${kb.join(',')}]`;
  for (const k of ka) {
    const d = diff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}.${k}`);
    if (d !== null) return d;
  }
  // the hidden count of a reply (announce/reply.ts): present or absent alike
  if ('peerForms' in (a as object)) {
    const ca = (a as TrackerReply).peerCount;
    const cb = (b as TrackerReply).peerCount;
    if (ca !== cb) return `${at}.peerCount: ${String(ca)} vs ${String(cb)}`;
  }
  return null;
}

/** Compares before decoding any lazy peers (the count must hold without them), then after. */
function expectSame(got: readonly TrackerRequest[], want: readonly TrackerRequest[]): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const g = got[i]!;
    expect(g.reply?.peerCount, `record ${i} peerCount`).toBe(w.reply?.peerCount);
    expect(diff(g, w, `record ${i}`)).toBeNull();
  }
}

const FIXTURES = [
  'fixtures/real/a_clean/capture.pcap',
  'fixtures/real/a_clean/capture.pcapng',
  'fixtures/real/b_crash/capture.pcap',
  'fixtures/real/b_crash/capture-nano.pcap',
  'fixtures/udp/capture.pcap',
  'fixtures/anatomy.pcap',
];

describe('worker record batches', () => {
  it.each(FIXTURES)('%s: every released record comes back field by field', async (path) => {
    const want = await released(path);
    expect(want.length).toBeGreaterThan(0);
    // decoded again from the capture: the originals' lazy peers stay undecoded until compared
    expectSame(roundTrip(await released(path)), want);
    // one record a batch, and a string table that starts afresh every few strings
    expectSame(roundTrip(await released(path), 1, 7), want);
  });

  it('keeps what a capture rarely has: odd strings, huge counters, absent and present optional fields', () => {
    const origin = { file: 'câpture-\u{1F600}-\uD800.pcap', packet: 2 ** 40, line: null, offset: 123456789012 };
    const reply: TrackerReply = {
      status: 200, failure: 'échec \uDC00', warning: null, interval: 1800, minInterval: -0, complete: 0, incomplete: null,
      downloaded: 2 ** 53 - 1, trackerId: 'ïd', externalIp: '2001:db8::1',
      peers: [{ ip: 'peer.example', port: 6881, peerId: new Uint8Array([1, 2, 3]) }, { ip: '10.0.0.1', port: 0, peerId: Buffer.from('x') }],
      peerForms: ['dict'], problems: ['x'], ts: 1n,
    };
    const announce: Announce = {
      kind: 'announce', origin, ts: 1_700_000_000_123_456_789n, transport: 'http',
      client: { ip: '10.0.0.2', port: 50000 }, tracker: { ip: '::1', port: 80 }, forwardedFor: null,
      path: '/announce/ø', target: '/announce/ø?uploaded=99999999999999999999999&x=%FF', httpVersion: 'HTTP/1.1', userAgent: 'ü',
      infoHash: null, peerId: new Uint8Array(20).fill(0xff), port: null, uploaded: (1n << 70n) + 5n, downloaded: -3n, left: 0n,
      event: null, numwant: 0, key: '', passkey: null,
      params: [{ name: 'uploaded', raw: '99999999999999999999999', bytes: new Uint8Array(23).fill(0x39) }, { name: 'x', raw: '%FF', bytes: Buffer.from([255]) }],
      errors: [], reply, proxyMerged: true,
    };
    // as the HTTP builder lists them: problems before the reply
    const { reply: _reply, proxyMerged: _merged, ...head } = announce;
    const withProblems: Announce = { ...head, problems: [], reply: null, proxyMerged: false };
    const scrapes: Scrape[] = [
      { kind: 'scrape', origin, ts: 5n, client: { ip: '1.2.3.4', port: 1 }, infoHashes: [new Uint8Array(20), new Uint8Array(0)], target: '' },
      { kind: 'scrape', origin, ts: 5n, client: { ip: '1.2.3.4', port: 1 }, infoHashes: [], target: '/scrape', forwardedFor: null, tracker: { ip: 'a', port: 2 }, reply: null },
      { kind: 'scrape', origin, ts: 5n, client: { ip: '1.2.3.4', port: 1 }, infoHashes: [], target: '/scrape', forwardedFor: '9.9.9.9', tracker: { ip: 'a', port: 2 }, reply, proxyMerged: true },
      { kind: 'scrape', origin, ts: 5n, client: { ip: '1.2.3.4', port: 1 }, infoHashes: [], target: '', reply: null, proxyMerged: true },
    ];
    // replies as each decoder builds them: lazy compact peers, the strict tree, a copy with a problem
    const body = Buffer.from('d8:completei1e10:incompletei2e8:intervali1800e5:peers12:\x01\x02\x03\x04\x1a\xe1\x05\x06\x07\x08\x00\x506:peers618:\x20\x01\x0d\xb8\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x1a\xe1e', 'latin1');
    const lazy = decodeReply(body, 200, 7n);
    const strict = decodeReplyStrict(body, 200, 7n);
    const copied = withProblem(decodeReply(body, 200, 7n), 'body: cut short');
    const recs: TrackerRequest[] = [announce, withProblems, ...scrapes, ...[lazy, strict, copied].map((r) => ({ ...announce, reply: r }))];
    const back = roundTrip(recs, 1 << 16, 3);
    expectSame(back, recs);
    expect(back.map((r) => r.reply?.peers.length)).toEqual(recs.map((r) => r.reply?.peers.length));
  });

  it('gives an array a record holds twice back as one array, as the builder shares it', async () => {
    const recs = (await released('fixtures/anatomy.pcap')).filter((r): r is Announce => r.kind === 'announce' && r.peerId !== null);
    expect(recs.length).toBeGreaterThan(0);
    for (const a of roundTrip(recs) as Announce[]) {
      const param = a.params.filter((p) => p.name === 'peer_id').at(-1)!;
      // the JSON writer relies on this to reuse the peer_id's text for its parameter
      expect(param.bytes).toBe(a.peerId);
      expect(a.params.filter((p) => p.name === 'info_hash').at(-1)!.bytes).toBe(a.infoHash);
    }
  });

  it("sends a plain value's bytes from the target without making them, and any other param as before", () => {
    const input = {
      origin: { file: 'f', packet: 1, line: null, offset: 0 }, ts: 1n, transport: 'http' as const,
      client: { ip: '10.0.0.1', port: 1 }, tracker: { ip: '10.0.0.2', port: 80 }, method: 'GET', httpVersion: 'HTTP/1.1',
      headers: [], reply: null,
    };
    const targets = [
      '/announce?info_hash=%01%02&peer_id=ABCDEFGHIJKLMNOPQRST&port=6881&left=0&compact=1&no_peer_id=&x&y=a+b&z=%zz',
      // the TBSource passkey quirk: params decoded from texts that are not the target
      '/announce?passkey=abc?info_hash=%01&compact=1',
      // a target that is not ASCII goes as UTF-16: its params' bytes are made
      '/announce?compact=1&ip=10.0.0.1&u=\u00e9',
      'http://tracker.example/announce?compact=1#frag',
    ];
    const recs = targets.map((target) => buildFromRequest({ ...input, target }) as Announce);
    expect(recs.every((a) => a?.kind === 'announce')).toBe(true);
    const compact = (a: Announce): SentParam => a.params.find((p) => p.name === 'compact') as SentParam;
    expect(compact(recs[0]!).madeBytes).toBeNull();
    const back = roundTrip(recs);
    // the writer read the first target's plain values in place
    expect(compact(recs[0]!).madeBytes).toBeNull();
    // and they come back as places in the target (raw text sliced when read), with their bytes
    for (const a of back as Announce[]) {
      const p = compact(a);
      expect(p).toBeInstanceOf(SentParam);
      expect(p.source).toBe(a.target);
      expect(p.raw).toBe('1');
      expect(Array.from(p.bytes)).toEqual([0x31]);
    }
    expectSame(back, recs);
    expect(Buffer.from(compact(back[0] as Announce).bytes).toString('latin1')).toBe('1');
  });

  it('sends parameter name lists once and by number after, also past the numbers it has', async () => {
    const [first] = (await released('fixtures/anatomy.pcap')).filter((r): r is Announce => r.kind === 'announce');
    const recs: Announce[] = [];
    // more distinct lists than the writer numbers before starting over, each then met again
    for (let i = 0; i < 5000; i++) {
      const params = [{ name: `p${i}`, raw: 'a', bytes: new Uint8Array([97]) }, ...first!.params];
      recs.push({ ...first!, params, uploaded: BigInt(i), downloaded: 0n, left: 1023n });
      if (i % 7 === 0) recs.push({ ...first!, params: [...params], uploaded: 1024n + BigInt(i) });
    }
    expectSame(roundTrip(recs, 1 << 16), recs);
  });
});
