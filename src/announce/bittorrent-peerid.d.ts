/** Types for bittorrent-peerid 2 (ESM, ships none). It THROWS on ids that are not 20 bytes. */
declare module 'bittorrent-peerid' {
  /** Client name and version; `client` is 'unknown' when not recognised. */
  export interface PeerIdClient {
    client: string;
    version?: string | null;
  }
  /** Identifies the client that made `peerId` (a 20-byte Buffer, or utf8/hex text). Throws otherwise. */
  export default function peerid(peerId: Buffer | string): PeerIdClient;
}
