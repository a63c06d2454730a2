/**
 * Terminal safety for anything that came from the wire (peer_id, URLs, user agents, failure texts).
 * Control bytes (C0, DEL, C1) and backslashes become visible escapes, so an attacker-chosen
 * peer_id cannot move the cursor, change colours or rewrite the user's terminal title.
 */

/** Returns `text` with every control character shown as \xNN (and `\` as `\\`). Printable non-ASCII stays. */
export function sanitize(text: string): string {
  if (isPlain(text)) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c) out += '\\\\';
    else if (c < 0x20 || c === 0x7f || (c >= 0x80 && c < 0xa0)) out += '\\x' + c.toString(16).padStart(2, '0');
    else if (c >= 0xd800 && c <= 0xdfff) {
      // lone surrogates cannot be printed; pairs are fine
      const next = text.charCodeAt(i + 1);
      if (c < 0xdc00 && next >= 0xdc00 && next <= 0xdfff) { out += text[i] + text[i + 1]; i++; }
      else out += '\\u' + c.toString(16);
    } else if (c === 0x2028 || c === 0x2029 || c === 0x200e || c === 0x200f || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) {
      // line separators and bidi overrides can disguise what a line says
      out += '\\u' + c.toString(16);
    } else out += text[i];
  }
  return out;
}

/** Latin1 text (one char per wire byte): bytes >= 0x80 are shown as \xNN too, since they are not characters. */
export function sanitizeLatin1(text: string): string {
  let out = '';
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c >= 0x7f || c === 0x5c) {
      out += text.slice(start, i) + (c === 0x5c ? '\\\\' : '\\x' + c.toString(16).padStart(2, '0'));
      start = i + 1;
    }
  }
  return start === 0 ? text : out + text.slice(start);
}

/** Whether `text` is printable ASCII without `\` (almost every value): nothing to escape. A char loop, cheaper than a regular expression test on short texts. */
function isPlain(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x5c) return false;
  }
  return true;
}
