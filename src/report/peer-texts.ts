/**
 * A peer_id's JSON texts, made once per distinct peer_id (a session repeats it in every announce)
 * and kept in one arena of bytes found through a table of offsets: finding a peer_id costs a hash
 * and a compare of its bytes, and the cache holds no object per peer (nothing for the garbage
 * collector to trace, no object headers: about 170 bytes a peer).
 */
import { describePeerId, escapeBytes } from '../announce/peer-id.js';

/** Slots of the table (a power of two); a peer_id may sit in either of a pair of slots. */
const SLOTS = 1 << 16;
/** Bytes of the arena (about 24k peers); when it is full the cache starts again empty. */
const ARENA = 4 << 20;
/** Longer peer_ids (not from a BitTorrent client) have their texts made each time. */
const MAX_ID = 64;
/** An entry: id length (1 byte), json length (2), param length (2), then the three texts. */
const HEAD = 5;

const encoder = new TextEncoder();

export class PeerTexts {
  /** Each slot's entry as its arena offset + 1; 0 for an empty slot. */
  private readonly table = new Int32Array(SLOTS);
  private readonly arena = new Uint8Array(ARENA + 4);
  /** The arena (3 bytes to spare past any text, for copies a word at a time). */
  readonly view = new DataView(this.arena.buffer);
  private used = 0;
  /** Where `find` left the peer's `,"peerId":{…},"port":` text, and its length. */
  jsonAt = 0;
  jsonLength = 0;
  /** Where `find` left the peer's `params` value (JSON of escapeBytes(id)), and its length. */
  paramAt = 0;
  paramLength = 0;

  /**
   * Finds (or makes) the texts of `id` (see jsonAt and paramAt), and says whether it did: a
   * peer_id longer than any client's is left to peerIdTexts.
   */
  find(id: Uint8Array): boolean {
    const n = id.length;
    if (n > MAX_ID) return false;
    let h = 0x811c9dc5;
    for (let i = 0; i < n; i++) h = Math.imul(h ^ id[i]!, 0x01000193);
    const first = (h ^ (h >>> 15)) & (SLOTS - 2);
    const t = this.table;
    let e = t[first]! - 1;
    if (e < 0 || !this.holds(e, id)) {
      e = t[first + 1]! - 1;
      if (e < 0 || !this.holds(e, id)) e = this.add(id, first);
    }
    this.at(e);
    return true;
  }

  private holds(e: number, id: Uint8Array): boolean {
    const a = this.arena;
    const n = id.length;
    if (a[e] !== n) return false;
    for (let i = 0, p = e + HEAD; i < n; i++, p++) if (a[p] !== id[i]) return false;
    return true;
  }

  private at(e: number): void {
    const a = this.arena;
    const idLength = a[e]!;
    this.jsonLength = a[e + 1]! | (a[e + 2]! << 8);
    this.paramLength = a[e + 3]! | (a[e + 4]! << 8);
    this.jsonAt = e + HEAD + idLength;
    this.paramAt = this.jsonAt + this.jsonLength;
  }

  /** Makes the entry of `id` and puts it in the slot pair from `first` (the newest in the first slot). */
  private add(id: Uint8Array, first: number): number {
    const texts = peerIdTexts(id);
    const json = encoder.encode(texts.json);
    const param = encoder.encode(texts.param);
    const idLength = id.length;
    const size = HEAD + idLength + json.length + param.length;
    if (this.used + size > ARENA) {
      this.table.fill(0);
      this.used = 0;
    }
    const e = this.used;
    const a = this.arena;
    a[e] = idLength;
    a[e + 1] = json.length & 0xff;
    a[e + 2] = json.length >> 8;
    a[e + 3] = param.length & 0xff;
    a[e + 4] = param.length >> 8;
    a.set(id.subarray(0, idLength), e + HEAD);
    a.set(json, e + HEAD + idLength);
    a.set(param, e + HEAD + idLength + json.length);
    this.used += size;
    this.table[first + 1] = this.table[first]!;
    this.table[first] = e + 1;
    return e;
  }
}

/** A peer_id's texts: `,"peerId":{…},"port":` and its `params` value (JSON of escapeBytes(id)). */
export function peerIdTexts(id: Uint8Array): { json: string; param: string } {
  const d = describePeerId(id);
  return {
    json: `,"peerId":{"hex":"${d.hex}","text":${JSON.stringify(d.text)},"client":${d.client === null ? 'null' : JSON.stringify(d.client)}},"port":`,
    param: JSON.stringify(escapeBytes(id)),
  };
}
