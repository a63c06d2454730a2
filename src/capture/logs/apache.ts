/**
 * Apache httpd access logs, mod_log_config (https://httpd.apache.org/docs/2.4/mod/mod_log_config.html):
 * `common`, `combined` and any LogFormat string. Apache escapes `"` and `\` as `\"` `\\`,
 * control characters as \b \n \r \t \v and other non-printable bytes (including >= 0x80) as \xhh.
 */
import { unescapeApache } from './escape.js';
import { buildTemplateParser, type FieldRole, type TemplateField, type TemplateToken, type TimeKind } from './template.js';
import type { LogParser, TimePrecision } from './types.js';

/** Apache's `common` LogFormat. */
export const APACHE_COMMON = '%h %l %u %t "%r" %>s %b';
/** Apache's `combined` LogFormat. */
export const APACHE_COMBINED = APACHE_COMMON + ' "%{Referer}i" "%{User-agent}i"';

const QUOTED = '(?:[^"\\\\]|\\\\.)*';
const WORD = '[^ ]*';

interface Directive {
  readonly role: FieldRole | null;
  readonly rank?: number;
  readonly pattern?: string;
  readonly time?: { readonly kind: TimeKind; readonly precision: TimePrecision };
}

/** The directive a `%[mods][{arg}]letter` stands for. */
function directive(letter: string, arg: string | null, mods: string): Directive {
  const a = arg?.toLowerCase() ?? null;
  switch (letter) {
    case 'h': return { role: 'clientIp', rank: 1, pattern: '[^ "]+' };
    case 'a': return { role: 'clientIp', rank: a === 'c' ? 3 : 2, pattern: '[^ "]+' };
    case 'p': return a === 'remote' ? { role: 'clientPort', rank: 1, pattern: '\\d*|-' } : { role: null };
    case 'r': return { role: 'request', rank: 1 };
    case 'm': return { role: 'method', rank: 1 };
    case 'U': return { role: 'path', rank: 1 };
    case 'q': return { role: 'query', rank: 1 };
    case 'H': return { role: 'protocol', rank: 1 };
    case 's': return { role: 'status', rank: mods.includes('>') ? 2 : 1, pattern: '\\d{3}|-' };
    case 'i':
      if (a === 'user-agent') return { role: 'userAgent', rank: 1 };
      if (a === 'x-forwarded-for') return { role: 'forwardedFor', rank: 1 };
      return { role: null };
    case 't': {
      const t = (a ?? '').replace(/^(begin|end):/, '');
      if (a === null) {
        return {
          role: 'time', rank: 1, pattern: '\\d{2}/[A-Z][a-z]{2}/\\d{4}:\\d{2}:\\d{2}:\\d{2} [+-]\\d{4}',
          time: { kind: 'clf', precision: 's' },
        };
      }
      if (t === 'sec') return { role: 'time', rank: 2, pattern: '\\d+', time: { kind: 'epoch', precision: 's' } };
      if (t === 'msec') return { role: 'time', rank: 3, pattern: '\\d+', time: { kind: 'epoch-ms', precision: 'ms' } };
      if (t === 'usec') return { role: 'time', rank: 4, pattern: '\\d+', time: { kind: 'epoch-us', precision: 'us' } };
      // Any other strftime pattern has no fixed shape here and no zone: not used as the time.
      return { role: null, pattern: '.*?' };
    }
    default: return { role: null };
  }
}

/**
 * Compiles an Apache LogFormat string into a parser. `fmt` is the text between the outer
 * quotes of the LogFormat line; its `\"` stand for `"`. Unknown directives are matched and
 * ignored. Throws InputError when the format has no time, client address or request.
 */
export function compileApacheFormat(fmt: string, name = 'apache-custom'): LogParser {
  const text = fmt.replace(/\\(["\\])/g, '$1').replace(/\\n/g, '\n').replace(/\\t/g, '\t');
  const tokens: TemplateToken[] = [];
  const re = /%([!<>0-9,]*)(?:\{([^}]*)\})?([a-zA-Z%]|\^t[io])/g;
  let last = 0;
  let prevLit = '';
  const lit = (s: string): void => {
    if (s === '') return;
    tokens.push({ lit: s });
    prevLit = s;
  };
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    lit(text.slice(last, m.index));
    last = re.lastIndex;
    const letter = m[3]!;
    if (letter === '%') {
      lit('%');
      continue;
    }
    const d = directive(letter, m[2] ?? null, m[1]!);
    const inQuotes = prevLit.endsWith('"');
    const clfTime = letter === 't' && m[2] === undefined;
    if (clfTime) lit('['); // %t writes its own brackets
    const field: TemplateField = {
      name: m[0],
      role: d.role,
      rank: d.rank ?? 0,
      pattern: d.time !== undefined || (d.pattern !== undefined && !inQuotes) ? d.pattern! : inQuotes ? QUOTED : letter === 'r' ? '.*?' : WORD,
      ...(d.time !== undefined ? { time: d.time } : {}),
    };
    tokens.push({ field });
    prevLit = '';
    if (clfTime) lit(']');
  }
  lit(text.slice(last));
  return buildTemplateParser({
    format: name,
    tokens,
    unescape: unescapeApache,
    advice: {
      truncated:
        'Apache logged a cut request line (414, or no HTTP version): raise LimitRequestLine, ' +
        'or take the announces from a capture',
    },
  });
}

/** The Apache `common` parser. */
export const apacheCommon: LogParser = compileApacheFormat(APACHE_COMMON, 'apache-common');
/** The Apache `combined` parser. */
export const apacheCombined: LogParser = compileApacheFormat(APACHE_COMBINED, 'apache-combined');
