/**
 * Announce and Scrape records to bytes and back, for the worker's batches (see wire-format.ts). Every
 * field comes back exactly: bigints, nulls, byte arrays, any string, optional fields present or
 * absent, in the builders' key order. Strings that are parts of the request target (the path, the
 * raw parameter values) are sent as ranges of it, and come back as slices of it, as they were
 * (a parameter decodeQuery found in the target comes back a SentParam of it: see PARAM_IN_TARGET).
 */
import type { Announce, QueryParam, Scrape, TrackerRequest, Transport } from '../../announce/types.js';
import type { Origin } from '../../capture/packet.js';
import type { Endpoint } from '../../net/types.js';
import { SentParam } from '../../announce/sent-param.js';
import type { ByteReader } from './byte-reader.js';
import type { ByteWriter } from './byte-writer.js';
import { readReply, writeReply } from './reply-codec.js';

const ANNOUNCE = 0;
const SCRAPE = 1;

/** The fields sent by ByteWriter.istrAt: each remembers the string it sent last. */
const SITE_FILE = 0;
const SITE_TRANSPORT = 1;
const SITE_CLIENT = 2;
const SITE_TRACKER = 3;
const SITE_VERSION = 4;
const SITE_AGENT = 5;
const SITE_EVENT = 6;

/**
 * How a parameter crosses: one decodeQuery found in the target goes as its place there and comes
 * back a SentParam of the target, as the one-thread run has it (its raw text, which few reports
 * read, is sliced from the target only when read); any other as its raw text.
 */
const PARAM_IN_TARGET = 0;
const PARAM_OTHER = 1;

/**
 * The empty error and problem list every clean announce shares: one array fewer per record (the
 * lists are readonly in Announce, and nothing after the builders adds to them).
 */
const NONE: readonly string[] = [];

/** Scrape's optional fields: which are present. */
const HAS_FORWARDED = 1;
const HAS_TRACKER = 2;
const HAS_REPLY = 4;
const HAS_MERGED = 8;

/** Appends one record to the batch. */
export function writeRequest(w: ByteWriter, rec: TrackerRequest): void {
  w.beginRecord();
  if (rec.kind === 'announce') writeAnnounce(w, rec);
  else writeScrape(w, rec);
  w.endRecord();
}

/** Reads the next record of the batch. */
export function readRequest(r: ByteReader): TrackerRequest {
  r.beginRecord();
  const rec = r.u8() === ANNOUNCE ? readAnnounce(r) : readScrape(r);
  r.endRecord();
  return rec;
}

function writeOrigin(w: ByteWriter, o: Origin): void {
  w.istrAt(SITE_FILE, o.file);
  w.nf64(o.packet);
  w.nf64(o.line);
  w.f64(o.offset);
}

function readOrigin(r: ByteReader): Origin {
  const file = r.istr()!;
  const packet = r.nf64();
  const line = r.nf64();
  return { file, packet, line, offset: r.f64() };
}

function writeEndpoint(w: ByteWriter, e: Endpoint, site = SITE_CLIENT): void {
  w.istrAt(site, e.ip);
  w.f64(e.port);
}

function readEndpoint(r: ByteReader): Endpoint {
  const ip = r.istr()!;
  return { ip, port: r.f64() };
}

/**
 * The last tracker endpoint read, handed out again while records name the same one (nearly all
 * do): one object fewer per record. Clients are not cached this way: their ports vary, and a
 * cache that mostly misses costs more (a store per miss) than the objects it saves.
 */
let lastTracker: Endpoint = { ip: '', port: -1 };

function readTracker(r: ByteReader): Endpoint {
  const ip = r.istr()!;
  const port = r.f64();
  const last = lastTracker;
  // Object.is: -0 and NaN come back as they went
  if (last.ip === ip && Object.is(last.port, port)) return last;
  return (lastTracker = { ip, port });
}

function writeAnnounce(w: ByteWriter, a: Announce): void {
  w.u8(ANNOUNCE);
  writeOrigin(w, a.origin);
  w.nbig(a.ts);
  w.istrAt(SITE_TRANSPORT, a.transport);
  writeEndpoint(w, a.client);
  writeEndpoint(w, a.tracker, SITE_TRACKER);
  w.istr(a.forwardedFor);
  // the target first: the path and the raw values are read back as slices of it
  const target = a.target;
  const targetAt = w.str(target);
  w.sub(a.path, target, 0);
  w.istrAt(SITE_VERSION, a.httpVersion);
  w.istrAt(SITE_AGENT, a.userAgent);
  w.nbytes(a.infoHash);
  w.nbytes(a.peerId);
  w.nf64(a.port);
  w.nbig(a.uploaded);
  w.nbig(a.downloaded);
  w.nbig(a.left);
  w.istrAt(SITE_EVENT, a.event);
  w.nf64(a.numwant);
  w.str(a.key);
  w.istr(a.passkey);
  const params = a.params;
  w.nameList(params);
  let from = target.indexOf('?') + 1;
  for (let i = 0; i < params.length; i++) {
    const p = params[i]!;
    // (the same string object, nearly always: then === compares no characters)
    if (p instanceof SentParam && p.source === target) {
      // its place in the target is known: no search, and no raw string or bytes made for it
      const start = p.valueStart;
      const n = p.valueEnd - start;
      w.u8(PARAM_IN_TARGET);
      w.u32(start);
      w.u32(n);
      from = start + n;
      const made = p.madeBytes;
      if (made !== null) w.nbytes(made);
      else if (targetAt >= 0) w.textBytes(targetAt + start, n);
      else w.nbytes(p.bytes);
      continue;
    }
    w.u8(PARAM_OTHER);
    from = w.sub(p.raw, target, from);
    w.nbytes(p.bytes);
  }
  w.u32(a.errors.length);
  for (const e of a.errors) w.istr(e);
  const problems = a.problems;
  if (problems === undefined) w.u8(0);
  else {
    w.u8(1);
    w.u32(problems.length);
    for (const p of problems) w.str(p);
  }
  writeReply(w, a.reply);
  w.u8(a.proxyMerged ? 1 : 0);
}

