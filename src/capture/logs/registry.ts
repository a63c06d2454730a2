/**
 * `--log-format` values: a known format's name, an nginx `log_format` string (has `$`), or an Apache
 * LogFormat string (has `%`).
 */
import { InputError } from '../../errors.js';
import { apacheCombined, apacheCommon, compileApacheFormat } from './apache.js';
import { caddyJson } from './caddy.js';
import { haproxyHttplog } from './haproxy.js';
import { compileNginxFormat, nginxCombined, nginxMain } from './nginx.js';
import { squidNative } from './squid.js';
import { traefikJson } from './traefik.js';
import type { LogParser } from './types.js';

/** Named formats, by the names --log-format accepts. */
export const NAMED_LOG_FORMATS: Readonly<Record<string, LogParser>> = {
  'nginx-combined': nginxCombined, combined: nginxCombined, 'nginx-main': nginxMain, main: nginxMain,
  'apache-common': apacheCommon, common: apacheCommon, 'apache-combined': apacheCombined,
  haproxy: haproxyHttplog, caddy: caddyJson, traefik: traefikJson, squid: squidNative,
};

/** The parser for a --log-format value; an unknown name or a bad format string is an InputError. */
export function resolveLogFormat(value: string): LogParser {
  const named = NAMED_LOG_FORMATS[value];
  if (named) return named;
  try {
    if (value.includes('$')) return compileNginxFormat(value, { name: 'nginx-custom' });
    if (value.includes('%')) return compileApacheFormat(value, 'apache-custom');
  } catch (e) {
    throw new InputError('args.invalid', `--log-format: ${(e as Error).message}`);
  }
  throw new InputError('args.invalid', `--log-format: unknown format '${value}' (known: ${Object.keys(NAMED_LOG_FORMATS).join(', ')}, or an nginx log_format / Apache LogFormat string)`);
}
