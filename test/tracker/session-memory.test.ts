import { describe, it, expect } from 'vitest';
import { flatText, MessageInterner } from '../../src/tracker/session.js';

describe('flatText', () => {
  it('keeps every code unit: latin1, wider text and lone surrogates', () => {
    const samples = ['re-announce ' + 0.1 + ' s after', 'caf\u00e9 \u00ff', 'peer \u2192 moved \u{1F600}', 'lone \ud800 surrogate', ''];
    for (const s of samples) expect(flatText(s)).toBe(s);
  });
});

describe('MessageInterner', () => {
  it('hands back one shared copy for equal messages built separately', () => {
    const m = new MessageInterner();
    const gap = (x: number): string => 're-announce ' + x + ' s after the previous one';
    const a = m.get(gap(0));
    expect(a).toBe('re-announce 0 s after the previous one');
    expect(m.get(gap(0))).toBe(a);
  });

  it('stays bounded: clears when full and still returns equal text', () => {
    const m = new MessageInterner(2);
    expect(m.get('a1')).toBe('a1');
    expect(m.get('a2')).toBe('a2');
    expect(m.get('a3')).toBe('a3');
    expect((m as unknown as { map: Map<string, string> }).map.size).toBe(1);
  });
});
