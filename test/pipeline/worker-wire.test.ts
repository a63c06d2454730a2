/**
 * The byte layer of the worker's batches (src/pipeline/worker/byte-writer.ts, byte-reader.ts): the shortcuts the writer
 * takes must write exactly the bytes the general path writes, and read back the same.
 */
import { describe, expect, it } from 'vitest';
import { ByteReader } from '../../src/pipeline/worker/byte-reader.js';
import { ByteWriter } from '../../src/pipeline/worker/byte-writer.js';

/** The batch bytes a writer has so far. */
function bytesOf(w: ByteWriter): Buffer {
  const { buffer, length } = w.finish();
  return Buffer.from(buffer, 0, length);
}

describe('ByteWriter', () => {
  it('istrAt writes what istr writes, also when the table starts afresh', () => {
    const words = ['a', 'b', 'a', null, 'a', 'c', 'd', 'a', 'e', 'a', 'a', 'f', 'b', 'b'];
    for (const tableSize of [3, 16_384]) {
      const plain = new ByteWriter(1024, tableSize);
      const sited = new ByteWriter(1024, tableSize);
      for (const s of words) {
        plain.istr(s);
        // a fresh copy of the text each time, as a parser makes one per request
        sited.istrAt(1, s === null ? null : `${s}`.slice(0));
        plain.istr('x');
        sited.istrAt(2, 'x');
      }
      expect(bytesOf(sited).equals(bytesOf(plain))).toBe(true);
      const r = new ByteReader(tableSize);
      const { buffer, length } = sited.finish();
      r.load(buffer, length);
      const back: (string | null)[] = [];
      for (let i = 0; i < words.length; i++) {
        back.push(r.istr());
        expect(r.istr()).toBe('x');
      }
      expect(back).toEqual(words);
    }
  });

  it('textBytes sends bytes the record has written already, as nbytes would send a copy', () => {
    const text = 'GET /announce?left=1234567890123456789012345&compact=1';
    const viaCopy = new ByteWriter(256);
    const inPlace = new ByteWriter(256);
    const ranges: [number, number][] = [[19, 44], [53, 54], [4, 13], [0, 0]];
    viaCopy.beginRecord();
    inPlace.beginRecord();
    viaCopy.str(text);
    const at = inPlace.str(text);
    expect(at).toBeGreaterThan(0);
    for (const [from, to] of ranges) {
      viaCopy.nbytes(new Uint8Array(Buffer.from(text.slice(from, to), 'latin1')));
      inPlace.textBytes(at + from, to - from);
    }
    viaCopy.endRecord();
    inPlace.endRecord();
    expect(bytesOf(inPlace).equals(bytesOf(viaCopy))).toBe(true);
    const r = new ByteReader();
    const { buffer, length } = inPlace.finish();
    r.load(buffer, length);
    r.beginRecord();
    expect(r.str()).toBe(text);
    for (const [from, to] of ranges) expect(Buffer.from(r.nbytes()!).toString('latin1')).toBe(text.slice(from, to));
    r.endRecord();
    expect(r.more).toBe(false);
  });

  it('str says where its text went only when it went one byte a character', () => {
    const w = new ByteWriter(64);
    expect(w.str('abc')).toBe(4);
    expect(w.str('é')).toBe(-1);
    expect(w.str(null)).toBe(-1);
  });
});
