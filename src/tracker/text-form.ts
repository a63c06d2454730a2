/**
 * Texts the replay writes on nearly every announce (the credit and baseline notes, the
 * announce-too-soon and U-232 findings) kept as a form and its numbers, rendered only when read.
 * A report that writes bytes (report/form-bytes.ts) writes a form's literal parts as constant
 * pieces and its numbers as digits, with no string made for the text: on a large capture those
 * strings (grouped digits, concatenated, then encoded again) were about a tenth of the replay
 * and JSON writer's time.
 */
import { grouped, humanBytesOfNumber } from '../format/units.js';

/** A form's numbers: doubles (kept exactly) and bigints. */
export type FormArgs = readonly (number | bigint)[];

/** What a hole of a form shows of its number. */
export const enum Hole {
  /** A bigint with comma groups (format/units.ts grouped): 754384896n -> "754,384,896". */
  Bytes,
  /** A whole count of tenths as a decimal, as `${t / 10}`: 25 -> "2.5". */
  Tenths,
  /** A whole number of bytes in a binary unit, as humanBytesOfNumber: "7.8 GiB". */
  Human,
  /** A number as `${n}` writes it. */
  Plain,
}

/** The text of one hole. */
export function holeText(hole: Hole, v: number | bigint): string {
  switch (hole) {
    case Hole.Bytes: return grouped(v as bigint);
    case Hole.Tenths: return `${(v as number) / 10}`;
    case Hole.Human: return humanBytesOfNumber(v as number);
    default: return `${v}`;
  }
}

/** A text with numbered holes: literals[0], hole 0, literals[1], …, literals[holes.length]. */
export class TextForm {
  constructor(
    readonly literals: readonly string[],
    readonly holes: readonly Hole[],
  ) {}

  /** The text of these numbers (one per hole). */
  render(args: FormArgs): string {
    let s = this.literals[0]!;
    for (let i = 0; i < this.holes.length; i++) s += holeText(this.holes[i]!, args[i]!) + this.literals[i + 1]!;
    return s;
  }
}

/**
 * A form from a template: form`credited +${Hole.Bytes} up`. Every placeholder is a hole kind (a
 * text to put in goes in a literal: build the TextForm itself).
 */
export function form(strings: TemplateStringsArray, ...holes: Hole[]): TextForm {
  for (const h of holes) if (!(h === Hole.Bytes || h === Hole.Tenths || h === Hole.Human || h === Hole.Plain)) throw new Error(`not a hole kind: ${String(h)}`);
  return new TextForm([...strings], holes);
}

/** A form's text for some numbers, rendered when first read. */
export class FormText {
  #text: string | null = null;
  constructor(
    readonly form: TextForm,
    readonly args: FormArgs,
  ) {}

  get text(): string {
    return (this.#text ??= this.form.render(this.args));
  }
}

/** A note of a replay step: text, or a form's text not rendered yet. */
export type StepNote = string | FormText;

/** The text of a note. */
export function noteText(n: StepNote): string {
  return typeof n === 'string' ? n : n.text;
}
