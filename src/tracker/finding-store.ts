/**
 * The findings of every open session, encoded into its log's bytes instead of one object and one
 * message string per finding. A peer that re-announces every few seconds on a long interval raises
 * a finding on nearly every announce (announce-too-soon, upload-speed), and its session keeps each
 * until it ends: as objects with their text that is about 250 bytes a finding, growing with the
 * input. Here a finding is a few bytes in the session's log (session-log.ts, which moves them to a
 * temp file). Its message is split into a template (the text with each number replaced by a
 * marker: a few dozen distinct ones, held once while an unread finding uses them) and the
 * numbers, packed as 4-bit digits. Findings are materialised only when their session closes.
 * A finding made from a form (finding-form.ts: the most frequent ones) is written as the form's id
 * and its numbers instead, with no text to cut.
 */
import type { ByteReader, ByteWriter } from './bytes.js';
import { FormFinding, readForm } from './finding-form.js';
import { flatText } from './text.js';
import type { Finding, Severity } from './types.js';

/** Stands for one number in a template; a message that holds it is kept whole. */
const MARK = '\u0001';
/** The characters of packed numbers, by 4-bit code: a number's digits and separators, and `;` between numbers. */
const NIBBLE = '0123456789.,;';
/** Templates remembered per code for the no-allocation path. */
const RECENT = 4;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** End of the number starting at digit `i` of `m`: digits with inner `.` or `,`. */
function runEnd(m: string, i: number): number {
  let j = i + 1;
  for (;;) {
    while (isDigit(m.charCodeAt(j))) j++;
    const c = m.charCodeAt(j);
    if ((c === 46 || c === 44) && isDigit(m.charCodeAt(j + 1))) j += 2;
    else return j;
  }
}

/** True when splitMessage(m).template is `t` (a template without MARK of its own), checked without building it. */
function fits(t: string, m: string): boolean {
  let j = 0;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c === 1) {
      if (!isDigit(m.charCodeAt(j))) return false;
      j = runEnd(m, j);
    } else if (m.charCodeAt(j++) !== c) return false;
  }
  return j === m.length;
}

/**
 * Splits a message into its template and its numbers (digit runs with inner `.` or `,`, as
 * fmtBytes and fmtSeconds write them) joined by `;`. Lossless: joinMessage gives the message back.
 * A message that already holds MARK is its own template with no numbers.
 */
export function splitMessage(m: string): { template: string; numbers: string } {
  if (m.includes(MARK)) return { template: m, numbers: '' };
  let template = '';
  let numbers = '';
  let from = 0;
  let count = 0;
  const n = m.length;
  for (let i = 0; i < n; ) {
    if (!isDigit(m.charCodeAt(i))) {
      i++;
      continue;
    }
    const j = runEnd(m, i);
    template += m.slice(from, i) + MARK;
    numbers += (count++ > 0 ? ';' : '') + m.slice(i, j);
    from = i = j;
  }
  return { template: template + m.slice(from), numbers };
}

/** The message of a template and its numbers (the inverse of splitMessage). */
export function joinMessage(template: string, numbers: string): string {
  if (numbers === '') return template;
  let out = '';
  let from = 0;
  let at = 0;
  for (let i = template.indexOf(MARK); i >= 0; i = template.indexOf(MARK, from)) {
    let end = numbers.indexOf(';', at);
    if (end < 0) end = numbers.length;
    out += template.slice(from, i) + numbers.slice(at, end);
    from = i + 1;
    at = end + 1;
  }
  return out + template.slice(from);
}

/**
 * Each distinct template once, with a count of the open findings that use it: a text is dropped
 * when its last finding is materialised, so the table follows the open sessions, not the input.
 */
class MessageTable {
  private readonly ids = new Map<string, number>();
  private readonly texts: (string | undefined)[] = [];
  private readonly refs: number[] = [];
  private readonly free: number[] = [];

  /** The id of `s`, counting one more use. */
  add(s: string): number {
    let id = this.ids.get(s);
    if (id === undefined) {
      // a message built by concatenation is a rope of several heap objects: keep one flat copy
      const text = flatText(s);
      id = this.free.pop() ?? this.texts.length;
      this.texts[id] = text;
      this.refs[id] = 0;
      this.ids.set(text, id);
    }
    this.refs[id]!++;
    return id;
  }

  /** The text of `id` (flat). */
  text(id: number): string {
    return this.texts[id]!;
  }

  /** The text of `id`, counting one use less. */
  take(id: number): string {
    const text = this.texts[id]!;
    if (--this.refs[id]! === 0) {
      this.ids.delete(text);
      this.texts[id] = undefined;
      this.free.push(id);
    }
    return text;
  }

