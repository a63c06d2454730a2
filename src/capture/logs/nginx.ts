/**
 * nginx access logs, ngx_http_log_module (https://nginx.org/en/docs/http/ngx_http_log_module.html):
 * the predefined `combined` format, the stock `main` (combined + "$http_x_forwarded_for"), and
 * any `log_format` string. Variables are escaped per `escape=`: `default` writes `"`, `\`,
 * bytes < 0x20 and >= 0x7f as \xXX; `json` uses JSON string escapes; `none` writes raw bytes.
 */
import { InputError } from '../../errors.js';
import { unescapeJsonValue, unescapeNginx } from './escape.js';
import { buildTemplateParser, type FieldRole, type TemplateField, type TemplateToken, type TimeKind } from './template.js';
import type { LogParser, TimePrecision } from './types.js';

/** nginx's built-in `combined` format. */
export const NGINX_COMBINED =
  '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"';

/** The `main` format of the stock nginx.conf (Debian, the official Docker image). */
export const NGINX_MAIN = NGINX_COMBINED + ' "$http_x_forwarded_for"';

/** The value of `escape=` on a log_format. */
export type NginxEscape = 'default' | 'json' | 'none';

/** Options of compileNginxFormat. */
export interface NginxFormatOptions {
  /** `escape=` of the log_format (default `default`). */
  readonly escape?: NginxEscape;
  /** Name shown in reasons and reports (default `nginx-custom`). */
  readonly name?: string;
  /** Ignore extra fields after the format (used to detect combined-prefixed custom formats). */
  readonly allowTrailing?: boolean;
}

interface VarInfo {
  readonly role: FieldRole | null;
  readonly rank?: number;
  readonly pattern?: string;
  readonly time?: { readonly kind: TimeKind; readonly precision: TimePrecision };
}

// Upstream variables list one value per upstream tried, joined by ", " (and " : " across
// internal redirects), so unquoted they still contain spaces.
const UPSTREAM = '[^ ]*(?:(?:, | : )[^ ]*)*';

const VARS: Readonly<Record<string, VarInfo>> = {
  remote_addr: { role: 'clientIp', rank: 2, pattern: '[^ "]+' },
  realip_remote_addr: { role: 'clientIp', rank: 1, pattern: '[^ "]+' },
  remote_port: { role: 'clientPort', rank: 2, pattern: '\\d*|-' },
  realip_remote_port: { role: 'clientPort', rank: 1, pattern: '\\d*|-' },
  time_local: {
    role: 'time', rank: 1, pattern: '\\d{2}/[A-Z][a-z]{2}/\\d{4}:\\d{2}:\\d{2}:\\d{2} [+-]\\d{4}',
    time: { kind: 'clf', precision: 's' },
  },
  time_iso8601: {
    role: 'time', rank: 1, pattern: '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:Z|[+-]\\d{2}:\\d{2})',
    time: { kind: 'iso', precision: 's' },
  },
  msec: { role: 'time', rank: 2, pattern: '\\d+\\.\\d{3}', time: { kind: 'epoch', precision: 'ms' } },
  request: { role: 'request', rank: 1 },
  request_uri: { role: 'target', rank: 2 },
  request_method: { role: 'method', rank: 1 },
  uri: { role: 'path', rank: 1 },
  document_uri: { role: 'path', rank: 0 },
  args: { role: 'args', rank: 2 },
  query_string: { role: 'args', rank: 1 },
  server_protocol: { role: 'protocol', rank: 1 },
  status: { role: 'status', rank: 1, pattern: '\\d{3}' },
  http_user_agent: { role: 'userAgent', rank: 1 },
  http_x_forwarded_for: { role: 'forwardedFor', rank: 1 },
};

