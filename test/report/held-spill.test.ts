/**
 * The text, markdown and HTML writers hold open sessions' rendered text in a HeldText (memory up
 * to a budget, then a temp file). With a budget of a few bytes nearly everything goes through the
 * file; the reports of the real captures must come out byte for byte as with everything in memory,
 * both through a string output and through a byte output (held bytes copied as they are).
 */
import { describe, expect, it } from 'vitest';
import { runPipeline } from '../../src/pipeline/run.js';
import type { Output, ReportWriter } from '../../src/report/writer.js';
import { ByteOut } from '../../src/report/byte-out.js';
import { TextWriter } from '../../src/report/text.js';
import { MarkdownWriter } from '../../src/report/markdown.js';
import { HtmlWriter } from '../../src/report/html.js';
import { palette } from '../../src/report/style.js';
import { HeldText, newChain } from '../../src/report/held-text.js';

/** A string output, or one with a byte buffer (the CLI's kind); `text()` is everything written. */
function output(bytes: boolean): { out: Output; text(): string } {
  if (!bytes) {
    let s = '';
    return { out: { write: (t) => { s += t; } }, text: () => s };
  }
  const chunks: Buffer[] = [];
  const b = new ByteOut((c) => { chunks.push(Buffer.from(c)); }, 4096);
  return { out: { write: (t) => b.text(t), bytes: b }, text: () => { b.flush(); return Buffer.concat(chunks).toString('utf8'); } };
}

type Make = (out: Output, budget?: number) => ReportWriter;
const opts = { peerList: false, torrentNames: new Map<string, string>(), announcesOnly: false };
const formats: [string, Make][] = [
  ['text', (out, budget) => new TextWriter(out, palette(false), { announcesOnly: false }, budget)],
  ['markdown', (out, budget) => new MarkdownWriter(out, opts, budget)],
  ['html', (out, budget) => new HtmlWriter(out, opts, budget)],
];

async function report(path: string, make: Make, bytes: boolean, budget?: number): Promise<{ text: string; spilled: number }> {
  const o = output(bytes);
  const writer = make(o.out, budget);
  // the store's file length, read before end() closes it
  const held = (writer as unknown as { held: { store: { fileLength: number } } }).held;
  let spilled = 0;
  const watch: ReportWriter = {
    begin: (i, r) => writer.begin(i, r),
    announce: (a, ref, step) => writer.announce(a, ref, step),
    scrape: (s) => writer.scrape(s),
    sessionClosed: (s) => { writer.sessionClosed(s); spilled = Math.max(spilled, held.store.fileLength); },
    end: (t, r) => { spilled = Math.max(spilled, held.store.fileLength); writer.end(t, r); },
  };
  const outcome = await runPipeline({ inputs: [path], input: { inputFormat: 'auto', logParser: null }, replay: { rules: 'tbsource' }, mergeProxyLegs: true }, watch);
  watch.end(outcome.totals, outcome.result);
  return { text: o.text(), spilled };
}

describe('open sessions spilled to the temp file', () => {
  for (const path of ['fixtures/real/a_clean/capture.pcap', 'fixtures/real/b_crash/capture.pcap']) {
    for (const [name, make] of formats) {
      it(`${name} of ${path}: a 64-byte budget gives the same report as the default`, async () => {
        const whole = await report(path, make, false);
        expect(whole.spilled).toBe(0);
        expect(whole.text.length).toBeGreaterThan(1000);
        for (const bytes of [false, true]) {
          const tiny = await report(path, make, bytes, 64);
          expect(tiny.spilled).toBeGreaterThan(0);
          expect(tiny.text).toBe(whole.text);
        }
      });
    }
  }
});

describe('HeldText', () => {
  it('gives back multi-byte text and records in order across spills', () => {
    const held = new HeldText(32);
    const a = newChain();
    const b = newChain();
    const want: string[] = [];
    const recs: [number, string][] = [];
    for (let i = 0; i < 50; i++) {
      const t = `${i} − ┌─┐ ☃ 𝄞\n`;
      held.add(a, t);
      want.push(t);
      const head = Uint8Array.of(i, 255 - i);
      held.addRecord(b, head, 1, `r${i}−`.repeat(i % 4));
      recs.push([i, `r${i}−`.repeat(i % 4)]);
    }
    const o = output(true);
    held.writeTo(a, o.out);
    expect(o.text()).toBe(want.join(''));
    const got: [number, string][] = [];
    held.records(b, (h, t) => { expect(h.length).toBe(1); got.push([h[0]!, t]); });
    expect(got).toEqual(recs);
    held.close();
  });
});
