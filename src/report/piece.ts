/**
 * Constant pieces of report output (JSON keys and the punctuation around them, cached values
 * with their neighbours), made once and copied into the output many times.
 */

const encoder = new TextEncoder();

/**
 * A constant piece of output: its bytes as little-endian 32-bit words (the last one padded with
 * zeros), copied a word at a time (a byte loop cost twice as much for the ~100 pieces of an
 * announce, most of them 5-40 bytes).
 */
export class Piece {
  readonly length: number;
  readonly words: Int32Array;
  constructor(private readonly raw: Uint8Array) {
    this.length = raw.length;
    const padded = new DataView(new ArrayBuffer((raw.length + 3) & ~3));
    for (let i = 0; i < raw.length; i++) padded.setUint8(i, raw[i]!);
    this.words = Int32Array.from({ length: padded.byteLength >> 2 }, (_, i) => padded.getInt32(i * 4, true));
  }

  /** The piece's bytes (for the rare piece too big for word copies into the buffer). */
  bytes(): Uint8Array {
    return this.raw;
  }
}

/** A constant text as a piece of output (UTF-8). */
export function piece(text: string): Piece {
  return new Piece(encoder.encode(text));
}
