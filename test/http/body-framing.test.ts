import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bodyFraming, headerList, type BodyFraming } from '../../src/http/head.js';
import type { HttpHeader } from '../../src/http/types.js';

/** RFC 9112 §6.3 as bodyFraming states it, through value lists only (no fast path). */
function reference(headers: readonly HttpHeader[], isResponse: boolean): BodyFraming {
  const te = headerList(headers, 'transfer-encoding');
  if (te.length > 0) return te[te.length - 1] === 'chunked' ? { kind: 'chunked' } : { kind: isResponse ? 'close' : 'none' };
  const cl = headerList(headers, 'content-length');
  if (cl.length > 0 && /^[0-9]{1,15}$/.test(cl[0]!) && cl.every((v) => v === cl[0])) return { kind: 'length', length: Number(cl[0]) };
  return { kind: isResponse ? 'close' : 'none' };
}

describe('bodyFraming', () => {
  it('agrees with the value-list rules on any mix of framing headers', () => {
    const name = fc.constantFrom('Content-Length', 'content-length', 'CONTENT-LENGTH', 'Transfer-Encoding', 'transfer-encoding', 'Content-Type', 'Host');
    const value = fc.oneof(
      fc.nat(1e6).map(String),
      fc.constantFrom('', ' 12 ', '\t7', '1,1', '5, 5', '0', '007', '1234567890123456', '999999999999999', '12a', '-1', 'chunked', 'gzip, chunked', ' chunked'),
      fc.string({ maxLength: 6 }),
    );
    const headers = fc.array(fc.record({ name, value }), { maxLength: 4 });
    fc.assert(
      fc.property(headers, fc.boolean(), (h, isResponse) => {
        expect(bodyFraming(h, isResponse)).toEqual(reference(h, isResponse));
      }),
      { numRuns: 5000 },
    );
  });
});