/** Splits a log_format string into literals and `$var` / `${var}` references. */
function tokenize(fmt: string): { lit?: string; name?: string }[] {
  const out: { lit?: string; name?: string }[] = [];
  const re = /\$(?:\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g;
  let last = 0;
  for (let m = re.exec(fmt); m !== null; m = re.exec(fmt)) {
    if (m.index > last) out.push({ lit: fmt.slice(last, m.index) });
    out.push({ name: (m[1] ?? m[2])!.toLowerCase() });
    last = re.lastIndex;
  }
  if (last < fmt.length) out.push({ lit: fmt.slice(last) });
  return out;
}

/**
 * Compiles an nginx `log_format` string (the concatenated text, without nginx.conf quoting)
 * into a parser. Unknown variables are matched and ignored. Throws InputError when the format
 * has no time, no client address or no request.
 */
export function compileNginxFormat(fmt: string, options: NginxFormatOptions = {}): LogParser {
  const escape = options.escape ?? 'default';
  const quoted = escape === 'json' ? '(?:[^"\\\\]|\\\\.)*' : escape === 'default' ? '[^"]*' : '.*?';
  const tokens: TemplateToken[] = [];
  let prevLit = '';
  for (const t of tokenize(fmt)) {
    if (t.lit !== undefined) {
      tokens.push({ lit: t.lit });
      prevLit = t.lit;
      continue;
    }
    const name = t.name!;
    const info: VarInfo = VARS[name] ?? (name.startsWith('upstream_') ? { role: null, pattern: UPSTREAM } : { role: null });
    const inQuotes = prevLit.endsWith('"');
    const wide = name === 'request' ? '.*?' : '[^ ]*';
    const field: TemplateField = {
      name,
      role: info.role,
      rank: info.rank ?? 0,
      // A quoted field is bounded by the escaped-away quote; typed fields keep their shape.
      pattern: info.time !== undefined || name === 'status' ? info.pattern! : inQuotes ? quoted : (info.pattern ?? wide),
      ...(info.time !== undefined ? { time: info.time } : {}),
    };
    tokens.push({ field });
    prevLit = '';
  }
  return buildTemplateParser({
    format: options.name ?? 'nginx-custom',
    tokens,
    unescape: escape === 'json' ? unescapeJsonValue : escape === 'default' ? unescapeNginx : (s) => s,
    allowTrailing: options.allowTrailing ?? false,
    advice: {
      truncated:
        'nginx logged a cut request line (414 Request-URI Too Large, or no HTTP version): ' +
        'raise large_client_header_buffers, or take the announces from a capture',
    },
  });
}

/** The nginx `combined` parser. */
export const nginxCombined: LogParser = compileNginxFormat(NGINX_COMBINED, { name: 'nginx-combined' });
/** The nginx stock `main` parser (combined + "$http_x_forwarded_for"). */
export const nginxMain: LogParser = compileNginxFormat(NGINX_MAIN, { name: 'nginx-main' });

/**
 * Reads `log_format <name> [escape=…] '…' '…';` from nginx.conf text: the quoted pieces are
 * concatenated as nginx does. Returns null when the name is not defined; `combined` is built in.
 */
export function readNginxLogFormat(conf: string, name: string): { format: string; escape: NginxEscape } | null {
  if (name === 'combined') return { format: NGINX_COMBINED, escape: 'default' };
  const start = new RegExp(`(^|[\\s;{])log_format\\s+${name.replace(/[^A-Za-z0-9_]/g, '')}\\s+`).exec(conf);
  if (start === null) return null;
  let i = start.index + start[0].length;
  let escape: NginxEscape = 'default';
  const esc = /^escape=(default|json|none)\s+/.exec(conf.slice(i));
  if (esc !== null) {
    escape = esc[1] as NginxEscape;
    i += esc[0].length;
  }
  let format = '';
  const piece = /\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|([^\s;'"]+))/y;
  for (;;) {
    piece.lastIndex = i;
    const m = piece.exec(conf);
    if (m === null) break;
    format += (m[1] ?? m[2] ?? m[3])!.replace(/\\(.)/g, '$1');
    i = piece.lastIndex;
  }
  if (!/^\s*;/.test(conf.slice(i))) throw new InputError('log.format-unusable', `log_format ${name}: no closing ';'`);
  return { format, escape };
}
