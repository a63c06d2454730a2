/**
 * The findings of every open session, in shared columns instead of one object and one message
 * string per finding. A peer that re-announces every few seconds on a long interval raises a
 * finding on nearly every announce (announce-too-soon, upload-speed), and its session keeps each
 * until it ends: as objects with their text that is about 250 bytes a finding, growing with the
 * input. Here a finding is about 30 bytes in fixed-size blocks chained per session (recycled when
 * it closes, like LogStore). Its message is split into a template (the text with each number
 * replaced by a marker: a few dozen distinct ones, held once while an open finding uses them) and
 * the numbers, packed as 4-bit digits. Findings are materialised only when their session closes.
 */
import { flatText } from './text.js';
import type { Finding, Severity } from './types.js';

/** Findings per block: most sessions have a handful. */
const BLOCK = 4;
/** Bytes of packed numbers kept inline per finding (two characters a byte). */
const PACKED = 16;
/** `numbers` length meaning "in the overflow map". */
const OVERFLOW = 255;
/** Null announce index. */
const NO_ANNOUNCE = 0xffffffff;
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

/** The shared columns: blocks of BLOCK findings, chained per session, recycled through a free list. */
export class FindingStore {
  private blocks = 0;
  private capBlocks = 64;
  /** Code and severity as indices into `names`. */
  private code = new Uint16Array(this.capBlocks * BLOCK);
  private severity = new Uint16Array(this.capBlocks * BLOCK);
  /** Index of the announce in its session, NO_ANNOUNCE for null. */
  private announce = new Uint32Array(this.capBlocks * BLOCK);
  /** The message: its template's id, and its numbers (length in characters, then PACKED bytes). */
  private template = new Int32Array(this.capBlocks * BLOCK);
  private numbersLength = new Uint8Array(this.capBlocks * BLOCK);
  private packed = new Uint8Array(this.capBlocks * BLOCK * PACKED);
  private next = new Int32Array(this.capBlocks);
  private free = -1;
  /** Numbers longer than PACKED * 2 characters, by slot (rare). */
  private readonly overflow = new Map<number, string>();
  /** Codes and severities seen (a few dozen strings), by index, and their indices. */
  private readonly names: string[] = [];
  private readonly nameIds = new Map<string, number>();
  private readonly templates = new MessageTable();
  /** Per code index: its latest templates (flat; none of them holds MARK of its own). */
  private readonly recent: string[][] = [];

  private nameId(s: string): number {
    let id = this.nameIds.get(s);
    if (id === undefined) {
      // codes and severities are literals of the detectors: a few dozen, far below the columns' 65536
      id = this.names.length;
      this.names.push(s);
      this.nameIds.set(s, id);
    }
    return id;
  }

  private alloc(): number {
    let b = this.free;
    if (b >= 0) this.free = this.next[b]!;
    else {
      if (this.blocks === this.capBlocks) this.grow();
      b = this.blocks++;
    }
    this.next[b] = -1;
    return b;
  }

  private grow(): void {
    this.capBlocks *= 2;
    const n = this.capBlocks * BLOCK;
    const code = new Uint16Array(n); code.set(this.code); this.code = code;
    const severity = new Uint16Array(n); severity.set(this.severity); this.severity = severity;
    const announce = new Uint32Array(n); announce.set(this.announce); this.announce = announce;
    const template = new Int32Array(n); template.set(this.template); this.template = template;
    const length = new Uint8Array(n); length.set(this.numbersLength); this.numbersLength = length;
    const packed = new Uint8Array(n * PACKED); packed.set(this.packed); this.packed = packed;
    const next = new Int32Array(this.capBlocks); next.set(this.next); this.next = next;
  }

