import { describe, it, expect } from 'vitest';
import { Spool } from '../../src/report/spool.js';

function drained(lines: string[], limit: number): string {
  const s = new Spool(limit);
  for (const l of lines) s.add(l);
  let out = '';
  s.drain((t) => (out += t), ',\n');
  return out;
}

describe('Spool', () => {
  it('hands back lines in order, joined by the separator, from memory and from a spill file', () => {
    const lines = Array.from({ length: 500 }, (_, i) => `{"n":${i},"user":"caf\u00e9 ${'x'.repeat(i % 37)}"}`);
    expect(drained(lines, 1 << 20)).toBe(lines.join(',\n')); // stays in memory
    expect(drained(lines, 1000)).toBe(lines.join(',\n')); // spills many times
  });

  it('keeps a multi-byte character whole where a 1 MiB read boundary cuts it, and lines longer than a read', () => {
    // the first line's 'é' (2 bytes in UTF-8) starts one byte before the 1 MiB read boundary
    const first = 'a'.repeat((1 << 20) - 1) + '\u00e9\u20ac tail';
    const long = 'b'.repeat(3 << 20) + '\ud83d\ude00'; // longer than the read buffer, ends in a 4-byte character
    const lines = [first, 'second \u00fc', long, 'last'];
    expect(drained(lines, 10)).toBe(lines.join(',\n'));
  });
});