  /** Distinct texts held (for tests). */
  get size(): number {
    return this.ids.size;
  }
}

/**
 * Encodes findings into a session's log bytes and back. A finding costs a few bytes: its code and
 * severity as indices into a few dozen names, its message as a template id and the numbers packed
 * as 4-bit digits.
 */
export class FindingStore {
  /** Codes and severities seen (a few dozen strings), by index, and their indices. */
  private readonly names: string[] = [];
  private readonly nameIds = new Map<string, number>();
  private readonly templates = new MessageTable();
  /** Per code index: its latest templates (flat; none of them holds MARK of its own). */
  private readonly recent: string[][] = [];
  /** The packed numbers of the finding being written (grown as needed). */
  private nibbles = new Uint8Array(64);

  private nameId(s: string): number {
    let id = this.nameIds.get(s);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(s);
      this.nameIds.set(s, id);
    }
    return id;
  }

  /**
   * Writes `f` (its announce index is not written: the log gives it back as the index of the record
   * it belongs to); its template is held until it is read back with `take`.
   */
  write(w: ByteWriter, f: Finding): void {
    if (f instanceof FormFinding) {
      w.varint(1);
      FormFinding.write(w, f);
      return;
    }
    const code = this.nameId(f.code);
    // even: a code's index; 1: a form follows
    w.varint(code * 2);
    w.varint(this.nameId(f.severity));
    const m = f.message;
    // a detector writes a handful of templates: try its recent ones before building one (no allocation)
    const recent = (this.recent[code] ??= []);
    let k = 0;
    while (k < recent.length && !fits(recent[k]!, m)) k++;
    let count: number;
    if (k < recent.length) {
      w.varint(this.templates.add(recent[k]!));
      count = this.pack(m, null);
    } else if (m.includes(MARK)) {
      w.varint(this.templates.add(m));
      count = 0;
    } else {
      const built = { template: '' };
      count = this.pack(m, built);
      const id = this.templates.add(built.template);
      w.varint(id);
      if (recent.length === RECENT) recent.pop();
      recent.unshift(this.templates.text(id));
    }
    w.varint(count);
    for (let i = 0; i < count; i += 2) w.byte(this.nibbles[i >> 1]!);
  }

  /**
   * Packs the numbers of message `m` (as splitMessage cuts them) into `nibbles`; returns how many
   * characters, and sets `build.template` when asked. Packs as it scans, with no intermediate
   * string: this runs for most announces.
   */
  private pack(m: string, build: { template: string } | null): number {
    let template = '';
    let from = 0;
    let k = 0;
    const n = m.length;
    for (let i = 0; i < n; ) {
      if (!isDigit(m.charCodeAt(i))) {
        i++;
        continue;
      }
      if (k > 0) k = this.nibble(k, 12);
      if (build !== null) template += m.slice(from, i) + MARK;
      const j = runEnd(m, i);
      for (; i < j; i++) {
        const c = m.charCodeAt(i);
        k = this.nibble(k, c === 46 ? 10 : c === 44 ? 11 : c - 48);
      }
      from = j;
    }
    if (build !== null) build.template = template + m.slice(from);
    return k;
  }

  /** Packs 4-bit `v` as character `k`; returns k + 1. */
  private nibble(k: number, v: number): number {
    const i = k >> 1;
    if (i >= this.nibbles.length) {
      const next = new Uint8Array(this.nibbles.length * 2);
      next.set(this.nibbles);
      this.nibbles = next;
    }
    this.nibbles[i] = k & 1 ? this.nibbles[i]! | (v << 4) : v;
    return k + 1;
  }

  /** Reads one finding back, as a finding of announce `announce`; `take` gives up its hold on the template (the last read of it). */
  read(r: ByteReader, take: boolean, announce: number | null): Finding {
    const head = r.varint();
    if (head === 1) return readForm(r, announce);
    const code = this.names[head / 2]!;
    const severity = this.names[r.varint()]! as Severity;
    const id = r.varint();
    const count = r.varint();
    let numbers = '';
    for (let i = 0; i < count; i++) {
      const b = i & 1 ? r.bytes[r.pos++]! >> 4 : r.bytes[r.pos]! & 15;
      numbers += NIBBLE[b]!;
    }
    if (count & 1) r.pos++;
    const template = take ? this.templates.take(id) : this.templates.text(id);
    return { code, severity, announce, message: joinMessage(template, numbers) };
  }

  /** Distinct templates held by unread findings (for tests). */
  get heldTemplates(): number {
    return this.templates.size;
  }
}
