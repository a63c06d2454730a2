/** Byte helpers shared by the announce decoders. */

/** Latin1 text of bytes (one char per byte). Loops instead of spreading: values can be large. */
export function latin1(bytes: Uint8Array): string {
  // fromCharCode over chunks: one flat string instead of a rope of one-char pieces
  if (bytes.length <= CHUNK) return String.fromCharCode.apply(null, bytes as unknown as number[]);
  let s = '';
  for (let i = 0; i < bytes.length; i += CHUNK) s += String.fromCharCode.apply(null, bytes.subarray(i, i + CHUNK) as unknown as number[]);
  return s;
}

const CHUNK = 4096;
