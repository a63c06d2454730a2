/**
 * The announce parameters: one table of what each means and how to show its value.
 *
 * Follows BEP 3 (info_hash ... event), BEP 7 (ipv4, ipv6, key), BEP 23 (compact), BEP 8 (supportcrypto,
 * requirecrypto, cryptoport), and the de-facto extras: numwant spellings TBSource accepts, Azureus'
 * no_peer_id, trackerid, corrupt/redundant (libtorrent, µTorrent), localip, and private trackers'
 * passkey / torrent_pass. Meanings are written for the report, in the spirit of TBSource's anatomy page.
 */
import { latin1, smallDigits } from './bytes.js';
import { escapeBytes, describePeerId, toHex } from './peer-id.js';
import type { QueryParam } from './types.js';
import { humanBytes, humanBytesOfNumber } from '../format/units.js';

/** How a parameter's value is read. `counter` is an unsigned 64-bit byte count. */
export type ParamType = 'bytes20' | 'uint16' | 'counter' | 'event' | 'int' | 'flag' | 'text' | 'ip';

/** One row of PARAMS. */
export interface ParamInfo {
  /** Canonical name. */
  readonly name: string;
  /** Other spellings that mean the same parameter. */
  readonly aliases: readonly string[];
  readonly type: ParamType;
  /** Unit of a number ('bytes', 'peers', 'port'), or null. */
  readonly unit: string | null;
  /** One plain sentence for the report. */
  readonly meaning: string;
}

/** Every announce parameter we know. Unknown parameters are still kept in Announce.params. */
export const PARAMS: readonly ParamInfo[] = [
  { name: 'info_hash', aliases: [], type: 'bytes20', unit: null, meaning: 'SHA-1 of the torrent\'s info dictionary: which torrent this announce is about' },
  { name: 'peer_id', aliases: [], type: 'bytes20', unit: null, meaning: 'the id this client picked for the session; its prefix usually names the client and version' },
  { name: 'port', aliases: [], type: 'uint16', unit: 'port', meaning: 'the port this client listens on for incoming peer connections' },
  { name: 'uploaded', aliases: [], type: 'counter', unit: 'bytes', meaning: 'bytes this client says it has sent to peers since its `started`' },
  { name: 'downloaded', aliases: [], type: 'counter', unit: 'bytes', meaning: 'bytes this client says it has received from peers since its `started`' },
  { name: 'left', aliases: [], type: 'counter', unit: 'bytes', meaning: 'bytes this client still needs to have the whole torrent; 0 means it is a seeder' },
  { name: 'event', aliases: [], type: 'event', unit: null, meaning: 'started, completed, stopped (or BEP 21 paused); absent for a periodic announce' },
  { name: 'numwant', aliases: ['num want', 'num_want'], type: 'int', unit: 'peers', meaning: 'how many peers the client wants in the reply (TBSource defaults to 50)' },
  { name: 'compact', aliases: [], type: 'flag', unit: null, meaning: '1 asks for peers as 6 bytes each (BEP 23) instead of a list of dictionaries' },
  { name: 'no_peer_id', aliases: [], type: 'flag', unit: null, meaning: '1 asks the tracker to leave peer ids out of a non-compact peer list' },
  { name: 'key', aliases: [], type: 'text', unit: null, meaning: 'a secret that stays the same for the session, so the tracker can recognise the client if its IP changes' },
  { name: 'trackerid', aliases: [], type: 'text', unit: null, meaning: 'the tracker id a previous reply gave, echoed back' },
  { name: 'corrupt', aliases: [], type: 'counter', unit: 'bytes', meaning: 'bytes downloaded that failed the hash check and were thrown away' },
  { name: 'redundant', aliases: [], type: 'counter', unit: 'bytes', meaning: 'bytes downloaded twice (the same block from two peers)' },
  { name: 'supportcrypto', aliases: [], type: 'flag', unit: null, meaning: '1 when the client can use protocol encryption (BEP 8 / MSE)' },
  { name: 'requirecrypto', aliases: [], type: 'flag', unit: null, meaning: '1 when the client only accepts encrypted peer connections' },
  { name: 'cryptoport', aliases: [], type: 'uint16', unit: 'port', meaning: 'the port for encrypted connections when it differs from `port`' },
  { name: 'ip', aliases: [], type: 'ip', unit: null, meaning: 'the address the client asks to be listed under; TBSource ignores it and uses the connection\'s' },
  { name: 'ipv4', aliases: [], type: 'ip', unit: null, meaning: 'the client\'s IPv4 address, for a dual-stack client (BEP 7)' },
  { name: 'ipv6', aliases: [], type: 'ip', unit: null, meaning: 'the client\'s IPv6 address, for a dual-stack client (BEP 7)' },
  { name: 'localip', aliases: [], type: 'ip', unit: null, meaning: 'the client\'s LAN address, for peers behind the same NAT' },
  { name: 'passkey', aliases: ['torrent_pass'], type: 'text', unit: null, meaning: 'the user\'s private key on the tracker: it names whose account is credited' },
];

