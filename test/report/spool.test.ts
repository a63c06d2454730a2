import { describe, it, expect } from 'vitest';
import { Spool } from '../../src/report/spool.js';
import { ByteOut } from '../../src/report/byte-out.js';

/** Writes the lines into a spool of `limit` bytes, drains it, and returns what came out. */
function drained(lines: string[], limit: number): string {
  const s = new Spool(limit);
  for (const l of lines) {
    if (s.count++ > 0) s.out.text(',\n');
    s.out.text(l);
  }
  const chunks: Buffer[] = [];
  const to = new ByteOut((b) => chunks.push(Buffer.from(b)), 1 << 16);
  s.drain(to);
  to.flush();
  return Buffer.concat(chunks).toString('utf8');
}

describe('Spool', () => {
  it('hands back what was written in order, from memory and from a spill file', () => {
    const lines = Array.from({ length: 500 }, (_, i) => `{"n":${i},"user":"caf\u00e9 ${'x'.repeat(i % 37)}"}`);
    expect(drained(lines, 1 << 20)).toBe(lines.join(',\n')); // stays in memory
    expect(drained(lines, 1000)).toBe(lines.join(',\n')); // spills many times
  });

  it('keeps multi-byte characters whole across spills and reads, and text longer than the buffers', () => {
    const first = 'a'.repeat((1 << 20) - 1) + '\u00e9\u20ac tail';
    const long = 'b'.repeat(3 << 20) + '\ud83d\ude00'; // longer than every buffer, ends in a 4-byte character
    const lines = [first, 'second \u00fc', long, 'last'];
    expect(drained(lines, 10)).toBe(lines.join(',\n'));
    expect(drained(lines, 1 << 20)).toBe(lines.join(',\n'));
  });
});
