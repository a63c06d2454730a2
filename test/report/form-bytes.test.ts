import { describe, it, expect } from 'vitest';
import { written } from '../support/byte-out-text.js';
import { writeForm, writeMessage, writeNotes } from '../../src/report/form-bytes.js';
import { FindingForm } from '../../src/tracker/finding-form.js';
import { form, FormText, Hole, type FormArgs } from '../../src/tracker/text-form.js';


const F = form`"q" ${Hole.Bytes} − ${Hole.Tenths} s\\${Hole.Human}\n${Hole.Plain}`;

describe('a form as JSON bytes', () => {
  it('is JSON.stringify of its text, whatever the numbers', () => {
    const bytes = [0n, 5n, 999n, 1000n, 123456789n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 70n, -1n, -123456n];
    const tenths = [0, -0, 1, 9, 10, 25, 2 ** 31 - 1, 2 ** 31, 2 ** 40, -3, 0.5, NaN, Infinity];
    const human = [0, 1023, 1024, 5e9, 2 ** 60];
    const plain = [0, 503872, -1, 0.25, 2 ** 53, NaN];
    const cases: FormArgs[] = [];
    for (let i = 0; i < 16; i++) cases.push([bytes[i % bytes.length]!, tenths[i % tenths.length]!, human[i % human.length]!, plain[i % plain.length]!]);
    for (const t of tenths) cases.push([1n, t, 0, 0]);
    for (const v of bytes) cases.push([v, 0, 0, 0]);
    // many in a row, so that some are cut by the buffer's hand-overs
    const all = written((b) => { for (const args of cases) writeForm(b, F, args); });
    expect(all).toBe(cases.map((args) => JSON.stringify(F.render(args))).join(''));
  });

  it('writes binary units as humanBytesOfNumber, near every rounding edge', () => {
    const H = form`${Hole.Human}`;
    const values = [0, 1, 1023, 1024, 1075, 1076, 1126, 1127, 1280, 1048524, 1048525, 1048575, 1048576, 2 ** 49 - 1, 2 ** 49, 2 ** 53, 0.5];
    for (let k = 1; k <= 4; k++) for (let t = 0; t < 40; t++) values.push(Math.floor(((t + 0.5) / 10) * 1024 ** k), Math.ceil(((t + 0.5) / 10) * 1024 ** k));
    let seed = 7;
    for (let i = 0; i < 2000; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      values.push(Math.floor((seed / 2 ** 31) * 2 ** (10 + (i % 40))));
    }
    const all = written((b) => { for (const v of values) writeForm(b, H, [v]); });
    expect(all).toBe(values.map((v) => JSON.stringify(H.render([v]))).join(''));
  });

  it('writes notes and a form finding\'s message as their texts', () => {
    const notes = ['plain "note"', new FormText(F, [1234n, 25, 2048, 7]), 'last'];
    expect(written((b) => writeNotes(b, notes))).toBe(JSON.stringify(['plain "note"', F.render([1234n, 25, 2048, 7]), 'last']));
    expect(written((b) => writeNotes(b, []))).toBe('[]');
    const byForm = new FindingForm('upload-speed', 'info', F).at(1, [5000n, 3, 0, 1]);
    const byFunction = new FindingForm('upload-speed', 'info', (xs) => `n=${String(xs[0])}`).at(1, [5]);
    const plainFinding = { code: 'peer-moved', severity: 'info' as const, announce: 1, message: 'moved\t"x"' };
    for (const f of [byForm, byFunction, plainFinding]) expect(written((b) => writeMessage(b, f))).toBe(JSON.stringify(f.message));
  });
});
