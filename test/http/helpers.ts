/** Test helpers: real TCP payloads from test/http/cases/*.txt, and a driver for one HTTP connection sink. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { httpSinkFactory, type HttpOptions } from '../../src/http/connection.js';
import type { Direction, Endpoint, StreamEndReason, TcpConnection } from '../../src/net/types.js';
import type { HttpCounters, HttpExchange } from '../../src/http/types.js';

/** One TCP payload as tshark printed it. */
export interface Payload {
  readonly packet: number;
  readonly ts: bigint;
  readonly dir: Direction;
  readonly bytes: Uint8Array;
}

/** A case file: the payloads of one TCP stream; `a` sent the first payload. */
export interface Case {
  readonly a: Endpoint;
  readonly b: Endpoint;
  readonly payloads: Payload[];
}

/** "1795623128.240019000" -> ns since the epoch. */
function ns(s: string): bigint {
  const [sec, frac = ''] = s.split('.');
  return BigInt(sec!) * 1_000_000_000n + BigInt((frac + '000000000').slice(0, 9));
}

/** Reads test/http/cases/<name>.txt (columns: packet ts src srcport dst dstport hex). */
export function loadCase(name: string): Case {
  const path = fileURLToPath(new URL(`./cases/${name}.txt`, import.meta.url));
  const rows = readFileSync(path, 'latin1')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((l) => l.split('\t'));
  const first = rows[0]!;
  const a = { ip: first[2]!, port: Number(first[3]) };
  const b = { ip: first[4]!, port: Number(first[5]) };
  const payloads = rows.map((r) => ({
    packet: Number(r[0]),
    ts: ns(r[1]!),
    dir: (r[2] === a.ip && Number(r[3]) === a.port ? 'ab' : 'ba') as Direction,
    bytes: Uint8Array.from(Buffer.from(r[6]!, 'hex')),
  }));
  return { a, b, payloads };
}

/** Bytes of latin1 text (one byte per char, so `\xe9` stays one byte). */
export function bytes(text: string): Uint8Array {
  return Uint8Array.from(Buffer.from(text, 'latin1'));
}

/** Concatenation of byte arrays. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(Buffer.concat(parts));
}

/** One event fed to a sink. */
export type Step =
  | { readonly kind: 'data'; readonly dir: Direction; readonly bytes: Uint8Array; readonly packet: number; readonly ts: bigint }
  | { readonly kind: 'gap'; readonly dir: Direction; readonly length: number }
  | { readonly kind: 'end'; readonly reason: StreamEndReason };

/** Data steps from payloads. */
export function dataSteps(payloads: readonly Payload[]): Step[] {
  return payloads.map((p) => ({ kind: 'data', dir: p.dir, bytes: p.bytes, packet: p.packet, ts: p.ts }));
}

/** What a run produced. */
export interface Run {
  readonly exchanges: HttpExchange[];
  readonly counters: HttpCounters;
  /** The values data() returned, in order. */
  readonly returns: (boolean | void)[];
  /** Exchanges emitted before the end step. */
  readonly beforeEnd: number;
}

const A: Endpoint = { ip: '10.0.0.1', port: 40000 };
const B: Endpoint = { ip: '10.0.0.2', port: 80 };

/**
 * The exchange as a consumer that keeps it must keep it: a response body may be a view of the
 * delivered bytes, valid during the exchange callback only (HttpResponse.body).
 */
export function kept(x: HttpExchange): HttpExchange {
  return x.response === null ? x : { ...x, response: { ...x.response, body: x.response.body.slice() } };
}

/**
 * Feeds `steps` to a fresh sink. Each data chunk is passed through a scratch buffer that is
 * overwritten after the call, so a sink that keeps a view instead of a copy fails the tests.
 */
export function run(steps: readonly Step[], opts: HttpOptions = {}, conn: Partial<TcpConnection> = {}): Run {
  const exchanges: HttpExchange[] = [];
  const counters: HttpCounters = { requests: 0, responses: 0, skipped: new Map() };
  const factory = httpSinkFactory('test.pcap', { exchange: (x) => exchanges.push(kept(x)) }, counters, opts);
  const sink = factory({ id: 7, a: A, b: B, synSeen: true, file: 'test.pcap', ...conn });
  const returns: (boolean | void)[] = [];
  let beforeEnd = -1;
  for (const s of steps) {
    if (s.kind === 'data') {
      const scratch = new Uint8Array(s.bytes.length);
      scratch.set(s.bytes);
      returns.push(sink.data(s.dir, scratch, s.ts, s.packet, s.packet * 1000));
      scratch.fill(0x55);
    } else if (s.kind === 'gap') sink.gap(s.dir, s.length, 0n, 0);
    else {
      beforeEnd = exchanges.length;
      sink.end(s.reason, 0n);
    }
  }
  return { exchanges, counters, returns, beforeEnd };
}

/** A data step of latin1 text. */
export function text(dir: Direction, s: string, packet = 1, ts = 1n): Step {
  return { kind: 'data', dir, bytes: bytes(s), packet, ts };
}

/** Body as latin1 text, for readable assertions. */
export function bodyText(x: HttpExchange): string | null {
  return x.response === null ? null : Buffer.from(x.response.body).toString('latin1');
}
