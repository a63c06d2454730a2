/**
 * A form's text (tracker/text-form.ts) as a JSON string, written from the form and its numbers:
 * the literal parts as constant pieces (escaped once per form), the numbers as digits. Exactly the
 * bytes of JSON.stringify(form.render(args)): the holes' text (digits, commas, a point, a unit)
 * never needs escaping, and escaping a text part by part is escaping the whole.
 */
import { FormFinding } from '../tracker/finding-form.js';
import { FormText, Hole, holeText, type FormArgs, type StepNote, type TextForm } from '../tracker/text-form.js';
import type { Finding } from '../tracker/types.js';
import type { ByteOut } from './byte-out.js';
import { piece, type Piece } from './piece.js';

/** Per form, its literals as JSON pieces: the first with the opening quote, the last with the closing one. */
const formPieces = new Map<TextForm, Piece[]>();

function piecesOf(form: TextForm): Piece[] {
  let p = formPieces.get(form);
  if (p === undefined) {
    const last = form.literals.length - 1;
    p = form.literals.map((lit, i) => {
      const json = JSON.stringify(lit).slice(1, -1);
      return piece((i === 0 ? '"' : '') + json + (i === last ? '"' : ''));
    });
    // forms are module constants (a few): the table stays small
    formPieces.set(form, p);
  }
  return p;
}

/** JSON of form.render(args). */
export function writeForm(b: ByteOut, form: TextForm, args: FormArgs): void {
  const pieces = piecesOf(form);
  const holes = form.holes;
  b.put(pieces[0]!);
  for (let i = 0; i < holes.length; i++) {
    writeHole(b, holes[i]!, args[i]!);
    b.put(pieces[i + 1]!);
  }
}

/**
 * `,000` to `,999` (a group after the first of a grouped number) four bytes each, then `.0` to
 * `.9` (a tenth) two bytes each, and 3 bytes to spare (ByteOut.putFrom copies whole words): one
 * 4 KB table, so that a group is one word copied from memory that stays in cache.
 */
const DIGIT_TABLE = (() => {
  const text = Array.from({ length: 1000 }, (_, i) => ',' + String(i).padStart(3, '0')).join('') + Array.from({ length: 10 }, (_, i) => '.' + String(i)).join('');
  const bytes = new Uint8Array(text.length + 3);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return new DataView(bytes.buffer);
})();
const TENTHS_AT = 4000;

function putGroup(b: ByteOut, g: number): void {
  b.putFrom(DIGIT_TABLE, g * 4, 4);
}

function putTenth(b: ByteOut, d: number): void {
  b.putFrom(DIGIT_TABLE, TENTHS_AT + d * 2, 2);
}
/** A grouped number's groups after the first, last one first (reused). */
const groups: number[] = [];

/** fmtBytes(n) when n is in [0, 2^53): its first group as digits, then `,ddd` pieces. Says whether it was. */
function groupedBytes(b: ByteOut, n: bigint): boolean {
  let x = Number(n);
  if (!(x >= 0 && x <= Number.MAX_SAFE_INTEGER)) return false;
  let k = 0;
  while (x >= 1000) {
    const rest = Math.floor(x / 1000);
    groups[k++] = x - rest * 1000;
    x = rest;
  }
  b.num(x);
  while (k > 0) putGroup(b, groups[--k]!);
  return true;
}

/**
 * `${t / 10}` for a whole count of tenths t in [0, 2^31) (25 -> 2.5, 30 -> 3), and says whether t
 * was one: the shortest decimal of t / 10 is its whole part and, unless 0, its tenth.
 */
function tenthsText(b: ByteOut, t: number): boolean {
  if (!(Number.isInteger(t) && t >= 0 && t <= 0x7fffffff)) return false;
  const whole = Math.floor(t / 10);
  const tenth = t - whole * 10;
  b.num(whole);
  if (tenth !== 0) putTenth(b, tenth);
  return true;
}

function writeHole(b: ByteOut, hole: Hole, v: number | bigint): void {
  switch (hole) {
    case Hole.Bytes:
      if (groupedBytes(b, v as bigint)) return;
      break;
    case Hole.Tenths:
      if (tenthsText(b, v as number)) return;
      break;
    case Hole.Human:
      if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < HUMAN_EXACT) return binaryUnit(b, v);
      break;
    case Hole.Plain:
      if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return b.num(v);
      break;
  }
  b.text(holeText(hole, v));
}

const OPEN_LIST = piece('[');
const COMMA = piece(',');
const CLOSE_LIST = piece(']');

/** Below this many bytes, a value scaled to its unit times ten is exact (10 * n < 2^53). */
const HUMAN_EXACT = 2 ** 49;
/** ` B`, then the binary units as humanBytesOfNumber names them. */
const UNIT_PIECES = [' B', ' KiB', ' MiB', ' GiB', ' TiB', ' PiB', ' EiB'].map((u) => piece(u));

/**
 * humanBytesOfNumber(n) for a whole n below HUMAN_EXACT: "512 B", "7.8 GiB". Dividing by 1024 is
 * exact, and so is the scaled value times ten, so Math.round picks the n of toFixed(1) (the
 * nearest tenth, a tie going up).
 */
function binaryUnit(b: ByteOut, n: number): void {
  if (n < 1024) {
    b.num(n);
    return b.put(UNIT_PIECES[0]!);
  }
  let unit = 0;
  let scaled = n;
  while (scaled >= 1024 && unit < UNIT_PIECES.length - 1) {
    scaled /= 1024;
    unit++;
  }
  // (t / 10).toFixed(1): the whole part, then the tenth even when it is 0
  const t = Math.round(scaled * 10);
  const whole = Math.floor(t / 10);
  b.num(whole);
  putTenth(b, t - whole * 10);
  b.put(UNIT_PIECES[unit]!);
}

/** A step's notes as a JSON list, as strList writes their texts. */
export function writeNotes(b: ByteOut, notes: readonly StepNote[]): void {
  b.put(OPEN_LIST);
  for (let i = 0; i < notes.length; i++) {
    if (i > 0) b.put(COMMA);
    const n = notes[i]!;
    if (n instanceof FormText) writeForm(b, n.form, n.args);
    else b.str(n);
  }
  b.put(CLOSE_LIST);
}

/** A finding's message as JSON (a form's without its text when it has one). */
export function writeMessage(b: ByteOut, f: Finding): void {
  if (f instanceof FormFinding) {
    const text = f.form.text;
    if (text !== null) return writeForm(b, text, f.args);
  }
  b.str(f.message);
}
