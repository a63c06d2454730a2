/**
 * The reassembler's flows by their normalised 4-tuple. One Map keyed by a hash of the tuple (an
 * int32, which V8 hashes as it is), with the rare flows that share a hash chained behind the first:
 * a packet's flow is found with one lookup of a small integer, instead of three nested lookups by
 * address text, and a new flow adds one entry instead of a Map per new address pair.
 */
import type { Flow } from './flow.js';

/**
 * The normalised 4-tuple of a flow: the lower and higher address (as IpPacket keys) and both ports
 * in one int32 (lower end's port in the high half). IPv6 keys are hashes, so an IPv6 flow also
 * carries its address texts to tell apart addresses that share a key; IPv4 ones carry null.
 */
export interface FlowKey {
  readonly loKey: number;
  readonly hiKey: number;
  readonly ports: number;
  readonly loName: string | null;
  readonly hiName: string | null;
}

/** The hash of a tuple (murmur3's finaliser over the three words). */
export function flowHash(loKey: number, hiKey: number, ports: number): number {
  let h = Math.imul(loKey ^ 0x5bd1e995, 0xcc9e2d51);
  h = Math.imul((h << 15) | (h >>> 17), 0x1b873593) ^ hiKey;
  h = Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64;
  h = Math.imul(h ^ ports, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Flows by tuple; a flow is in the table at most once. */
export class FlowTable {
  private readonly byHash = new Map<number, Flow>();

  /** The flow of the tuple, if any. `loName`/`hiName` are null for IPv4. */
  get(hash: number, loKey: number, hiKey: number, ports: number, loName: string | null, hiName: string | null): Flow | undefined {
    for (let f = this.byHash.get(hash); f !== undefined; f = f.sameHash) {
      if (f.ports === ports && f.loKey === loKey && f.hiKey === hiKey && f.loName === loName && f.hiName === hiName) return f;
    }
    return undefined;
  }

  /** Adds `flow`, whose tuple is not in the table. */
  add(flow: Flow): void {
    const first = this.byHash.get(flow.hash);
    if (first === undefined) this.byHash.set(flow.hash, flow);
    else {
      flow.sameHash = first.sameHash;
      first.sameHash = flow;
    }
  }

  /** Takes `flow` out, if it is in. */
  delete(flow: Flow): void {
    const first = this.byHash.get(flow.hash);
    if (first === flow) {
      if (flow.sameHash === undefined) this.byHash.delete(flow.hash);
      else this.byHash.set(flow.hash, flow.sameHash);
    } else {
      for (let f = first; f !== undefined; f = f.sameHash) {
        if (f.sameHash === flow) {
          f.sameHash = flow.sameHash;
          break;
        }
      }
    }
    flow.sameHash = undefined;
  }

  clear(): void {
    this.byHash.clear();
  }
}