function readAnnounce(r: ByteReader): Announce {
  const origin = readOrigin(r);
  const ts = r.nbig()!;
  const transport = r.istr() as Transport;
  const client = readEndpoint(r);
  const tracker = readTracker(r);
  const forwardedFor = r.istr();
  const target = r.str()!;
  const path = r.sub(target);
  const httpVersion = r.istr()!;
  const userAgent = r.istr();
  const infoHash = r.nbytes();
  const peerId = r.nbytes();
  const port = r.nf64();
  const uploaded = r.nbig();
  const downloaded = r.nbig();
  const left = r.nbig();
  const event = r.istr();
  const numwant = r.nf64();
  const key = r.str();
  const passkey = r.istr();
  const names = r.nameList();
  const n = names.length;
  const params: QueryParam[] = new Array<QueryParam>(n);
  for (let i = 0; i < n; i++) {
    if (r.u8() === PARAM_IN_TARGET) {
      // as decodeQuery made it: its raw text is sliced from the target only when read
      const start = r.u32();
      const end = start + r.u32();
      params[i] = new SentParam(names[i]!, target, start, end, r.nbytes());
      continue;
    }
    const raw = r.sub(target);
    params[i] = { name: names[i]!, raw, bytes: r.nbytes()! };
  }
  const ne = r.u32();
  let errors: readonly string[] = NONE;
  if (ne > 0) {
    const list = new Array<string>(ne);
    for (let i = 0; i < ne; i++) list[i] = r.istr()!;
    errors = list;
  }
  let problems: readonly string[] | undefined;
  if (r.u8() === 1) {
    const np = r.u32();
    problems = NONE;
    if (np > 0) {
      const list = new Array<string>(np);
      for (let i = 0; i < np; i++) list[i] = r.str()!;
      problems = list;
    }
  }
  const reply = readReply(r);
  const proxyMerged = r.u8() === 1;
  // one literal per shape, in the builders' key order (problems is absent from UDP announces)
  if (problems === undefined) {
    return {
      kind: 'announce', origin, ts, transport, client, tracker, forwardedFor, path, target, httpVersion, userAgent,
      infoHash, peerId, port, uploaded, downloaded, left, event, numwant, key, passkey, params, errors, reply, proxyMerged,
    };
  }
  return {
    kind: 'announce', origin, ts, transport, client, tracker, forwardedFor, path, target, httpVersion, userAgent,
    infoHash, peerId, port, uploaded, downloaded, left, event, numwant, key, passkey, params, errors, problems, reply, proxyMerged,
  };
}

function writeScrape(w: ByteWriter, s: Scrape): void {
  w.u8(SCRAPE);
  writeOrigin(w, s.origin);
  w.nbig(s.ts);
  writeEndpoint(w, s.client);
  w.u32(s.infoHashes.length);
  for (const h of s.infoHashes) w.nbytes(h);
  w.str(s.target);
  const has = ('forwardedFor' in s ? HAS_FORWARDED : 0) | ('tracker' in s ? HAS_TRACKER : 0)
    | ('reply' in s ? HAS_REPLY : 0) | ('proxyMerged' in s ? HAS_MERGED : 0);
  w.u8(has);
  // present but undefined stays apart from absent: a byte says which
  if (has & HAS_FORWARDED) {
    if (s.forwardedFor === undefined) w.u8(0);
    else { w.u8(1); w.istr(s.forwardedFor); }
  }
  if (has & HAS_TRACKER) {
    if (s.tracker === undefined) w.u8(0);
    else { w.u8(1); writeEndpoint(w, s.tracker, SITE_TRACKER); }
  }
  if (has & HAS_REPLY) {
    if (s.reply === undefined) w.u8(0);
    else { w.u8(1); writeReply(w, s.reply); }
  }
  if (has & HAS_MERGED) w.u8(s.proxyMerged === undefined ? 2 : s.proxyMerged ? 1 : 0);
}

function readScrape(r: ByteReader): Scrape {
  const origin = readOrigin(r);
  const ts = r.nbig()!;
  const client = readEndpoint(r);
  const n = r.u32();
  const infoHashes: Uint8Array[] = new Array<Uint8Array>(n);
  for (let i = 0; i < n; i++) infoHashes[i] = r.nbytes()!;
  const target = r.str()!;
  const has = r.u8();
  const s: { -readonly [K in keyof Scrape]: Scrape[K] } = { kind: 'scrape', origin, ts, client, infoHashes, target };
  if (has & HAS_FORWARDED) s.forwardedFor = r.u8() === 0 ? undefined : r.istr();
  if (has & HAS_TRACKER) s.tracker = r.u8() === 0 ? undefined : readEndpoint(r);
  if (has & HAS_REPLY) s.reply = r.u8() === 0 ? undefined : readReply(r);
  if (has & HAS_MERGED) {
    const m = r.u8();
    s.proxyMerged = m === 2 ? undefined : m === 1;
  }
  return s;
}
