import { describe, expect, it } from 'vitest';
import { decodeReply } from '../../src/announce/reply.js';

const hex = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h, 'hex'));
const b = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'latin1'));

// Bodies of bittorrent-tracker 11.2.3 replies, from `tshark -n -2 -o tcp.reassemble_out_of_order:TRUE
// -Y 'http.response and tcp.srcport==8000' -T pdml` (http.file_data) on the real captures.
const A_CLEAN_13 =
  '64383a636f6d706c65746569316531303a696e636f6d706c657465693065383a696e74657276616c69333065353a7065657273363a7f000002c8d5363a706565727336303a65';
const A_CLEAN_69 =
  '64383a636f6d706c65746569316531303a696e636f6d706c657465693165383a696e74657276616c69333065353a706565727331323a7f000002c8d57f0000031ae1363a706565727336303a65';
const B_CRASH_3142 =
  '64383a636f6d706c65746569306531303a696e636f6d706c657465693065383a696e74657276616c69333065353a7065657273303a363a706565727336303a65';

describe('decodeReply on real bittorrent-tracker replies', () => {
  it("a_clean frame 13: Transmission's first reply lists itself, 127.0.0.2:51413", () => {
    const r = decodeReply(hex(A_CLEAN_13), 200, 5n);
    expect(r).toEqual({
      status: 200,
      failure: null,
      warning: null,
      interval: 30,
      minInterval: null,
      complete: 1,
      incomplete: 0,
      downloaded: null,
      trackerId: null,
      externalIp: null,
      peers: [{ ip: '127.0.0.2', port: 51413 }],
      peerForms: ['compact', 'compact6'],
      problems: [],
      ts: 5n,
    });
  });
  it("a_clean frame 69: aria2's started reply lists both peers", () => {
    const r = decodeReply(hex(A_CLEAN_69), 200, 0n);
    expect([r.complete, r.incomplete, r.interval]).toEqual([1, 1, 30]);
    expect(r.peers).toEqual([
      { ip: '127.0.0.2', port: 51413 },
      { ip: '127.0.0.3', port: 6881 },
    ]);
  });
  it('b_crash frame 3142: the reply to a stopped has empty peers and peers6', () => {
    const r = decodeReply(hex(B_CRASH_3142), 200, 0n);
    expect([r.complete, r.incomplete, r.peers, r.problems]).toEqual([0, 0, [], []]);
  });
});

describe('decodeReply: other forms', () => {
  it('failure reason (TBSource answers HTTP 200) and UTF-8 text', () => {
    const r = decodeReply(b('d14:failure reason40:torrent not registered with this trackere'), 200, 0n);
    expect(r.failure).toBe('torrent not registered with this tracker');
    expect(r.interval).toBeNull();
    expect(decodeReply(b('d15:warning message5:\u00c3\u00a9t\u00c3\u00a9e'), 200, 0n).warning).toBe('été');
  });
  it('TBSource dict peers with ip, peer id, port', () => {
    const r = decodeReply(b('d8:intervali1800e5:peersld2:ip9:10.0.0.177:peer id20:S588-----gqQ8TqDeqaY4:porti6882eeee'), 200, 0n);
    expect(r.interval).toBe(1800);
    expect(r.peerForms).toEqual(['dict']);
    expect(r.peers).toEqual([{ ip: '10.0.0.17', port: 6882, peerId: b('S588-----gqQ8TqDeqaY') }]);
  });
  it('all other keys: min interval, downloaded, tracker id, external ip, peers6', () => {
    const v6 = '20010db8000000000000000000000001';
    const body = Buffer.concat([
      b('d8:completei5e10:downloadedi7e11:external ip4:'),
      hex('c0000201'),
      b('10:incompletei2e8:intervali900e12:min intervali60e6:peers618:'),
      hex(v6 + '1ae1'),
      b('10:tracker id3:abce'),
    ]);
    const r = decodeReply(body, 200, 0n);
    expect(r.problems).toEqual([]);
    expect([r.complete, r.downloaded, r.incomplete, r.interval, r.minInterval, r.trackerId]).toEqual([5, 7, 2, 900, 60, 'abc']);
    expect(r.externalIp).toBe('192.0.2.1');
    expect(r.peers).toEqual([{ ip: '2001:db8::1', port: 6881 }]);
    const r6 = decodeReply(Buffer.concat([b('d11:external ip16:'), hex('20010db8000000010000000000000000'), b('e')]), 200, 0n);
    expect(r6.externalIp).toBe('2001:db8:0:1::');
  });
  it('an HTML error page is not bencode: problems ["not bencode"], fields null', () => {
    const r = decodeReply(b('<html><body>502 Bad Gateway</body></html>'), 502, 0n);
    expect(r.problems).toEqual(['not bencode']);
    expect([r.failure, r.interval, r.complete, r.peers]).toEqual([null, null, null, []]);
    expect(decodeReply(new Uint8Array(0), 200, 0n).problems).toEqual(['not bencode']);
  });
  it('odd bodies: bad compact length, wrong types, truncation, non-dict', () => {
    expect(decodeReply(b('d5:peers7:1234567e'), 200, 0n).problems).toEqual(['"peers" is 7 bytes, not a multiple of 6']);
    expect(decodeReply(b('d8:interval2:30e'), 200, 0n).problems).toEqual(['"interval" is not an integer']);
    expect(decodeReply(b('d11:external ip3:abce'), 200, 0n).problems).toEqual(['"external ip" is not 4 or 16 bytes (BEP 24)']);
    const t = decodeReply(b('d8:intervali30e5:peers12:abc'), 200, 0n);
    expect(t.interval).toBeNull();
    expect(t.problems).toEqual(['bencode: truncated: string of 12 bytes at byte 22, 3 left']);
    expect(decodeReply(b('le'), 200, 0n).problems).toEqual(['reply is not a dictionary']);
    expect(decodeReply(b('d8:intervali030ee'), 200, 0n)).toMatchObject({ interval: 30, problems: ['bencode: non-canonical integer i030e at byte 11'] });
  });
});
