/**
 * HTTP request (+ reply) -> Announce or Scrape.
 *
 * Follows BEP 3 (tracker HTTP protocol: the announce query), BEP 48 (scrape: repeated info_hash),
 * with TBSource's reading of the parameters (see validate.ts) and its passkey forms.
 */
import type { Origin } from '../capture/packet.js';
import { nameIs } from '../http/head.js';
import type { HttpExchange } from '../http/types.js';
import type { Endpoint } from '../net/types.js';
import { bigintOf, latin1 } from './bytes.js';
import { escapeBytes } from './peer-id.js';
import { decodeQuery, knownParams, splitTarget, type DecodedQuery, type SplitTarget } from './query.js';
import { SentParam, paramByteLength, paramEscapedText, paramSmallDigits } from './sent-param.js';
import { findKnownPasskey, recognisePath, type Recognised, type RecogniseOptions } from './recognise.js';
import { decodeReply, withProblem } from './reply.js';
import type { Announce, QueryParam, Scrape, TrackerReply, Transport } from './types.js';
import { tbsourceFailures } from './validate.js';

/** One tracker request as the HTTP layer (or a log reader) saw it. */
export interface TrackerRequestInput {
  readonly origin: Origin;
  readonly ts: bigint;
  readonly transport: Transport;
  readonly client: Endpoint;
  readonly tracker: Endpoint;
  readonly method: string;
  /** The request target exactly as sent, latin1. */
  readonly target: string;
  readonly httpVersion: string;
  readonly headers: readonly { name: string; value: string }[];
  readonly reply: TrackerReply | null;
}

/** Options for buildFromRequest: `announcePath` overrides the announce path test. */
export type BuildOptions = RecogniseOptions;

/** 2^64 - 1: the largest counter a 64-bit tracker column (and BEP 15) can hold. */
export const UINT64_MAX = (1n << 64n) - 1n;

/** The first header named `lower` (given in lower case), any case; null when absent. */
function header(headers: TrackerRequestInput['headers'], lower: string): string | null {
  // compared in place: no lower-cased string per header per lookup
  for (const h of headers) if (nameIs(h.name, lower)) return h.value;
  return null;
}

/** X-Forwarded-For's first address, else X-Real-IP, else null. */
export function forwardedFor(headers: TrackerRequestInput['headers']): string | null {
  return forwardedFrom(header(headers, 'x-forwarded-for'), header(headers, 'x-real-ip'));
}

/** forwardedFor of the two headers' values. */
function forwardedFrom(xff: string | null, realIp: string | null): string | null {
  const first = xff?.split(',')[0]?.trim();
  if (first !== undefined && first !== '') return first;
  const real = realIp?.trim();
  return real !== undefined && real !== '' ? real : null;
}

/** The headers an announce reads, each the first of its name (header()), found in one pass. */
interface AnnounceHeaders {
  userAgent: string | null;
  forwardedFor: string | null;
  realIp: string | null;
}

function announceHeaders(headers: TrackerRequestInput['headers']): AnnounceHeaders {
  const out: AnnounceHeaders = { userAgent: null, forwardedFor: null, realIp: null };
  for (let i = 0; i < headers.length; i++) {
    const h = headers[i]!;
    // the names' lengths differ: one length test picks the one comparison worth making
    switch (h.name.length) {
      case 10: if (out.userAgent === null && nameIs(h.name, 'user-agent')) out.userAgent = h.value; break;
      case 15: if (out.forwardedFor === null && nameIs(h.name, 'x-forwarded-for')) out.forwardedFor = h.value; break;
      case 9: if (out.realIp === null && nameIs(h.name, 'x-real-ip')) out.realIp = h.value; break;
    }
  }
  return out;
}

const ascii = (b: Uint8Array): string => latin1(b);

/** The events clients send, as shared strings (matched by their bytes: no string per announce). */
const EVENTS = ['started', 'stopped', 'completed', 'paused', 'empty', 'update'].map((text) => ({ text, bytes: Buffer.from(text, 'latin1') }));

/** escapeBytes of an event value: a known event is its shared string. */
function eventText(p: QueryParam): string {
  if (p instanceof SentParam) {
    // compared in place: no bytes made for the event of every announce
    for (const e of EVENTS) if (p.bytesAre(e.text)) return e.text;
    return p.escapedText();
  }
  const b = p.bytes;
  for (const e of EVENTS) {
    const k = e.bytes;
    if (k.length !== b.length) continue;
    let i = 0;
    while (i < k.length && k[i] === b[i]) i++;
    if (i === k.length) return e.text;
  }
  return escapeBytes(b);
}

/** A counter: plain decimal digits only, exact as bigint. Anything else is a problem and null. */
export function parseCounter(p: QueryParam | undefined, problems: string[]): bigint | null {
  if (p === undefined) return null;
  const fast = paramSmallDigits(p);
  if (fast >= 0) return bigintOf(fast);
  const s = ascii(p.bytes);
  if (!/^[0-9]+$/.test(s)) {
    problems.push(`${p.name}=${escapeBytes(p.bytes)} is not an unsigned decimal number`);
    return null;
  }
  const v = BigInt(s);
  if (v > UINT64_MAX) problems.push(`${p.name}=${s} does not fit in 64 bits`);
  return v;
}

