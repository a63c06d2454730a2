/**
 * Findings raised on nearly every announce (announce-too-soon, upload-speed's U-232 check) made
 * from a form and its numbers. The message is rendered once for the step's report; the session's
 * log keeps only the form's id and the numbers (finding-store.ts), and renders the message again
 * when the session closes, instead of cutting the text back into a template and numbers.
 */
import type { ByteReader, ByteWriter } from './bytes.js';
import { TextForm, type FormArgs } from './text-form.js';
import type { Finding, Severity } from './types.js';

export type { FormArgs };

/** Every form, by id (forms are module constants: a few, made at load time). */
const FORMS: FindingForm[] = [];

/** One message form of one finding code: its severity and how its numbers become the message. */
export class FindingForm {
  /** Index in FORMS (what the log stores). */
  readonly id: number;
  /** The message of these numbers (pure: the same numbers give the same text). */
  readonly render: (args: FormArgs) => string;
  /** The message as a text form (a byte writer writes it without the string), or null. */
  readonly text: TextForm | null;
  constructor(
    readonly code: string,
    readonly severity: Severity,
    message: ((args: FormArgs) => string) | TextForm,
  ) {
    this.id = FORMS.push(this) - 1;
    this.text = message instanceof TextForm ? message : null;
    this.render = message instanceof TextForm ? (args) => message.render(args) : message;
  }

  /** A finding of this form on announce `announce` of its session. */
  at(announce: number | null, args: FormArgs): FormFinding {
    return new FormFinding(this, announce, args);
  }
}

/**
 * A finding made from a form (as a step hands it out, and as a session reads it back from its
 * log): a Finding whose message is rendered only when read (a prototype getter, so a spread copy
 * has no message: copy the four fields by name), and that remembers its form and numbers for the
 * session log and the byte writers (a JSON report writes the form's pieces and numbers instead of
 * the text).
 */
export class FormFinding implements Finding {
  readonly code: string;
  readonly severity: Severity;
  readonly announce: number | null;
  #message: string | null = null;
  readonly #form: FindingForm;
  readonly #args: FormArgs;

  constructor(form: FindingForm, announce: number | null, args: FormArgs) {
    this.code = form.code;
    this.severity = form.severity;
    this.announce = announce;
    this.#form = form;
    this.#args = args;
  }

  get message(): string {
    return (this.#message ??= this.#form.render(this.#args));
  }

  get form(): FindingForm {
    return this.#form;
  }

  get args(): FormArgs {
    return this.#args;
  }

  /** Writes the form's id and the numbers (see readForm). */
  static write(w: ByteWriter, f: FormFinding): void {
    w.varint(f.#form.id);
    const args = f.#args;
    w.varint(args.length);
    for (let i = 0; i < args.length; i++) writeArg(w, args[i]!);
  }
}

/** Largest integer written as one varint (times 4 stays exact in a double). */
const SMALL = 2 ** 50;
const SMALL_BIG = BigInt(SMALL);
const F64 = new Float64Array(1);
const F64_BYTES = new Uint8Array(F64.buffer);

/**
 * One number as one varint when it is a small non-negative integer (the low 2 bits say which
 * kind), else a tag and its exact value: a double's 8 bytes, a bigint's decimal text.
 */
function writeArg(w: ByteWriter, v: number | bigint): void {
  if (typeof v === 'number') {
    if (Number.isSafeInteger(v) && v >= 0 && v < SMALL && !Object.is(v, -0)) w.varint(v * 4);
    else {
      w.varint(1);
      F64[0] = v;
      for (let i = 0; i < 8; i++) w.byte(F64_BYTES[i]!);
    }
  } else if (v >= 0n && v < SMALL_BIG) w.varint(Number(v) * 4 + 2);
  else {
    w.varint(3);
    w.text(v.toString());
  }
}

function readArg(r: ByteReader): number | bigint {
  const v = r.varint();
  switch (v % 4) {
    case 0: return v / 4;
    case 2: return BigInt((v - 2) / 4);
    case 1:
      for (let i = 0; i < 8; i++) F64_BYTES[i] = r.byte();
      return F64[0]!;
    default: return BigInt(r.text());
  }
}

/** Reads what FormFinding.write wrote: the finding, of announce `announce` (its message rendered when read). */
export function readForm(r: ByteReader, announce: number | null): FormFinding {
  const form = FORMS[r.varint()]!;
  const n = r.varint();
  const args: (number | bigint)[] = [];
  for (let i = 0; i < n; i++) args.push(readArg(r));
  return form.at(announce, args);
}
