import { describe, it, expect } from 'vitest';
import { linkPayload, type LinkResult } from '../../src/net/link.js';
import { cat, eth, hex, ipv4, ipv6, tcp } from './ip-helpers.js';

const V4 = ipv4(tcp());
const V6 = ipv6(6, tcp());

function ip(r: LinkResult): [number, Uint8Array] {
  if (!r.ok) throw new Error(r.reason);
  return [r.version, r.ip];
}

function reason(r: LinkResult): string {
  return r.ok ? 'ok' : r.reason;
}

describe('linkPayload', () => {
  it('Ethernet II IPv4 and IPv6', () => {
    expect(ip(linkPayload(1, cat(eth(0x0800), V4)))).toEqual([4, V4]);
    expect(ip(linkPayload(1, cat(eth(0x86dd), V6)))).toEqual([6, V6]);
  });

  it('802.1Q, 802.1ad QinQ and 0x9100 stacked tags', () => {
    expect(ip(linkPayload(1, cat(eth(0x0800, 0x8100), V4)))).toEqual([4, V4]);
    expect(ip(linkPayload(1, cat(eth(0x86dd, 0x88a8, 0x8100), V6)))).toEqual([6, V6]);
    expect(ip(linkPayload(1, cat(eth(0x0800, 0x9100, 0x9100, 0x8100), V4)))).toEqual([4, V4]);
  });

  it('non-IP Ethernet frames and short frames give a reason', () => {
    expect(reason(linkPayload(1, cat(eth(0x0806), hex('0001080006040001'))))).toBe('non-ip ethertype 0x0806');
    expect(reason(linkPayload(1, cat(eth(0x0806, 0x8100), hex('0001'))))).toBe('non-ip ethertype 0x0806');
    expect(reason(linkPayload(1, cat(eth(0x002e), hex('aaaa03'))))).toBe('non-ip 802.3 llc frame');
    expect(reason(linkPayload(1, hex('ffffffffffff0200')))).toBe('ethernet frame truncated');
    expect(reason(linkPayload(1, hex('ffffffffffff 020000000001 8100 0064')))).toBe('ethernet frame truncated');
  });

  it('Linux SLL (113) and SLL2 (276)', () => {
    const sll = hex('0000 0304 0006 000000000000 0000 0800');
    expect(ip(linkPayload(113, cat(sll, V4)))).toEqual([4, V4]);
    const sll6 = hex('0004 0304 0006 000000000000 0000 86dd');
    expect(ip(linkPayload(113, cat(sll6, V6)))).toEqual([6, V6]);
    const sll2 = hex('0800 0000 00000001 0304 00 06 000000000000 0000');
    expect(sll2.length).toBe(20);
    expect(ip(linkPayload(276, cat(sll2, V4)))).toEqual([4, V4]);
    expect(reason(linkPayload(276, hex('0806 0000 00000001 0304 00 06 000000000000 0000')))).toBe('non-ip ethertype 0x0806');
    expect(reason(linkPayload(113, sll.subarray(0, 10)))).toBe('linux cooked header truncated');
  });

  it('BSD NULL in either byte order and LOOP in network order; AF_INET6 24, 28, 30', () => {
    expect(ip(linkPayload(0, cat(hex('02000000'), V4)))).toEqual([4, V4]);
    expect(ip(linkPayload(0, cat(hex('00000002'), V4)))).toEqual([4, V4]);
    expect(ip(linkPayload(108, cat(hex('00000002'), V4)))).toEqual([4, V4]);
    for (const af of ['18000000', '1c000000', '1e000000', '0000001e', '0000001c', '00000018']) {
      expect(ip(linkPayload(0, cat(hex(af), V6)))).toEqual([6, V6]);
    }
    expect(reason(linkPayload(0, cat(hex('07000000'), V4)))).toBe('non-ip address family 7');
    expect(reason(linkPayload(0, hex('0200')))).toBe('loopback header truncated');
  });

  it('raw IP: 12, 14, 101 by version nibble; 228 IPv4; 229 IPv6', () => {
    for (const lt of [12, 14, 101]) {
      expect(ip(linkPayload(lt, V4))).toEqual([4, V4]);
      expect(ip(linkPayload(lt, V6))).toEqual([6, V6]);
      expect(reason(linkPayload(lt, hex('5000')))).toBe('raw frame is not ipv4 or ipv6');
    }
    expect(ip(linkPayload(228, V4))).toEqual([4, V4]);
    expect(ip(linkPayload(229, V6))).toEqual([6, V6]);
  });

  it('unsupported link types name number and name', () => {
    expect(reason(linkPayload(147, V4))).toBe('unsupported link type 147 (USER0)');
    expect(reason(linkPayload(105, V4))).toBe('unsupported link type 105 (IEEE802_11)');
    expect(reason(linkPayload(9999, V4))).toBe('unsupported link type 9999 (unknown)');
  });

  it('returns views into the frame, not copies', () => {
    const frame = cat(eth(0x0800), V4);
    const r = linkPayload(1, frame);
    expect(r.ok && r.ip.buffer === frame.buffer && r.ip.byteOffset === 14).toBe(true);
  });
});
