import { describe, it, expect } from 'vitest';
import { FieldPieces, StatePairPieces } from '../../src/report/json-pieces.js';
import { ByteOut } from '../../src/report/byte-out.js';
import type { Piece } from '../../src/report/piece.js';

function text(p: Piece): string {
  const chunks: Buffer[] = [];
  const b = new ByteOut((x) => chunks.push(Buffer.from(x)), 4096);
  b.put(p);
  b.flush();
  return Buffer.concat(chunks).toString('utf8');
}

describe('FieldPieces and StatePairPieces', () => {
  it('write the key, the value as JSON.stringify writes it and what follows, for any value', () => {
    const f = new FieldPieces(',"event":', ',"numwant":');
    const values = [null, 'started', 'stopped', 'started', 'with "quote"', 'caf\u00e9', 'x'.repeat(300), 'x'.repeat(300)];
    for (let i = 0; i < 100; i++) values.push(`v${i}`, 'started');
    for (const v of values) expect(text(f.of(v))).toBe(`,"event":${JSON.stringify(v)},"numwant":`);
    const s = new StatePairPieces('},"state":', ',"anomalies":');
    for (const [a, b] of [['none', 'leeching'], ['none', 'leeching'], ['leeching', 'seeding'], ['y'.repeat(300), 'z']]) {
      expect(text(s.of(a!, b!))).toBe(`},"state":${JSON.stringify({ before: a, after: b })},"anomalies":`);
    }
  });
});
