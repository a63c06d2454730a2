/**
 * Input format sniffing from the first bytes: pcap magics (draft-ietf-opsawg-pcap §4), the pcapng
 * Section Header Block type (draft-ietf-opsawg-pcapng §4.1), the gzip magic (RFC 1952 §2.3.1),
 * and plain text lines (proxy access logs).
 */

/** What an input looks like from its first bytes. */
export type InputFormat = 'pcap' | 'pcapng' | 'gzip' | 'text' | 'unknown';

/** How many leading bytes `detectFormat` looks at when deciding `text`. */
export const DETECT_TEXT_BYTES = 4096;

/**
 * Names the format of an input from its first bytes (give it at least 4; up to 4 KiB helps the
 * text check). Text means printable ASCII/UTF-8 with line breaks, as proxy logs are.
 */
export function detectFormat(head: Uint8Array): InputFormat {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4) {
    const m = ((head[0]! << 24) | (head[1]! << 16) | (head[2]! << 8) | head[3]!) >>> 0;
    if (m === 0xa1b2c3d4 || m === 0xd4c3b2a1 || m === 0xa1b23c4d || m === 0x4d3cb2a1) return 'pcap';
    if (m === 0x0a0d0d0a) return 'pcapng';
  }
  return looksLikeText(head) ? 'text' : 'unknown';
}

/** Printable ASCII, tabs, line breaks and well-formed UTF-8 sequences only; at least one byte. */
function looksLikeText(head: Uint8Array): boolean {
  const n = Math.min(head.length, DETECT_TEXT_BYTES);
  if (n === 0) return false;
  let i = 0;
  while (i < n) {
    const b = head[i]!;
    if (b >= 0x20 && b < 0x7f) {
      i++;
    } else if (b === 0x09 || b === 0x0a || b === 0x0d) {
      i++;
    } else if (b >= 0xc2 && b <= 0xf4) {
      const extra = b >= 0xf0 ? 3 : b >= 0xe0 ? 2 : 1;
      // A sequence cut by the end of the sample still counts as text.
      for (let k = 1; k <= extra; k++) {
        if (i + k >= n) return true;
        const c = head[i + k]!;
        if ((c & 0xc0) !== 0x80) return false;
      }
      i += extra + 1;
    } else {
      return false;
    }
  }
  return true;
}
