/**
 * The rendered text of open sessions, held until each session closes. Sessions often stay open to
 * the end of the input, so held as strings they grew memory with the input (b200 as text: 1 GB).
 * Here the text is UTF-8 bytes in a ChainStore (src/spill/chain-store.ts): a fixed memory budget,
 * then an unlinked temp file; one chain per session and kind of text.
 */
import { ChainStore, newChain, releaseChain, type Chain } from '../spill/chain-store.js';
import type { Output } from './writer.js';

/** Bytes of held text kept in memory before it moves to the temp file. */
const BUDGET = 16 << 20;

const decoder = new TextDecoder();

function u32(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}

export { newChain, type Chain };

/**
 * `lines` as output text: each line and a newline (what `lines.join('\n') + '\n'` gives for a
 * non-empty list, so a report's lines can be written in pieces).
 */
export function textLines(lines: readonly string[]): string {
  return lines.length === 0 ? '' : lines.join('\n') + '\n';
}

/** Text held per chain, written out (or read back) in the order it was added. */
export class HeldText {
  private readonly store: ChainStore;
  /** Scratch the text is encoded into before it is appended. */
  private scratch = Buffer.allocUnsafe(1 << 16);

  /** `budget`: bytes kept in memory (tests make it tiny to force spills). */
  constructor(budget = BUDGET) {
    this.store = new ChainStore(budget, 'report');
  }

  private room(n: number): Buffer {
    if (n > this.scratch.length) this.scratch = Buffer.allocUnsafe(Math.max(n, this.scratch.length * 2));
    return this.scratch;
  }

  /** Appends `text` to `chain`. */
  add(chain: Chain, text: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit
    const b = this.room(text.length * 3);
    this.store.append(chain, b, b.write(text, 0, 'utf8'));
  }

  /** Appends a record: `head` (the first `headLength` bytes; the caller's encoding) and `text`, read back by records(). */
  addRecord(chain: Chain, head: Uint8Array, headLength: number, text: string): void {
    const b = this.room(8 + headLength + text.length * 3);
    const n = b.write(text, 8 + headLength, 'utf8');
    b.writeUInt32LE(headLength, 0);
    b.writeUInt32LE(n, 4);
    b.set(head.subarray(0, headLength), 8);
    this.store.append(chain, b, 8 + headLength + n);
  }

  /** Hands each record added to `chain` with addRecord to `read`, in order; the chain is empty afterwards. */
  records(chain: Chain, read: (head: Uint8Array, text: string) => void): void {
    this.recordBytes(chain, (head, text) => read(head, decoder.decode(text)));
  }

  /**
   * records() with each text as its UTF-8 bytes (a writer with a byte output copies them out as
   * they are instead of decoding and encoding them again). Both arrays are views into the store:
   * valid until the next add, so copy what is kept.
   */
  recordBytes(chain: Chain, read: (head: Uint8Array, text: Uint8Array) => void): void {
    const parts = this.store.payloads(chain);
    // a record never spans two parts, but parts are few (one per file block): one pass over them joined
    const all = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    releaseChain(chain);
    for (let at = 0; at < all.length; ) {
      const headLength = u32(all, at);
      const textLength = u32(all, at + 4);
      const head = at + 8;
      const text = head + headLength;
      at = text + textLength;
      read(all.subarray(head, text), all.subarray(text, at));
    }
  }

  /** Writes `chain`'s text to `out`, as bytes when it takes them; the chain is empty afterwards. */
  writeTo(chain: Chain, out: Output): void {
    const parts = this.store.payloads(chain);
    // every part is whole entries, so whole UTF-8 sequences: each decodes on its own
    if (out.bytes) for (const p of parts) out.bytes.raw(p);
    else for (const p of parts) out.write(decoder.decode(p));
    releaseChain(chain);
  }

  /** Removes the temp file. */
  close(): void {
    this.store.close();
  }
}
