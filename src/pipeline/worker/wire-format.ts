/**
 * The byte layer of the worker's record batches: numbers, bigints, strings and byte arrays written
 * into one growable ArrayBuffer (transferred to the other thread, not copied) and read back.
 *
 * Strings: ASCII ones travel as one byte a character, any other as UTF-16 code units (so every JS
 * string, lone surrogates included, comes back the same). Strings that repeat from record to record
 * (addresses, parameter names, user agents, file names) go through a table both sides keep in step:
 * sent once, then by number, and read back as one shared string instead of one copy per record.
 * Byte arrays of a record are gathered in a blob after its fields, each once (an announce's
 * info_hash is also one of its params): the writer notes each array and its place as the fields
 * go, and copies them straight from their own storage into the blob when the record ends. The
 * reader copies the blob once, into a slab shared by the records of a few batches, and hands out
 * views at the same offsets (one view per array: an array mentioned twice comes back as one
 * array, as it went): a record crosses with one copy, and nothing the records keep holds a batch.
 *
 * This file holds the format's shared constants: ByteWriter (byte-writer.ts) writes a batch and
 * ByteReader (byte-reader.ts) reads it back.
 */

/** Header values of a string field that are not a length. */
export const NULL_STR = 0xffffffff;
export const TABLE_NEW = 0xfffffffe;
export const TABLE_NULL = 0xfffffffd;
export const SLICE = 0xfffffffc;
export const TABLE_LONG = 0xfffffffb;
/** Header of a name list sent for the first time (followed by its number, length and names). */
export const LIST_NEW = 0xfffffffe;
/** Header of a byte array the record already holds (followed by its index among the record's arrays). */
export const SAME_ARRAY = 0xfffffffe;
/** Top bit of a byte array's offset: the array is a Buffer. */
export const IS_BUFFER = 0x80000000;
/** Next bit of a byte array's offset: the record mentions the array again (the reader keeps it). */
export const MENTIONED_AGAIN = 0x40000000;
/** The offset itself (a record's blob is far below 2^30 bytes). */
export const OFFSET_BITS = 0x3fffffff;
/** Largest length header (lengths are shifted left by one: the low bit says UTF-16). */
export const MAX_LEN = 0x7ffffffd;

/** Entries the string table holds before both sides start it afresh (bounds both threads' memory). */
export const TABLE_SIZE = 16_384;
/** Call sites `ByteWriter.istrAt` can tell apart (record-codec.ts numbers its fields). */
export const SITES = 16;
