/**
 * peer_id: safe text and client identification.
 *
 * Follows BEP 20 (peer ID conventions): Azureus style `-XXvvvv-`, Shadow style (`S588-----`,
 * version chars 0-9 A-Z a-z . in base 64), Mainline style (`M4-3-6--`), plus aria2's `A2-1-36-0-`.
 * The client name table comes from bittorrent-peerid; its version decoding has known quirks, so the
 * versions of the clients we meet in practice are decoded here (see VERSIONS).
 */
import peerid from 'bittorrent-peerid';
import { latin1 } from './bytes.js';

/** A peer_id ready to print. */
export interface PeerIdDescription {
  /** Lowercase hex of all bytes. */
  readonly hex: string;
  /** Printable ASCII kept, backslash as `\\`, every other byte as `\xNN`: no control bytes remain. */
  readonly text: string;
  /** "Transmission 3.00", "Shad0w 5.8.8", ... or null when unknown or the id is not 20 bytes. */
  readonly client: string | null;
}

/** Lowercase hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  // Buffer's hex is one flat string; a concatenation would be a rope of 2-char pieces, ~15x the
  // memory for the ids an open session keeps
  if (bytes.length >= 8) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex');
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i]!]!;
  return s;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Bytes as printable text: ASCII 0x20-0x7e kept (backslash doubled), others `\xNN`. Injective. */
export function escapeBytes(bytes: Uint8Array): string {
  let plain = true;
  for (let i = 0; i < bytes.length && plain; i++) plain = bytes[i]! >= 0x20 && bytes[i]! <= 0x7e && bytes[i] !== 0x5c;
  if (plain) return latin1(bytes); // nothing to escape: one flat string
  let s = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 0x5c) s += '\\\\';
    else if (b >= 0x20 && b <= 0x7e) s += String.fromCharCode(b);
    else s += '\\x' + b.toString(16).padStart(2, '0');
  }
  return s;
}

/** Base-36 digit value ('0'-'9', 'A'-'Z' or 'a'-'z'), or -1. */
function b36(c: string): number {
  const n = parseInt(c, 36);
  return Number.isNaN(n) ? -1 : n;
}

/** Each of the first `n` chars as a base-36 number joined by dots: `0D8` -> 0.13.8. */
function digits(v: string, n: number): string | null {
  const parts: number[] = [];
  for (const c of v.slice(0, n)) {
    const d = b36(c);
    if (d < 0) return null;
    parts.push(d);
  }
  return parts.join('.');
}

type AzVersion = (v: string) => string | null;

/**
 * Azureus-style clients whose name or version we decode ourselves. `v` is the 4 version chars.
 * bittorrent-peerid gets these wrong: `-TR4060-` "4.06", `-UT355W-` "3.5.5 " (trailing space),
 * `-lt0D80-` no version, `-DE13F0-` "1.3.1-1", `-CD0303-` "03.03".
 */
const AZ: Readonly<Record<string, { name: string; version: AzVersion }>> = {
  // Transmission up to 3.x: -TRXYZs- is X.YZ; from 4.0: -TRXYZs- is X.Y.Z. s: 0 release, Z/X dev, B beta
  TR: {
    name: 'Transmission',
    version: (v) => {
      if (!/^[0-9]{3}[0-9A-Z]$/.test(v)) return null;
      const base = v[0]! >= '4' ? `${v[0]}.${v[1]}.${v[2]}` : `${v[0]}.${v[1]}${v[2]}`;
      const s = v[3]!;
      return s === 'Z' || s === 'X' ? `${base}+` : s === 'B' ? `${base} beta` : base;
    },
  },
  DE: { name: 'Deluge', version: (v) => digits(v, 3) },
  qB: { name: 'qBittorrent', version: (v) => digits(v, 3) },
  // libtorrent (rakshasa) hex digits: the version is libtorrent's (0.13.8 ships with rTorrent 0.9.8)
  lt: { name: 'rTorrent/libtorrent', version: (v) => digits(v, 3) },
  LT: { name: 'libtorrent (Rasterbar)', version: (v) => digits(v, 3) },
  UT: { name: 'µTorrent', version: (v) => digits(v, 3) },
  UM: { name: 'µTorrent Mac', version: (v) => digits(v, 3) },
  UW: { name: 'µTorrent Web', version: (v) => digits(v, 3) },
  BT: { name: 'BitTorrent', version: (v) => digits(v, 3) },
  AZ: { name: 'Vuze', version: (v) => digits(v, 4) },
  // Enhanced CTorrent (release "dnh3.3.2"): two 2-digit decimals, so dnh3.3.2 sends -CD0303- = 3.3
  CD: {
    name: 'Enhanced CTorrent',
    version: (v) => (/^[0-9]{4}$/.test(v) ? `${Number(v.slice(0, 2))}.${Number(v.slice(2, 4))}` : null),
  },
};

