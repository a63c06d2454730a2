/** Turns parsed options into a validated RunConfig. Bad values are InputErrors (exit 2). */
import { availableParallelism } from 'node:os';
import { InputError } from '../errors.js';
import type { LogParser } from '../capture/logs/types.js';
import { resolveLogFormat } from '../capture/logs/registry.js';
import { readTorrent } from '../torrent/metainfo.js';
import type { PipelineConfig } from '../pipeline/run.js';
import type { WorkerMode } from '../pipeline/worker/front.js';
import type { ReportFilter } from '../report/filter.js';
import { ANOMALIES } from '../tracker/anomalies/catalogue.js';
import { parseFailOn, type FailOn } from './fail-on.js';

const UNIT_NS: Record<string, bigint> = { s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n, d: 86_400_000_000_000n };

/** '--since 2026-11-25T16:13:00Z' (absolute, UTC unless it has an offset) or '+10m' (after the first announce). */
function parseTime(name: string, v: string | undefined): { at?: bigint; offset?: bigint } {
  if (v === undefined) return {};
  const rel = /^\+(\d+)([smhd])$/.exec(v);
  if (rel) return { offset: BigInt(rel[1]!) * UNIT_NS[rel[2]!]! };
  // a time without an offset is UTC: output and filters never depend on the machine's timezone
  const iso = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/.test(v) ? v.replace(' ', 'T') + (v.length === 10 ? 'T00:00:00Z' : 'Z') : v;
  const ms = Date.parse(iso);
  if (!/^\d{4}-\d{2}-\d{2}/.test(v) || Number.isNaN(ms)) {
    throw new InputError('args.invalid', `${name} wants an ISO 8601 time (2026-11-25T16:13:00Z) or '+<n>[smhd]' after the first announce, got '${v}'`);
  }
  return { at: BigInt(ms) * 1_000_000n };
}

/**
 * --threads: '2' asks for the worker thread wherever it can read the inputs, '1' never uses it,
 * 'auto' uses it for large capture files when a second core is there to run it (on one core the
 * two threads would only take turns, paying for the batches between them).
 */
function workerMode(threads: 'auto' | '1' | '2'): WorkerMode {
  if (threads === '1') return 'never';
  if (threads === '2') return 'always';
  return availableParallelism() >= 2 ? 'auto' : 'never';
}

/** --trust-proxy: 'all', 'none', or the proxies' addresses. */
function parseTrustProxy(v: string): 'all' | 'none' | ReadonlySet<string> {
  if (v === 'all' || v === 'none') return v;
  const list = v.split(',').map((x) => x.trim()).filter(Boolean);
  if (list.length === 0 || !list.every((x) => /^[0-9a-fA-F:.]+$/.test(x))) {
    throw new InputError('args.invalid', `--trust-proxy wants 'all', 'none' or comma-separated addresses, got '${v}'`);
  }
  return new Set(list);
}

function filterFrom(values: CliValues): ReportFilter {
  const since = parseTime('--since', values.since);
  const until = parseTime('--until', values.until);
  const anomalies = values.anomaly?.split(',').map((c) => c.trim()).filter(Boolean);
  for (const c of anomalies ?? []) {
    if (!(c in ANOMALIES)) throw new InputError('args.invalid', `--anomaly: unknown code '${c}' (known: ${Object.keys(ANOMALIES).join(', ')})`);
  }
  if (values.infoHash !== undefined && !/^[0-9a-fA-F]{1,40}$/.test(values.infoHash)) {
    throw new InputError('args.invalid', `--info-hash wants up to 40 hex digits, got '${values.infoHash}'`);
  }
  const f: ReportFilter = {
    user: values.user, infoHash: values.infoHash, peerId: values.peerId, client: values.client, ip: values.ip,
    since: since.at, sinceOffset: since.offset, until: until.at, untilOffset: until.offset,
    event: values.event, anomalies,
  };
  return Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)) as ReportFilter;
}

/** The values commander hands us (names from OPTIONS). */
export interface CliValues {
  inputFormat: 'auto' | 'pcap' | 'pcapng' | 'log';
  logFormat?: string;
  announcePath?: string;
  keepProxyLegs?: boolean;
  follow?: boolean;
  rules: string;
  trustProxy?: string;
  threads?: 'auto' | '1' | '2';
  utc?: boolean;
  interval?: string;
  deadTime?: string;
  minInterval?: string;
  torrent?: string[];
  format: string;
  output?: string;
  announcesOnly?: boolean;
  peerList?: boolean;
  maxRows?: string | number;
  color?: boolean;
  user?: string;
  infoHash?: string;
  peerId?: string;
  client?: string;
  ip?: string;
  since?: string;
  until?: string;
  event?: string;
  anomaly?: string;
  redact?: boolean;
  failOn?: string;
  quiet?: boolean;
  debug?: boolean;
}

