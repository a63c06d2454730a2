/** The scratch file behind the spill store and the JSON spool. */
import { readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { TempFile } from '../../src/spill/temp-file.js';
import { tempDir } from '../support/temp.js';

const saved = process.env['TMPDIR'];
afterEach(() => {
  if (saved === undefined) delete process.env['TMPDIR'];
  else process.env['TMPDIR'] = saved;
});

describe('TempFile', () => {
  it('reads back what was written at any offset, and leaves nothing in the directory', () => {
    const dir = tempDir('ta-tmpfile-');
    process.env['TMPDIR'] = dir;
    const f = new TempFile('test');
    expect(readdirSync(dir)).toEqual([]); // unlinked while open
    f.write(Uint8Array.from([1, 2, 3, 4, 5]), 1, 4, 10); // bytes 2,3,4 at offset 10
    const b = new Uint8Array(8);
    expect(f.read(b, 0, 8, 9)).toBe(4);
    expect([...b.subarray(0, 4)]).toEqual([0, 2, 3, 4]);
    f.close();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('turns an unusable temp directory into a one-line InputError naming it', () => {
    process.env['TMPDIR'] = '/nonexistent-tracker-anatomy-tmp';
    let caught: unknown;
    try {
      new TempFile('test');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(InputError);
    expect((caught as InputError).code).toBe('tmp.unwritable');
    expect((caught as InputError).message).toMatch(/^cannot use a temporary file under \/nonexistent-tracker-anatomy-tmp \(set TMPDIR to a writable directory with free space\): ENOENT/);
  });
});
