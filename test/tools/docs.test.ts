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

describe('README examples are real output', () => {
  it('the anatomy example lines are what the CLI prints', async () => {
    const { cli } = await import('../e2e/cli.js');
    const out = cli(['fixtures/anatomy.pcap']).stdout;
    const readme = readFileSync('README.md', 'utf8');
    const start = readme.indexOf('real output):');
    const blocks = readme.slice(start).split('```').filter((_, i) => i % 2 === 1).slice(0, 2);
    expect(blocks).toHaveLength(2);
    for (const block of blocks) {
      for (const line of block.split('\n')) if (line.trim() !== '' && line.trim() !== '...') expect(out).toContain(line);
    }
  });
});