function parseSmall(p: QueryParam | undefined, max: number, problems: string[]): number | null {
  if (p === undefined) return null;
  const fast = paramSmallDigits(p);
  if (fast >= 0 && fast <= max) return fast;
  const s = ascii(p.bytes);
  // up to 15 digits a double is exact: no BigInt needed for the range check
  if (!/^[0-9]+$/.test(s) || (s.length <= 15 ? Number(s) > max : BigInt(s) > BigInt(max))) {
    problems.push(`${p.name}=${escapeBytes(p.bytes)} is not a number from 0 to ${max}`);
    return null;
  }
  return Number(s);
}

/**
 * TBSource-classic quirk: an announce URL that already has `?passkey=K` gets the client's own
 * `?info_hash=...` appended, giving `passkey=K?info_hash=...`. announce.php splits it at the '?';
 * so do we, and note it.
 */
function splitPasskeyQuirk(q: DecodedQuery): DecodedQuery {
  const i = q.params.findIndex((p) => (p.name === 'passkey' || p.name === 'torrent_pass') && p.raw.includes('?'));
  if (i < 0) return q;
  const p = q.params[i]!;
  const cut = p.raw.indexOf('?');
  const head = decodeQuery(`${p.name}=${p.raw.slice(0, cut)}`);
  const tail = decodeQuery(p.raw.slice(cut + 1));
  return {
    params: [...q.params.slice(0, i), ...head.params, ...tail.params, ...q.params.slice(i + 1)],
    problems: [...q.problems, `second '?' inside ${p.name}: the URL already had a query and the client appended another`],
  };
}

/**
 * Decodes a tracker request into an Announce or a Scrape; null when the target is neither.
 * Never throws on odd input: problems go to `problems`, TBSource's answers to `errors`.
 */
export function buildFromRequest(input: TrackerRequestInput, opts: BuildOptions = {}): Announce | Scrape | null {
  const split = splitTarget(input.target);
  const kind = recognisePath(split.path, opts);
  return kind === null ? null : buildRecognised(input, split, kind);
}

/** buildFromRequest once the target is split and recognised (buildFromExchange has done both already). */
function buildRecognised(input: TrackerRequestInput, split: SplitTarget, kind: Recognised): Announce | Scrape {
  const { path, query } = split;
  // the params name their places in the target itself (the batch writer sends them as its ranges)
  const q = splitPasskeyQuirk(query === null ? decodeQuery('') : decodeQuery(query, input.target, split.queryAt));
  const params = q.params;
  if (kind.kind === 'scrape') {
    return {
      kind: 'scrape',
      origin: input.origin,
      ts: input.ts,
      client: input.client,
      infoHashes: params.filter((p) => p.name === 'info_hash').map((p) => p.bytes),
      target: input.target,
      // a proxy's backend leg of a scrape is merged like an announce's, so each scrape counts once
      forwardedFor: forwardedFor(input.headers),
      tracker: input.tracker,
      reply: null,
    };
  }
  // decodeQuery's list, fresh for this request (splitPasskeyQuirk's too): this announce's own
  const problems = q.problems as string[];
  const known = knownParams(params);
  const h = announceHeaders(input.headers);
  const userAgent = h.userAgent;
  // TBSource's order: "num want", numwant, num_want. (In real PHP `num+want` arrives mangled to
  // num_want, since $_GET turns spaces in names into '_'; the result is the same value.)
  const numwantParam = known.numWantSpaced ?? known.numwant ?? known.numWant;
  const event = known.event;
  const key = known.key;
  return {
    kind: 'announce',
    origin: input.origin,
    ts: input.ts,
    transport: input.transport,
    client: input.client,
    tracker: input.tracker,
    forwardedFor: forwardedFrom(h.forwardedFor, h.realIp),
    path,
    target: input.target,
    httpVersion: input.httpVersion,
    userAgent,
    infoHash: known.infoHash?.bytes ?? null,
    peerId: known.peerId?.bytes ?? null,
    port: parseSmall(known.port, 65535, problems),
    uploaded: parseCounter(known.uploaded, problems),
    downloaded: parseCounter(known.downloaded, problems),
    left: parseCounter(known.left, problems),
    event: event === undefined || paramByteLength(event) === 0 ? null : eventText(event),
    numwant: parseSmall(numwantParam, Number.MAX_SAFE_INTEGER, problems),
    key: key === undefined ? null : paramEscapedText(key),
    passkey: findKnownPasskey(known, kind.passkey),
    params,
    errors: tbsourceFailures({ params, userAgent, known }),
    problems,
    reply: input.reply,
    proxyMerged: false,
  };
}

/**
 * Builds from a paired HTTP exchange: decodes the response body with decodeReply (the body
 * problem of the HTTP layer, if any, is added to the reply's problems) and calls buildFromRequest.
 */
export function buildFromExchange(x: HttpExchange, opts: BuildOptions = {}): Announce | Scrape | null {
  const r = x.request;
  // decide before decoding the body: most exchanges in a mixed capture are not tracker requests
  const split = splitTarget(r.target);
  const kind = recognisePath(split.path, opts);
  if (kind === null) return null;
  let reply: TrackerReply | null = null;
  if (x.response !== null) {
    const d = decodeReply(x.response.body, x.response.status, x.response.ts);
    reply = x.response.bodyProblem === null ? d : withProblem(d, `body: ${x.response.bodyProblem}`);
  }
  return buildRecognised(
    {
      origin: r.origin,
      ts: r.ts,
      transport: 'http',
      client: x.client,
      tracker: x.server,
      method: r.method,
      target: r.target,
      httpVersion: r.version,
      headers: r.headers,
      reply,
    },
    split,
    kind,
  );
}
