/**
 * JSON text made once and copied many times: a field that takes few values (an event name, an
 * HTTP version, a pair of session states) is written with its key and neighbours as one piece,
 * instead of a key piece, a checked copy of the value and another key piece per announce.
 */
import { utf8 } from './byte-out.js';

/** Pieces kept per table before it starts again (the values are whatever the wire says). */
const MAX_VALUES = 64;

/** `before + JSON.stringify(value) + after` for each value of a string field with few values. */
export class FieldPieces {
  private readonly known = new Map<string, Uint8Array>();
  private readonly nullPiece: Uint8Array;

  constructor(private readonly before: string, private readonly after: string) {
    this.nullPiece = utf8(`${before}null${after}`);
  }

  of(value: string | null): Uint8Array {
    if (value === null) return this.nullPiece;
    let t = this.known.get(value);
    if (t === undefined) {
      if (this.known.size >= MAX_VALUES) this.known.clear();
      t = utf8(this.before + JSON.stringify(value) + this.after);
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
  private readonly known = new Map<string, Map<string, Uint8Array>>();

  constructor(private readonly before: string, private readonly after: string) {}

  of(from: string, to: string): Uint8Array {
    let m = this.known.get(from);
    if (m === undefined) {
      if (this.known.size >= MAX_VALUES) this.known.clear();
      this.known.set(from, (m = new Map()));
    }
    let t = m.get(to);
    if (t === undefined) {
      t = utf8(`${this.before}{"before":${JSON.stringify(from)},"after":${JSON.stringify(to)}}${this.after}`);
      if (m.size >= MAX_VALUES) m.clear();
      m.set(to, t);
    }
    return t;
  }
}
