/**
 * Node's own string coders behind `buf.write(s, at, length, encoding)` and `buf.toString(encoding,
 * start, end)`, called directly: on the hot paths (query decoding, worker batches, the JSON
 * writer) the public methods' argument checks and encoding lookup cost more than the copy itself.
 * Undocumented, but on Buffer.prototype in every Node release the project supports; one
 * declaration here so that every caller relies on the same, checked-once, set of names.
 */
export interface BufferCoders extends Buffer {
  latin1Write(s: string, offset: number, length?: number): number;
  utf8Write(s: string, offset: number, length?: number): number;
  ucs2Write(s: string, offset: number, length?: number): number;
  latin1Slice(start: number, end: number): string;
  ucs2Slice(start: number, end: number): string;
}
