import { describe, it, expect } from 'vitest';
import { form, FormText, Hole, holeText, noteText } from '../../src/tracker/text-form.js';
import { baselineNote, baselineNoteText, creditNoteOf, creditNoteText, fmtTenths } from '../../src/tracker/explain.js';
import { humanBytes } from '../../src/format/units.js';
import { fmtSeconds } from '../../src/tracker/explain.js';
import { missingStopped } from '../../src/tracker/anomalies/missing-stopped.js';
import { getRules } from '../../src/tracker/rules/index.js';
import type { SessionEntry } from '../../src/tracker/types.js';
import { written } from '../support/byte-out-text.js';
import { writeMessage } from '../../src/report/form-bytes.js';

describe('text forms', () => {
  it('render each hole as the text helpers do', () => {
    const f = form`a ${Hole.Bytes} b ${Hole.Tenths} s c ${Hole.Human}/s d ${Hole.Plain} e`;
    expect(f.render([1234567n, 25, 8 * 1024 ** 3, 503872])).toBe('a 1,234,567 b 2.5 s c 8.0 GiB/s d 503872 e');
    for (const t of [0, -0, 3, 10, 25, 12345, -7]) expect(holeText(Hole.Tenths, t) + ' s').toBe(fmtTenths(t));
    for (const n of [0, 1023, 1024, 1536, 2 ** 40 + 5]) expect(holeText(Hole.Human, n)).toBe(humanBytes(BigInt(n)));
  });

  it('give the notes the replay wrote as text before, rendered once when read', () => {
    const credited = { uploaded: 1000n, downloaded: 0n };
    const stored = { uploaded: 5000n, downloaded: 2n ** 64n };
    const t = creditNoteText(credited, stored, 6000n, 2n ** 64n);
    expect(t.text).toBe('credited +1,000 up (6,000 − 5,000) and +0 down (18,446,744,073,709,551,616 − 18,446,744,073,709,551,616)');
    expect(t.text).toBe(creditNoteOf(credited, stored, 6000n, 2n ** 64n));
    expect(t.text).toBe(t.text);
    expect(noteText(baselineNoteText(0n, 1234n))).toBe('first announce of this peer_id only sets the baseline (uploaded 0, downloaded 1,234): nothing credited');
    expect(baselineNote(0n, 1234n)).toBe(noteText(baselineNoteText(0n, 1234n)));
    expect(noteText('plain')).toBe('plain');
    expect(new FormText(form`x`, []).text).toBe('x');
    // a text put in a template is not a hole
    expect(() => form`still listed as ${'leeching' as unknown as Hole}`).toThrow(/not a hole kind/);
  });
});

describe('missing-stopped as forms', () => {
  /** The message as the detector wrote it before it used forms. */
  function before(finalState: string, silence: number | null, deadTime: number): string {
    const after = 'traffic after the last announce is never credited';
    if (finalState === 'expired')
      return `the session ended without stopped: the peer stayed listed until it expired (dead time ${fmtSeconds(deadTime)}), and ${after}`;
    return (
      `no stopped by the end of the input: still listed as ${finalState}${silence !== null ? ` ${fmtSeconds(silence)} after its last announce` : ''}, ` +
      `so the torrent stays on the profile until expiry (${fmtSeconds(deadTime)}), and ${after}`
    );
  }

  it('gives the same messages', () => {
    const entries = [{ ref: 0, ts: 0n, event: null, uploaded: 0n, downloaded: 0n, left: 0n, credited: { uploaded: 0n, downloaded: 0n }, before: 'none', after: 'seeding', applied: true }] as const;
    const rules = getRules('tbsource')!;
    for (const finalState of ['leeching', 'seeding', 'expired'] as const)
      for (const silence of [null, 0, 12.34, 3600.05])
        for (const deadTime of [2340, 0.5, Infinity]) {
          const f = missingStopped.detect({ rules, entries: entries as unknown as SessionEntry[], finalState, silence, deadTime });
          expect(f?.message).toBe(before(finalState, silence, deadTime));
          expect(written((b) => writeMessage(b, f!))).toBe(JSON.stringify(before(finalState, silence, deadTime)));
        }
  });
});
