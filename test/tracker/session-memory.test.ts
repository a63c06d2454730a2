import { describe, it, expect } from 'vitest';
import { FindingStore, joinMessage, splitMessage } from '../../src/tracker/finding-store.js';
import { flatText } from '../../src/tracker/session.js';
import type { Finding } from '../../src/tracker/types.js';

describe('flatText', () => {
  it('keeps every code unit: latin1, wider text and lone surrogates', () => {
    const samples = ['re-announce ' + 0.1 + ' s after', 'caf\u00e9 \u00ff', 'peer \u2192 moved \u{1F600}', 'lone \ud800 surrogate', ''];
    for (const s of samples) expect(flatText(s)).toBe(s);
  });
});

describe('FindingStore: open sessions\' findings in shared columns', () => {
  const f = (i: number, message: string): Finding => ({
    code: i % 2 ? 'announce-too-soon' : 'peer-moved', severity: i % 3 ? 'info' : 'warning', announce: null, message,
  });

  it('hands back interleaved chains as pushed, with their announce index, and recycles their blocks', () => {
    const store = new FindingStore();
    const chains = [{ head: -1, tail: -1, n: 0, want: [] as Finding[] }, { head: -1, tail: -1, n: 0, want: [] as Finding[] }];
    for (let i = 0; i < 23; i++) {
      for (const [k, c] of chains.entries()) {
        const x = f(i + k, i === 5 ? `${'9,999.5;'.repeat(9)} long` : `re-announce ${i % 5} s after \u2192 peer ${k ? 'b' : 'a'}`);
        const announce = i === 7 ? null : i;
        c.tail = store.push(c.tail, c.n, x, announce);
        if (c.n++ === 0) c.head = c.tail;
        c.want.push({ ...x, announce });
      }
    }
    expect(store.heldTemplates).toBe(3);
    for (const c of chains) expect(store.take(c.head, c.n)).toEqual(c.want);
    expect(store.heldTemplates).toBe(0);
    // blocks came back: a new chain reuses them without growing
    let tail = -1;
    for (let i = 0; i < 40; i++) tail = store.push(tail, i, f(i, 'm'), i);
    expect((store as unknown as { blocks: number }).blocks).toBe(12);
  });

  it('keeps one copy of a message template while any finding uses it', () => {
    const store = new FindingStore();
    const a = store.push(-1, 0, f(1, 'gap ' + 3), 0);
    const b = store.push(-1, 0, f(1, 'gap ' + 4.5), 0);
    expect(store.heldTemplates).toBe(1);
    expect(store.take(a, 1)[0]!.message).toBe('gap 3');
    expect(store.heldTemplates).toBe(1);
    expect(store.take(b, 1)[0]!.message).toBe('gap 4.5');
    expect(store.heldTemplates).toBe(0);
  });

  it('splits a message into template and numbers losslessly', () => {
    const samples = [
      '+34,226,176 up at 3.6 GiB/s, above U-232\'s 503872 B/s: U-232 logs it', '12', '1.', ',5', '1,,2 a.b 3.4.5, x9',
      'no digits', '', 'marker \u0001 7 kept whole', 'caf\u00e9 \ud800 1\u2192 2', '0.1 s', '-5 and 007',
    ];
    const store = new FindingStore();
    for (const m of [...samples, '1.2,3;'.repeat(7)]) {
      const { template, numbers } = splitMessage(m);
      expect(joinMessage(template, numbers)).toBe(m);
      expect(numbers).toMatch(/^[0-9.,;]*$/);
      expect(store.take(store.push(-1, 0, f(0, m), 1), 1)[0]!.message).toBe(m);
    }
    expect(splitMessage('re-announce 51.9 s after (minimum 900 s)')).toEqual({ template: 're-announce \u0001 s after (minimum \u0001 s)', numbers: '51.9;900' });
  });
});