/** Shadow-style first letters (BEP 20). */
const SHADOW: Readonly<Record<string, string>> = {
  A: 'ABC',
  O: 'Osprey Permaseed',
  Q: 'BTQueue',
  R: 'Tribler',
  S: 'Shad0w',
  T: 'BitTornado',
  U: 'UPnP NAT Bit Torrent',
};

const SHADOW_DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.';

function shadowVersion(id: string): string | null {
  // BEP 20: up to 5 version chars after the letter, padded with '-'; each is one base-64 digit
  const m = /^[A-Z]([0-9A-Za-z.]{1,5})-+/.exec(id);
  if (m === null || id[5] !== '-') return null;
  return [...m[1]!].map((c) => SHADOW_DIGITS.indexOf(c)).join('.');
}

function withVersion(name: string, version: string | null | undefined): string {
  const v = (version ?? '').trim();
  return v === '' ? name : `${name} ${v}`;
}

/**
 * The clients of the Azureus-style prefixes met so far ('-TR4050-' -> 'Transmission 4.0.5'), for
 * the codes decoded here (AZ): their client and version depend on those 8 bytes alone, and a
 * capture holds a few prefixes over thousands of peer_ids. Bounded: cleared when full.
 */
const AZ_SEEN = new Map<string, string>();
const MAX_AZ_SEEN = 1024;

function identify(id: Uint8Array): string | null {
  const s = latin1(id);
  // aria2 before Shadow style: `A2-...` would otherwise read as ABC 2
  const aria = /^A2-(\d+)-(\d+)-(\d+)-/.exec(s);
  if (aria !== null) return `aria2 ${aria[1]}.${aria[2]}.${aria[3]}`;
  if (s[0] === '-' && s[7] === '-') {
    const prefix = s.slice(0, 8);
    const seen = AZ_SEEN.get(prefix);
    if (seen !== undefined) return seen;
    const own = AZ[s.slice(1, 3)];
    if (own !== undefined) {
      const client = withVersion(own.name, own.version(s.slice(3, 7)));
      if (AZ_SEEN.size >= MAX_AZ_SEEN) AZ_SEEN.clear();
      AZ_SEEN.set(prefix, client);
      return client;
    }
  }
  const mainline = /^M(\d{1,2})-(\d{1,2})-(\d{1,2})-/.exec(s);
  if (mainline !== null && s[7] === '-') return `Mainline ${mainline[1]}.${mainline[2]}.${mainline[3]}`;
  const shadowName = SHADOW[s[0]!];
  if (shadowName !== undefined) {
    const v = shadowVersion(s);
    if (v !== null) return `${shadowName} ${v}`;
  }
  try {
    const r = peerid(Buffer.from(id.buffer, id.byteOffset, id.byteLength));
    if (r.client === 'unknown' || r.client === '') return null;
    return withVersion(r.client, r.version);
  } catch {
    // bittorrent-peerid throws on ids it cannot parse; unknown is our answer, never an exception
    return null;
  }
}

/** Describes a peer_id: hex, safe text and the client it names. Any length; client null unless 20 bytes. */
export function describePeerId(id: Uint8Array): PeerIdDescription {
  return { hex: toHex(id), text: escapeBytes(id), client: id.length === 20 ? identify(id) : null };
}
