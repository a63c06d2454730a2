/**
 * The bytes of one record (pcap) or block (pcapng) that straddle two input chunks. Readers hand
 * out views into their chunk for whole records; only a record cut by a chunk boundary is copied
 * here, and only that record, so reading stays linear however the input is chunked.
 */
export class Carry {
  bytes = new Uint8Array(256);
  view = new DataView(this.bytes.buffer);
  /** Bytes held. */
  len = 0;
  /** Input offset of bytes[0]. */
  start = 0;

  /**
   * Hands the held record over and starts a fresh buffer, so a packet view into it stays valid
   * while the next straddling record is collected (the run queues a chunk's packets before feeding).
   */
  detach(): { bytes: Uint8Array; view: DataView } {
    const out = { bytes: this.bytes, view: this.view };
    this.bytes = new Uint8Array(Math.max(256, this.len));
    this.view = new DataView(this.bytes.buffer);
    this.len = 0;
    return out;
  }

  /** Copies from `chunk[pos..]` until `want` bytes are held; returns the new position in `chunk`. */
  take(chunk: Uint8Array, pos: number, want: number): number {
    const k = Math.min(want - this.len, chunk.length - pos);
    if (k <= 0) return pos;
    const need = this.len + k;
    if (need > this.bytes.length) {
      const grown = new Uint8Array(Math.max(need, this.bytes.length * 2));
      grown.set(this.bytes.subarray(0, this.len));
      this.bytes = grown;
      this.view = new DataView(grown.buffer);
    }
    this.bytes.set(chunk.subarray(pos, pos + k), this.len);
    this.len = need;
    return pos + k;
  }
}
