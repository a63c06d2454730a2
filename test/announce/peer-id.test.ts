import { describe, expect, it } from 'vitest';
import { describePeerId, escapeBytes } from '../../src/announce/peer-id.js';

const enc = new TextEncoder();
/** prefix + filler to 20 bytes (filler is the anatomy page's random part, cut to fit). */
function id(prefix: string, filler = 'gqQ8TqDeqaYxxxxxxxxxxxxx'): Uint8Array {
  const b = new Uint8Array(20);
  const p = Uint8Array.from(prefix, (c) => c.charCodeAt(0));
  b.set(p);
  b.set(enc.encode(filler).slice(0, 20 - p.length), p.length);
  return b;
}
const hex = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h, 'hex'));

describe('describePeerId: client names and versions', () => {
  it.each([
    ['-TR3000-', 'Transmission 3.00'],
    ['-TR4060-', 'Transmission 4.0.6'],
    ['-TR2940-', 'Transmission 2.94'],
    ['-DE13F0-', 'Deluge 1.3.15'],
    ['-DE201s-', 'Deluge 2.0.1'],
    ['-qB4520-', 'qBittorrent 4.5.2'],
    ['-lt0D80-', 'rTorrent/libtorrent 0.13.8'],
    ['-CD0303-', 'Enhanced CTorrent 3.3'],
    ['-UT355W-', 'µTorrent 3.5.5'],
    ['-AZ5750-', 'Vuze 5.7.5.0'],
    ['S588-----', 'Shad0w 5.8.8'],
    ['A265-----', 'ABC 2.6.5'],
    ['T03I-----', 'BitTornado 0.3.18'],
    ['M4-3-6--', 'Mainline 4.3.6'],
    ['M7-10-1-', 'Mainline 7.10.1'],
  ])('%s -> %s', (prefix, client) => {
    expect(describePeerId(id(prefix)).client).toBe(client);
  });

  it('names every id of a prefix alike, whatever its other bytes, however often asked', () => {
    for (const filler of ['aaaaaaaaaaaaaaaaaaaa', 'zzzzzzzzzzzzzzzzzzzz', '\x00\x01\x02abc']) {
      expect(describePeerId(id('-TR4050-', filler)).client).toBe('Transmission 4.0.5');
      expect(describePeerId(id('-lt0D80-', filler)).client).toBe('rTorrent/libtorrent 0.13.8');
    }
    // a code decoded here only when its version reads: the same name, with or without it
    expect(describePeerId(id('-TRabcd-')).client).toBe('Transmission');
    expect(describePeerId(id('-TRabcd-')).client).toBe('Transmission');
  });
  it('aria2 1.36.0 from the a_clean capture (prefix followed by binary bytes)', () => {
    const d = describePeerId(hex('41322d312d33362d302d47b34a811e70fd3f5936'));
    expect(d.client).toBe('aria2 1.36.0');
    expect(d.text).toBe('A2-1-36-0-G\\xb3J\\x81\\x1ep\\xfd?Y6');
    expect(d.hex).toBe('41322d312d33362d302d47b34a811e70fd3f5936');
  });

  it('the b_crash ids: rtorrent and Enhanced CTorrent dnh3.3.2', () => {
    expect(describePeerId(hex('2d6c74304438302de1f81c4ad371b11bb5f8294c')).client).toBe('rTorrent/libtorrent 0.13.8');
    expect(describePeerId(hex('2d4344303330332d032f6a9ee3d29a9fdb2f25a6')).client).toBe('Enhanced CTorrent 3.3');
  });

  it('the anatomy page id is Shad0w 5.8.8 and prints as sent', () => {
    const d = describePeerId(enc.encode('S588-----gqQ8TqDeqaY'));
    expect(d).toEqual({ hex: '533538382d2d2d2d2d6771513854714465716159', text: 'S588-----gqQ8TqDeqaY', client: 'Shad0w 5.8.8' });
  });

  it('falls back to bittorrent-peerid for other known clients', () => {
    expect(describePeerId(id('-KT4130-')).client).toMatch(/^KTorrent/);
  });

  it('unknown 20-byte ids have no client', () => {
    expect(describePeerId(new Uint8Array(20)).client).toBeNull();
  });

  it('wrong length: hex and text, client null, no exception', () => {
    const short = enc.encode('-TR3000-abc');
    expect(describePeerId(short)).toEqual({ hex: '2d5452333030302d616263', text: '-TR3000-abc', client: null });
    const long = new Uint8Array(21).fill(0x41);
    expect(describePeerId(long).client).toBeNull();
    expect(describePeerId(new Uint8Array(0))).toEqual({ hex: '', text: '', client: null });
  });
});

describe('escapeBytes', () => {
  it('leaves no control bytes and escapes the backslash', () => {
    const t = escapeBytes(Uint8Array.from([0x00, 0x1b, 0x5c, 0x41, 0x7f, 0xff, 0x20]));
    expect(t).toBe('\\x00\\x1b\\\\A\\x7f\\xff ');
    expect(/[\x00-\x1f\x7f-\uffff]/.test(t)).toBe(false);
  });
});
