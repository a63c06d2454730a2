/** Test helpers for the capture readers: collect packets, feed files in chunks of a chosen size. */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import type { CaptureDecoder, Packet, PacketSink } from '../../src/capture/packet.js';

/** A sink that copies every packet (views are reused after return). */
export class Collect implements PacketSink {
  readonly list: Packet[] = [];
  packet(p: Packet): void {
    this.list.push({ ...p, data: p.data.slice() });
  }
}

/** Feeds `bytes` to `dec` in chunks of `size` (or of the sizes returned by `size()`), then ends it. */
export function feed(dec: CaptureDecoder, bytes: Uint8Array, size: number | (() => number)): void {
  let pos = 0;
  while (pos < bytes.length) {
    const k = typeof size === 'number' ? size : size();
    dec.push(bytes.subarray(pos, pos + k));
    pos += k;
  }
  dec.end();
}

/** Reads a fixture file as a Uint8Array. */
export function load(path: string): Uint8Array {
  const b = readFileSync(path);
  return new Uint8Array(b.buffer, b.byteOffset, b.length);
}

/** One digest over every packet's index, ts, linkType, origLen and bytes: equal digests, equal streams. */
export function digest(list: Packet[]): string {
  const h = createHash('sha256');
  for (const p of list) {
    h.update(`${p.index} ${p.ts} ${p.linkType} ${p.origLen} ${p.data.length};`);
    h.update(p.data);
  }
  return h.digest('hex');
}

/** A deterministic pseudo-random chunk size generator (1..max). */
export function randomSizes(seed: number, max: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return 1 + (s % max);
  };
}
