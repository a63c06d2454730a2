import { describe, it, expect } from 'vitest';
import { tempDir } from '../support/temp.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readChunks } from '../../src/capture/source.js';
import { detectFormat } from '../../src/capture/detect.js';
import { PcapDecoder } from '../../src/capture/pcap.js';
import { InputError } from '../../src/errors.js';
import { Collect, digest, load } from './helpers.js';

const A = 'fixtures/real/a_clean/capture.pcap';
const dir = tempDir('source-test-');

async function all(path: string, chunkSize?: number): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const c of readChunks(path, chunkSize === undefined ? {} : { chunkSize })) out.push(c);
  return out;
}

function joined(chunks: Uint8Array[]): Buffer {
  return Buffer.concat(chunks);
}

async function rejection(p: Promise<unknown>): Promise<InputError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('no InputError');
}

describe('readChunks', () => {
  const file = load(A);

  it('reads a file in chunks of the asked size, never reusing a chunk already handed out', async () => {
    const chunks = await all(A, 10000);
    expect(chunks.length).toBe(Math.ceil(file.length / 10000));
    expect(chunks.slice(0, -1).every((c) => c.length === 10000)).toBe(true);
    expect(joined(chunks).equals(file)).toBe(true);
    expect(new Set(chunks.map((c) => c.buffer)).size).toBe(chunks.length);
  });

  it('reads into the last chunk again when the consumer says it keeps no view of it', async () => {
    const buffers = new Set<ArrayBufferLike>();
    const parts: Buffer[] = [];
    let asked = 0;
    for await (const c of readChunks(A, { chunkSize: 10000, reuse: () => { asked++; return true; } })) {
      buffers.add(c.buffer);
      parts.push(Buffer.from(c)); // a copy: the next read overwrites c
    }
    expect(Buffer.concat(parts).equals(file)).toBe(true);
    expect(buffers.size).toBe(1);
    expect(asked).toBeGreaterThan(0);
  });

  it('never reuses a chunk under gunzip, whatever the consumer says', async () => {
    const gz = join(dir, 'reuse.pcap.gz');
    writeFileSync(gz, gzipSync(file));
    const parts: Buffer[] = [];
    for await (const c of readChunks(gz, { chunkSize: 512, reuse: () => true })) parts.push(Buffer.from(c));
    expect(Buffer.concat(parts).equals(file)).toBe(true);
  });

  it('reads the whole small file as one chunk by default', async () => {
    const chunks = await all(A);
    expect(chunks.length).toBe(1);
    expect(joined(chunks).equals(file)).toBe(true);
  });

  it('gunzips transparently, and the packets are the same as from the plain file', async () => {
    const gz = join(dir, 'a.pcap.gz');
    writeFileSync(gz, gzipSync(file));
    const raw = await all(gz, 4096);
    expect(joined(raw).equals(file)).toBe(true);
    // Chunks stay intact after later ones are produced.
    const plain = new Collect();
    const d1 = new PcapDecoder('a', plain);
    d1.push(file);
    d1.end();
    const viaGz = new Collect();
    const d2 = new PcapDecoder('a.gz', viaGz);
    for await (const c of readChunks(gz, { chunkSize: 4096 })) d2.push(c);
    d2.end();
    expect(viaGz.list.length).toBe(1047);
    expect(digest(viaGz.list)).toBe(digest(plain.list));
  });

  it('concatenated gzip members are read as one stream', async () => {
    const gz = join(dir, 'two.gz');
    writeFileSync(gz, Buffer.concat([gzipSync(Buffer.from('line 1\n')), gzipSync(Buffer.from('line 2\n'))]));
    expect(joined(await all(gz)).toString()).toBe('line 1\nline 2\n');
  });

  it('a corrupt or cut gzip stream is input.bad-gzip', async () => {
    const gz = gzipSync(file);
    const cut = join(dir, 'cut.gz');
    writeFileSync(cut, gz.subarray(0, gz.length >> 1));
    expect((await rejection(all(cut))).code).toBe('input.bad-gzip');
    const bad = Buffer.from(gz);
    bad.fill(0x55, 20, 200);
    const corrupt = join(dir, 'bad.gz');
    writeFileSync(corrupt, bad);
    expect((await rejection(all(corrupt))).code).toBe('input.bad-gzip');
  });

  it('missing file and directory are input.unreadable naming the path', async () => {
    const e1 = await rejection(all(join(dir, 'nope.pcap')));
    expect(e1.code).toBe('input.unreadable');
    expect(e1.message).toBe('cannot read: no such file');
    expect(e1.file).toBe(join(dir, 'nope.pcap'));
    const e2 = await rejection(all(dir));
    expect(e2.code).toBe('input.unreadable');
    expect(e2.message).toBe('cannot read: is a directory');
  });

  it('an empty file yields nothing', async () => {
    const empty = join(dir, 'empty');
    writeFileSync(empty, '');
    expect(await all(empty)).toEqual([]);
  });
});

describe('detectFormat', () => {
  it('names pcap (all magics), pcapng, gzip, text and unknown', () => {
    expect(detectFormat(load(A).subarray(0, 16))).toBe('pcap');
    expect(detectFormat(load('fixtures/real/b_crash/capture-nano.pcap').subarray(0, 4))).toBe('pcap');
    expect(detectFormat(Uint8Array.of(0xa1, 0xb2, 0xc3, 0xd4))).toBe('pcap');
    expect(detectFormat(Uint8Array.of(0xa1, 0xb2, 0x3c, 0x4d))).toBe('pcap');
    expect(detectFormat(load('fixtures/real/a_clean/capture.pcapng').subarray(0, 64))).toBe('pcapng');
    expect(detectFormat(gzipSync(Buffer.from('x')))).toBe('gzip');
    expect(detectFormat(load('fixtures/real/a_clean/nginx_access.log').subarray(0, 4096))).toBe('text');
    expect(detectFormat(new TextEncoder().encode('héllo wörld ✓\n'))).toBe('text');
    expect(detectFormat(Uint8Array.of(0, 1, 2, 3, 4))).toBe('unknown');
    expect(detectFormat(Uint8Array.of(0x41, 0xff, 0x41))).toBe('unknown');
    expect(detectFormat(new Uint8Array(0))).toBe('unknown');
  });
});
