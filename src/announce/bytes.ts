/** Byte helpers shared by the announce decoders. */

/** Latin1 text of bytes (one char per byte). Loops instead of spreading: values can be large. */
export function latin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}