export interface RunConfig {
  readonly pipeline: PipelineConfig;
  readonly format: string;
  readonly output: string | null;
  readonly colour: boolean;
  readonly quiet: boolean;
  readonly progress: boolean;
  readonly announcesOnly: boolean;
  /** JSON: list each reply's peers (addresses), not only their count. */
  readonly peerList: boolean;
  /** Text: rows each summary table lists at most (0: all). */
  readonly maxRows: number;
  readonly filter: ReportFilter;
  readonly failOn: FailOn | null;
  /** .torrent names by info_hash, for reports. */
  readonly torrentNames: ReadonlyMap<string, string>;
}

function seconds(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || v.trim() === '') throw new InputError('args.invalid', `${name} wants a number of seconds, got '${v}'`);
  return n;
}

/** --max-rows: a whole number, 0 for all. */
function rowLimit(v: string | number | undefined): number {
  if (v === undefined) return 50;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || String(v).trim() === '') throw new InputError('args.invalid', `--max-rows wants a whole number (0 lists all), got '${v}'`);
  return n;
}

/**
 * Colour: --no-color and NO_COLOR (any non-empty value, no-color.org) win; then --color and
 * FORCE_COLOR (anything but '0' or 'false'); else only when stdout is a terminal and not a file.
 */
export function decideColour(values: Pick<CliValues, 'color' | 'output'>, env: NodeJS.ProcessEnv, stdoutIsTTY: boolean): boolean {
  if (values.color === false) return false;
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  if (values.color === true) return true;
  const force = env['FORCE_COLOR'];
  if (force !== undefined) return force !== '0' && force !== 'false';
  return stdoutIsTTY && values.output === undefined;
}

/** --announce-path as a RegExp (no flags: a /g regexp would keep state between tests). */
export function compileAnnouncePath(source: string | undefined): RegExp | undefined {
  if (source === undefined) return undefined;
  try {
    return new RegExp(source);
  } catch (e) {
    throw new InputError('args.invalid', `--announce-path is not a valid regular expression: ${(e as Error).message}`);
  }
}

/** Aborts on the first Ctrl-C (SIGINT) or SIGTERM, so --follow ends with its summary. */
function interrupted(): AbortSignal {
  const ac = new AbortController();
  process.once('SIGINT', () => ac.abort());
  process.once('SIGTERM', () => ac.abort());
  return ac.signal;
}

export function buildConfig(inputs: readonly string[], values: CliValues, env: NodeJS.ProcessEnv, tty: { stdoutIsTTY: boolean; stderrIsTTY: boolean }): RunConfig {
  const announcePath = compileAnnouncePath(values.announcePath);
  let logParser: LogParser | null = null;
  if (values.logFormat !== undefined && values.logFormat !== 'auto') logParser = resolveLogFormat(values.logFormat);
  const torrentSizes = new Map<string, bigint>();
  const torrentNames = new Map<string, string>();
  for (const path of values.torrent ?? []) {
    const t = readTorrent(path);
    torrentSizes.set(t.infoHash, t.size);
    if (t.name !== null) torrentNames.set(t.infoHash, t.name);
  }
  if (inputs.filter((i) => i === '-').length > 1) throw new InputError('args.invalid', "stdin ('-') can be read only once");
  return {
    pipeline: {
      inputs,
      input: { inputFormat: values.inputFormat, logParser, announcePath, follow: values.follow ? interrupted() : undefined },
      replay: {
        rules: values.rules,
        interval: seconds('--interval', values.interval),
        deadTime: seconds('--dead-time', values.deadTime),
        minInterval: seconds('--min-interval', values.minInterval),
        torrentSizes,
      },
      mergeProxyLegs: !values.keepProxyLegs,
      redact: Boolean(values.redact),
      trustProxy: parseTrustProxy(values.trustProxy ?? 'all'),
      worker: workerMode(values.threads ?? 'auto'),
    },
    filter: filterFrom(values),
    failOn: values.failOn === undefined ? null : parseFailOn(values.failOn),
    format: values.format,
    output: values.output ?? null,
    colour: values.format === 'text' && decideColour(values, env, tty.stdoutIsTTY),
    quiet: Boolean(values.quiet),
    progress: !values.quiet && tty.stderrIsTTY,
    // following, sessions may never close: show each announce as it comes
    announcesOnly: Boolean(values.announcesOnly) || Boolean(values.follow),
    peerList: Boolean(values.peerList),
    maxRows: rowLimit(values.maxRows),
    torrentNames,
  };
}
