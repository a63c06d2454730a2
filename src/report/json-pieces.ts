/**
 * JSON text made once and copied many times: a field that takes few values (an event name, an
 * HTTP version, a pair of session states) is written with its key and neighbours as one piece,
 * instead of a key piece, a checked copy of the value and another key piece per announce.
 */
import { piece, type Piece } from './piece.js';

/** Pieces kept per table before it starts again (the values are whatever the wire says). */
const MAX_VALUES = 64;
/** Longer values are not kept: the table's memory stays small whatever a client sends. */
const MAX_CHARS = 256;

/** `before + JSON.stringify(value) + after` for each value of a string field with few values. */
export class FieldPieces {
  private readonly known = new Map<string, Piece>();
  private readonly nullPiece: Piece;

  constructor(private readonly before: string, private readonly after: string) {
    this.nullPiece = piece(`${before}null${after}`);
  }

  of(value: string | null): Piece {
    if (value === null) return this.nullPiece;
    let t = this.known.get(value);
    if (t === undefined) {
      t = piece(this.before + JSON.stringify(value) + this.after);
      if (value.length > MAX_CHARS) return t;
      if (this.known.size >= MAX_VALUES) this.known.clear();
      this.known.set(value, t);
    }
    return t;
  }
}

/**
 * `before + {"before":…,"after":…} + after` per pair of states: every announce's replay step and
 * every session announce writes one, from a handful of state names.
 */
export class StatePairPieces {
  private readonly known = new Map<string, Map<string, Piece>>();

  constructor(private readonly before: string, private readonly after: string) {}

  of(from: string, to: string): Piece {
    if (from.length > MAX_CHARS || to.length > MAX_CHARS) return this.make(from, to);
    let m = this.known.get(from);
    if (m === undefined) {
      if (this.known.size >= MAX_VALUES) this.known.clear();
      this.known.set(from, (m = new Map()));
    }
    let t = m.get(to);
    if (t === undefined) {
      t = this.make(from, to);
      if (m.size >= MAX_VALUES) m.clear();
      m.set(to, t);
    }
    return t;
  }

  private make(from: string, to: string): Piece {
    return piece(`${this.before}{"before":${JSON.stringify(from)},"after":${JSON.stringify(to)}}${this.after}`);
  }
}
