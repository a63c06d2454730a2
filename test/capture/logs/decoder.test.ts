// LogDecoder: line splitting across chunks, CRLF, blank lines, binary garbage, overlong lines
// (counted, never held whole), a line cut at end of input, detection and its failure.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors.js';
import { LogDecoder, nginxCombined, type LogParser, type LogRequest } from '../../../src/capture/logs/index.js';

const REAL = readFileSync('fixtures/real/a_clean/nginx_access.log');
const LINE = '127.0.0.2 - - [25/Nov/2026:16:12:08 +0000] "GET /announce?a=1 HTTP/1.1" 200 81 "-" "Transmission/3.00"';

function run(chunks: Uint8Array[], parser: LogParser | null = nginxCombined, opts = {}) {
  const out: LogRequest[] = [];
  const d = new LogDecoder('t.log', parser, (r) => out.push(r), opts);
  for (const c of chunks) d.push(c);
  d.end();
  return { d, out };
}
const bytes = (s: string) => Buffer.from(s, 'latin1');

describe('LogDecoder', () => {
  it('same records and offsets whatever the chunk size (real a_clean log)', () => {
    const whole = run([REAL]).out;
    expect(whole.length).toBe(14);
    // Offsets point at the line starts of the file.
    const text = REAL.toString('latin1');
    whole.forEach((r) => expect(text.startsWith(r.clientIp + ' - - [', r.origin.offset)).toBe(true));
    for (const size of [1, 7, 100, 1000]) {
      const chunks: Uint8Array[] = [];
      for (let i = 0; i < REAL.length; i += size) chunks.push(REAL.subarray(i, i + size));
      expect(run(chunks).out).toEqual(whole);
    }
  });

  it('CRLF endings: CR dropped, same records', () => {
    const crlf = bytes(REAL.toString('latin1').replace(/\n/g, '\r\n'));
    const { d, out } = run([crlf]);
    expect(d.parsed).toBe(14);
    expect(out.map((r) => r.userAgent)).toEqual(run([REAL]).out.map((r) => r.userAgent));
    expect(out[1]!.origin.offset).toBe(REAL.indexOf(0x0a) + 2);
  });

  it('blank lines and a binary garbage line are counted as skipped', () => {
    const garbage = Buffer.from([0x16, 0x03, 0x01, 0x00, 0xff, 0xfe, 0x80, 0x0d, 0x00]);
    const input = Buffer.concat([bytes(LINE + '\n\n   \n'), garbage, bytes('\n' + LINE + '\n')]);
    const { d, out } = run([input]);
    expect(d.lines).toBe(5);
    expect(d.parsed).toBe(2);
    expect([...d.skipped]).toEqual([['blank line', 2], ['not nginx-combined', 1]]);
    expect(out[1]!.origin.line).toBe(5);
  });

  it('a 1 MB line is skipped as too long, never held, and the next line still parses', () => {
    const out: LogRequest[] = [];
    const d = new LogDecoder('t.log', nginxCombined, (r) => out.push(r));
    let maxHeld = 0;
    const block = Buffer.alloc(4096, 0x41);
    for (let i = 0; i < 256; i++) {
      d.push(block);
      maxHeld = Math.max(maxHeld, d.pendingBytes);
    }
    d.push(bytes('\n' + LINE + '\n'));
    d.end();
    expect(maxHeld).toBeLessThanOrEqual(64 * 1024 + 1);
    expect(d.lines).toBe(2);
    expect([...d.skipped]).toEqual([['line too long', 1]]);
    expect(out.length).toBe(1);
    expect(out[0]!.origin.offset).toBe(1024 * 1024 + 1);
    // The same line in one chunk is also skipped without being decoded.
    const one = run([Buffer.concat([Buffer.alloc(1 << 20, 0x41), bytes('\n' + LINE)])]);
    expect([...one.d.skipped]).toEqual([['line too long', 1]]);
    expect(one.d.parsed).toBe(1);
  });

  it('a line cut in the middle at end of input is counted and warned about', () => {
    const { d, out } = run([bytes(LINE + '\n' + LINE.slice(0, 60))]);
    expect(d.lines).toBe(2);
    expect(out.length).toBe(1);
    expect([...d.skipped]).toEqual([['line cut at end of input', 1]]);
    expect(d.warnings.some((w) => w.includes('no line ending'))).toBe(true);
    // A complete last line without LF still parses.
    expect(run([bytes(LINE)]).d.parsed).toBe(1);
  });

  it('detects from fewer lines than the sample size at end(), after leading garbage', () => {
    const { d } = run([bytes('garbage\n' + LINE + '\n')], null);
    expect(d.format).toBe('nginx-combined');
    expect(d.parsed).toBe(1);
    expect([...d.skipped]).toEqual([['not nginx-combined', 1]]);
  });

  it('no known format: InputError naming the file and first line', () => {
    const d = new LogDecoder('junk.log', null, () => {}, { detectLines: 2 });
    d.push(bytes('\nhello\n'));
    let err: unknown;
    try {
      d.push(bytes('world\n'));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).code).toBe('log.unknown-format');
    expect((err as InputError).file).toBe('junk.log');
    expect((err as InputError).position).toBe('line 2 (byte 1)');
  });

  it('an empty input is zero lines, no error', () => {
    const { d } = run([], null);
    expect(d.lines).toBe(0);
    expect(d.format).toBeNull();
  });
});
