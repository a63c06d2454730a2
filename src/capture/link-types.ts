/**
 * LINKTYPE_* numbers as registered at https://www.tcpdump.org/linktypes.html, with the names
 * libpcap gives them, and which ones src/net/link.ts can take apart.
 */

/** What we know about one link type. */
export interface LinkTypeInfo {
  /** The LINKTYPE_ name without its prefix, as tcpdump prints it. */
  readonly name: string;
  /** True when src/net/link.ts finds IP packets inside frames of this type. */
  readonly supported: boolean;
}

/** Link types by number. Unlisted numbers are unsupported and named `unknown`. */
export const LINK_TYPES: Readonly<Record<number, LinkTypeInfo>> = {
  0: { name: 'NULL', supported: true },
  1: { name: 'ETHERNET', supported: true },
  6: { name: 'IEEE802_5', supported: false },
  8: { name: 'SLIP', supported: false },
  9: { name: 'PPP', supported: false },
  10: { name: 'FDDI', supported: false },
  // DLT_RAW is 12 on most BSDs and 14 on OpenBSD; old writers put the DLT value in the file.
  12: { name: 'RAW (DLT 12)', supported: true },
  14: { name: 'RAW (OpenBSD DLT 14)', supported: true },
  50: { name: 'PPP_HDLC', supported: false },
  51: { name: 'PPP_ETHER', supported: false },
  101: { name: 'RAW', supported: true },
  104: { name: 'C_HDLC', supported: false },
  105: { name: 'IEEE802_11', supported: false },
  108: { name: 'LOOP', supported: true },
  113: { name: 'LINUX_SLL', supported: true },
  117: { name: 'PFLOG', supported: false },
  119: { name: 'IEEE802_11_PRISM', supported: false },
  127: { name: 'IEEE802_11_RADIOTAP', supported: false },
  147: { name: 'USER0', supported: false },
  148: { name: 'USER1', supported: false },
  149: { name: 'USER2', supported: false },
  150: { name: 'USER3', supported: false },
  192: { name: 'PPI', supported: false },
  195: { name: 'IEEE802_15_4_WITHFCS', supported: false },
  201: { name: 'BLUETOOTH_HCI_H4_WITH_PHDR', supported: false },
  220: { name: 'USB_LINUX_MMAPPED', supported: false },
  228: { name: 'IPV4', supported: true },
  229: { name: 'IPV6', supported: true },
  239: { name: 'NFLOG', supported: false },
  249: { name: 'USBPCAP', supported: false },
  276: { name: 'LINUX_SLL2', supported: true },
};

/** The name of a link type, or `unknown` when it is not in the table. */
export function linkTypeName(linkType: number): string {
  return LINK_TYPES[linkType]?.name ?? 'unknown';
}

/** True when src/net/link.ts can find IP packets in frames of this link type. */
export function isSupportedLinkType(linkType: number): boolean {
  return LINK_TYPES[linkType]?.supported === true;
}

/** `unsupported link type 147 (USER0)`: the one wording used by readers and the link layer. */
export function unsupportedLinkTypeMessage(linkType: number): string {
  return `unsupported link type ${linkType} (${linkTypeName(linkType)})`;
}
