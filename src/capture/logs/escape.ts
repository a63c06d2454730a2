/**
 * Undoing each logger's escapes so targets come back as the bytes the client sent (latin1 text,
 * one char per byte). Each escape is unambiguous because every logger also escapes its own
 * escape character.
 */

/**
 * nginx `escape=default` (ngx_http_log_escape): `"`, `\`, bytes < 0x20 and >= 0x7f become
 * `\xXX`. `\` itself is always escaped, so every `\x` found is an escape.
 */
export function unescapeNginx(s: string): string {
  if (!s.includes('\\x')) return s;
  return s.replace(/\\x([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

const APACHE_SIMPLE: Readonly<Record<string, string>> = {
  '\\': '\\', '"': '"', b: '\b', n: '\n', r: '\r', t: '\t', v: '\v',
};

/**
 * Apache ap_escape_logitem: `"` and `\` as `\"` `\\`, \b \n \r \t \v, other non-printables
 * (and bytes >= 0x80) as `\xhh`.
 */
export function unescapeApache(s: string): string {
  if (!s.includes('\\')) return s;
  return s.replace(/\\(x[0-9A-Fa-f]{2}|[\\"bnrtv])/g, (_, e: string) =>
    e.length === 3 ? String.fromCharCode(parseInt(e.slice(1), 16)) : APACHE_SIMPLE[e]!,
  );
}

/** HAProxy's log encoding of the request line: bytes < 0x20, >= 0x7f, `"` and `#` as `#XX`. */
export function unescapeHaproxy(s: string): string {
  if (!s.includes('#')) return s;
  return s.replace(/#([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

/**
 * A JS string from JSON.parse over latin1 text back to bytes-as-latin1: chars <= 0xFF are
 * already bytes (raw UTF-8 in the log stays as its bytes); a `\uXXXX` escape above 0xFF
 * (Go writes U+2028, U+FFFD for invalid UTF-8) becomes its UTF-8 bytes.
 */
export function toLatin1Bytes(s: string): string {
  if (!/[^\x00-\xff]/.test(s)) return s;
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp <= 0xff) out += ch;
    else out += Buffer.from(ch, 'utf8').toString('latin1');
  }
  return out;
}

/** nginx `escape=json` value (inside its quotes): JSON string escapes, then bytes. */
export function unescapeJsonValue(s: string): string {
  if (!s.includes('\\')) return s;
  try {
    return toLatin1Bytes(JSON.parse('"' + s + '"') as string);
  } catch {
    return s;
  }
}
