import { describe, it, expect } from 'vitest';
import { ByteReader, ByteWriter } from '../../src/tracker/bytes.js';
import { FindingForm } from '../../src/tracker/finding-form.js';
import { FindingStore, joinMessage, splitMessage } from '../../src/tracker/finding-store.js';
import { flatText } from '../../src/tracker/session.js';
import type { Finding } from '../../src/tracker/types.js';

describe('flatText', () => {
  it('keeps every code unit: latin1, wider text and lone surrogates', () => {
    const samples = ['re-announce ' + 0.1 + ' s after', 'caf\u00e9 \u00ff', 'peer \u2192 moved \u{1F600}', 'lone \ud800 surrogate', ''];
    for (const s of samples) expect(flatText(s)).toBe(s);
  });
});

describe('FindingStore: open sessions\' findings encoded into their logs', () => {
  const f = (i: number, message: string, announce: number | null = null): Finding => ({
    code: i % 2 ? 'announce-too-soon' : 'peer-moved', severity: i % 3 ? 'info' : 'warning', announce, message,
  });

  it('hands findings back as written, with the announce index the log gives', () => {
    const store = new FindingStore();
    const xs: Finding[] = [];
    for (let i = 0; i < 23; i++) xs.push(f(i, i === 5 ? `${'9,999.5;'.repeat(9)} long` : `re-announce ${i % 5} s after \u2192 peer ${i % 2 ? 'b' : 'a'}`, 4));
    const w = new ByteWriter();
    for (const x of xs) store.write(w, x);
    expect(store.heldTemplates).toBe(3);
    const r = new ByteReader(w.bytes.subarray(0, w.length));
    expect(xs.map(() => store.read(r, false, 4))).toEqual(xs);
    expect(r.pos).toBe(w.length);
    expect(store.heldTemplates).toBe(3);
    const r2 = new ByteReader(w.bytes.subarray(0, w.length));
    expect(xs.map(() => store.read(r2, true, 4))).toEqual(xs);
    expect(store.heldTemplates).toBe(0);
  });

  it('writes a form finding as its form and numbers, and reads every kind of number back exactly', () => {
    const form = new FindingForm('over-download', 'warning', (xs) => xs.map((x) => `${typeof x} ${String(x)} ${Object.is(x, -0)}`).join('|'));
    const args = [0, 1, 2 ** 50 - 1, 2 ** 50, 2 ** 53 + 2, -1, -0, 0.1, NaN, Infinity, 0n, 7n, 2n ** 50n, 2n ** 64n, -3n];
    const store = new FindingStore();
    const w = new ByteWriter();
    const made = form.at(2, args);
    const fields = { code: made.code, severity: made.severity, announce: made.announce, message: made.message };
    expect(fields).toEqual({ code: 'over-download', severity: 'warning', announce: 2, message: form.render(args) });
    store.write(w, made);
    store.write(w, { code: 'peer-moved', severity: 'info', announce: 2, message: 'moved 5 times' });
    store.write(w, form.at(2, []));
    const r = new ByteReader(w.bytes.subarray(0, w.length));
    const back = store.read(r, true, 2);
    expect({ code: back.code, severity: back.severity, announce: back.announce, message: back.message }).toEqual(fields);
    expect(store.read(r, true, 2).message).toBe('moved 5 times');
    expect(store.read(r, true, 2).message).toBe('');
    expect(r.pos).toBe(w.length);
    expect(store.heldTemplates).toBe(0);
  });

  it('keeps one copy of a message template while any finding uses it', () => {
    const store = new FindingStore();
    const wa = new ByteWriter();
    const wb = new ByteWriter();
    store.write(wa, f(1, 'gap ' + 3));
    store.write(wb, f(1, 'gap ' + 4.5));
    expect(store.heldTemplates).toBe(1);
    expect(store.read(new ByteReader(wa.bytes), true, 0).message).toBe('gap 3');
    expect(store.heldTemplates).toBe(1);
    expect(store.read(new ByteReader(wb.bytes), true, 0).message).toBe('gap 4.5');
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
      const w = new ByteWriter();
      store.write(w, f(0, m));
      expect(store.read(new ByteReader(w.bytes), true, 1).message).toBe(m);
    }
    expect(store.heldTemplates).toBe(0);
    expect(splitMessage('re-announce 51.9 s after (minimum 900 s)')).toEqual({ template: 're-announce \u0001 s after (minimum \u0001 s)', numbers: '51.9;900' });
  });
});
