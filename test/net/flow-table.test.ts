import { describe, expect, it } from 'vitest';
import { Flow } from '../../src/net/flow.js';
import { flowHash, FlowTable, type FlowKey } from '../../src/net/flow-table.js';
import type { TcpConnection, TcpStreamSink } from '../../src/net/types.js';

const sink: TcpStreamSink = { data: () => true, gap: () => {}, end: () => {} };
const conn: TcpConnection = { id: 1, a: { ip: 'a', port: 1 }, b: { ip: 'b', port: 2 }, synSeen: true, file: '' };
const flow = (key: FlowKey): Flow => new Flow(conn, sink, true, key, 0n, 1);
const find = (t: FlowTable, k: FlowKey): Flow | undefined =>
  t.get(flowHash(k.loKey, k.hiKey, k.ports), k.loKey, k.hiKey, k.ports, k.loName, k.hiName);

describe('FlowTable', () => {
  it('finds a flow by every part of its tuple', () => {
    const t = new FlowTable();
    const k: FlowKey = { loKey: 0x0a000001, hiKey: -0x3f57fefe, ports: (40000 << 16) | 80, loName: null, hiName: null };
    const f = flow(k);
    t.add(f);
    expect(find(t, k)).toBe(f);
    expect(find(t, { ...k, ports: (40001 << 16) | 80 })).toBeUndefined();
    expect(find(t, { ...k, loKey: 0x0a000002 })).toBeUndefined();
    expect(find(t, { ...k, hiKey: 0x0a000002 })).toBeUndefined();
    // an IPv6 flow whose keys are the same numbers is another flow
    expect(find(t, { ...k, loName: '2001:db8::1', hiName: '2001:db8::2' })).toBeUndefined();
    t.delete(f);
    expect(find(t, k)).toBeUndefined();
  });

  it('keeps flows that share a hash apart, and deletes any of them', () => {
    const t = new FlowTable();
    // IPv6 addresses with the same key (a hash) share the tuple's hash: only their text differs
    const base = { loKey: 7, hiKey: 9, ports: 80 };
    const names = ['::1', '::2', '::3'];
    const flows = names.map((n) => flow({ ...base, loName: n, hiName: '::9' }));
    for (const f of flows) t.add(f);
    expect(new Set(flows.map((f) => f.hash)).size).toBe(1);
    names.forEach((n, i) => expect(find(t, { ...base, loName: n, hiName: '::9' })).toBe(flows[i]));
    t.delete(flows[1]!); // from the middle of the chain
    expect(find(t, { ...base, loName: '::2', hiName: '::9' })).toBeUndefined();
    expect(find(t, { ...base, loName: '::3', hiName: '::9' })).toBe(flows[2]);
    t.delete(flows[0]!); // the chain's head
    expect(find(t, { ...base, loName: '::1', hiName: '::9' })).toBeUndefined();
    expect(find(t, { ...base, loName: '::3', hiName: '::9' })).toBe(flows[2]);
    t.delete(flows[2]!);
    expect(find(t, { ...base, loName: '::3', hiName: '::9' })).toBeUndefined();
  });
});
