/** Byte helpers shared by the announce decoders. */

/** Latin1 text of bytes (one char per byte). Loops instead of spreading: values can be large. */
export function latin1(bytes: Uint8Array): string {
  // fromCharCode over chunks: one flat string instead of a rope of one-char pieces
  if (bytes.length === 20) return text20(bytes);
  if (bytes.length <= CHUNK) return String.fromCharCode.apply(null, bytes as unknown as number[]);
  let s = '';
  for (let i = 0; i < bytes.length; i += CHUNK) s += String.fromCharCode.apply(null, bytes.subarray(i, i + CHUNK) as unknown as number[]);
  return s;
}

const CHUNK = 4096;

/** BigInt(0) to BigInt(1023), made once: a BigInt is a heap object, about 50 ns to make. */
const SMALL_BIGINTS: readonly bigint[] = Array.from({ length: 1024 }, (_, i) => BigInt(i));

/**
 * BigInt(n) for a whole number n >= 0 (exact as a double). Counters are often 0 (a first
 * announce's uploaded and downloaded, a seeder's left): those share one value, which as a
 * primitive is indistinguishable from a fresh one.
 */
export function bigintOf(n: number): bigint {
  return n < 1024 ? SMALL_BIGINTS[n]! : BigInt(n);
}

/**
 * 20 bytes (info_hash, peer_id: map keys on every announce) as text. Spelled out: a call with
 * fixed arguments costs about 60% of fromCharCode.apply over the array.
 */
function text20(b: Uint8Array): string {
  return String.fromCharCode(
    b[0]!, b[1]!, b[2]!, b[3]!, b[4]!, b[5]!, b[6]!, b[7]!, b[8]!, b[9]!,
    b[10]!, b[11]!, b[12]!, b[13]!, b[14]!, b[15]!, b[16]!, b[17]!, b[18]!, b[19]!,
  );
}

/**
 * The value of 1 to 15 plain decimal digits (exact as a double), else -1. The common counter needs
 * no string, no regular expression and no BigInt parse (three of each per announce otherwise).
 */
export function smallDigits(b: Uint8Array): number {
  const n = b.length;
  if (n === 0 || n > 15) return -1;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const d = b[i]! - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/** Size of the slabs keepBytes copies into. */
const SLAB_BYTES = 64 * 1024;
/** Arrays longer than this get storage of their own (a slab would mostly hold one). */
const MAX_SLAB_COPY = 4096;
let slab = new ArrayBuffer(0);
let slabBytes = new Uint8Array(slab);
let slabPos = 0;

/**
 * A copy of `src[start, end)` as a plain Uint8Array (also when `src` is a Buffer), for bytes a
 * record keeps (a reply's compact peers). A typed array over 64 bytes gets an off-heap store of
 * its own, whose making and collecting cost about ten times the copy; so copies are views into
 * shared 64 KiB slabs instead, as the worker's batch reader does. A slab lives while any of its
 * views does: fine for records that are replayed and let go, as these are.
 */
export function keepBytes(src: Uint8Array, start: number, end: number): Uint8Array {
  const n = end - start;
  if (n > MAX_SLAB_COPY) return new Uint8Array(src.subarray(start, end));
  if (slabPos + n > slabBytes.length) {
    slab = new ArrayBuffer(SLAB_BYTES);
    slabBytes = new Uint8Array(slab);
    slabPos = 0;
  }
  slabBytes.set(new Uint8Array(src.buffer, src.byteOffset + start, n), slabPos);
  const out = new Uint8Array(slab, slabPos, n);
  slabPos += n;
  return out;
}
