import { describe, expect, it } from 'vitest';
import { decodeReply } from '../../src/announce/reply.js';

const hex = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h, 'hex'));
const b = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'latin1'));

// a_clean frame 69 (bittorrent-tracker 11.2.3): compact peers 127.0.0.2:51413 and 127.0.0.3:6881, empty peers6
// (tshark -n -2 -o tcp.reassemble_out_of_order:TRUE ... http.file_data, as in reply.test.ts)
const A_CLEAN_69 =
  '64383a636f6d706c65746569316531303a696e636f6d706c657465693165383a696e74657276616c69333065353a706565727331323a7f000002c8d57f0000031ae1363a706565727336303a65';

describe('decodeReply: peer count without decoding the list', () => {
  it('counts compact peers, and decodes the same list on demand, from a body that is then overwritten', () => {
    const body = hex(A_CLEAN_69);
    const r = decodeReply(body, 200, 1n);
    body.fill(0); // the reply keeps its own copy of the compact bytes
    expect(r.peerCount).toBe(2);
    expect(r.peers).toEqual([{ ip: '127.0.0.2', port: 51413 }, { ip: '127.0.0.3', port: 6881 }]);
    expect(r.peers).toBe(r.peers); // decoded once
    expect(r.peerForms).toEqual(['compact', 'compact6']);
  });

  it('counts whole peers only, with the remainder as a problem', () => {
    const r = decodeReply(b('d5:peers8:\x7f\x00\x00\x02\xc8\xd5\x01\x02e'), 200, 1n);
    expect(r.peerCount).toBe(1);
    expect(r.peers).toEqual([{ ip: '127.0.0.2', port: 51413 }]);
    expect(r.problems).toEqual(['"peers" is 8 bytes, not a multiple of 6']);
  });

  it('gives the count of a dict-form list too', () => {
    const r = decodeReply(b('d5:peersld2:ip9:127.0.0.24:porti51413eeee'), 200, 1n);
    expect(r.peerCount ?? r.peers.length).toBe(1);
    expect(r.peers).toEqual([{ ip: '127.0.0.2', port: 51413 }]);
  });
});