const BY_NAME = new Map<string, ParamInfo>();
for (const p of PARAMS) for (const n of [p.name, ...p.aliases]) BY_NAME.set(n, p);

/** The PARAMS row for a name or alias, or undefined for an unknown parameter. */
export function findParam(name: string): ParamInfo | undefined {
  return BY_NAME.get(name);
}

function ascii(b: Uint8Array): string {
  return latin1(b);
}

/** Byte count with a binary-unit hint, as every report writes it: "753690875 bytes (718.8 MiB)". */
export function describeBytes(n: bigint): string {
  return n < 1024n ? `${n} bytes` : `${n} bytes (${humanBytes(n)})`;
}

/**
 * The value of one parameter as report text, decoded by its type: hex for info_hash, safe text and
 * client for peer_id, byte counts with units, flags as yes/no. Unknown parameters show safe text.
 * Never contains control bytes.
 */
export function describeParamValue(p: QueryParam): string {
  return describeValueAs(p, findParam(p.name));
}

/** describeParamValue for a caller that looked up `info` (findParam(p.name)) already. */
export function describeValueAs(p: QueryParam, info: ParamInfo | undefined): string {
  const b = p.bytes;
  switch (info?.type) {
    case 'bytes20': {
      if (info.name === 'peer_id') {
        const d = describePeerId(b);
        const who = d.client === null ? '' : ` (${d.client})`;
        return b.length === 20 ? `${d.text}${who}` : `${d.text} (${b.length} bytes, not 20)`;
      }
      return b.length === 20 ? toHex(b) : `${toHex(b)} (${b.length} bytes, not 20)`;
    }
    case 'counter': {
      // the common counter (up to 15 digits) needs no regular expression and no BigInt
      const n = smallDigits(b);
      if (n >= 0) return n < 1024 ? `${n} bytes` : `${n} bytes (${humanBytesOfNumber(n)})`;
      return /^[0-9]+$/.test(ascii(b)) ? describeBytes(BigInt(ascii(b))) : `${escapeBytes(b)} (not a number)`;
    }
    case 'uint16': {
      // 1 to 5 digits, at most 65535
      const n = b.length <= 5 ? smallDigits(b) : -1;
      return n >= 0 && n <= 65535 ? String(n) : `${escapeBytes(b)} (not a port)`;
    }
    case 'flag': {
      const safe = escapeBytes(b);
      return safe === '1' ? '1 (yes)' : safe === '0' ? '0 (no)' : safe;
    }
    case 'event': {
      const safe = escapeBytes(b);
      return safe === '' ? '(empty: a periodic announce)' : safe;
    }
    case 'int': {
      const n = smallDigits(b);
      if (n >= 0) return `${n} ${info.unit ?? ''}`.trim();
      return /^[0-9]+$/.test(ascii(b)) ? `${BigInt(ascii(b))} ${info.unit ?? ''}`.trim() : `${escapeBytes(b)} (not a number)`;
    }
    default:
      return escapeBytes(b);
  }
}