  /**
   * Appends `f`, as the finding of announce `announce`, to a chain whose tail block is `tail` (-1
   * when empty) and which holds `count` findings; returns the chain's tail block afterwards.
   */
  push(tail: number, count: number, f: Finding, announce: number | null): number {
    const pos = count % BLOCK;
    let b = tail;
    if (pos === 0) {
      b = this.alloc();
      if (tail >= 0) this.next[tail] = b;
    }
    const slot = b * BLOCK + pos;
    this.code[slot] = this.nameId(f.code);
    this.severity[slot] = this.nameId(f.severity);
    this.announce[slot] = announce ?? NO_ANNOUNCE;
    const m = f.message;
    // a detector writes a handful of templates: try its recent ones before building one (no allocation)
    const recent = (this.recent[this.code[slot]!] ??= []);
    let k = 0;
    while (k < recent.length && !fits(recent[k]!, m)) k++;
    if (k < recent.length) {
      this.template[slot] = this.templates.add(recent[k]!);
      this.pack(slot, m, false);
    } else {
      const template = this.pack(slot, m, true)!;
      const id = (this.template[slot] = this.templates.add(template));
      if (!m.includes(MARK)) {
        if (recent.length === RECENT) recent.pop();
        recent.unshift(this.templates.text(id));
      }
    }
    return b;
  }

  /**
   * Writes the numbers of message `m` (as splitMessage cuts them) packed at `slot`; returns its
   * template when `build`, else null. Packs as it scans, with no intermediate string: this runs
   * for most announces.
   */
  private pack(slot: number, m: string, build: boolean): string | null {
    if (build && m.includes(MARK)) {
      this.numbersLength[slot] = 0;
      return m;
    }
    let template = '';
    let from = 0;
    let k = 0; // characters packed
    const at = slot * PACKED;
    const n = m.length;
    for (let i = 0; i < n; ) {
      if (!isDigit(m.charCodeAt(i))) {
        i++;
        continue;
      }
      if (k > 0) k = this.nibble(at, k, 12);
      if (build) template += m.slice(from, i) + MARK;
      const j = runEnd(m, i);
      for (; i < j; i++) {
        const c = m.charCodeAt(i);
        k = this.nibble(at, k, c === 46 ? 10 : c === 44 ? 11 : c - 48);
      }
      from = j;
    }
    if (k > PACKED * 2) {
      this.numbersLength[slot] = OVERFLOW;
      this.overflow.set(slot, splitMessage(m).numbers);
    } else this.numbersLength[slot] = k;
    return build ? template + m.slice(from) : null;
  }

  /** Packs 4-bit `v` as character `k` of the numbers at byte `at` (past PACKED bytes it only counts). */
  private nibble(at: number, k: number, v: number): number {
    if (k < PACKED * 2) {
      const i = at + (k >> 1);
      this.packed[i] = k & 1 ? this.packed[i]! | (v << 4) : v;
    }
    return k + 1;
  }

  private numbersAt(slot: number): string {
    const n = this.numbersLength[slot]!;
    if (n === OVERFLOW) {
      const s = this.overflow.get(slot)!;
      this.overflow.delete(slot);
      return s;
    }
    let s = '';
    const at = slot * PACKED;
    for (let i = 0; i < n; i++) s += NIBBLE[(this.packed[at + (i >> 1)]! >> ((i & 1) << 2)) & 15]!;
    return s;
  }

  /** The `count` findings of the chain starting at `head`, in order; gives their blocks back. */
  take(head: number, count: number): Finding[] {
    const out: Finding[] = [];
    let b = head;
    for (let i = 0; i < count; i++) {
      if (i > 0 && i % BLOCK === 0) {
        const after = this.next[b]!;
        this.release(b);
        b = after;
      }
      const slot = b * BLOCK + (i % BLOCK);
      const announce = this.announce[slot]!;
      const numbers = this.numbersAt(slot);
      out.push({
        code: this.names[this.code[slot]!]!,
        severity: this.names[this.severity[slot]!]! as Severity,
        announce: announce === NO_ANNOUNCE ? null : announce,
        message: joinMessage(this.templates.take(this.template[slot]!), numbers),
      });
    }
    if (count > 0) this.release(b);
    return out;
  }

  private release(b: number): void {
    this.next[b] = this.free;
    this.free = b;
  }

  /** Distinct templates held by open findings (for tests). */
  get heldTemplates(): number {
    return this.templates.size;
  }
}
