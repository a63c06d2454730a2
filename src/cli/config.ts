/** Turns parsed options into a validated RunConfig. Bad values are InputErrors (exit 2). */
import { InputError } from '../errors.js';
import type { LogParser } from '../capture/logs/types.js';
import { resolveLogFormat } from '../capture/logs/registry.js';
import { readTorrent } from '../torrent/metainfo.js';
import type { PipelineConfig } from '../pipeline/run.js';

/** The values commander hands us (names from OPTIONS). */
export interface CliValues {
  inputFormat: 'auto' | 'pcap' | 'pcapng' | 'log';
  logFormat?: string;
  announcePath?: string;
  keepProxyLegs?: boolean;
  rules: string;
  interval?: string;
  deadTime?: string;
  minInterval?: string;
  torrent?: string[];
  format: string;
  output?: string;
  announcesOnly?: boolean;
  peerList?: boolean;
  color?: boolean;
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
  /** .torrent names by info_hash, for reports. */
  readonly torrentNames: ReadonlyMap<string, string>;
}

function seconds(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || v.trim() === '') throw new InputError('args.invalid', `${name} wants a number of seconds, got '${v}'`);
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

export function buildConfig(inputs: readonly string[], values: CliValues, env: NodeJS.ProcessEnv, tty: { stdoutIsTTY: boolean; stderrIsTTY: boolean }): RunConfig {
  let announcePath: RegExp | undefined;
  if (values.announcePath !== undefined) {
    try { announcePath = new RegExp(values.announcePath); } catch (e) {
      throw new InputError('args.invalid', `--announce-path is not a valid regular expression: ${(e as Error).message}`);
    }
  }
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
      input: { inputFormat: values.inputFormat, logParser, announcePath },
      replay: {
        rules: values.rules,
        interval: seconds('--interval', values.interval),
        deadTime: seconds('--dead-time', values.deadTime),
        minInterval: seconds('--min-interval', values.minInterval),
        torrentSizes,
      },
      mergeProxyLegs: !values.keepProxyLegs,
    },
    format: values.format,
    output: values.output ?? null,
    colour: values.format === 'text' && decideColour(values, env, tty.stdoutIsTTY),
    quiet: Boolean(values.quiet),
    progress: !values.quiet && tty.stderrIsTTY,
    announcesOnly: Boolean(values.announcesOnly),
    peerList: Boolean(values.peerList),
    torrentNames,
  };
}
