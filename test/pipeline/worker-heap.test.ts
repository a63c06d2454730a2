/**
 * The input worker's heap has a limit (front.ts WORKER_HEAP): an input that keeps more than it
 * allows must end the run with the CLI's one-line InputError naming the input, not a worker crash
 * or a stack trace. The worker runs the compiled build (dist/, made by `npm test`'s build step).
 */
import { describe, expect, it } from 'vitest';
import { describeInputError, type InputError } from '../../src/errors.js';

const front = (await import('../../dist/pipeline/worker/front.js' as string)) as typeof import('../../src/pipeline/worker/front.js');

const FILE = 'fixtures/anatomy.pcap';

function read(maxOldGenerationSizeMb: number): Promise<number> {
  let records = 0;
  return front.readInputsInWorker(
    { inputs: [FILE], input: { inputFormat: 'auto', logParser: null }, mergeProxyLegs: true },
    () => { records++; },
    { maxOldGenerationSizeMb, maxYoungGenerationSizeMb: 1 },
  ).then(() => records);
}

describe('the input worker out of heap', () => {
  it('is an InputError naming the input, in one line', async () => {
    // 1 MB of old generation: not even the decoding modules fit
    const e: unknown = await read(1).then(() => null, (x: unknown) => x);
    expect(e).toBeInstanceOf(Error);
    expect((e as Error).name).toBe('InputError');
    const err = e as InputError;
    expect(err.code).toBe('input.out-of-memory');
    expect(err.file).toBe(FILE);
    const line = describeInputError(err);
    expect(line).toMatch(/^fixtures\/anatomy\.pcap: the reading thread ran out of memory .*--threads 1$/);
    expect(line).not.toContain('\n');
  });

  it('the default limit reads the same input', async () => {
    expect(await read(front.WORKER_HEAP.maxOldGenerationSizeMb!)).toBeGreaterThan(0);
  });
});
