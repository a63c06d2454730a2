/** README's option list and anomaly table, and the man page, are generated from the source tables: they must be current. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { manPage, readmeWithOptions } from '../../src/tools/make-docs.js';
import { OPTIONS } from '../../src/cli/options.js';

describe('generated documentation', () => {
  const readme = readFileSync('README.md', 'utf8');
  it('README lists every option and anomaly as the tables say (run `npm run docs` after changing them)', () => {
    expect(readmeWithOptions(readme)).toBe(readme);
    for (const o of OPTIONS) expect(readme).toContain(o.flags);
  });
  it('the man page is current', () => {
    expect(readFileSync('man/tracker-anatomy.1', 'utf8')).toBe(manPage());
  });
});
