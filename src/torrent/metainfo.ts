/**
 * .torrent files (BEP 3 metainfo): the info_hash, the total size and the name, which the replay
 * uses for over-download and the report for the torrent's name.
 */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { decodeBencode, dictGet, type BValue } from '../announce/bencode.js';
import { InputError } from '../errors.js';

export interface TorrentInfo {
  /** Lowercase hex SHA-1 of the bencoded info dictionary. */
  readonly infoHash: string;
  readonly name: string | null;
  /** Sum of the file lengths (bytes). */
  readonly size: bigint;
}

/** Re-encodes a decoded value. The decoder keeps keys in file order, so a canonical file re-encodes byte for byte. */
function encode(v: BValue, out: Buffer[]): void {
  switch (v.kind) {
    case 'int': out.push(Buffer.from(`i${v.value}e`)); break;
    case 'bytes': out.push(Buffer.from(`${v.value.length}:`), Buffer.from(v.value)); break;
    case 'list': out.push(Buffer.from('l')); for (const x of v.items) encode(x, out); out.push(Buffer.from('e')); break;
    case 'dict':
      out.push(Buffer.from('d'));
      for (const [k, x] of v.entries) { const kb = Buffer.from(k, 'latin1'); out.push(Buffer.from(`${kb.length}:`), kb); encode(x, out); }
      out.push(Buffer.from('e'));
      break;
  }
}

/** Reads a .torrent file; unusable files raise InputError naming the file. */
export function readTorrent(path: string): TorrentInfo {
  let bytes: Buffer;
  try { bytes = readFileSync(path); } catch (e) {
    throw new InputError('torrent.unreadable', `cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, path);
  }
  const { value, problems } = decodeBencode(bytes);
  const info = dictGet(value, 'info');
  if (!info || info.kind !== 'dict') {
    throw new InputError('torrent.invalid', `not a .torrent file (no info dictionary${problems.length ? '; ' + problems[0] : ''})`, path, 'byte 0');
  }
  const parts: Buffer[] = [];
  encode(info, parts);
  const infoHash = createHash('sha1').update(Buffer.concat(parts)).digest('hex');
  const nameV = dictGet(info, 'name');
  const name = nameV && nameV.kind === 'bytes' ? Buffer.from(nameV.value).toString('utf8') : null;
  let size = 0n;
  const length = dictGet(info, 'length');
  if (length && length.kind === 'int') size = length.value;
  const files = dictGet(info, 'files');
  if (files && files.kind === 'list') {
    for (const f of files.items) {
      const l = dictGet(f, 'length');
      if (l && l.kind === 'int') size += l.value;
    }
  }
  return { infoHash, name, size };
}
