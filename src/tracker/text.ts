/** Strings the replay keeps past a step, given storage of their own. */

/** A string with its own storage (not a slice of a larger one, which would keep that one alive). */
export function copyText(s: string): string {
  return s.length < 13 ? s : Buffer.from(s, 'latin1').toString('latin1');
}

/**
 * A string with its own flat storage, whatever its characters: a message built by concatenation is
 * a rope of several heap objects, and one sliced from a larger string keeps that one alive.
 */
export function flatText(s: string): string {
  // latin1 text stays one byte a char; anything else goes through UTF-16 code units (exact, lone surrogates too)
  return /^[\x00-\xff]*$/.test(s) ? Buffer.from(s, 'latin1').toString('latin1') : Buffer.from(s, 'utf16le').toString('utf16le');
}
