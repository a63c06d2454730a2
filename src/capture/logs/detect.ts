/**
 * Picking a log format from its first lines: every known parser is tried on each sample line
 * and the one that parses the most wins (ties go to the earlier, more specific entry).
 */
import { apacheCombined, apacheCommon } from './apache.js';
import { caddyJson } from './caddy.js';
import { haproxyHttplog } from './haproxy.js';
import { compileNginxFormat, NGINX_COMBINED, nginxCombined, nginxMain } from './nginx.js';
import { squidNative } from './squid.js';
import { traefikJson } from './traefik.js';
import type { LogParser } from './types.js';

/**
 * nginx combined followed by any extra fields: the usual shape of a custom log_format. It is
 * tried last; the note tells the user to pass the exact format to get its extra fields.
 */
export const nginxCombinedPrefix: LogParser = {
  ...compileNginxFormat(NGINX_COMBINED, { name: 'nginx-combined+', allowTrailing: true }),
  notes: [
    'nginx-combined+: the lines are combined format followed by extra fields, which were ignored ' +
      '(pass the log_format string to use them, e.g. $msec for millisecond times)',
  ],
};

/** The formats detectLogFormat tries, most specific first. */
export const KNOWN_LOG_PARSERS: readonly LogParser[] = [
  nginxMain, nginxCombined, apacheCombined, apacheCommon, haproxyHttplog, caddyJson, traefikJson,
  squidNative, nginxCombinedPrefix,
];

/** The parser that reads the most of `lines` (blank lines ignored), or null when none reads any. */
export function detectLogFormat(lines: readonly string[]): LogParser | null {
  const sample = lines.filter((l) => l.trim() !== '');
  let best: LogParser | null = null;
  let bestCount = 0;
  for (const p of KNOWN_LOG_PARSERS) {
    let n = 0;
    for (const [i, l] of sample.entries()) if (p.parse(l, i + 1, 0).ok) n++;
    if (n > bestCount) {
      best = p;
      bestCount = n;
    }
  }
  return best;
}
